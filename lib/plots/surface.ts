import { checkLength } from "../runtime/checks";
import { Figure, Trace, roundSig } from "./figure";

/** Options of {@link surfacePlot}. */
export interface SurfaceOptions {
  /** Figure title. */
  title?: string;
  /** Axis titles. */
  xTitle?: string;
  yTitle?: string;
  /** Title of the value axis (and colour bar); default `"nats"`. */
  zTitle?: string;
  /** `"surface"` (default, a rotatable 3-D surface) or `"contour"` (a flat map, lighter). */
  kind?: "surface" | "contour";
  /** Plotly colour scale name; default `"Viridis"`. */
  colorscale?: string;
  /** Points to mark, e.g. a minimum: `{ name, x, y }` (z is read off the grid for surfaces
   *  when omitted; give it to place the marker exactly). */
  points?: { name: string; x: number; y: number; z?: number }[];
  /** Figure height in px; default 520. */
  height?: number;
}

/**
 * A function of two variables on a grid, as a 3-D surface or a contour map: the plot for a
 * loss landscape such as the KL term over (mu, log sigma^2) in notebook 04.
 *
 * Follows Plotly's convention: `z[i][j]` is the value at `(x[j], y[i])`, so `z` has one row
 * per y value and one column per x value.
 *
 * @param x grid coordinates along x, `[nx]`.
 * @param y grid coordinates along y, `[ny]`.
 * @param z values, `[ny][nx]`; non-finite values leave holes.
 * @param options title, axis titles, kind, colour scale, marked points, height.
 * @returns a {@link Figure} for `show()`.
 * @throws Error when `z` does not have `y.length` rows of `x.length` values.
 *
 * @example
 * const mus = [-2, -1, 0, 1, 2], logVars = [-2, 0, 2];
 * const z = logVars.map((lv) => mus.map((m) => 0.5 * (Math.exp(lv) + m * m - 1 - lv)));
 * show(surfacePlot(mus, logVars, z, { xTitle: "mu", yTitle: "log sigma^2", zTitle: "KL (nats)" }));
 */
export function surfacePlot(x: ArrayLike<number>, y: ArrayLike<number>, z: ArrayLike<number>[], options: SurfaceOptions = {}): Figure {
  checkLength("surfacePlot", "z", z, y.length, "one row per y value");
  z.forEach((row, i) => checkLength("surfacePlot", `z[${i}]`, row, x.length, "one value per x value"));
  const kind = options.kind ?? "surface";
  const zTitle = options.zTitle ?? "nats";
  const xs = Array.from(x, (v) => roundSig(v));
  const ys = Array.from(y, (v) => roundSig(v));
  const zs = z.map((row) => Array.from(row, (v) => roundSig(v)));
  const data: Trace[] = [
    {
      type: kind,
      x: xs,
      y: ys,
      z: zs,
      colorscale: options.colorscale ?? "Viridis",
      colorbar: { title: { text: zTitle } },
      name: zTitle,
      ...(kind === "contour" ? { contours: { coloring: "heatmap", showlabels: true } } : { contours: { z: { show: true, usecolormap: true, project: { z: true } } } }),
    },
  ];
  for (const p of options.points ?? []) {
    const pz = p.z ?? lookup(x, y, z, p.x, p.y);
    data.push(
      kind === "contour"
        ? { type: "scatter", mode: "markers+text", x: [p.x], y: [p.y], name: p.name, text: [p.name], textposition: "top center", marker: { color: "#d62728", size: 10 } }
        : { type: "scatter3d", mode: "markers+text", x: [p.x], y: [p.y], z: [roundSig(pz)], name: p.name, text: [p.name], marker: { color: "#d62728", size: 5 } },
    );
  }
  const axes = { xaxis: { title: { text: options.xTitle ?? "x" } }, yaxis: { title: { text: options.yTitle ?? "y" } } };
  return {
    data,
    layout: {
      title: { text: options.title ?? "" },
      height: options.height ?? 520,
      showlegend: false,
      margin: { l: 60, r: 20, t: 50, b: 50 },
      ...(kind === "contour" ? axes : { scene: { ...axes, zaxis: { title: { text: zTitle } }, camera: { eye: { x: 1.6, y: -1.6, z: 0.9 } } } }),
    },
  };
}

/** The grid value nearest to (px, py). */
function lookup(x: ArrayLike<number>, y: ArrayLike<number>, z: ArrayLike<number>[], px: number, py: number): number {
  const nearest = (a: ArrayLike<number>, v: number) => {
    let best = 0;
    for (let i = 1; i < a.length; i++) if (Math.abs(a[i] - v) < Math.abs(a[best] - v)) best = i;
    return best;
  };
  return z[nearest(y, py)][nearest(x, px)];
}
