import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { KERNELS, ROOT, writeKernelspecs } from "../../scripts/kernelspecs";
import { runNotebook } from "../../scripts/notebook-runner";

// tslab reports a failing cell only as "<Error>:" with an empty value in the execute reply and
// sends the message to the cell's stderr; the runner must still name the cell and show the
// message (test/runner-fixtures/failing-cell.ipynb throws in its second cell).
describe("the notebook runner on a failing cell", () => {
  beforeAll(() => writeKernelspecs());

  it.each(KERNELS)("names the cell and prints the error message in %s", async (kernel) => {
    const run = await runNotebook("failing-cell.ipynb", kernel, {
      quick: true,
      dir: path.join(ROOT, "test", "runner-fixtures"),
      buildDir: path.join(ROOT, "build", "test-runner-errors"),
    });
    expect(run.status).toBe("failed");
    expect(run.error).toContain("The failing cell is cell 1 (counting from 0, Markdown cells included: `function f(): number {`)");
    expect(run.error).toContain("Error in demo: x must be positive, but got -1.");
  }, 120_000);
});
