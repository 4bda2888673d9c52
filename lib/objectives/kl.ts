import * as tf from "@tensorflow/tfjs";
import { Rng } from "../runtime/seed";
import { RunningMoments } from "../eval/moments";
import { checkInteger, checkPositiveInteger, checkRank, checkSameShape, toTensor } from "../runtime/checks";
import { gaussianLogDensity, gaussianLogDensityFromNoise, sampleDiagonalGaussian } from "./gaussian";

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
 * Float32: exact for every logVar < 88.72, where exp(logVar) stays finite; Infinity above
 * (the range is derived in `lib/objectives/gaussian.ts`: exp(t) overflows float32 past
 * log(3.4028e38) ~ 88.72, and below -87.34 its underflow is negligible next to -logVar).
 *
 * @param mu posterior means, `[batch, latentDim]`; a tensor or nested arrays.
 * @param logVar posterior log-variances log sigma^2, `[batch, latentDim]`; a tensor or arrays.
 * @returns `[batch]` KL divergences in nats.
 * @throws Error when an argument is neither a tensor nor numeric arrays, or the shapes of
 *   `mu` and `logVar` differ.
 *
 * @example
 * klStandardNormal(tf.tensor2d([[1, 0]]), tf.tensor2d([[0, 0]])) // [0.5]
 * klStandardNormal([[1, 0]], [[0, 0]])                           // [0.5], from plain arrays
 */
export function klStandardNormal(mu: tf.Tensor2D | number[][], logVar: tf.Tensor2D | number[][]): tf.Tensor1D {
  return tf.tidy(() => {
    const [m, lv] = posterior("klStandardNormal", mu, logVar);
    return perDimension(m, lv).sum(1) as tf.Tensor1D;
  });
}

/**
 * The KL term of a diagonal Gaussian posterior split by latent dimension, in nats:
 *
 *   KL_i = 1/2 ( sigma_i^2 + mu_i^2 - 1 - log sigma_i^2 ),
 *
 * the i-th summand of `klStandardNormal` (Kingma & Welling, ICLR 2014, Appendix B). Because
 * q(z | x) and p(z) = N(0, I) are both products over dimensions, the KL divergence is the
 * sum of these one-dimensional KL divergences, so `sum(1)` of the result equals
 * `klStandardNormal(mu, logVar)`. KL_i >= 0, and KL_i = 0 exactly when mu_i = 0 and
 * sigma_i = 1: the dimension then tells nothing about x. Float32: exact for logVar < 88.72,
 * Infinity above, as `klStandardNormal`.
 *
 * @param mu posterior means, `[batch, latentDim]`; a tensor or nested arrays.
 * @param logVar posterior log-variances log sigma^2, `[batch, latentDim]`; a tensor or arrays.
 * @returns `[batch, latentDim]` KL per example and dimension, nats.
 * @throws Error when an argument is neither a tensor nor numeric arrays, or `mu` and
 *   `logVar` differ in shape or are not rank 2.
 *
 * @example
 * klStandardNormalPerDimension(tf.tensor2d([[1, 0]]), tf.tensor2d([[0, Math.log(4)]])).arraySync()
 * // [[0.5, 0.8069]]  (0.8069 = (4 - 1 - log 4) / 2)
 * klStandardNormalPerDimension([[1, 0]], [[0, Math.log(4)]]) // the same, from plain arrays
 */
export function klStandardNormalPerDimension(mu: tf.Tensor2D | number[][], logVar: tf.Tensor2D | number[][]): tf.Tensor2D {
  const fn = "klStandardNormalPerDimension";
  return tf.tidy(() => {
    const [m, lv] = posterior(fn, mu, logVar);
    checkRank(fn, "mu", m, 2, "[batch, latentDim]");
    return perDimension(m, lv);
  });
}

/** mu and logVar as tensors, after checking they have one shape. */
function posterior(fn: string, mu: tf.Tensor2D | number[][], logVar: tf.Tensor2D | number[][]): [tf.Tensor2D, tf.Tensor2D] {
  const [m, lv] = [toTensor(fn, "mu", mu), toTensor(fn, "logVar", logVar)];
  checkSameShape(fn, "mu", m, "logVar", lv);
  return [m, lv];
}

