import * as path from "path";
import { writeFileAtomicallySync } from "../persist/atomic";
import { displayBundle, kernel } from "../runtime/display";
import { Figure, checkFigure, describeFigure, figureTitle } from "./figure";
import { figureHtml, standaloneHtml } from "./html";

/** Options of {@link show}. */
export interface ShowOptions {
  /**
   * Write a standalone HTML file (plotly.js inline) to this path. Outside a notebook the
   * default is `build/plots/<slug of title or "figure">-<n>.html` under the working
   * directory; in a notebook no file is written unless `file` is given.
   */
  file?: string;
  /** Title used for the default file name and the page title; default the figure's title. */
  title?: string;
  /**
   * In a notebook: embed plotly.js in this output (true) or not (false); default: only in
   * the first plot output of the kernel session.
   */
  includePlotly?: boolean;
  /** Outside a notebook: do not print the path of the written file; default false. */
  quiet?: boolean;
}

// Per-process state, kept on globalThis so that two copies of this module in one kernel
// (e.g. the built lib and a second path to it) still embed plotly.js only once.
const STATE_KEY = Symbol.for("vae-notebook-kit.plots.show");
interface ShowState {
  plotlyEmbedded: boolean;
  /** Plots written outside a notebook, per kind of default file name ("" or "-hover"). */
  fileCounters: Record<string, number>;
}
function state(): ShowState {
  const g = globalThis as unknown as Record<symbol, ShowState | undefined>;
  let s = g[STATE_KEY];
  if (!s) {
    s = { plotlyEmbedded: false, fileCounters: {} };
    g[STATE_KEY] = s;
  }
  return s;
}

/**
 * Forget that plotly.js was embedded, so the next {@link show} in a notebook embeds it
 * again. Use it after clearing the output that carried plotly.js (a later page load would
 * otherwise find no `window.Plotly`).
 */
export function resetPlotlyEmbedding(): void {
  state().plotlyEmbedded = false;
}

/** Whether plotly.js has already been sent in a notebook output by this process. */
export function plotlyEmbedded(): boolean {
  return state().plotlyEmbedded;
}

/**
 * A file-name slug: lower-case ASCII letters, digits and single dashes, at most 60
 * characters; `"figure"` when nothing is left. `"−ELBO per epoch (β = 4)"` gives
 * `"elbo-per-epoch-4"`.
 */
export function slugify(text: string): string {
  const slug = text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return slug || "figure";
}

/**
 * Show a Plotly figure wherever the code runs.
 *
 * - **In a notebook** (tslab or Deno): emits one `text/html` output with a `<div>` and a
 *   `Plotly.newPlot` script (see `figureHtml`) plus a `text/plain` one-line
 *   description (Deno shows both; tslab can send only one MIME type and sends the HTML).
 *   The first plot output of the kernel session also carries plotly.js itself (~10 MB,
 *   read from the `plotly.js-dist-min` package), so the notebook and its HTML export work
 *   offline; later outputs reuse `window.Plotly`. Returns undefined, unless `options.file`
 *   is given, in which case the file is written too and its path returned.
 * - **Outside a notebook** (terminal, scripts, tests): writes a standalone HTML page to
 *   `options.file`, default `build/plots/<slug of title or "figure">-<n>.html` (n counts
 *   the plots of this process from 1, so re-running a script overwrites its own earlier
 *   pages), prints `plot: <path>` unless `quiet`, and returns the absolute path.
 *
 * Do not `await` or use the result as a cell's last expression for display: the plot is
 * already shown.
 *
 * @param fig a figure from `lossCurves`, `imageGrid`, `latentScatter`, or any
 *   `{ data, layout }` Plotly figure.
 * @param options file, title, includePlotly, quiet.
 * @returns the absolute path of the HTML file written, or undefined when none was written.
 * @throws TypeError when `fig` is not a figure; Error when plotly.js-dist-min is not installed
 *   or the file cannot be written.
 * @example
 * show(lossCurves(history, { title: "Dense VAE" }));
 * // terminal: prints "plot: /.../build/plots/dense-vae-1.html"
 */
export function show(fig: Figure, options: ShowOptions = {}): string | undefined {
  checkFigure("show", fig);
  return showRendered(
    {
      fragment: (includePlotly) => figureHtml(fig, { includePlotly }),
      page: (title) => standaloneHtml(fig, title),
      description: describeFigure(fig),
      title: figureTitle(fig),
      fileTag: "",
    },
    options,
  );
}

/** @internal A plot as `showRendered` shows it: a notebook output and a standalone page. */
export interface RenderedPlot {
  /** The notebook output's HTML, with plotly.js embedded or not. */
  fragment(includePlotly: boolean): string;
  /** The standalone HTML page (plotly.js inline), with this page title. */
  page(title: string | undefined): string;
  /** One line for the `text/plain` output. */
  description: string;
  /** The plot's own title, for the page and the default file name. */
  title: string | undefined;
  /** Inserted in default file names before the counter, e.g. "-hover". */
  fileTag: string;
}

/**
 * @internal What `show` does for any plot: in a notebook, one HTML output (plotly.js only in
 * the first of the session) and the page too when `options.file` is given; elsewhere, the
 * page under `build/plots/`, written atomically (a crash never leaves half a page).
 */
export function showRendered(plot: RenderedPlot, options: ShowOptions): string | undefined {
  const s = state();
  const title = options.title ?? plot.title;
  const write = (file: string) => {
    const target = path.resolve(file);
    writeFileAtomicallySync(target, plot.page(title));
    return target;
  };
  if (kernel() !== "none") {
    const includePlotly = options.includePlotly ?? !s.plotlyEmbedded;
    void displayBundle({ "text/html": plot.fragment(includePlotly), "text/plain": plot.description });
    if (includePlotly) s.plotlyEmbedded = true;
    return options.file ? write(options.file) : undefined;
  }
  const n = (s.fileCounters[plot.fileTag] ?? 0) + 1;
  s.fileCounters[plot.fileTag] = n;
  const written = write(options.file ?? path.join("build", "plots", `${slugify(title ?? "figure")}${plot.fileTag}-${n}.html`));
  if (!options.quiet) console.log(`plot: ${written}`);
  return written;
}
