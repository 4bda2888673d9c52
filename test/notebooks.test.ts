import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { KernelName, KERNELS, ROOT, writeKernelspecs } from "../scripts/kernelspecs";
import { checkSite } from "../scripts/check-site";
import { CHROMIUM } from "../scripts/png-fallbacks";
import { cellsWithOutputs, listNotebooks, NOTEBOOK_DIR, NotebookRun, RerunRecord, runNotebook } from "../scripts/notebook-runner";

const notebooks = listNotebooks();
const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) console.warn(`Course site test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium).`);

describe("committed notebooks", () => {
  it("exist and follow the NN-topic naming", () => {
    expect(notebooks.length).toBeGreaterThanOrEqual(2);
    expect(fs.readdirSync(NOTEBOOK_DIR).filter((f) => f.endsWith(".ipynb"))).toEqual(notebooks);
  });

  it.each(notebooks)("%s carries no outputs or execution counts", (notebook) => {
    expect(cellsWithOutputs(path.join(NOTEBOOK_DIR, notebook))).toEqual([]);
  });
});

/** A run of one notebook: kernel, extra environment, and where its executed copy goes. */
interface Job {
  notebook: string;
  kernel: KernelName;
  retrain: boolean;
  /** Run every code cell twice in a row, counting tensors around the second run. */
  rerun?: boolean;
}

const key = (job: Job) => `${job.kernel}/${job.notebook}${job.retrain ? "/retrain" : ""}${job.rerun ? "/rerun" : ""}`;

/** The reruns that left more tensors alive than before, as text naming the cell. */
const grown = (reruns: RerunRecord[]) =>
  reruns.filter((r) => r.after > r.before).map((r) => `cell ${r.cell} (${r.source}): ${r.before} -> ${r.after} tensors`);

