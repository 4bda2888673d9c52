import * as tf from "@tensorflow/tfjs";
import { checkFinite } from "../runtime/checks";
import { RunningMoments } from "./moments";
import { EncodeBatchesOptions, forEachPosteriorBatch, GaussianEncoder } from "./posterior-batches";

/** Default activity threshold of {@link activeUnits}: 0.01 (Burda et al. 2016, section 5.2). */
export const ACTIVE_UNIT_THRESHOLD = 0.01;

/** Options of {@link activeUnits}. */
export interface ActiveUnitsOptions extends EncodeBatchesOptions {
  /** A unit is active when the variance of its posterior mean exceeds this; default 0.01. */
  threshold?: number;
}

/** The result of {@link activeUnits}. */
export interface ActiveUnits {
  /** Per latent dimension i: Var_x( E_q[z_i | x] ) = Var_x( mu_i(x) ), in squared latent units. */
  variances: number[];
  /** Per latent dimension: `variances[i] > threshold`. */
  active: boolean[];
  /** Number of active units. */
  count: number;
  /** The threshold used. */
  threshold: number;
}

/**
 * Active units of a VAE, after Burda, Grosse & Salakhutdinov, "Importance Weighted
 * Autoencoders" (ICLR 2016), section 5.2: latent unit i is **active** when
 *
 *   A_i = Cov_x( E_{z ~ q(z|x)}[ z_i ] ) > 10^-2,
 *
 * that is, when its posterior mean mu_i(x) changes from image to image. An inactive unit
 * gives (nearly) the same mu_i for every x; its posterior then equals the prior in that
 * dimension (its KL term is near 0), and the decoder learns to ignore it.
 *
 * The variance is taken over the images in `x` with divisor n (the population variance;
 * with thousands of images the choice of n or n - 1 does not matter). Means and sums of
 * squared deviations are computed per batch and combined in float64 (`RunningMoments`), so
 * large data sets lose no precision.
 *
 * @param model a VAE, or any {@link GaussianEncoder}.
 * @param x images, `[n, inputDim]`, e.g. `test.tensors().x`.
 * @param options `threshold` (default 0.01), `batchSize` (default 1000).
 * @returns `{ variances, active, count, threshold }`; `variances` and `active` have
 *   `latentDim` entries.
 * @throws RangeError when `threshold` is not a non-negative finite number; Error when `x` is
 *   not a non-empty rank-2 tensor, `batchSize` is not a positive integer, or the encoder's
 *   outputs are not `[batch, latentDim]`.
 *
 * @example
 * const au = activeUnits(vae20, test.tensors().x);
 * au.count; // e.g. 16 of 20 units active
 */
export function activeUnits(model: GaussianEncoder, x: tf.Tensor2D, options: ActiveUnitsOptions = {}): ActiveUnits {
  const threshold = checkFinite("activeUnits", "options.threshold", options.threshold ?? ACTIVE_UNIT_THRESHOLD, 0, RangeError);
  let moments: RunningMoments | undefined;
  forEachPosteriorBatch("activeUnits", model, x, options, (mu, _logVar, size) => {
    const { mean, variance } = tf.moments(mu, 0);
    moments ??= new RunningMoments(mu.shape[1]);
    moments.merge(mean.dataSync(), variance.mul(size).dataSync(), size);
  });
  const variances = Array.from((moments as RunningMoments).variance());
  const active = variances.map((v) => v > threshold);
  return { variances, active, count: active.filter(Boolean).length, threshold };
}
