import * as tf from "@tensorflow/tfjs";
import { EncodeBatchesOptions, forEachPosteriorBatch, GaussianEncoder } from "./posterior-batches";

/**
 * The KL term of a diagonal Gaussian posterior split by latent dimension, in nats:
 *
 *   KL_i = 1/2 ( sigma_i^2 + mu_i^2 - 1 - log sigma_i^2 ),
 *
 * the i-th summand of `klStandardNormal` (Kingma & Welling, ICLR 2014, Appendix B). Because
 * q(z | x) and p(z) = N(0, I) are both products over dimensions, the KL divergence is the
 * sum of these one-dimensional KL divergences, so `sum(1)` of the result equals
 * `klStandardNormal(mu, logVar)`. KL_i >= 0, and KL_i = 0 exactly when mu_i = 0 and
 * sigma_i = 1: the dimension then tells nothing about x.
 *
 * @param mu posterior means, `[batch, latentDim]`.
 * @param logVar posterior log-variances log sigma^2, `[batch, latentDim]`.
 * @returns `[batch, latentDim]` KL per example and dimension, nats.
 * @throws Error when `mu` and `logVar` differ in shape or are not rank 2.
 *
 * @example
 * klStandardNormalPerDimension(tf.tensor2d([[1, 0]]), tf.tensor2d([[0, Math.log(4)]])).arraySync()
 * // [[0.5, 0.8069]]  (0.8069 = (4 - 1 - log 4) / 2)
 */
export function klStandardNormalPerDimension(mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor2D {
  const fn = "klStandardNormalPerDimension";
  if (mu.rank !== 2) throw new Error(`Error in ${fn}: mu must be rank 2 ([batch, latentDim]), but got rank ${mu.rank}.`);
  if (!tf.util.arraysEqual(mu.shape, logVar.shape)) {
    throw new Error(`Error in ${fn}: mu and logVar must have the same shape, but got mu [${mu.shape}] and logVar [${logVar.shape}].`);
  }
  return tf.tidy(() => tf.exp(logVar).add(mu.square()).sub(1).sub(logVar).mul(0.5) as tf.Tensor2D);
}

/**
 * The average KL term of a model per latent dimension over a data set, in nats per image:
 * (1/n) sum_x KL_i(x), with KL_i from {@link klStandardNormalPerDimension}. The entries add
 * up to the model's mean KL term (the KL part of -ELBO) on `x`. A dimension whose average
 * KL is near 0 has q(z_i | x) = p(z_i) for every x: it carries no information about the
 * image (it has "collapsed" to the prior).
 *
 * Sums are kept in float64 across batches.
 *
 * @param model a VAE, or any {@link GaussianEncoder}.
 * @param x images, `[n, inputDim]`, e.g. `test.tensors().x`.
 * @param options `batchSize` (default 1000).
 * @returns `latentDim` numbers, nats per image, in dimension order.
 * @throws Error when `x` is not a non-empty rank-2 tensor, `batchSize` is not a positive
 *   integer, or the encoder's outputs are not `[batch, latentDim]`.
 *
 * @example
 * const kl = klPerDimension(vae20, test.tensors().x); // 20 numbers, nats per image
 * kl.reduce((a, b) => a + b, 0); // = the mean KL term on the test set
 */
export function klPerDimension(model: GaussianEncoder, x: tf.Tensor2D, options: EncodeBatchesOptions = {}): number[] {
  let sums: Float64Array | undefined;
  forEachPosteriorBatch("klPerDimension", model, x, options, (mu, logVar) => {
    const batchSums = klStandardNormalPerDimension(mu, logVar).sum(0).dataSync();
    if (!sums) sums = new Float64Array(batchSums.length);
    for (let i = 0; i < batchSums.length; i++) sums[i] += batchSums[i];
  });
  const n = x.shape[0];
  return Array.from(sums as Float64Array, (s) => s / n);
}
