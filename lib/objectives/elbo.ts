import * as tf from "@tensorflow/tfjs";
import { bernoulliLogLikelihood } from "./bernoulli";
import { klStandardNormal } from "./kl";
import { toTensor } from "../runtime/checks";

/** The terms of the negative ELBO for a batch, each `[batch]`, in nats. */
export interface NegElboTerms {
  /** Reconstruction term as a loss: -log p(x | z) for one sample z ~ q(z | x). */
  reconstruction: tf.Tensor1D;
  /** KL term: KL(q(z | x) || p(z)). */
  kl: tf.Tensor1D;
  /** -ELBO = reconstruction + kl: an upper bound on -log p(x). */
  negElbo: tf.Tensor1D;
}

/**
 * The negative evidence lower bound of a Bernoulli-decoder VAE with a standard normal
 * prior, per example, split into its two terms:
 *
 *   -ELBO(x) = -E_q(z|x)[log p(x | z)] + KL(q(z | x) || p(z))
 *
 * with the expectation estimated by the one sample z behind `logits` (Kingma & Welling
 * 2014, eq. 10, the SGVB estimator with L = 1 and an analytic KL term).
 *
 * @param x inputs, `[batch, pixels]` in [0, 1]; each argument a tensor or nested arrays.
 * @param logits decoder logits for z ~ q(z | x), `[batch, pixels]`.
 * @param mu posterior means, `[batch, latentDim]`.
 * @param logVar posterior log-variances, `[batch, latentDim]`.
 * @returns the three terms, each `[batch]` in nats; the caller disposes them.
 * @throws Error when an argument is neither a tensor nor numeric arrays, or shapes disagree
 *   (see bernoulliLogLikelihood and klStandardNormal).
 *
 * @example
 * negElboTerms([[1, 0]], [[0, 0]], [[1]], [[0]]).negElbo // [1.8863] = 2 log 2 + 0.5
 */
export function negElboTerms(
  x: tf.Tensor2D | number[][],
  logits: tf.Tensor2D | number[][],
  mu: tf.Tensor2D | number[][],
  logVar: tf.Tensor2D | number[][],
): NegElboTerms {
  const fn = "negElboTerms";
  return tf.tidy(() => {
    const reconstruction = bernoulliLogLikelihood(toTensor(fn, "x", x), toTensor(fn, "logits", logits)).neg() as tf.Tensor1D;
    const kl = klStandardNormal(toTensor(fn, "mu", mu), toTensor(fn, "logVar", logVar));
    return { reconstruction, kl, negElbo: reconstruction.add(kl) as tf.Tensor1D };
  });
}
