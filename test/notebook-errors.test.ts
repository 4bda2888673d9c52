import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { KERNELS, ROOT, writeKernelspecs } from "../scripts/kernelspecs";
import { runNotebook } from "../scripts/notebook-runner";

// A learner's usual mistakes, made in a notebook (test/fixtures/usual-mistakes.ipynb), stop with
// the kit's named errors in both kernels: one caught and printed by a cell, one thrown by a
// cell and reported by the notebook runner.

const fixtures = path.join(ROOT, "test", "fixtures");
const buildDir = path.join(ROOT, "build", "test-notebook-errors");

/** Everything the cells of an executed notebook printed or displayed, as one text. */
function outputText(file: string): string {
  const nb = JSON.parse(fs.readFileSync(file, "utf8"));
  return nb.cells
    .flatMap((cell: { outputs?: Record<string, unknown>[] }) => cell.outputs ?? [])
    .map((o: Record<string, any>) => [o.text, o.data?.["text/plain"], o.evalue, o.traceback].flat().filter(Boolean).join(""))
    .join("\n");
}

describe("the usual mistakes in a notebook", () => {
  beforeAll(() => {
    // The notebook imports the built package, as a learner's notebook does.
    execFileSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "lib/tsconfig.json"], { cwd: ROOT });
    writeKernelspecs();
  }, 180_000);

  it.each(KERNELS)("are named in %s: unscaled pixels in VAE.lossTerms, and a learning rate too high in fit", async (kernel) => {
    const run = await runNotebook("usual-mistakes.ipynb", kernel, { quick: true, dir: fixtures, buildDir });
    const outputs = outputText(run.executed);
    expect(outputs).toMatch(/Error in VAE\.lossTerms: x must hold pixel values in \[0, 1\], but got 255 at \[\d+, \d+\]: divide by 255\./);
    expect(run.status).toBe("failed"); // the last cell throws on purpose
    // tslab prints a failing cell's error on stderr (a stream output), Deno as an error output.
    const reported = `${run.error}\n${outputs}`;
    expect(reported).toMatch(/Error in fit: the loss must stay finite, but got (NaN|Infinity) at epoch 1, step 2 of 2 \(/);
    expect(reported).toMatch(/Usual causes: a learning rate too high \(this run's is 1000; fit's default is 0\.001\)/);
  }, 180_000);
});
