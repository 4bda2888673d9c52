import * as tf from "@tensorflow/tfjs";
import { checkPixels } from "../data/pixels";
import { argumentError, checkPositiveInteger, checkRank, describe, toTensor } from "../runtime/checks";
import { Rng } from "../runtime/seed";
import { gaussianLogDensityFromNoise, sampleDiagonalGaussian, standardNormalLogDensity } from "./gaussian";
import { logMeanExp } from "./logsumexp";
import { bernoulliLogLikelihoodOfSamples } from "../fast/bernoulli-samples";
import { BERNOULLI, decoderLogLikelihood, LikelihoodConfig } from "../models/likelihood";

/**
 * The importance-weighted bound (Burda, Grosse & Salakhutdinov, "Importance Weighted
 * Autoencoders", ICLR 2016, section 3, eq. (8)):
 *
 *   L_k(x) = E[ log (1/k) sum_{j=1..k} w_j ],   w_j = p(x, z_j) / q(z_j | x),   z_j ~ q(z | x).
 *
 * L_1 is the ELBO, L_k <= L_{k+1} <= log p(x) (their Theorem 1), and L_k -> log p(x) as
 * k -> infinity when the weights are bounded. With k in the thousands, -L_k is the usual
 * estimate of a VAE's test negative log-likelihood (NLL). Derived in notebook 03.
 */

/**
 * The importance-weighted bound from log-weights: log mean exp over groups of `k` samples,
 * averaged over the groups.
 *
 * Given K log-weights log w_j per example (`[K, batch]`) and a group size k that divides K,
 * the K samples are split in order into K / k disjoint groups of k; each group gives one
 * draw of log (1/k) sum_j w_j, and the result is the mean of the K / k draws, an unbiased
 * estimate of L_k with less variance than a single draw. k = K (the default) is the single
 * draw of L_K; k = 1 is the mean log-weight, the Monte-Carlo ELBO.
 *
 * @param logWeights log w_j = log p(x, z_j) - log q(z_j | x), `[K, batch]`, nats; a tensor or
 *   nested arrays of numbers.
 * @param k group size, a divisor of K (default K).
 * @returns `[batch]` estimates of L_k in nats.
 * @throws Error when `logWeights` is neither a tensor nor numeric arrays or not rank 2, or `k`
 *   is not a positive divisor of K.
 *
 * @example
 * importanceWeightedBound(tf.tensor2d([[0], [Math.log(3)]]))    // [log 2] = [0.6931]
 * importanceWeightedBound(tf.tensor2d([[0], [Math.log(3)]]), 1) // [log(3) / 2] = [0.5493]
 * importanceWeightedBound([[0], [Math.log(3)]])                 // [0.6931], from plain arrays
 */
export function importanceWeightedBound(logWeights: tf.Tensor2D | number[][], k?: number): tf.Tensor1D {
  const fn = "importanceWeightedBound";
  return tf.tidy(() => {
    const w = toTensor(fn, "logWeights", logWeights);
    checkRank(fn, "logWeights", w, 2, "[K, batch]");
    const [total, batch] = w.shape;
    const groupSize = k ?? total;
    if (!Number.isInteger(groupSize) || groupSize < 1 || total % groupSize !== 0) {
      throw argumentError(fn, "k", `a positive divisor of K = ${total}`, describe(k));
    }
    const groups = w.reshape([total / groupSize, groupSize, batch]);
    return logMeanExp(groups, 1).mean(0) as tf.Tensor1D;
  });
}

/**
 * What the importance-weighted estimators need from a VAE: the Gaussian encoder, the
 * decoder's logits and, when it is not Bernoulli, the decoder distribution. `kit.VAE` has
 * them all (`encode`, `decoder.predict(z)` gives logits, `likelihood` and `logSigma`).
 */
export interface GaussianBernoulliVae {
  /** Parameters of q(z | x): mu and log sigma^2, each `[batch, latentDim]`. */
  encode(x: tf.Tensor2D): { mu: tf.Tensor2D; logVar: tf.Tensor2D };
  /** z `[n, latentDim]` -> Bernoulli logits `[n, pixels]` of p(x | z). */
  readonly decoder: { predict(z: tf.Tensor, config?: { batchSize?: number }): tf.Tensor | tf.Tensor[] };
  /** The decoder distribution p(x | z) (default Bernoulli). */
  readonly likelihood?: LikelihoodConfig;
  /** A learned log sigma of a Gaussian decoder. */
  readonly logSigma?: tf.Variable;
}

/** Options of {@link vaeLogWeights}. */
export interface LogWeightOptions {
  /** Seed of the samples z_j (default 0); the same seed gives the same weights. */
  seed?: number;
  /** Most decoder rows (samples x images) per forward pass (default 2048): bounds memory. */
  maxRows?: number;
}

