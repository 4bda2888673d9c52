import { argumentError, checkInteger, checkLength, describe } from "../runtime/checks";
import { CATEGORY10, Figure, Trace, roundSig } from "./figure";

/** Options of {@link latentScatter}. */
export interface LatentScatterOptions {
  /** Figure title; default `"Latent space"`. */
  title?: string;
  /** x-axis title; default `"z₁"`. */
  xTitle?: string;
  /** y-axis title; default `"z₂"`. */
  yTitle?: string;
  /** Same scale on both axes (a unit circle looks round); default true. */
  equalAspect?: boolean;
  /** Marker diameter in px; default 4. */
  markerSize?: number;
  /** Marker opacity; default 0.7. */
  opacity?: number;
  /**
   * Trace type: `"scattergl"` (WebGL, fast for thousands of points) or `"scatter"` (SVG).
   * Default: `"scattergl"` above 1000 points, else `"scatter"`. Browsers limit the number of
   * WebGL contexts per page (about 16), so prefer `"scatter"` for many small plots.
   */
  traceType?: "scatter" | "scattergl";
  /** Legend title; default `"digit"`. */
  legendTitle?: string;
  /** Figure height in px; default 520. */
  height?: number;
  /**
   * Attach each point's row index i (0 ... n-1, its position in `points` and `labels`) to
   * its marker as Plotly `customdata`, so that code reacting to hover events can find the
   * point's own data, e.g. its image (see `showWithHoverImages`); default false.
   */
  pointIndices?: boolean;
  /**
   * Draw the circle |z| = r around the origin that holds this fraction of the mass of the 2-D
   * prior N(0, I), as a dashed black line with its own legend entry, e.g. 0.95 for the 95%
   * circle. For a 2-D standard normal |z|² is χ² with 2 degrees of freedom, so
   * P(|z| ≤ r) = 1 − exp(−r²/2) and r = √(−2 ln(1 − mass)) (2.448 for 0.95). Default: no circle.
   */
  priorMass?: number;
}

/**
 * The radius r of the circle around the origin that holds the fraction `mass` of the 2-D
 * standard normal N(0, I): r = √(−2 ln(1 − mass)), because |z|² is χ² with 2 degrees of
 * freedom and P(|z| ≤ r) = 1 − exp(−r²/2).
 *
 * @param mass a number in (0, 1), e.g. 0.95.
 * @returns the radius, e.g. 2.4477 for 0.95 and 1.1774 for 0.5 (the median of |z|).
 * @throws RangeError when `mass` is not a number strictly between 0 and 1.
 * @example
 * priorRadius2d(0.95) // 2.447746830680816
 */
export function priorRadius2d(mass: number): number {
  if (typeof mass !== "number" || !(mass > 0 && mass < 1)) {
    throw argumentError("priorRadius2d", "mass", "a number in (0, 1)", describe(mass), RangeError);
  }
  return Math.sqrt(-2 * Math.log(1 - mass));
}

/**
 * Scatter plot of 2-D latent codes coloured by class: one trace per label value (digit
 * 0-9 for MNIST), in ascending order, each with the digit's fixed colour from
 * {@link CATEGORY10} (label `d` uses `CATEGORY10[d % 10]`, so colours agree across plots even
 * when a digit is missing), legend entries `0` ... `9` under the title "digit".
 * Coordinates are rounded to 6 significant digits; non-finite ones become gaps (null).
 *
 * @param points latent codes of shape `[n, 2]`: a flat `Float32Array` / `number[]` of length
 *   `2n` (`[z1_0, z2_0, z1_1, z2_1, ...]`, e.g. `tensor.dataSync()` of an `[n, 2]` tensor), or
 *   an array of `n` pairs (`tensor.arraySync()`).
 * @param labels class of each point (length n), integers (e.g. MNIST digits 0-9).
 * @param options title, axis titles (default `z₁`, `z₂`), equalAspect (default true),
 *   markerSize (4), opacity (0.7), traceType, legendTitle, height, pointIndices (false),
 *   priorMass (no circle; 0.95 draws the prior's 95% circle as a last trace).
 * @returns a {@link Figure} for `show()`.
 * @throws Error when a flat `points` array has odd length, a pair does not have 2 numbers,
 *   `labels` has a different length than the number of points (names both), or a label is
 *   not an integer; RangeError when `priorMass` is not in (0, 1).
 * @example
 * const z = vae.encodeMean(testImages);            // [n, 2] tensor
 * show(latentScatter(await z.data(), testLabels, { title: "Posterior means, test set" }));
 */
