import * as tf from "@tensorflow/tfjs";
import { bernoulliLogLikelihood } from "../objectives/bernoulli";
import { continuousBernoulliLogLikelihood, continuousBernoulliMean, continuousBernoulliQuantile } from "../objectives/continuous-bernoulli";
import { gaussianDecoderLogLikelihood } from "../objectives/gaussian-decoder";
import { argumentError, checkOneOf } from "../runtime/checks";

/** The decoder distributions p(x | z) a `VAE` can have. */
export const LIKELIHOODS = ["bernoulli", "continuous-bernoulli", "gaussian"] as const;
/** A decoder distribution's name. */
export type LikelihoodName = (typeof LIKELIHOODS)[number];

/**
 * The decoder distribution p(x | z) of a VAE; the decoder's outputs are logits l, and
 *
 * - `"bernoulli"`: p(x_j | z) = Bernoulli(sigmoid(l_j)) (`bernoulliLogLikelihood`); on
 *   grey levels the cross-entropy, not a normalized density;
 * - `"continuous-bernoulli"`: the continuous Bernoulli with lambda_j = sigmoid(l_j)
 *   (`continuousBernoulliLogLikelihood`), a density on [0, 1];
 * - `"gaussian"`: N(x_j; sigmoid(l_j), sigma_j^2) (`gaussianDecoderLogLikelihood`), with
 *   `sigma` a fixed positive number, `"learned"` (one sigma for all pixels) or
 *   `"learned-per-pixel"`; a learned sigma is trained with the networks and kept, as log
 *   sigma, in `logSigma` when saved.
 */
export interface LikelihoodConfig {
  name: LikelihoodName;
  /** Gaussian only: a fixed sigma > 0 (default 1), `"learned"` or `"learned-per-pixel"`. */
  sigma?: number | "learned" | "learned-per-pixel";
  /** Gaussian with a learned sigma only: the values of log sigma (1 or inputDim of them). */
  logSigma?: number[];
}

/** The default decoder distribution. */
export const BERNOULLI: LikelihoodConfig = { name: "bernoulli" };

/**
 * Check a likelihood configuration and fill in its default (sigma = 1 for a Gaussian).
 *
 * @param fn the caller, for the error message.
 * @param inputDim pixels per image: the number of per-pixel sigmas.
 * @throws Error naming the field when the name is not one of `LIKELIHOODS`, sigma is set for
 *   a non-Gaussian, not a positive finite number or a learned mode, or `logSigma` has the
 *   wrong length or non-finite values.
 */
export function resolveLikelihood(fn: string, config: LikelihoodConfig = BERNOULLI, inputDim: number): LikelihoodConfig {
  const name = checkOneOf(fn, "likelihood.name", config?.name, LIKELIHOODS);
  const { sigma, logSigma } = config;
  if (name !== "gaussian") {
    if (sigma !== undefined || logSigma !== undefined) throw argumentError(fn, "likelihood.sigma", `no sigma for a ${name} decoder`, JSON.stringify(config));
    return { name };
  }
  if (sigma === undefined || typeof sigma === "number") {
    const s = sigma ?? 1;
    if (!(Number.isFinite(s) && s > 0)) throw argumentError(fn, "likelihood.sigma", 'a positive number, "learned" or "learned-per-pixel"', String(sigma));
    if (logSigma !== undefined) throw argumentError(fn, "likelihood.logSigma", "no logSigma with a fixed sigma", JSON.stringify(logSigma));
    return { name, sigma: s };
  }
  checkOneOf(fn, "likelihood.sigma", sigma, ["learned", "learned-per-pixel"] as const);
  const length = sigma === "learned" ? 1 : inputDim;
  if (logSigma !== undefined && (!Array.isArray(logSigma) || logSigma.length !== length || !logSigma.every(Number.isFinite))) {
    throw argumentError(fn, "likelihood.logSigma", `${length} finite numbers`, JSON.stringify(logSigma).slice(0, 80));
  }
  return { name, sigma, ...(logSigma !== undefined ? { logSigma: [...logSigma] } : {}) };
}

