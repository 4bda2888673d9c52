import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

// Packing the library needs its compiled dist/: without it, npm pack must fail instead of
// producing a tarball with no code.

const libDir = path.resolve(__dirname, "..", "..", "lib");

function pack(dir: string): { status: number; output: string } {
  try {
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts=false"], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return { status: 0, output: out };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { status: e.status, output: `${e.stdout}${e.stderr}` };
  }
}

describe("npm pack of the library", () => {
  it("fails loudly, naming the build command, when dist/ is missing", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vae-kit-unbuilt-"));
    try {
      fs.copyFileSync(path.join(libDir, "package.json"), path.join(dir, "package.json"));
      const result = pack(dir);
      expect(result.status).not.toBe(0);
      expect(result.output).toContain("dist/index.js is missing");
      expect(result.output).toContain("npm run build");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("packs the compiled code and the README of a built library, and no models", () => {
    expect(fs.existsSync(path.join(libDir, "dist", "index.js")), "run npm run build first").toBe(true);
    const result = pack(libDir);
    expect(result.status, result.output).toBe(0);
    const files = (JSON.parse(result.output) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
    expect(files).toContain("dist/index.js");
    expect(files).toContain("dist/index.d.ts");
    expect(files).toContain("README.md");
    // The pretrained models stay out (found through VAE_PRETRAINED_DIR): no weights, no manifests.
    expect(files.filter((f) => /pretrained\/|\.bin$|manifest\.json$/.test(f))).toEqual([]);
  }, 60_000);
});
