import * as tf from "@tensorflow/tfjs";
import { klStandardNormalPerDimension } from "../objectives/kl";
import { EncodeBatchesOptions, forEachPosteriorBatch, GaussianEncoder } from "./posterior-batches";

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
