import * as tf from "@tensorflow/tfjs";
import { bernoulliLogLikelihood } from "./bernoulli";
import { klStandardNormal } from "./kl";

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
 * @param x inputs, `[batch, pixels]` in [0, 1].
 * @param logits decoder logits for z ~ q(z | x), `[batch, pixels]`.
 * @param mu posterior means, `[batch, latentDim]`.
 * @param logVar posterior log-variances, `[batch, latentDim]`.
 * @returns the three terms, each `[batch]` in nats; the caller disposes them.
 * @throws Error when shapes disagree (see bernoulliLogLikelihood and klStandardNormal).
 */
export function negElboTerms(
  x: tf.Tensor2D,
  logits: tf.Tensor2D,
  mu: tf.Tensor2D,
  logVar: tf.Tensor2D,
): NegElboTerms {
  return tf.tidy(() => {
    const reconstruction = bernoulliLogLikelihood(x, logits).neg() as tf.Tensor1D;
    const kl = klStandardNormal(mu, logVar);
    return { reconstruction, kl, negElbo: reconstruction.add(kl) as tf.Tensor1D };
  });
}
