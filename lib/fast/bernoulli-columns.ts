import * as tf from "@tensorflow/tfjs";
import { checkSameShape } from "../runtime/checks";
import { sumOfLogSigmoidAbs } from "./log-sigmoid-sum";

/**
 * `bernoulliLogLikelihood` in feature-major layout, one column per example, as the fast
 * training step computes it (see `denseChainT`): the same values and gradients, without
 * transposing the images or the logits, and cheaper on the wasm backend.
 *
 *   log p(x | l) = sum_j [ x_j l_j - max(l_j, 0) + log sigmoid(|l_j|) ]
 *
 * Two speed tricks, both exact:
 * - The gradient is written out: d log p / d l_j = x_j - sigmoid(l_j), d log p / d x_j = l_j.
 * - The loss uses `sigmoid` rather than `exp` and `log1p`, with one logarithm per 16 pixels
 *   (`sumOfLogSigmoidAbs`).
 *
 * @param xT targets, `[pixels, batch]`, values in [0, 1].
 * @param logitsT decoder outputs before the sigmoid, `[pixels, batch]`.
 * @returns `[batch]` log-likelihoods in nats.
 * @throws Error when the shapes of `xT` and `logitsT` differ.
 */
export function bernoulliLogLikelihoodT(xT: tf.Tensor2D, logitsT: tf.Tensor2D): tf.Tensor1D {
  checkSameShape("bernoulliLogLikelihoodT", "xT", xT, "logitsT", logitsT);
  return withGradient(xT, logitsT) as tf.Tensor1D;
}

const withGradient = tf.customGrad((xIn, logitsIn, save) => {
  const [x, logits] = [xIn as tf.Tensor2D, logitsIn as tf.Tensor2D];
  (save as tf.GradSaveFunc)([x, logits]);
  const value = tf.tidy(() => x.mul(logits).sub(tf.relu(logits)).transpose().sum(1).add(sumOfLogSigmoidAbs(logits, 0)));
  return {
    value,
    gradFunc: (dy, [savedX, savedLogits]) => {
      const weights = (dy as tf.Tensor).reshape([1, -1]);
      return [savedLogits.mul(weights), savedX.sub(tf.sigmoid(savedLogits)).mul(weights)];
    },
  };
});
