import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { initBackend } from "../../lib/runtime/backend";
import { startThreadedWasm } from "../../lib/runtime/wasm-threads";

const run = promisify(execFile);
const CHILD = path.join(__dirname, "wasm-threads-child.ts");

/** The child's report with VAE_WASM_THREADS = threads; it must end by itself. */
async function trainIn(threads: number): Promise<{ backend: string; threads: number; runningWorkers: number; trainNegElbo: number[]; testNegElbo: number[] }> {
  const { stdout } = await run(process.execPath, [require.resolve("tsx/cli"), CHILD], { env: { ...process.env, VAE_WASM_THREADS: String(threads) }, timeout: 120_000 });
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

describe("the wasm backend on two threads", () => {
  it("runs on two threads, trains to the same numbers as one thread, and lets the process end", async () => {
    const [one, two] = [await trainIn(1), await trainIn(2)];
    expect(one).toMatchObject({ backend: "wasm", threads: 1, runningWorkers: 0 });
    expect(two).toMatchObject({ backend: "wasm", threads: 2, runningWorkers: 1 });
    // XNNPACK splits a product into output tiles, one thread each: the same sums in the same order.
    expect(two.trainNegElbo).toEqual(one.trainNegElbo);
    expect(two.testNegElbo).toEqual(one.testNegElbo);
    expect(one.testNegElbo[1]).toBeLessThan(one.testNegElbo[0]);
  }, 240_000);

  it("names a thread count out of range, and refuses to change it once the backend runs", async () => {
    await expect(initBackend("wasm", { quiet: true, threads: 0 })).rejects.toThrow("threads (from the option or VAE_WASM_THREADS) must be an integer from 1 to 4, but got 0");
    await expect(initBackend("wasm", { quiet: true, threads: 5 })).rejects.toThrow("must be an integer from 1 to 4, but got 5");
    await initBackend("wasm", { quiet: true, threads: 1 });
    await expect(initBackend("wasm", { quiet: true, threads: 2 })).rejects.toThrow("the wasm backend already runs on 1 thread(s), not 2");
    await expect(startThreadedWasm(2)).rejects.toThrow("the wasm backend has already started on 1 thread(s)");
  });
});
