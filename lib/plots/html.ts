import * as fs from "fs";
import { randomBytes } from "crypto";
import { packageFile } from "../runtime/package-file";
import { Figure, checkFigure, figureTitle } from "./figure";

/** Options of {@link figureHtml}. */
export interface FigureHtmlOptions {
  /**
   * Put plotly.js itself (about 4.7 MB, from the `plotly.js-dist-min` package) in the HTML, so it
   * works offline; default false (the page must already have `window.Plotly`).
   */
  includePlotly?: boolean;
  /** The id of the plot's `<div>`; default a random `vaekit-plot-<hex>`. */
  divId?: string;
  /**
   * Plotly config passed to `newPlot`; default {@link DEFAULT_PLOT_CONFIG}
   * (`{ responsive: true, displayModeBar: "hover" }`).
   */
  config?: Record<string, unknown>;
}

/**
 * The Plotly config of every plot the kit draws: resize with the page, and show Plotly's
 * toolbar (zoom, pan, download as PNG) only while the pointer is over the plot, so that it
 * never covers a title or a row label in a static view (a screenshot, an exported page).
 */
export const DEFAULT_PLOT_CONFIG: Readonly<Record<string, unknown>> = { responsive: true, displayModeBar: "hover" };

let plotlySource: string | undefined;

/**
 * The plotly.js bundle as text, read once per process from the installed `plotly.js-dist-min`
 * package (`node_modules/plotly.js-dist-min/plotly.min.js`), with its few non-ASCII characters
 * written as `\uXXXX` escapes (see {@link asciiJs}).
 * @throws Error from {@link packageFile} when `plotly.js-dist-min` is not installed.
 */
export function plotlyJs(): string {
  if (plotlySource === undefined) {
    plotlySource = asciiJs(fs.readFileSync(packageFile("plotly.js-dist-min", "plotly.min.js"), "utf8"));
  }
  return plotlySource;
}

/**
 * JavaScript source with every non-ASCII UTF-16 code unit replaced by its `\uXXXX` escape.
 * plotly.js has a few such characters, all in string or regular-expression literals and
 * comments, where the escape means the same. Pure ASCII keeps the HTML independent of the
 * page encoding and lets JS engines store the 10 MB text with one byte per character instead
 * of two. (Observed with Deno 2.9.6: showing the 20 MB two-byte concatenated string made
 * the kernel fail the cell with "CDP ... Promise was collected", an execute_reply error
 * without an error output; the ASCII text built with `join()` did not, in 10 of 10 runs.)
 */
