import * as tf from "@tensorflow/tfjs";

/**
 * Log-likelihood of pixels under independent Bernoulli distributions given by logits,
 * summed over pixels: log p(x | z) in nats, one value per example.
 *
 *   log p(x | l) = sum_j [ x_j log sigmoid(l_j) + (1 - x_j) log(1 - sigmoid(l_j)) ]
 *               = sum_j [ x_j l_j - softplus(l_j) ]
 *               = -sum_j [ max(l_j, 0) - x_j l_j + log(1 + exp(-|l_j|)) ]
 *
 * The last form never exponentiates a positive number, so it is exact for logits of
 * any size (it is the binary cross-entropy with logits, negated). For grey-level x in
 * [0, 1] it is the cross-entropy that the Keras and PyTorch VAE examples train with; it is
 * a normalized log-likelihood only for binary x.
 *
 * @param x targets, `[batch, pixels]`, values in [0, 1].
 * @param logits decoder outputs before the sigmoid, `[batch, pixels]`.
 * @returns `[batch]` log-likelihoods in nats (each <= 0 for binary x).
 * @throws Error when the shapes of `x` and `logits` differ.
 *
 * @example
 * bernoulliLogLikelihood(tf.tensor2d([[1, 0]]), tf.tensor2d([[0, 0]])) // [-1.3863] = 2 log(1/2)
 */
export function bernoulliLogLikelihood(x: tf.Tensor2D, logits: tf.Tensor2D): tf.Tensor1D {
  if (!tf.util.arraysEqual(x.shape, logits.shape)) {
    throw new Error(
      `Error in bernoulliLogLikelihood: x and logits must have the same shape, ` +
        `but got x [${x.shape}] and logits [${logits.shape}].`,
    );
  }
  return tf.tidy(() => {
    const perPixel = tf.relu(logits).sub(logits.mul(x)).add(tf.log1p(tf.exp(tf.abs(logits).neg())));
    return perPixel.sum(1).neg() as tf.Tensor1D;
  });
}