/**
 * Log importance weights of a VAE with a standard normal prior, a diagonal Gaussian encoder
 * and a Bernoulli (or the model's `likelihood`) decoder, for k samples z_j ~ q(z | x) per image:
 *
 *   log w_j = log p(x | z_j) + log p(z_j) - log q(z_j | x)   (nats)
 *
 * The mean over j estimates the ELBO; `importanceWeightedBound` turns them into L_k.
 * log q is computed from the standard normal noise eps_j directly, since
 * (z_j - mu)^2 / sigma^2 = eps_j^2. The k x batch decoder passes run in chunks of at most
 * `maxRows` rows, so k in the thousands fits in memory; chunk c uses the c-th seed of
 * `new Rng(seed)`, so results depend on `maxRows` only through that split.
 *
 * @param model a VAE (see {@link GaussianBernoulliVae}).
 * @param x images, `[batch, pixels]`, values in {0, 1} for a normalized likelihood (any
 *   values in [0, 1] are accepted).
 * @param k samples per image, a positive integer.
 * @returns `[k, batch]` log-weights in nats; the caller disposes it.
 * @throws Error when `k` or `maxRows` is not a positive integer, `x` is not rank 2, or `x`
 *   holds a NaN, an infinity or a value outside [0, 1] (the message names the value, its
 *   `[row, column]` and the usual cause, e.g. "divide by 255").
 */
export function vaeLogWeights(
  model: GaussianBernoulliVae,
  x: tf.Tensor2D,
  k: number,
  options: LogWeightOptions = {},
): tf.Tensor2D {
  return logWeights("vaeLogWeights", model, x, k, options);
}

/** `vaeLogWeights`, with argument errors naming `fn`. */
function logWeights(fn: string, model: GaussianBernoulliVae, x: tf.Tensor2D, k: number, options: LogWeightOptions): tf.Tensor2D {
  const { seed = 0, maxRows = 2048 } = options;
  checkPositiveInteger(fn, "k", k);
  checkPositiveInteger(fn, "options.maxRows", maxRows);
  checkRank(fn, "x", x, 2, "[batch, pixels]");
  checkPixels(fn, "x", x);
  const batch = x.shape[0];
  const perChunk = Math.max(1, Math.floor(maxRows / batch));
  const rng = new Rng(seed);
  return tf.tidy(() => {
    const { mu, logVar } = model.encode(x);
    const latentDim = mu.shape[1];
    const parts: tf.Tensor2D[] = [];
    for (let done = 0; done < k; done += perChunk) {
      const s = Math.min(perChunk, k - done);
      const chunkSeed = rng.nextSeed();
      parts.push(
        tf.tidy(() => {
          const { z, eps } = sampleDiagonalGaussian(mu, logVar, s, chunkSeed);
          const logQ = gaussianLogDensityFromNoise(eps, logVar); // [s, batch]
          const logPz = standardNormalLogDensity(z); // [s, batch]
          const logits = model.decoder.predict(z.reshape([s * batch, latentDim]), { batchSize: s * batch }) as tf.Tensor2D;
          const logPx = decoderLogLikelihoodOfSamples(model, x, logits, s);
          return logPx.add(logPz).sub(logQ) as tf.Tensor2D;
        }),
      );
    }
    return (parts.length === 1 ? parts[0] : tf.concat(parts, 0)) as tf.Tensor2D;
  });
}

/**
 * One draw of the importance-weighted bound L_k of a VAE for each image (Burda et al. 2016,
 * eq. (8)): log (1/k) sum_j w_j from k fresh samples z_j ~ q(z | x).
 *
 * @param model a VAE (see {@link GaussianBernoulliVae}).
 * @param x images, `[batch, pixels]` in {0, 1}.
 * @param k samples per image (k = 1 gives a one-sample ELBO estimate).
 * @param options seed and maxRows, see {@link vaeLogWeights}.
 * @returns `[batch]` in nats; the caller disposes it.
 * @throws Error as {@link vaeLogWeights}, naming `iwaeBound`.
 */
export function iwaeBound(model: GaussianBernoulliVae, x: tf.Tensor2D, k: number, options: LogWeightOptions = {}): tf.Tensor1D {
  return tf.tidy(() => importanceWeightedBound(logWeights("iwaeBound", model, x, k, options)));
}

/**
 * log p(x | z_j) `[s, batch]` for decoder logits `[s * batch, pixels]` of s samples per image:
 * the Bernoulli through `bernoulliLogLikelihoodOfSamples`, every other decoder on the images
 * repeated s times. The repeat is a broadcast sum, which the wasm backend runs more than ten
 * times faster than `tf.tile`.
 */
function decoderLogLikelihoodOfSamples(model: GaussianBernoulliVae, x: tf.Tensor2D, logits: tf.Tensor2D, s: number): tf.Tensor2D {
  const likelihood = model.likelihood ?? BERNOULLI;
  if (likelihood.name === "bernoulli") return bernoulliLogLikelihoodOfSamples(x, logits);
  const [batch, pixels] = x.shape;
  const repeated = x.reshape([1, batch, pixels]).add(tf.zeros([s, 1, 1])).reshape([s * batch, pixels]) as tf.Tensor2D;
  return decoderLogLikelihood(likelihood, repeated, logits, model.logSigma).reshape([s, batch]);
}
