import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { KERNELS, ROOT, writeKernelspecs } from "../scripts/kernelspecs";
import { cellsWithOutputs, listNotebooks, NOTEBOOK_DIR, NotebookRun, runNotebook } from "../scripts/notebook-runner";

const notebooks = listNotebooks();

describe("committed notebooks", () => {
  it("exist and follow the NN-topic naming", () => {
    expect(notebooks.length).toBeGreaterThanOrEqual(2);
    expect(fs.readdirSync(NOTEBOOK_DIR).filter((f) => f.endsWith(".ipynb"))).toEqual(notebooks);
  });

  it.each(notebooks)("%s carries no outputs or execution counts", (notebook) => {
    expect(cellsWithOutputs(path.join(NOTEBOOK_DIR, notebook))).toEqual([]);
  });
});

describe("every notebook runs top to bottom in quick mode", () => {
  const runs = new Map<string, Promise<NotebookRun>>();

  beforeAll(() => {
    writeKernelspecs();
    // Two notebooks at a time: each kernel runs TensorFlow.js on one core.
    const queue = KERNELS.flatMap((kernel) => notebooks.map((notebook) => ({ kernel, notebook })));
    const pending = new Map(queue.map((job) => [`${job.kernel}/${job.notebook}`, deferred<NotebookRun>()]));
    for (const [key, d] of pending) runs.set(key, d.promise);
    const worker = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        // A folder of their own, so the tests never overwrite the main job's full-mode results.
        const run = await runNotebook(job.notebook, job.kernel, { quick: true, buildDir: path.join(ROOT, "build", "test-notebooks") });
        pending.get(`${job.kernel}/${job.notebook}`)!.resolve(run);
      }
    };
    void Promise.all([worker(), worker()]);
  });

  for (const kernel of KERNELS) {
    it.each(notebooks)(`%s in ${kernel}`, async (notebook) => {
      const run = await runs.get(`${kernel}/${notebook}`)!;
      expect(run.error ?? "", `${kernel}/${notebook} failed`).toBe("");
      expect(run.status).toBe("ok");
    }, 900_000);
  }
});

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("the notebook runner", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runner-"));
  const cell = (source: string) => ({ cell_type: "code", metadata: {}, outputs: [], execution_count: null, source });
  fs.writeFileSync(
    path.join(dir, "99-fails.ipynb"),
    JSON.stringify({ nbformat: 4, nbformat_minor: 4, metadata: {}, cells: [cell('console.log("before");'), cell('throw new Error("boom");'), cell('console.log("after");')] }),
  );

  it.each(KERNELS)("reports a cell that throws in %s as a failure", async (kernel) => {
    writeKernelspecs();
    const run = await runNotebook("99-fails.ipynb", kernel, { quick: true, dir, buildDir: dir });
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/boom/);
  }, 120_000);
});
