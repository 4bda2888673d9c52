/**
 * Execute the notebooks through Jupyter in one kernel or both, write executed copies and
 * HTML pages under build/notebooks/<kernel>/ (quick mode: build/notebooks-quick/<kernel>/, so
 * it never replaces the full-mode results), and print a table. Exits 1 when any fails.
 *
 *   npm run notebooks                        every notebook, both kernels, full mode
 *   npm run notebooks -- --quick             quick mode (small subsets, few epochs)
 *   npm run notebooks -- --kernel deno 02    only notebooks whose name contains "02", in Deno
 *   npm run notebooks -- --jobs 1            one notebook at a time (default 2)
 *   npm run notebooks -- --rerun             run every code cell twice in a row; fail when a
 *                                            rerun grows tf.memory().numTensors (into
 *                                            build/notebooks[-quick]-rerun/, executed copies
 *                                            without HTML pages)
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { KERNELS, KernelName, ROOT, writeKernelspecs } from "./kernelspecs";
import { BUILD_DIR, buildLibrary, listNotebooks, NotebookRun, runNotebook } from "./notebook-runner";

const USAGE = "usage: npm run notebooks -- [--kernel tslab|deno|both] [--quick] [--rerun] [--jobs N] [NAME ...]";

function parse(): { kernels: KernelName[]; quick: boolean; rerun: boolean; jobs: number; filters: string[] } {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      kernel: { type: "string", default: "both" },
      quick: { type: "boolean", default: process.env.VAE_QUICK === "1" },
      rerun: { type: "boolean", default: false },
      jobs: { type: "string", default: "2" },
    },
  });
  const kernels = values.kernel === "both" ? [...KERNELS] : [values.kernel as KernelName];
  if (!kernels.every((k) => (KERNELS as readonly string[]).includes(k))) {
    throw new Error(`--kernel must be tslab, deno or both, but got '${values.kernel}'.\n${USAGE}`);
  }
  const jobs = Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`--jobs must be a positive integer, but got '${values.jobs}'.\n${USAGE}`);
  return { kernels, quick: values.quick!, rerun: values.rerun!, jobs, filters: positionals };
}

async function main(): Promise<void> {
  const { kernels, quick, rerun, jobs, filters } = parse();
  const notebooks = listNotebooks(filters);
  if (notebooks.length === 0) throw new Error(`no notebook matches ${filters.join(", ")}.\n${USAGE}`);
  buildLibrary();
  writeKernelspecs();
  console.log(`Running ${notebooks.length} notebook(s) in ${kernels.join(" and ")}, ${quick ? "quick" : "full"} mode, ${jobs} at a time${rerun ? ", every code cell twice" : ""}.`);
  const buildDir = (quick ? path.join(ROOT, "build", "notebooks-quick") : BUILD_DIR) + (rerun ? "-rerun" : "");
  const queue = kernels.flatMap((kernel) => notebooks.map((notebook) => ({ notebook, kernel })));
  const runs: NotebookRun[] = [];
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const run = await runNotebook(job.notebook, job.kernel, { quick, buildDir, rerun });
      console.log(`${run.status === "ok" ? "ok    " : "FAILED"} ${run.kernel}/${run.notebook} (${run.seconds.toFixed(1)} s)`);
      runs.push(run);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  report(runs, buildDir);
}

function report(runs: NotebookRun[], buildDir: string): void {
  runs.sort((a, b) => a.notebook.localeCompare(b.notebook) || a.kernel.localeCompare(b.kernel));
  console.table(runs.map((r) => ({ notebook: r.notebook, kernel: r.kernel, seconds: Number(r.seconds.toFixed(1)), status: r.status })));
  const failed = runs.filter((r) => r.status === "failed");
  for (const r of failed) console.error(`\n${r.kernel}/${r.notebook} failed:\n${r.error}`);
  console.log(`Executed notebooks and HTML pages: ${path.relative(ROOT, buildDir)}/<kernel>/`);
  if (failed.length) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
