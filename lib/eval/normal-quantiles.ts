import stdlibNormalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import { argumentError, checkFinite, checkPositive, checkPositiveInteger, describe } from "../runtime/checks";

/**
 * The quantile function (inverse CDF) of a normal distribution N(mean, std^2):
 * the z with P(Z <= z) = p. For the standard normal it is written Phi^-1(p).
 *
 * Computed by the stdlib-js package `@stdlib/stats-base-dists-normal-quantile`
 * (Phi^-1(p) = -sqrt(2) erfcinv(2p), accurate to double precision), not by the kit.
 *
 * @param p a probability in [0, 1]; 0 gives -Infinity and 1 gives +Infinity.
 * @param mean mean of the distribution; default 0.
 * @param std standard deviation, > 0; default 1.
 * @returns the quantile, in the units of the distribution.
 * @throws RangeError when `p` is not in [0, 1] or `std` is not a positive finite number
 *   (names the argument and its value).
 *
 * @example
 * normalQuantile(0.975) // 1.959963984540054
 * normalQuantile(0.5, 4, 2) // 4
 */
export function normalQuantile(p: number, mean = 0, std = 1): number {
  const fn = "normalQuantile";
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) throw argumentError(fn, "p", "a probability in [0, 1]", describe(p), RangeError);
  checkFinite(fn, "mean", mean, undefined, RangeError);
  checkPositive(fn, "std", checkFinite(fn, "std", std, undefined, RangeError), RangeError);
  return stdlibNormalQuantile(p, mean, std);
}

/** Options of {@link normalQuantileGrid}. */
export interface NormalQuantileGridOptions {
  /**
   * Smallest probability: with `high`, the probabilities are evenly spaced from `low` to
   * `high` (both included), as in the manifold figures of Kingma & Welling (2014, Fig. 4).
   * Default: not set, and the grid uses the midpoints (k + 1/2) / n instead.
   */
  low?: number;
  /** Largest probability; give it together with `low`. */
  high?: number;
}

/** The result of {@link normalQuantileGrid}: probabilities and their standard normal quantiles. */
export interface NormalQuantileGrid {
  /** The probabilities p_k, ascending, each in (0, 1). */
  p: number[];
  /** z_k = Phi^-1(p_k), ascending, in standard deviations of the prior N(0, 1). */
  z: number[];
}

/**
 * `n` points of one latent axis placed at equal steps of *probability* under the prior
 * N(0, 1), rather than at equal steps of z: z_k = Phi^-1(p_k). Decoding a grid of such
 * points shows the latent space as the prior sees it: every cell of the grid holds the
 * same prior mass, so the points crowd near 0, where the prior puts most of its mass, and
 * spread out in the tails. This is how Kingma & Welling ("Auto-Encoding Variational
 * Bayes", ICLR 2014, Figure 4) drew the learned MNIST manifold: "linearly spaced
 * coordinates on the unit square were transformed through the inverse CDF of the Gaussian".
 *
 * Default probabilities: the midpoints p_k = (k + 1/2) / n, k = 0 ... n-1, the centres of
 * n bins of equal mass 1/n; with `low` and `high`: evenly spaced from low to high. The grid
 * is symmetric about 0 whenever the probabilities are (z_k = -z_{n-1-k}), as with the
 * default, and n = 1 gives the single point z = 0 (p = 1/2).
 *
 * @param n number of points, an integer >= 1.
 * @param options `low` and `high` (both or neither), probabilities with 0 < low < high < 1.
 * @returns `{ p, z }`, each of length n, ascending.
 * @throws RangeError when `n` is not a positive integer, or `low` / `high` are not
 *   0 < low < high < 1 (or only one is given).
 *
 * @example
 * normalQuantileGrid(4).z // [-1.1503, -0.3186, 0.3186, 1.1503] (p = 0.125, 0.375, 0.625, 0.875)
 * normalQuantileGrid(3, { low: 0.025, high: 0.975 }).z // [-1.95996, 0, 1.95996]
 */
export function normalQuantileGrid(n: number, options: NormalQuantileGridOptions = {}): NormalQuantileGrid {
  const fn = "normalQuantileGrid";
  checkPositiveInteger(fn, "n", n, RangeError);
  const { low, high } = options;
  let p: number[];
  if (low === undefined && high === undefined) {
    p = Array.from({ length: n }, (_, k) => (k + 0.5) / n);
  } else {
    const given = `low ${String(low)} and high ${String(high)}`;
    if (low === undefined || high === undefined) throw argumentError(fn, "options.low and options.high", "given together", given, RangeError);
    if (!(low > 0 && low < high && high < 1)) throw argumentError(fn, "options.low and options.high", "0 < low < high < 1", given, RangeError);
    p = n === 1 ? [(low + high) / 2] : Array.from({ length: n }, (_, k) => low + ((high - low) * k) / (n - 1));
  }
  const z = p.map((pk) => stdlibNormalQuantile(pk, 0, 1));
  if (low === undefined) {
    // The midpoints are symmetric, p_{n-1-k} = 1 - p_k: mirror the lower half so that the
    // grid is exactly symmetric (rounding of 1 - p_k could otherwise differ in the last bit).
    for (let k = 0; k < Math.floor(n / 2); k++) z[n - 1 - k] = -z[k];
    if (n % 2 === 1) z[(n - 1) / 2] = 0;
  }
  return { p, z };
}
