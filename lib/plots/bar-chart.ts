import { checkFinite, checkLength, checkNonEmpty } from "../runtime/checks";
import { CATEGORY10, Figure, Trace, roundSig } from "./figure";

/** A horizontal reference line of a {@link barChart}, e.g. a threshold. */
export interface BarChartLine {
  /** Height of the line, in the units of the y axis. */
  y: number;
  /** Text written at the right end of the line. */
  label?: string;
  /** CSS colour; default `"#d62728"` (red). */
  color?: string;
}

/** Options of {@link barChart}. */
export interface BarChartOptions {
  /** One label per bar, drawn under it; default `"1"`, `"2"`, ... */
  labels?: ArrayLike<string | number>;
  /** Figure title. */
  title?: string;
  /** x-axis title. */
  xTitle?: string;
  /** y-axis title; default `"nats"`. */
  yTitle?: string;
  /** Unit shown in hover labels after the value; default `"nats"` (empty string: none). */
  unit?: string;
  /** One CSS colour for all bars, or one per bar; default the kit's first colour (blue). */
  colors?: string | ArrayLike<string>;
  /** Hover text per bar, added on a second line (e.g. `"active"` / `"inactive"`). */
  hoverText?: ArrayLike<string>;
  /** Logarithmic y axis (default false); bars with values <= 0 are then not drawn. */
  logY?: boolean;
  /** Horizontal reference lines, e.g. `[{ y: 0.01, label: "threshold 0.01" }]`. */
  lines?: BarChartLine[];
  /** Figure height in px; default 380. */
  height?: number;
}

/**
 * A bar chart of one value per item, e.g. the KL term per latent dimension or the variance
 * of each posterior mean (notebook 05). Values are rounded to 6 significant digits;
 * non-finite values leave the bar out. With `logY`, the y range spans the positive bars and
 * the `lines` with some room on both sides (log10 units, as Plotly expects).
 *
 * @param values the bar heights, one per bar (n >= 1).
 * @param options labels, title, axis titles, unit, colors, hoverText, logY, lines, height.
 * @returns a {@link Figure} for `show()`.
 * @throws Error when `values` is empty, or `labels`, `colors` (as an array) or `hoverText`
 *   do not have one entry per value (names the option, n and its length), or a line's `y`
 *   is not finite.
 *
 * @example
 * show(barChart([1.9, 0.02, 2.4], { xTitle: "latent dimension", title: "KL per dimension" }));
 */
export function barChart(values: ArrayLike<number>, options: BarChartOptions = {}): Figure {
  const fn = "barChart";
  const n = checkNonEmpty(fn, "values", values);
  const perBar = (name: string, array: ArrayLike<unknown> | undefined): void => {
    if (array !== undefined) checkLength(fn, `options.${name}`, array, n, "one per value");
  };
  perBar("labels", options.labels);
  if (typeof options.colors !== "string") perBar("colors", options.colors);
  perBar("hoverText", options.hoverText);
  const labels = options.labels ? Array.from(options.labels, String) : Array.from({ length: n }, (_, i) => String(i + 1));
  const unit = options.unit ?? "nats";
  const colors = options.colors === undefined ? CATEGORY10[0] : typeof options.colors === "string" ? options.colors : Array.from(options.colors);
  const y = Array.from(values, (v) => roundSig(v));
  const bars: Trace = {
    type: "bar",
    x: labels,
    y,
    marker: { color: colors },
    hovertemplate: `%{x}: %{y:.4g}${unit ? ` ${unit}` : ""}${options.hoverText ? "<br>%{text}" : ""}<extra></extra>`,
    showlegend: false,
  };
  if (options.hoverText) {
    bars.text = Array.from(options.hoverText, String);
    bars.textposition = "none";
  }
  const shapes: Record<string, unknown>[] = [];
  const annotations: Record<string, unknown>[] = [];
  for (const [i, line] of (options.lines ?? []).entries()) {
    checkFinite(fn, `options.lines[${i}].y`, line?.y);
    const color = line.color ?? "#d62728";
    shapes.push({ type: "line", xref: "paper", x0: 0, x1: 1, yref: "y", y0: line.y, y1: line.y, line: { color, width: 2, dash: "dash" } });
    if (line.label) {
      // In the right margin, beside the line's end, so that it never sits on a bar.
      annotations.push({ text: line.label, xref: "paper", x: 1, xanchor: "left", xshift: 4, yref: "y", y: options.logY ? Math.log10(line.y) : line.y, yanchor: "middle", showarrow: false, font: { color, size: 12 } });
    }
  }
  // On a log axis Plotly's autorange puts a threshold line at the very edge when it lies
  // below every bar; set the range so that the bars and every line have some room.
  let yRange: number[] | undefined;
  if (options.logY) {
    const positive = [...y, ...(options.lines ?? []).map((line) => line.y)].filter((v): v is number => v !== null && v > 0);
    if (positive.length > 0) {
      const lo = Math.log10(Math.min(...positive));
      const hi = Math.log10(Math.max(...positive));
      const pad = Math.max(0.15 * (hi - lo), 0.3);
      yRange = [lo - pad, hi + pad];
    }
  }
  return {
    data: [bars],
    layout: {
      title: { text: options.title ?? "" },
      height: options.height ?? 380,
      xaxis: { title: { text: options.xTitle ?? "" }, type: "category", tickmode: "linear" },
      yaxis: {
        title: { text: options.yTitle ?? "nats" },
        type: options.logY ? "log" : "linear",
        zeroline: true,
        ...(yRange ? { range: yRange } : {}),
        // One labelled tick per power of 10 (0.01, 0.1, 1), without the 2 and 5 between them.
        ...(options.logY ? { dtick: 1 } : {}),
      },
      shapes,
      annotations,
      bargap: 0.2,
      hovermode: "closest",
      margin: { l: 70, r: Math.max(20, ...(options.lines ?? []).map((line) => 12 + 7 * (line.label ?? "").length)), t: 50, b: 60 },
    },
  };
}