/**
 * The trainable log sigma of a Gaussian decoder with a learned sigma (`[1]` or
 * `[inputDim]`, from `logSigma` or 0, i.e. sigma = 1), or undefined for every other decoder.
 */
export function learnedLogSigma(likelihood: LikelihoodConfig, inputDim: number): tf.Variable | undefined {
  if (likelihood.name !== "gaussian" || typeof likelihood.sigma === "number") return undefined;
  const length = likelihood.sigma === "learned" ? 1 : inputDim;
  return tf.tidy(() => tf.variable(tf.tensor1d(likelihood.logSigma ?? new Array<number>(length).fill(0)), true)); // no initial tensor left behind
}

/**
 * log p(x | z) of the decoder distribution, per image in nats.
 *
 * @param x pixels `[batch, pixels]` in [0, 1].
 * @param logits the decoder's outputs, `[batch, pixels]`.
 * @param logSigma the learned log sigma (`learnedLogSigma`) when the likelihood has one.
 * @returns `[batch]`.
 */
export function decoderLogLikelihood(likelihood: LikelihoodConfig, x: tf.Tensor2D, logits: tf.Tensor2D, logSigma?: tf.Variable): tf.Tensor1D {
  if (likelihood.name === "bernoulli") return bernoulliLogLikelihood(x, logits);
  if (likelihood.name === "continuous-bernoulli") return continuousBernoulliLogLikelihood(x, logits);
  const ls = logSigma ?? Math.log(likelihood.sigma as number);
  return tf.tidy(() => gaussianDecoderLogLikelihood(x, tf.sigmoid(logits), ls instanceof tf.Variable && ls.size === 1 ? ls.reshape([]) : ls));
}

/**
 * The mean E[x | z] of the decoder distribution, per pixel: sigmoid(l) for the Bernoulli and
 * the Gaussian, the continuous Bernoulli's mean (`continuousBernoulliMean`, not sigmoid(l))
 * for the continuous Bernoulli. This is the image a VAE "draws" when it shows p(x | z) by one
 * picture.
 *
 * @param logits the decoder's outputs, `[batch, pixels]`.
 * @returns `[batch, pixels]`, values in [0, 1].
 */
export function decoderMean(likelihood: LikelihoodConfig, logits: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => (likelihood.name === "continuous-bernoulli" ? continuousBernoulliMean(logits) : tf.sigmoid(logits)) as tf.Tensor2D);
}

/**
 * One sample x ~ p(x | z) per row, every pixel drawn independently: 0 or 1 for the
 * Bernoulli; by inversion of the CDF for the continuous Bernoulli
 * (`continuousBernoulliQuantile`); sigmoid(l) + sigma * eps for the Gaussian, which is not
 * confined to [0, 1].
 *
 * @param logits the decoder's outputs, `[batch, pixels]`.
 * @param options.logSigma the learned log sigma (`VAE.logSigma`) when the likelihood has one.
 * @param options.seed seed of the noise.
 * @returns `[batch, pixels]`.
 * @throws Error when a Gaussian with a learned sigma gets no `logSigma`.
 */
export function decoderSample(likelihood: LikelihoodConfig, logits: tf.Tensor2D, options: { logSigma?: tf.Tensor; seed?: number } = {}): tf.Tensor2D {
  return tf.tidy(() => {
    const u = tf.randomUniform(logits.shape, 0, 1, "float32", options.seed);
    if (likelihood.name === "bernoulli") return tf.less(u, tf.sigmoid(logits)).toFloat() as tf.Tensor2D;
    if (likelihood.name === "continuous-bernoulli") return continuousBernoulliQuantile(logits, u) as tf.Tensor2D;
    if (typeof likelihood.sigma !== "number" && options.logSigma === undefined) {
      throw argumentError("decoderSample", "options.logSigma", `the learned log sigma of a Gaussian decoder with sigma "${likelihood.sigma}"`, "undefined");
    }
    const sigma = options.logSigma ? tf.exp(options.logSigma) : tf.scalar(likelihood.sigma as number);
    return tf.sigmoid(logits).add(tf.randomNormal(logits.shape, 0, 1, "float32", options.seed).mul(sigma)) as tf.Tensor2D;
  });
}