/** 1/2 (sigma^2 + mu^2 - 1 - log sigma^2), element by element. */
function perDimension(mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor2D {
  return tf.exp(logVar).add(mu.square()).sub(1).sub(logVar).mul(0.5) as tf.Tensor2D;
}

/**
 * KL divergence between two diagonal Gaussians, in nats, one value per row:
 * q = N(muQ, diag(exp(logVarQ))) and p = N(muP, diag(exp(logVarP))),
 *
 *   KL(q || p) = 1/2 sum_i [ log sigma_P,i^2 - log sigma_Q,i^2
 *                            + (sigma_Q,i^2 + (mu_Q,i - mu_P,i)^2) / sigma_P,i^2 - 1 ]
 *
 * Source: the KL divergence between multivariate Gaussians (Rasmussen & Williams,
 * "Gaussian Processes for Machine Learning", 2006, Appendix A.5, eq. (A.23)) with diagonal
 * covariances, where it becomes a sum of univariate terms. Derived step by step in
 * notebook 04. With muP = 0 and logVarP = 0 it equals `klStandardNormal`.
 *
 * It is >= 0, 0 exactly when q = p, and not symmetric: KL(q || p) != KL(p || q) in general.
 * Gradients (checked against autodiff in the tests):
 * dKL/dmuQ = (muQ - muP) / sigma_P^2 and dKL/dlogVarQ = 1/2 (sigma_Q^2 / sigma_P^2 - 1).
 *
 * Float32: exact while logVarQ - logVarP < 88.72 and logVarP > -88.72, where
 * exp(logVarQ - logVarP) and exp(-logVarP) stay finite; Infinity beyond (the range is derived
 * in `lib/objectives/gaussian.ts`).
 *
 * @param muQ means of q, `[batch, latentDim]`; each argument a tensor or nested arrays.
 * @param logVarQ log-variances of q, `[batch, latentDim]`.
 * @param muP means of p, `[batch, latentDim]`.
 * @param logVarP log-variances of p, `[batch, latentDim]`.
 * @returns `[batch]` KL(q || p) in nats.
 * @throws Error when an argument is neither a tensor nor numeric arrays, the four shapes are
 *   not all equal (the message names the first pair that differs), or the inputs are not
 *   rank 2.
 *
 * @example
 * klDiagonalGaussians(tf.tensor2d([[0]]), tf.tensor2d([[0]]), tf.tensor2d([[1]]), tf.tensor2d([[Math.log(4)]]))
 * // [0.4431] = 1/2 (log 4 + (1 + 1) / 4 - 1)
 * klDiagonalGaussians([[0]], [[0]], [[1]], [[Math.log(4)]]) // the same, from plain arrays
 */
export function klDiagonalGaussians(
  muQ: tf.Tensor2D | number[][],
  logVarQ: tf.Tensor2D | number[][],
  muP: tf.Tensor2D | number[][],
  logVarP: tf.Tensor2D | number[][],
): tf.Tensor1D {
  return tf.tidy(() => {
    const [mq, lq, mp, lp] = twoGaussians("klDiagonalGaussians", muQ, logVarQ, muP, logVarP);
    const varRatio = tf.exp(lq.sub(lp));
    const meanTerm = tf.squaredDifference(mq, mp).mul(tf.exp(lp.neg()));
    return lp.sub(lq).add(varRatio).add(meanTerm).sub(1).sum(1).mul(0.5) as tf.Tensor1D;
  });
}

/** A Monte-Carlo estimate with its standard error, one value per row. */
export interface MonteCarloEstimate {
  /** The sample mean, `[batch]`. */
  estimate: tf.Tensor1D;
  /** Its standard error: sample standard deviation / sqrt(samples), `[batch]`. */
  standardError: tf.Tensor1D;
}

/**
 * Monte-Carlo estimate of KL(q || p) between diagonal Gaussians, straight from the
 * definition KL(q || p) = E_q[ log q(z) - log p(z) ]:
 *
 *   KL ~ (1/S) sum_s [ log q(z_s) - log p(z_s) ],   z_s ~ q,
 *
 * with its standard error (sample standard deviation / sqrt(S)). Unbiased; the error
 * shrinks like 1 / sqrt(S). Use it to check the closed form (`klDiagonalGaussians`), or
 * for distributions without one. Samples are drawn in chunks of at most `chunkSize`, so
 * large S fits in memory; the moments are combined in float64 (`RunningMoments`).
 *
 * @param muQ means of q, `[batch, latentDim]`; each argument a tensor or nested arrays.
 * @param logVarQ log-variances of q, `[batch, latentDim]`.
 * @param muP means of p, `[batch, latentDim]` (zeros for the prior N(0, I)).
 * @param logVarP log-variances of p, `[batch, latentDim]` (zeros for the prior).
 * @param options.samples S, samples per row (default 10000).
 * @param options.seed seed of the samples (default 0).
 * @param options.chunkSize samples per chunk (default 10000).
 * @returns `{ estimate, standardError }`, each `[batch]` in nats; the caller disposes them.
 * @throws Error when an argument is neither a tensor nor numeric arrays, shapes differ (as
 *   `klDiagonalGaussians`), or `samples` / `chunkSize` is not an integer >= 2 / >= 1.
 *
 * @example
 * const { estimate, standardError } = klMonteCarlo(muQ, logVarQ, muP, logVarP, { samples: 100000 });
 * // estimate is within a few standardError of klDiagonalGaussians(muQ, logVarQ, muP, logVarP)
 * klMonteCarlo([[0]], [[0]], [[1]], [[Math.log(4)]]).estimate // about [0.443], from plain arrays
 */
export function klMonteCarlo(
  muQ: tf.Tensor2D | number[][],
  logVarQ: tf.Tensor2D | number[][],
  muP: tf.Tensor2D | number[][],
  logVarP: tf.Tensor2D | number[][],
  options: { samples?: number; seed?: number; chunkSize?: number } = {},
): MonteCarloEstimate {
  const fn = "klMonteCarlo";
  return tf.tidy(() => {
    const [mq, lq, mp, lp] = twoGaussians(fn, muQ, logVarQ, muP, logVarP);
    const { samples = 10000, seed = 0, chunkSize = 10000 } = options;
    checkInteger(fn, "options.samples", samples, 2);
    checkPositiveInteger(fn, "options.chunkSize", chunkSize);
    const rng = new Rng(seed);
    const moments = new RunningMoments(mq.shape[0]);
    for (let done = 0; done < samples; done += chunkSize) {
      const s = Math.min(chunkSize, samples - done);
      const values = tf.tidy(() => {
        const { z, eps } = sampleDiagonalGaussian(mq, lq, s, rng.nextSeed());
        const logQ = gaussianLogDensityFromNoise(eps, lq);
        return logQ.sub(gaussianLogDensity(z, mp, lp)).dataSync() as Float32Array; // [s, batch], row-major
      });
      moments.addRows(values, s);
    }
    return { estimate: tf.tensor1d(Float32Array.from(moments.mean)), standardError: tf.tensor1d(Float32Array.from(moments.standardError())) };
  });
}

/** The parameters of q and p as tensors, after checking they are `[batch, latentDim]` of one shape. */
function twoGaussians(
  fn: string,
  ...params: [tf.Tensor2D | number[][], tf.Tensor2D | number[][], tf.Tensor2D | number[][], tf.Tensor2D | number[][]]
): tf.Tensor2D[] {
  const names = ["muQ", "logVarQ", "muP", "logVarP"];
  const [muQ, logVarQ, muP, logVarP] = params.map((p, i) => toTensor(fn, names[i], p));
  checkRank(fn, "muQ", muQ, 2, "[batch, latentDim]");
  checkSameShape(fn, "muQ", muQ, "logVarQ", logVarQ);
  checkSameShape(fn, "muQ", muQ, "muP", muP);
  checkSameShape(fn, "muP", muP, "logVarP", logVarP);
  return [muQ, logVarQ, muP, logVarP];
}
