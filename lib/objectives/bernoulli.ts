import * as tf from "@tensorflow/tfjs";

/**
 * Log-likelihood of pixels under independent Bernoulli distributions given by logits,
 * summed over pixels: log p(x | z) in nats, one value per example.
 *
 *   log p(x | l) = sum_j [ x_j log sigmoid(l_j) + (1 - x_j) log(1 - sigmoid(l_j)) ]
 *               = sum_j [ x_j l_j - softplus(l_j) ]
 *               = sum_j [ x_j l_j - max(l_j, 0) + log sigmoid(|l_j|) ]
 *
 * The last form never exponentiates a positive number, so it is exact for logits of
 * any size (it is the binary cross-entropy with logits, negated). For grey-level x in
 * [0, 1] it is the cross-entropy that the Keras and PyTorch VAE examples train with; it is
 * a normalized log-likelihood only for binary x.
 *
 * The gradient is written out rather than left to automatic differentiation, because it is
 * short and training spends much of its time here (on the wasm backend it halves the time
 * of this function's forward and backward pass):
 *
 *   d log p / d l_j = x_j - sigmoid(l_j),    d log p / d x_j = l_j
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
  return logLikelihood(x, logits) as tf.Tensor1D;
}

const logLikelihood = tf.customGrad((x, logits, save) => {
  const [xs, ls] = [x as tf.Tensor2D, logits as tf.Tensor2D];
  (save as tf.GradSaveFunc)([xs, ls]);
  const value = tf.tidy(() => xs.mul(ls).sub(tf.relu(ls)).add(tf.log(tf.sigmoid(tf.abs(ls)))).sum(1));
  return {
    value,
    gradFunc: (dy, [savedX, savedLogits]) => {
      const perExample = (dy as tf.Tensor).reshape([-1, 1]);
      return [savedLogits.mul(perExample), savedX.sub(tf.sigmoid(savedLogits)).mul(perExample)];
    },
  };
});
