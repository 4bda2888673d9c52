import { argumentError, checkLength, describe } from "../runtime/checks";
import { CATEGORY10, Figure, Trace, roundSig } from "./figure";

/** One line of a {@link lineChart}. */
export interface LineSeries {
  /** Legend name. */
  name: string;
  /** x coordinates. */
  x: ArrayLike<number>;
  /** y coordinates, one per x; non-finite values leave a gap. */
  y: ArrayLike<number>;
  /** Half-widths of symmetric error bars or a band around y (e.g. 2 standard errors), one per x. */
  error?: ArrayLike<number>;
  /** How `error` is drawn: `"bars"` (default) or a shaded `"band"`. */
  errorStyle?: "bars" | "band";
  /** `"lines+markers"` (default), `"lines"` or `"markers"`. */
  mode?: "lines" | "markers" | "lines+markers";
  /** Line dash: `"solid"` (default), `"dash"`, `"dot"`, `"dashdot"`. */
  dash?: "solid" | "dash" | "dot" | "dashdot";
  /** CSS colour; default the next of the kit's ten colours. */
  color?: string;
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  /** Figure title. */
  title?: string;
  /** x-axis title. */
  xTitle?: string;
  /** y-axis title; default `"nats"`. */
  yTitle?: string;
  /** Logarithmic x axis (default false), e.g. for a number of samples k = 1, 10, 100, ... */
  logX?: boolean;
  /** Logarithmic y axis (default false). */
  logY?: boolean;
  /** Figure height in px; default 420. */
  height?: number;
  /** Unit shown in hover labels after the y value; default `"nats"` (empty string: none). */
  unit?: string;
}

/**
 * A line chart of several series, optionally with error bars or shaded error bands: the
 * plot for "a quantity against k" or "an estimate against the number of samples, with its
 * Monte-Carlo error" (notebooks 03 and 04).
 *
 * @param series the lines, each `{ name, x, y, error?, errorStyle?, mode?, dash?, color? }`.
 * @param options title, axis titles, log axes, height, unit.
 * @returns a {@link Figure} for `show()`.
 * @throws Error when a series has no name, or its `y` (or `error`) length differs from `x`.
 *
 * @example
 * show(lineChart([
 *   { name: "IWAE bound", x: [1, 10, 100], y: [-7.1, -6.2, -6.05] },
 *   { name: "log p(x)", x: [1, 100], y: [-6.0, -6.0], mode: "lines", dash: "dash" },
 * ], { xTitle: "k", logX: true }));
 */
export function lineChart(series: LineSeries[], options: LineChartOptions = {}): Figure {
  const fn = "lineChart";
  if (!Array.isArray(series)) throw argumentError(fn, "series", "an array of series { name, x, y }", describe(series), TypeError);
  const unit = options.unit ?? "nats";
  const data: Trace[] = [];
  series.forEach((s, i) => {
    if (!s || typeof s.name !== "string") throw argumentError(fn, `series[${i}].name`, "a string", describe(s?.name));
    const n = s.x.length;
    checkLength(fn, `series[${i}].y`, s.y, n, `one per x value of "${s.name}"`);
    if (s.error) checkLength(fn, `series[${i}].error`, s.error, n, `one per x value of "${s.name}"`);
    const color = s.color ?? CATEGORY10[i % CATEGORY10.length];
    const x = Array.from(s.x, (v) => roundSig(v));
    const y = Array.from(s.y, (v) => roundSig(v));
    const error = s.error ? Array.from(s.error, (v) => roundSig(v)) : undefined;
    if (error && s.errorStyle === "band") {
      const upper = y.map((v, j) => (v === null || error[j] === null ? null : roundSig(v + (error[j] as number))));
      const lower = y.map((v, j) => (v === null || error[j] === null ? null : roundSig(v - (error[j] as number))));
      const band = { type: "scatter", mode: "lines", x, legendgroup: s.name, showlegend: false, hoverinfo: "skip", line: { width: 0, color } };
      data.push({ ...band, name: `${s.name} (upper)`, y: upper });
      data.push({ ...band, name: `${s.name} (lower)`, y: lower, fill: "tonexty", fillcolor: withAlpha(color, 0.2) });
    }
    const trace: Trace = {
      type: "scatter",
      mode: s.mode ?? "lines+markers",
      name: s.name,
      legendgroup: s.name,
      x,
      y,
      line: { color, dash: s.dash ?? "solid", width: 2 },
      marker: { color, size: 6 },
      hovertemplate: `${s.name}<br>%{x}: %{y:.4g}${unit ? ` ${unit}` : ""}<extra></extra>`,
    };
    if (error && s.errorStyle !== "band") trace.error_y = { type: "data", array: error, visible: true, color };
    data.push(trace);
  });
  return {
    data,
    layout: {
      title: { text: options.title ?? "" },
      height: options.height ?? 420,
      // On a log axis, one labelled tick per power of 10 (1, 10, 100), without the 2 and 5 between.
      xaxis: { title: { text: options.xTitle ?? "" }, type: options.logX ? "log" : "linear", ...(options.logX ? { dtick: 1 } : {}), zeroline: false },
      yaxis: { title: { text: options.yTitle ?? "nats" }, type: options.logY ? "log" : "linear", ...(options.logY ? { dtick: 1 } : {}), zeroline: false },
      hovermode: "closest",
      margin: { l: 70, r: 20, t: 50, b: 50 },
    },
  };
}

/** `#rrggbb` plus an alpha as `rgba(r, g, b, a)`; other colour strings are returned unchanged. */
export function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!m) return color;
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => parseInt(h, 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}