describe("every notebook runs top to bottom in quick mode", () => {
  // Every notebook in both kernels with the pretrained models, and in tslab once more
  // training its models itself (VAE_RETRAIN=1), so both paths of each notebook run. Then every
  // notebook in tslab with each code cell run twice in a row, as a learner reruns a cell: a
  // rerun must not leave more tensors alive than the first run did (tslab, which resets a
  // rerun cell's variables, is the kernel where a forgotten dispose shows).
  const jobs: Job[] = [
    ...KERNELS.flatMap((kernel) => notebooks.map((notebook) => ({ notebook, kernel, retrain: false }))),
    ...notebooks.map((notebook) => ({ notebook, kernel: "tslab" as KernelName, retrain: true })),
    ...notebooks.map((notebook) => ({ notebook, kernel: "tslab" as KernelName, retrain: false, rerun: true })),
  ];
  const runs = new Map<string, Promise<NotebookRun>>();

  beforeAll(() => {
    writeKernelspecs();
    const queue = [...jobs];
    const pending = new Map(queue.map((job) => [key(job), deferred<NotebookRun>()]));
    for (const [k, d] of pending) runs.set(k, d.promise);
    const worker = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        // A folder of their own, so the tests never overwrite the main job's full-mode results.
        const buildDir = path.join(ROOT, "build", job.rerun ? "test-notebooks-rerun" : job.retrain ? "test-notebooks-retrain" : "test-notebooks");
        const env: Record<string, string> = job.retrain ? { VAE_RETRAIN: "1" } : {};
        pending.get(key(job))!.resolve(await runNotebook(job.notebook, job.kernel, { quick: true, buildDir, env, rerun: job.rerun }));
      }
    };
    // Two notebooks at a time: each kernel runs TensorFlow.js on one core.
    void Promise.all([worker(), worker()]);
  });

  for (const job of jobs.filter((j) => !j.rerun)) {
    it(`${job.notebook} in ${job.kernel}${job.retrain ? ", training its models (VAE_RETRAIN=1)" : ""}`, async () => {
      const run = await runs.get(key(job))!;
      expect(run.error ?? "", `${key(job)} failed`).toBe("");
      expect(run.status).toBe("ok");
    }, 1_800_000);
  }

  for (const job of jobs.filter((j) => j.rerun)) {
    it(`${job.notebook} in ${job.kernel}: rerunning any code cell leaves no more tensors alive`, async () => {
      const run = await runs.get(key(job))!;
      expect(grown(run.reruns ?? []), `${key(job)}: cells whose rerun grew tf.memory().numTensors`).toEqual([]);
      expect(run.error ?? "", `${key(job)} failed`).toBe("");
      expect(run.reruns?.length, "one record per code cell").toBe(codeCells(path.join(NOTEBOOK_DIR, job.notebook)));
    }, 1_800_000);
  }

  // The course site, built from the tslab runs above as `npm run site` builds it, and read in
  // a browser the way a learner reads it (served over HTTP from 127.0.0.1).
  it.skipIf(!hasChromium)("the course site built from the tslab runs: every page reads without errors, figures drawn, hover shows digits", async () => {
    const tslab = jobs.filter((j) => j.kernel === "tslab" && !j.retrain && !j.rerun);
    const failed = (await Promise.all(tslab.map((j) => runs.get(key(j))!))).filter((r) => r.status !== "ok").map((r) => r.notebook);
    expect(failed, "notebooks that must run before the site can be built").toEqual([]);
    const out = path.join(ROOT, "build", "test-site");
    execFileSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "site.ts"), "--quick", "--from", path.join(ROOT, "build", "test-notebooks", "tslab"), "--out", out], { cwd: ROOT, stdio: "inherit" });
    const report = await checkSite(out);
    expect(report.problems).toEqual([]);
    const pages = [...notebooks.map((nb) => nb.replace(/\.ipynb$/, ".html")), "index.html", "teaching.html", "results.html", "api/index.html"];
    expect(report.pages).toEqual(expect.arrayContaining(pages));
    expect(report.figures, "Plotly figures drawn").toBeGreaterThanOrEqual(notebooks.length);
    expect(report.formulas, "formulas typeset").toBeGreaterThan(100);
    expect(report.hoverImages, "latent scatters whose hover shows a digit").toBeGreaterThanOrEqual(1);
  }, 900_000);
});

function codeCells(file: string): number {
  return JSON.parse(fs.readFileSync(file, "utf8")).cells.filter((c: { cell_type: string }) => c.cell_type === "code").length;
}

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
    // The executed copy names the kernel that ran it, so Jupyter reopens it there.
    expect(JSON.parse(fs.readFileSync(run.executed, "utf8")).metadata.kernelspec.name).toBe(kernel);
  }, 120_000);

  it("names the cell whose rerun leaves more tensors alive (tslab)", async () => {
    writeKernelspecs();
    // Inside the checkout, so that the kernel finds @tensorflow/tfjs in node_modules.
    const local = path.join(ROOT, "build", "test-runner");
    fs.mkdirSync(local, { recursive: true });
    fs.writeFileSync(
      path.join(local, "98-leaks.ipynb"),
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 4,
        metadata: {},
        cells: [cell('import * as tf from "@tensorflow/tfjs";'), cell("const kept = tf.zeros([2]);"), cell("const total = tf.tidy(() => tf.ones([3]).sum().dataSync()[0]);")],
      }),
    );
    const run = await runNotebook("98-leaks.ipynb", "tslab", { quick: true, dir: local, buildDir: local, rerun: true });
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/Rerunning cell 1 .*const kept = tf\.zeros\(\[2\]\);.* from 1 to 2/);
    expect(run.reruns).toEqual([
      { cell: 0, source: 'import * as tf from "@tensorflow/tfjs";', before: 0, after: 0 },
      { cell: 1, source: "const kept = tf.zeros([2]);", before: 1, after: 2 },
      { cell: 2, source: "const total = tf.tidy(() => tf.ones([3]).sum().dataSync()[0]);", before: 2, after: 2 },
    ]);
  }, 120_000);
});
