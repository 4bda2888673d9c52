import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { VAE } from "../../lib/models/vae";
import { replaceFolder, stagingFolders, writeFileAtomically, writeJsonAtomically } from "../../lib/persist/atomic";
import { loadCheckpoint } from "../../lib/persist/load";
import { saveCheckpoint } from "../../lib/persist/save";
import { initBackend } from "../../lib/runtime/backend";
import { listFiles, removeTempDirs, tempDir } from "./helpers";

const root = path.resolve(__dirname, "../..");
const CHECKPOINT_FILES = ["decoder/model.json", "decoder/weights.bin", "encoder/model.json", "encoder/weights.bin", "manifest.json"];

beforeAll(async () => {
  await initBackend("wasm", { quiet: true });
});

describe("writeFileAtomically", () => {
  it("writes and overwrites files, creating folders, and leaves no temporary files", async () => {
    const dir = tempDir();
    const file = path.join(dir, "a", "b", "x.json");
    await writeJsonAtomically(file, { n: 1 });
    await writeJsonAtomically(file, { n: 2 });
    await writeFileAtomically(path.join(dir, "bytes.bin"), new Uint8Array([1, 2, 3]));
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual({ n: 2 });
    expect([...fs.readFileSync(path.join(dir, "bytes.bin"))]).toEqual([1, 2, 3]);
    expect(listFiles(dir)).toEqual(["a/b/x.json", "bytes.bin"]);
  });

  it("writes a view of a larger buffer as just the view's bytes", async () => {
    const dir = tempDir();
    const big = new Uint8Array([9, 9, 1, 2, 9]);
    await writeFileAtomically(path.join(dir, "v.bin"), big.subarray(2, 4));
    expect([...fs.readFileSync(path.join(dir, "v.bin"))]).toEqual([1, 2]);
  });
});

describe("saveCheckpoint is crash-safe", () => {
  it("leaves exactly the checkpoint files after saving twice into the same folder (no temp, .partial or .previous)", async () => {
    const parent = tempDir();
    const dir = path.join(parent, "ck");
    const vae = new VAE({ hiddenSizes: [8], latentDim: 2, seed: 1 });
    await saveCheckpoint(dir, vae, { name: "first" });
    await saveCheckpoint(dir, vae, { name: "second" });
    expect(listFiles(parent)).toEqual(CHECKPOINT_FILES.map((f) => `ck/${f}`));
    expect((await loadCheckpoint(dir)).manifest.name).toBe("second");
    vae.dispose();
  });

  it("keeps the previous checkpoint intact when a save fails half-way", async () => {
    const parent = tempDir();
    const dir = path.join(parent, "ck");
    const vae = new VAE({ hiddenSizes: [8], latentDim: 2, seed: 1 });
    await saveCheckpoint(dir, vae, { name: "good" });
    const before = fs.readFileSync(path.join(dir, "manifest.json"), "utf8");
    // Encoder and decoder are written, then saving the optimizer throws (not Adam).
    await expect(saveCheckpoint(dir, vae, { name: "bad", optimizer: tf.train.sgd(0.1) })).rejects.toThrow(
      "Error in saveOptimizer: optimizer must be an Adam optimizer (only Adam optimizers can be saved), but got SGD.",
    );
    expect(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")).toBe(before);
    expect(listFiles(parent)).toEqual(CHECKPOINT_FILES.map((f) => `ck/${f}`));
    const { model, manifest } = await loadCheckpoint(dir);
    expect(manifest.name).toBe("good");
    model.dispose();
    vae.dispose();
  });

  it("loads the complete checkpoint left next to the folder when a save died between its two renames", async () => {
    const parent = tempDir();
    const dir = path.join(parent, "ck");
    const vae = new VAE({ hiddenSizes: [8], latentDim: 2, seed: 1 });
    await saveCheckpoint(dir, vae, { name: "old" });
    await saveCheckpoint(path.join(parent, "new"), vae, { name: "new" });
    const { partial, previous } = stagingFolders(dir);
    fs.renameSync(dir, previous); // first rename done ...
    fs.renameSync(path.join(parent, "new"), partial); // ... new content complete, second rename never happened
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const loaded = await loadCheckpoint(dir);
    expect(loaded.manifest.name).toBe("new");
    expect(loaded.dir).toBe(partial);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/a save was interrupted; loading the complete checkpoint .*ck\.partial/));
    loaded.model.dispose();
    fs.rmSync(partial, { recursive: true }); // only the old one left
    const old = await loadCheckpoint(dir);
    expect(old.manifest.name).toBe("old");
    old.model.dispose();
    warn.mockRestore();
    await saveCheckpoint(dir, vae, { name: "next" }); // the next save cleans up
    expect(listFiles(parent)).toEqual(CHECKPOINT_FILES.map((f) => `ck/${f}`));
    vae.dispose();
  });

  it("replaceFolder swaps a folder in and removes the old one", () => {
    const parent = tempDir();
    const dir = path.join(parent, "d");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "old.txt"), "old");
    const staged = path.join(parent, "d.partial");
    fs.mkdirSync(staged);
    fs.writeFileSync(path.join(staged, "new.txt"), "new");
    replaceFolder(staged, dir);
    expect(listFiles(parent)).toEqual(["d/new.txt"]);
  });

  it("leaves a loadable checkpoint when the saving process is killed (SIGKILL) at random moments", async () => {
    const parent = tempDir();
    const dir = path.join(parent, "ck");
    const delays = [0, 7, 23, 41, 67, 97];
    for (const delay of delays) {
      const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "save-loop.fixture.ts"), dir], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          if (/saved 2\n/.test(out)) resolve();
        });
        child.on("exit", (code) => reject(new Error(`save loop exited early with code ${code}: ${out}`)));
      });
      await new Promise((r) => setTimeout(r, delay));
      const exited = new Promise((r) => child.on("exit", r));
      child.kill("SIGKILL");
      await exited;
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      const { model, manifest } = await loadCheckpoint(dir);
      warn.mockRestore();
      expect(manifest.name).toMatch(/^v\d+$/);
      model.dispose();
    }
  }, 180_000);
});

afterAll(removeTempDirs);
