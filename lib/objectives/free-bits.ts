import * as tf from "@tensorflow/tfjs";
import { klStandardNormalPerDimension } from "./kl";
import { checkFinite } from "../runtime/checks";

/**
 * The KL term with free bits (Kingma et al. 2016, "Improved Variational Inference with
 * Inverse Autoregressive Flow", Appendix C.8): the KL of each latent dimension, averaged
 * over the minibatch, is not allowed to fall below `lambda` nats,
 *
 *   KL_free = sum_j max(lambda, mean_x KL(q(z_j | x) || p(z_j))).
 *
 * A dimension whose batch-mean KL is below `lambda` contributes the constant `lambda`, so
 * its gradient is zero and the objective no longer pushes it onto the prior; this keeps
 * units from collapsing early in training. With `lambda = 0` it is the ordinary KL term
 * averaged over the batch.
 *
 * @param mu posterior means, `[batch, latentDim]`; a tensor or nested arrays.
 * @param logVar posterior log-variances, `[batch, latentDim]`.
 * @param lambda free nats per dimension, finite and >= 0.
 * @returns a scalar: the clamped KL term per image, nats (batch mean); the caller disposes it.
 * @throws Error when `lambda` is negative or not finite, or as klStandardNormalPerDimension.
 *
 * @example
 * freeBitsKl([[1, 0], [1, 0]], [[0, 0], [0, 0]], 0.25).arraySync() // 0.75 = 0.5 + max(0.25, 0)
 */
export function freeBitsKl(mu: tf.Tensor2D | number[][], logVar: tf.Tensor2D | number[][], lambda: number): tf.Scalar {
  checkFinite("freeBitsKl", "lambda", lambda, 0);
  return tf.tidy(() => klStandardNormalPerDimension(mu, logVar).mean(0).maximum(lambda).sum() as tf.Scalar);
}