export function latentScatter(
  points: Float32Array | number[][] | number[] | ArrayLike<number>,
  labels: ArrayLike<number>,
  options: LatentScatterOptions = {},
): Figure {
  const fn = "latentScatter";
  if (!points || typeof (points as ArrayLike<unknown>).length !== "number") {
    throw argumentError(fn, "points", "a flat array of length 2n or an array of [x, y] pairs", describe(points), TypeError);
  }
  if (!labels || typeof labels.length !== "number") {
    throw argumentError(fn, "labels", "an array of n integers", describe(labels), TypeError);
  }
  const nested = (points as ArrayLike<unknown>).length > 0 && typeof (points as ArrayLike<unknown>)[0] === "object";
  let n: number;
  let coord: (i: number, d: 0 | 1) => number;
  if (nested) {
    const pairs = points as ArrayLike<ArrayLike<number>>;
    n = pairs.length;
    for (let i = 0; i < n; i++) checkLength(fn, `points[${i}]`, pairs[i], 2, "an [x, y] pair of points [n, 2]");
    coord = (i, d) => pairs[i][d];
  } else {
    const flat = points as ArrayLike<number>;
    if (flat.length % 2 !== 0) {
      throw argumentError(fn, "points", "a flat array of even length 2n (shape [n, 2]) or an array of pairs", `odd length ${flat.length}`);
    }
    n = flat.length / 2;
    coord = (i, d) => flat[2 * i + d];
  }
  checkLength(fn, "labels", labels, n, "one per point");

  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const label = checkInteger(fn, `labels[${i}]`, Number(labels[i]));
    let group = groups.get(label);
    if (!group) groups.set(label, (group = []));
    group.push(i);
  }

  const traceType = options.traceType ?? (n > 1000 ? "scattergl" : "scatter");
  const xTitle = options.xTitle ?? "z₁";
  const yTitle = options.yTitle ?? "z₂";
  const data: Trace[] = Array.from(groups.keys())
    .sort((a, b) => a - b)
    .map((label) => {
      const idx = groups.get(label) as number[];
      return {
        type: traceType,
        mode: "markers",
        name: String(label),
        x: idx.map((i) => roundSig(coord(i, 0))),
        y: idx.map((i) => roundSig(coord(i, 1))),
        marker: {
          color: CATEGORY10[((label % 10) + 10) % 10],
          size: options.markerSize ?? 4,
          opacity: options.opacity ?? 0.7,
        },
        hovertemplate:
          `digit ${label}<br>${xTitle} = %{x:.3f}<br>${yTitle} = %{y:.3f}<extra></extra>`,
        ...(options.pointIndices ? { customdata: idx.slice() } : {}),
      };
    });

  if (options.priorMass !== undefined) {
    const r = priorRadius2d(options.priorMass);
    const angles = Array.from({ length: 121 }, (_, k) => (2 * Math.PI * k) / 120);
    const percent = `${+(100 * options.priorMass).toFixed(1)}%`;
    data.push({
      type: "scatter",
      mode: "lines",
      name: `prior's ${percent} circle`,
      x: angles.map((a) => roundSig(r * Math.cos(a))),
      y: angles.map((a) => roundSig(r * Math.sin(a))),
      line: { color: "black", dash: "dash", width: 1.5 },
      hovertemplate: `|z| = ${r.toFixed(3)}: ${percent} of N(0, I) lies inside<extra></extra>`,
    });
  }

  const equal = options.equalAspect ?? true;
  return {
    data,
    layout: {
      title: { text: options.title ?? "Latent space" },
      height: options.height ?? 520,
      xaxis: { title: { text: xTitle }, zeroline: true, zerolinecolor: "#cccccc" },
      yaxis: {
        title: { text: yTitle },
        zeroline: true,
        zerolinecolor: "#cccccc",
        ...(equal ? { scaleanchor: "x", scaleratio: 1 } : {}),
      },
      legend: { title: { text: options.legendTitle ?? "digit" }, itemsizing: "constant" },
      hovermode: "closest",
      margin: { l: 60, r: 20, t: 50, b: 50 },
    },
  };
}
