import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, afterEach, beforeAll, vi } from "vitest";
import { resetPlotlyEmbedding } from "../../lib/plots/show";

/** globalThis, where a test pretends to be a notebook kernel (`Deno`, `__tslab__`). */
export const g = globalThis as Record<string, unknown>;

/**
 * Run the tests of the calling `describe` (or file) in a new temporary working directory,
 * and after each test leave no pretend kernel, no record of plotly.js embedded and no mocks.
 *
 * @returns a getter of the directory (set once the tests start).
 */
export function plotSandbox(prefix: string): () => string {
  let dir = "";
  let cwd = "";
  beforeAll(() => {
    cwd = process.cwd();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    process.chdir(dir);
  });
  afterAll(() => {
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    delete g.Deno;
    delete g.__tslab__;
    resetPlotlyEmbedding();
    vi.restoreAllMocks();
  });
  return () => dir;
}
