import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { JUPYTER_PATH, KernelName, ROOT } from "./kernelspecs";
import { copyPageAssets, PAGE_ASSET_OPTIONS } from "./page-assets";
import { addPngFallbacks } from "./png-fallbacks";

/** Where executed notebooks, their HTML pages and logs go. */
export const BUILD_DIR = path.join(ROOT, "build", "notebooks");
/** The committed notebooks. */
export const NOTEBOOK_DIR = path.join(ROOT, "notebooks");

/** The outcome of executing one notebook in one kernel. */
export interface NotebookRun {
  notebook: string;
  kernel: KernelName;
  seconds: number;
  status: "ok" | "failed";
  /** The executed copy, `build/notebooks/<kernel>/<name>.ipynb`. */
  executed: string;
  /** What went wrong, when status is "failed". */
  error?: string;
  /** With `rerun`: one record per code cell, `tf.memory().numTensors` around its second run. */
  reruns?: RerunRecord[];
}

/** `tf.memory().numTensors` just before and just after a code cell ran a second time. */
export interface RerunRecord {
  /** Index of the cell in the notebook, counting from 0, Markdown cells included. */
  cell: number;
  /** The cell's first line. */
  source: string;
  before: number;
  after: number;
}

/** The notebooks in `notebooks/`, in order; `filters` keep names that contain one of them. */
export function listNotebooks(filters: string[] = []): string[] {
  return fs
    .readdirSync(NOTEBOOK_DIR)
    .filter((f) => /^\d\d-.*\.ipynb$/.test(f))
    .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
    .sort();
}

/**
 * Execute a notebook top to bottom in a kernel (nbclient, through scripts/execute_notebook.py),
 * write the executed copy and (but for reruns) its HTML page under build/notebooks/<kernel>/,
 * and report. Executed copies (but for reruns) carry a PNG beside each Plotly figure
 * ({@link addPngFallbacks}); the pages load MathJax and RequireJS from copies in
 * `<buildDir>/assets/` ({@link copyPageAssets}).
 *
 * A run fails when a cell's execute reply has status "error" (how tslab reports a failing
 * cell) or when the executed notebook holds an `error` output (how Deno reports one).
 *
 * @param notebook file name inside `options.dir` (default notebooks/).
 * @param options.quick run in quick mode (VAE_QUICK=1).
 * @param options.buildDir where the executed copies go (default build/notebooks).
 * @param options.env extra environment variables for the kernel, e.g. `{ VAE_RETRAIN: "1" }`.
 * @param options.rerun run every code cell twice in a row and read `tf.memory().numTensors`
 *   in the kernel just before and after the second run (`execute_notebook.py --rerun`); the
 *   run fails, naming the cell, when a rerun grew the count. The records are in `reruns`.
 */
export async function runNotebook(
  notebook: string,
  kernel: KernelName,
  options: { quick: boolean; dir?: string; buildDir?: string; env?: Record<string, string>; rerun?: boolean },
): Promise<NotebookRun> {
  const outDir = path.join(options.buildDir ?? BUILD_DIR, kernel);
  fs.mkdirSync(outDir, { recursive: true });
  const executed = path.join(outDir, notebook);
  const logFile = executed.replace(/\.ipynb$/, ".log");
  const env = { ...process.env, JUPYTER_PATH, VAE_QUICK: options.quick ? "1" : "0", ...options.env };
  const start = Date.now();
  const args = [path.join(ROOT, "scripts/execute_notebook.py"), path.join(options.dir ?? NOTEBOOK_DIR, notebook), kernel, executed];
  const rerunsFile = executed.replace(/\.ipynb$/, ".reruns.json");
  if (options.rerun) {
    args.push("--rerun");
    fs.rmSync(rerunsFile, { force: true });
  }
  const run = await command(jupyterPython(), args, env);
  const seconds = (Date.now() - start) / 1000;
  fs.writeFileSync(logFile, run.output);
  let error = run.code !== 0 ? `${tail(run.output)}\n(full log: ${path.relative(ROOT, logFile)})` : errorOutputs(executed);
  // A rerun copy holds the second runs' outputs, which lack the plotly.js that only a
  // session's first plot embeds: it is for the tensor counts, so it gets no PNGs or HTML page.
  if (!error && !options.rerun) {
    error = await addPngFallbacks(executed).then(() => undefined, (e: Error) => `PNG fallbacks: ${e.message}`);
    if (!error) {
      copyPageAssets(options.buildDir ?? BUILD_DIR);
      await command("jupyter", ["nbconvert", "--to", "html", "--log-level", "WARN", ...PAGE_ASSET_OPTIONS, "--output-dir", outDir, executed], env);
    }
  }
  const reruns = options.rerun && fs.existsSync(rerunsFile) ? (JSON.parse(fs.readFileSync(rerunsFile, "utf8")) as RerunRecord[]) : undefined;
  return { notebook, kernel, seconds, status: error ? "failed" : "ok", executed, error, reruns };
}

/** Compile the library to lib/dist/, which the notebooks import as `vae-kit`, so they run today's code. */
export function buildLibrary(): void {
  execFileSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "lib/tsconfig.json"], { cwd: ROOT, stdio: "inherit" });
}

/**
 * The Python interpreter that runs Jupyter: `JUPYTER_PYTHON`, else the one named in the
 * first line of the `jupyter` command found on PATH, else `python3`.
 */
export function jupyterPython(): string {
  if (process.env.JUPYTER_PYTHON) return process.env.JUPYTER_PYTHON;
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const file = path.join(dir, "jupyter");
    if (!fs.existsSync(file)) continue;
    const shebang = fs.readFileSync(file, "utf8").split("\n", 1)[0];
    const match = /^#!\s*(\S+python\S*)\s*$/.exec(shebang);
    if (match) return match[1];
  }
  return "python3";
}

/** The `error` outputs of an executed notebook, as text; undefined when there are none. */
export function errorOutputs(file: string): string | undefined {
  if (!fs.existsSync(file)) return `${file} was not written`;
  const nb = JSON.parse(fs.readFileSync(file, "utf8"));
  const errors = nb.cells.flatMap((cell: any) => (cell.outputs ?? []).filter((o: any) => o.output_type === "error"));
  return errors.length ? errors.map((e: any) => `${e.ename}: ${e.evalue}`).join("\n") : undefined;
}

/** The code cells of a notebook that carry outputs or execution counts (committed ones must not). */
export function cellsWithOutputs(file: string): number[] {
  const nb = JSON.parse(fs.readFileSync(file, "utf8"));
  return nb.cells
    .map((cell: any, i: number) => (cell.cell_type === "code" && ((cell.outputs ?? []).length > 0 || cell.execution_count != null) ? i : -1))
    .filter((i: number) => i >= 0);
}

function command(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(program, args, { env, cwd: ROOT });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (e) => resolve({ code: 127, output: `cannot start ${program} (${e.message}); run 'npm run setup'.` }));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

function tail(text: string, lines = 25): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}
