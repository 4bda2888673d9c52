import { argumentError, describe } from "../runtime/checks";

/**
 * A Plotly figure as plain JSON-able data: `data` is the list of traces, `layout` the layout,
 * exactly the two arguments of `Plotly.newPlot(div, data, layout)`. No Plotly typings are
 * needed; see https://plotly.com/javascript/reference/ for the attributes.
 */
export interface Figure {
  /** Traces, e.g. `{ type: "scatter", x: [...], y: [...], name: "train" }`. */
  data: Trace[];
  /** Layout, e.g. `{ title: { text: "..." }, xaxis: { title: { text: "epoch" } } }`. */
  layout: Layout;
}

/** One Plotly trace (a plain object with at least a `type`). */
export type Trace = Record<string, unknown>;

/** A Plotly layout object. */
export type Layout = Record<string, unknown>;

/**
 * Ten qualitative colours (D3's Category10, also Plotly's "D3" sequence), one per MNIST digit:
 * `CATEGORY10[d]` is the colour of digit `d` in every plot of the kit.
 */
export const CATEGORY10: readonly string[] = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
];

/**
 * The title text of a figure: `layout.title` when it is a string, or `layout.title.text`.
 * Returns undefined when the figure has no title.
 */
export function figureTitle(fig: Figure): string | undefined {
  const title = fig.layout ? fig.layout.title : undefined;
  if (typeof title === "string") return title;
  if (title && typeof title === "object") {
    const text = (title as { text?: unknown }).text;
    if (typeof text === "string") return text;
  }
  return undefined;
}

/**
 * A one-line plain-text description of a figure, used as the `text/plain` part of its
 * notebook output, e.g. `Plotly figure "Loss curves": 4 traces (scatter x4)`.
 */
export function describeFigure(fig: Figure): string {
  const title = figureTitle(fig);
  const counts = new Map<string, number>();
  for (const trace of fig.data) {
    const type = typeof trace.type === "string" ? trace.type : "scatter";
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  const types = Array.from(counts, ([type, n]) => `${type} x${n}`).join(", ");
  const n = fig.data.length;
  return (
    `Plotly figure${title ? ` "${title}"` : ""}: ${n} trace${n === 1 ? "" : "s"}` +
    (types ? ` (${types})` : "")
  );
}

/** @internal Throws a TypeError in the kit's form unless `fig` is a figure `{ data: [...], layout }`. */
export function checkFigure(fn: string, fig: Figure): void {
  if (!fig || typeof fig !== "object" || !Array.isArray(fig.data)) {
    throw argumentError(fn, "fig", "a figure { data: object[], layout: object }", describe(fig), TypeError);
  }
}

/**
 * @internal A number rounded to `digits` significant digits, so figures (and the HTML they
 * are embedded in) do not carry float32 noise like 0.12345679104328156. Non-finite values
 * become null, which Plotly draws as a gap.
 */
export function roundSig(value: number, digits = 6): number | null {
  if (!Number.isFinite(value)) return null;
  if (value === 0) return 0;
  return Number(value.toPrecision(digits));
}
