import * as tf from "@tensorflow/tfjs";

/**
 * KL divergence from a diagonal Gaussian posterior q(z | x) = N(mu, diag(exp(logVar)))
 * to the standard normal prior p(z) = N(0, I), in nats, one value per example:
 *
 *   KL(q || p) = 1/2 sum_i ( sigma_i^2 + mu_i^2 - 1 - log sigma_i^2 )
 *
 * Source: Kingma & Welling, "Auto-Encoding Variational Bayes" (ICLR 2014), Appendix B,
 * where -KL appears as 1/2 sum (1 + log sigma^2 - mu^2 - sigma^2). It is >= 0 and is 0
 * exactly when mu = 0 and logVar = 0. Derived step by step in notebook 04.
 *
 * @param mu posterior means, `[batch, latentDim]`.
 * @param logVar posterior log-variances log sigma^2, `[batch, latentDim]`.
 * @returns `[batch]` KL divergences in nats.
 * @throws Error when the shapes of `mu` and `logVar` differ.
 *
 * @example
 * klStandardNormal(tf.tensor2d([[1, 0]]), tf.tensor2d([[0, 0]])) // [0.5]
 */
export function klStandardNormal(mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor1D {
  if (!tf.util.arraysEqual(mu.shape, logVar.shape)) {
    throw new Error(
      `Error in klStandardNormal: mu and logVar must have the same shape, ` +
        `but got mu [${mu.shape}] and logVar [${logVar.shape}].`,
    );
  }
  return tf.tidy(() => tf.exp(logVar).add(mu.square()).sub(1).sub(logVar).sum(1).mul(0.5) as tf.Tensor1D);
}
