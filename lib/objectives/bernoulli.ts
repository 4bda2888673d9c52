import * as tf from "@tensorflow/tfjs";
import { checkRank, checkSameShape, toTensor } from "../runtime/checks";

/**
 * Log-likelihood of pixels under independent Bernoulli distributions given by logits,
 * summed over pixels: log p(x | z) in nats, one value per example.
 *
 *   log p(x | l) = sum_j [ x_j log sigmoid(l_j) + (1 - x_j) log(1 - sigmoid(l_j)) ]
 *               = sum_j [ x_j l_j - softplus(l_j) ]
 *               = sum_j [ x_j l_j - max(l_j, 0) - log(1 + exp(-|l_j|)) ]
 *
 * The last form never exponentiates a positive number, so it is exact for logits of any
 * size (it is the binary cross-entropy with logits, negated, as in
 * `tf.losses.sigmoidCrossEntropy`). For grey-level x in [0, 1] it is the cross-entropy that
 * the Keras and PyTorch VAE examples train with; it is a normalized log-likelihood only for
 * binary x. Gradients come from automatic differentiation; the training step's fast path
 * (`lib/fast/bernoulli-columns.ts`) computes the same values with a written-out gradient.
 *
 * @param x targets, `[batch, pixels]`, values in [0, 1]; a tensor or nested arrays.
 * @param logits decoder outputs before the sigmoid, `[batch, pixels]`; a tensor or arrays.
 * @returns `[batch]` log-likelihoods in nats (each <= 0 for binary x).
 * @throws Error when `x` is not rank 2 or the shapes of `x` and `logits` differ.
 *
 * @example
 * bernoulliLogLikelihood([[1, 0]], [[0, 0]]) // [-1.3863] = 2 log(1/2)
 */
export function bernoulliLogLikelihood(x: tf.Tensor2D | number[][], logits: tf.Tensor2D | number[][]): tf.Tensor1D {
  const fn = "bernoulliLogLikelihood";
  return tf.tidy(() => {
    const [xt, lt] = [toTensor(fn, "x", x), toTensor(fn, "logits", logits)];
    checkRank(fn, "x", xt, 2, "[batch, pixels]");
    checkSameShape(fn, "x", xt, "logits", lt);
    const perPixel = xt.mul(lt).sub(tf.relu(lt)).sub(tf.log1p(tf.exp(tf.abs(lt).neg())));
    return perPixel.sum(1) as tf.Tensor1D;
  });
}
