import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..");

describe("the library under tslab's TypeScript", () => {
  it("compiles with the TypeScript 5.0 that tslab uses for notebook cells", () => {
    const tsc = path.join(root, "node_modules/@tslab/typescript-for-tslab/bin/tsc");
    const version = execFileSync(process.execPath, [tsc, "--version"], { encoding: "utf8" });
    expect(version).toMatch(/Version 5\.0\./);
    // Throws, with the compiler's messages, when a file does not compile.
    execFileSync(process.execPath, [tsc, "-p", path.join(root, "lib/tsconfig.json"), "--noEmit"], { encoding: "utf8" });
  }, 120_000);
});