export function asciiJs(source: string): string {
  return source.replace(
    /[\u0080-\uffff]/g,
    (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"),
  );
}

/**
 * A `<script>` element that defines `window.Plotly` from the inline plotly.js bundle.
 *
 * Like plotly.py's offline notebook renderer, it must also work on pages that have a
 * RequireJS / AMD loader (the classic Jupyter Notebook does): a UMD bundle that sees
 * `define.amd` registers itself as an AMD module instead of setting `window.Plotly`.
 * So `window.define` is unset while the bundle runs and restored afterwards (also if the
 * bundle throws). The bundle is skipped when `window.Plotly` already exists, e.g. when the
 * same output is rendered twice. `window.PlotlyConfig = {MathJaxConfig: 'local'}` keeps
 * plotly.js from reconfiguring the notebook's MathJax.
 *
 * @param source the plotly.js code; default {@link plotlyJs}().
 */
export function plotlyScript(source: string = plotlyJs()): string {
  // A literal "</script" would end the element early; "<\/script" means the same in JS.
  const safe = source.replace(/<\/(script)/gi, "<\\/$1");
  // join() builds one flat string (no chain of concatenations for the engine to flatten later).
  return [
    '<script type="text/javascript">',
    "window.PlotlyConfig = {MathJaxConfig: 'local'};",
    "if (!window.Plotly) {",
    "var __vaekitSavedDefine = window.define;",
    "window.define = undefined;",
    "try {",
    safe,
    "} finally {",
    "window.define = __vaekitSavedDefine;",
    "}",
    "}",
    "</script>",
    "",
  ].join("\n");
}

/**
 * JSON for embedding inside a `<script>` element: typed arrays become plain arrays, NaN and
 * Infinity become null (as in `JSON.stringify`), `<` is escaped so the text cannot close the
 * element, and every non-ASCII character (including U+2028, U+2029) is written as `\uXXXX`,
 * so the HTML is pure ASCII.
 */
export function scriptJson(value: unknown): string {
  const json = JSON.stringify(value, (_key, v: unknown) =>
    ArrayBuffer.isView(v) && !(v instanceof DataView)
      ? Array.from(v as unknown as ArrayLike<number>)
      : v,
  );
  return (json ?? "null")
    .replace(/</g, "\\u003c")
    .replace(/[\u0080-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

/**
 * Escape text for HTML element content and attribute values; non-ASCII characters become
 * numeric character references, so the result is pure ASCII.
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;")
    .replace(/[\u0080-\uffff]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A fresh random id for a plot `<div>`, e.g. `vaekit-plot-3f9a1c2b7d4e`. */
export function newPlotId(): string {
  return `vaekit-plot-${randomBytes(6).toString("hex")}`;
}

/**
 * HTML fragment that draws `fig`: optionally plotly.js itself (see {@link plotlyScript}),
 * then a `<div id=...>` sized from `layout.width` / `layout.height` (default 100% x 450 px)
 * and a script calling `Plotly.newPlot(id, data, layout, config)` (config default
 * {@link DEFAULT_PLOT_CONFIG}: the toolbar appears only on hover).
 *
 * If `window.Plotly` is not there yet (outputs rendered out of order) the script retries for
 * about 10 s, then writes a short explanation into the div instead of failing silently.
 *
 * @param fig the figure (`{ data, layout }`); typed arrays in it are written as arrays.
 * @param options includePlotly (default false), divId, config.
 * @returns an HTML string for a notebook's `text/html` output or a page body.
 * @throws TypeError when `fig` has no `data` array.
 * @example
 * const html = figureHtml(lossCurves(history), { includePlotly: true });
 */
export function figureHtml(fig: Figure, options: FigureHtmlOptions = {}): string {
  checkFigure("figureHtml", fig);
  const id = options.divId ?? newPlotId();
  const layout = fig.layout ?? {};
  const width = typeof layout.width === "number" ? `${layout.width}px` : "100%";
  const height = typeof layout.height === "number" ? `${layout.height}px` : "450px";
  const config = options.config ?? DEFAULT_PLOT_CONFIG;
  const missing =
    "plotly.js is not loaded on this page. It is embedded in the first plot output of a " +
    "kernel session: re-run that cell, or call resetPlotlyEmbedding() and show the figure again.";
  return [
    options.includePlotly ? plotlyScript() : "",
    `<div id="${escapeHtml(id)}" class="plotly-graph-div vaekit-plot" ` +
      `style="height:${height}; width:${width};"></div>\n`,
    '<script type="text/javascript">\n',
    "(function () {\n",
    `  var id = ${scriptJson(id)};\n`,
    `  var data = ${scriptJson(fig.data)};\n`,
    `  var layout = ${scriptJson(layout)};\n`,
    `  var config = ${scriptJson(config)};\n`,
    "  var tries = 0;\n",
    "  function draw() {\n",
    "    var el = document.getElementById(id);\n",
    "    if (!el) return;\n",
    "    if (window.Plotly && window.Plotly.newPlot) {\n",
    "      window.Plotly.newPlot(id, data, layout, config);\n",
    "    } else if (++tries < 100) {\n",
    "      setTimeout(draw, 100);\n",
    "    } else {\n",
    `      el.textContent = ${scriptJson(missing)};\n`,
    "    }\n",
    "  }\n",
    "  draw();\n",
    "})();\n",
    "</script>\n",
  ].join("");
}

/**
 * A complete, self-contained HTML page showing `fig`, with plotly.js inline so it opens
 * offline in any browser.
 *
 * @param fig the figure.
 * @param title page title; default the figure's title, else "figure".
 */
export function standaloneHtml(fig: Figure, title?: string): string {
  return htmlPage(title ?? figureTitle(fig) ?? "figure", figureHtml(fig, { includePlotly: true }));
}

/**
 * A complete HTML page around `body`: doctype, UTF-8, a viewport for phones, the escaped
 * `title`, and `head` (e.g. a `<style>` element) added to the head.
 */
export function htmlPage(title: string, body: string, head = ""): string {
  return [
    "<!DOCTYPE html>\n",
    '<html lang="en">\n<head>\n<meta charset="utf-8">\n',
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
    `<title>${escapeHtml(title)}</title>\n${head}</head>\n<body>\n`,
    body,
    "</body>\n</html>\n",
  ].join("");
}
