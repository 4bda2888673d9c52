import * as tf from "@tensorflow/tfjs";
import { argumentError, checkPositiveInteger, checkRankAtLeast, checkSameShape, toTensor } from "../runtime/checks";

/** log(2 pi), the constant of every Gaussian log-density. */
export const LOG_2PI = Math.log(2 * Math.PI);

/*
 * Where float32 computes these formulas exactly, as a range of log sigma^2.
 *
 * Every formula here meets log sigma^2 through an exponential: sigma^2 = exp(logVar),
 * sigma = exp(logVar / 2) or 1 / sigma^2 = exp(-logVar). TensorFlow.js computes in float32,
 * whose largest finite value is (2 - 2^-23) 2^127 ~ 3.4028e38, so
 *
 *   exp(t) is finite exactly when t < log(3.4028e38) ~ 88.72          (FLOAT32_EXP_MAX)
 *
 * and is Infinity above. At the other end the smallest normal float32 is 2^-126 ~ 1.18e-38:
 * exp(t) keeps float32's full 24-bit precision for t > -126 log 2 ~ -87.34
 * (FLOAT32_EXP_MIN_NORMAL); below it the result is a subnormal with fewer bits, and below
 * about -149 log 2 ~ -103.3 (FLOAT32_EXP_MIN_SUBNORMAL, the smallest subnormal 2^-149 ~ 1.4e-45)
 * it is 0 (a backend that flushes subnormals gives 0 below -87.34 already). What that means
 * for each function, with logVar = log sigma^2:
 *
 * - `klStandardNormal`, `klStandardNormalPerDimension` (exp(logVar)): exact for
 *   logVar < 88.72, Infinity above (at logVar = 100 the true value, about e^100 / 2 ~ 1.3e43
 *   nats per dimension, exceeds float32 anyway). Below -87.34 exp(logVar) underflows, but
 *   it is then negligible next to -logVar > 87, so the KL stays exact for any logVar below.
 * - `reparameterize`, `sampleDiagonalGaussian` (sigma = exp(logVar / 2)): finite for
 *   logVar < 2 x 88.72 ~ 177.4; at logVar = +-100, sigma = e^+-50 and z is finite. Below
 *   about -206.6 sigma is 0 and z = mu, which float32 could not tell apart anyway.
 * - `gaussianLogDensity` (1 / sigma^2 = exp(-logVar)): exact for logVar > -88.72; below,
 *   1 / sigma^2 is Infinity, the density -Infinity (NaN where x = mu exactly, 0 x Infinity).
 *   Above 87.34 the term (x - mu)^2 / sigma^2 underflows toward 0, negligible next to logVar.
 * - `klDiagonalGaussians` (exp(logVarQ - logVarP) and exp(-logVarP)): exact for
 *   logVarQ - logVarP < 88.72 and logVarP > -88.72; Infinity beyond (NaN where muQ = muP and
 *   logVarP < -88.72).
 * - `gaussianLogDensityFromNoise`: no exponential, exact for every finite logVar.
 *
 * The library clamps nothing: a log sigma^2 this far out means training has gone wrong
 * (usually a learning rate too high), and `fit` reports it when the loss stops being finite.
 */

/** log of float32's largest finite value, log(3.4028235e38) ~ 88.7228: exp(t) is Infinity above. */
export const FLOAT32_EXP_MAX = Math.log(3.4028234663852886e38);
/** log of float32's smallest normal value, log(2^-126) ~ -87.3365: exp(t) loses precision below. */
export const FLOAT32_EXP_MIN_NORMAL = -126 * Math.LN2;
/** log of float32's smallest subnormal value, log(2^-149) ~ -103.279: exp(t) is 0 below (about). */
export const FLOAT32_EXP_MIN_SUBNORMAL = -149 * Math.LN2;

/**
 * Log-density of a diagonal Gaussian N(mu, diag(exp(logVar))) at x, summed over the last
 * axis (the dimensions of one vector), in nats:
 *
 *   log N(x; mu, diag(sigma^2)) = -1/2 sum_i [ log(2 pi) + log sigma_i^2 + (x_i - mu_i)^2 / sigma_i^2 ]
 *
 * (the product of independent univariate normal densities; e.g. Bishop, "Pattern
 * Recognition and Machine Learning", 2006, eq. (2.43) with a diagonal covariance). In a VAE
 * this gives log q(z | x) of the encoder and, with mu = 0 and logVar = 0, log p(z) of the
 * prior (see `standardNormalLogDensity`).
 *
 * `mu` and `logVar` broadcast against `x` by the usual rules, so one posterior can score
 * many samples: x `[samples, batch, latentDim]` with mu, logVar `[batch, latentDim]` gives
 * `[samples, batch]`.
 *
 * @param x points, `[..., dim]`; each argument a tensor or nested arrays of numbers.
 * @param mu means, same shape as `logVar`, broadcastable against `x`, last axis `dim`.
 * @param logVar log-variances log sigma^2, same shape as `mu`.
 * @returns log-densities in nats, the broadcast shape of the inputs without its last axis
 *   (`[batch]` for `[batch, dim]` inputs).
 * Float32: exact for logVar > -88.72; below, -Infinity (see the range at the top of this file).
 *
 * @throws Error when an argument is neither a tensor nor numeric arrays, `mu` and `logVar`
 *   differ in shape, the last axes differ, or the shapes do not broadcast.
 *
 * @example
 * gaussianLogDensity(tf.tensor2d([[0]]), tf.tensor2d([[0]]), tf.tensor2d([[0]])) // [-0.9189] = -log(2 pi) / 2
 * gaussianLogDensity([[0]], [[0]], [[0]])                                        // the same, from plain arrays
 */
export function gaussianLogDensity(x: tf.Tensor2D | number[][], mu: tf.Tensor2D | number[][], logVar: tf.Tensor2D | number[][]): tf.Tensor1D;
export function gaussianLogDensity(x: tf.Tensor | tf.TensorLike, mu: tf.Tensor | tf.TensorLike, logVar: tf.Tensor | tf.TensorLike): tf.Tensor;
export function gaussianLogDensity(x: tf.Tensor | tf.TensorLike, mu: tf.Tensor | tf.TensorLike, logVar: tf.Tensor | tf.TensorLike): tf.Tensor {
  const fn = "gaussianLogDensity";
  return tf.tidy(() => {
    const [xt, m, lv] = [toTensor(fn, "x", x), toTensor(fn, "mu", mu), toTensor(fn, "logVar", logVar)];
    checkDensityShapes(fn, xt, m, lv);
    const perDim = tf.squaredDifference(xt, m).mul(tf.exp(tf.neg(lv))).add(lv).add(LOG_2PI);
    return perDim.sum(-1).mul(-0.5);
  });
}

/**
 * Log-density of the standard normal N(0, I) at x, summed over the last axis, in nats:
 * log N(x; 0, I) = -1/2 sum_i [ log(2 pi) + x_i^2 ]. The VAE prior log p(z).
 *
 * @param x points, `[..., dim]` (rank >= 1); a tensor or nested arrays of numbers.
 * @returns `x.shape` without its last axis, nats.
 * @throws Error when `x` is a scalar, or neither a tensor nor numeric arrays.
 *
 * @example
 * standardNormalLogDensity(tf.tensor2d([[1, 0]])) // [-2.3379] = -log(2 pi) - 1/2
 * standardNormalLogDensity([[1, 0]])              // the same, from plain arrays
 */
export function standardNormalLogDensity(x: tf.Tensor2D | number[][]): tf.Tensor1D;
export function standardNormalLogDensity(x: tf.Tensor | tf.TensorLike): tf.Tensor;
export function standardNormalLogDensity(x: tf.Tensor | tf.TensorLike): tf.Tensor {
  const fn = "standardNormalLogDensity";
  return tf.tidy(() => {
    const xt = toTensor(fn, "x", x);
    checkRankAtLeast(fn, "x", xt, 1);
    return tf.square(xt).add(LOG_2PI).sum(-1).mul(-0.5);
  });
}

/**
 * The reparameterization trick (Kingma & Welling 2014, section 2.4): a sample of the
 * diagonal Gaussian N(mu, diag(exp(logVar))) as a differentiable function of its
 * parameters and of standard normal noise eps,
 *
 *   z = mu + sigma * eps,   sigma = exp(logVar / 2),   eps ~ N(0, I),
 *
 * so that dz/dmu = 1 and dz/dlogVar = sigma * eps / 2 (checked in notebook 02).
 * Float32: z is finite for logVar < 177.4 (see the range at the top of this file).
 *
 * @param mu means, `[batch, dim]` (or any shape that broadcasts against `eps`); each
 *   argument a tensor or nested arrays of numbers.
 * @param logVar log-variances log sigma^2, the shape of `mu`.
 * @param eps standard normal noise, `[batch, dim]` or `[samples, batch, dim]`.
 * @returns z, the broadcast shape of the inputs (typed as `eps` when it is a tensor).
 * @throws Error when an argument is neither a tensor nor numeric arrays.
 *
 * @example
 * reparameterize(tf.tensor2d([[1]]), tf.tensor2d([[Math.log(4)]]), tf.tensor2d([[0.5]])) // [[2]] = 1 + 2 * 0.5
 * reparameterize([[1]], [[Math.log(4)]], [[0.5]])                                      // the same, from plain arrays
 */
export function reparameterize<T extends tf.Tensor>(mu: tf.Tensor | tf.TensorLike, logVar: tf.Tensor | tf.TensorLike, eps: T): T;
export function reparameterize(mu: tf.Tensor | tf.TensorLike, logVar: tf.Tensor | tf.TensorLike, eps: number[][]): tf.Tensor2D;
export function reparameterize(mu: tf.Tensor | tf.TensorLike, logVar: tf.Tensor | tf.TensorLike, eps: tf.TensorLike): tf.Tensor;
export function reparameterize(mu: tf.Tensor | tf.TensorLike, logVar: tf.Tensor | tf.TensorLike, eps: tf.Tensor | tf.TensorLike): tf.Tensor {
  const fn = "reparameterize";
  return tf.tidy(() => {
    const [m, lv, e] = [toTensor(fn, "mu", mu), toTensor(fn, "logVar", logVar), toTensor(fn, "eps", eps)];
    return m.add(tf.exp(lv.mul(0.5)).mul(e));
  });
}

/**
 * log q(z) of a reparameterized sample z = mu + sigma * eps, from its noise eps, summed
 * over the last axis, in nats: since (z - mu)^2 / sigma^2 = eps^2 exactly,
 *
 *   log N(z; mu, diag(sigma^2)) = -1/2 sum_i [ log(2 pi) + log sigma_i^2 + eps_i^2 ].
 *
 * @param eps the noise behind z, `[..., dim]`; a tensor or nested arrays of numbers.
 * @param logVar log-variances, broadcastable against `eps`; a tensor or arrays.
 * @returns `eps.shape` without its last axis, nats.
 * @throws Error when an argument is neither a tensor nor numeric arrays.
 *
 * @example
 * gaussianLogDensityFromNoise([[0]], [[Math.log(4)]]) // [-1.6121] = -(log(2 pi) + log 4) / 2
 */
export function gaussianLogDensityFromNoise(eps: tf.Tensor | tf.TensorLike, logVar: tf.Tensor | tf.TensorLike): tf.Tensor {
  const fn = "gaussianLogDensityFromNoise";
  return tf.tidy(() => {
    const [e, lv] = [toTensor(fn, "eps", eps), toTensor(fn, "logVar", logVar)];
    return tf.square(e).add(lv).add(LOG_2PI).sum(-1).mul(-0.5);
  });
}

/**
 * Samples of a diagonal Gaussian by the reparameterization trick (`reparameterize`), drawn
 * `samples` times for every row.
 *
 * @param mu means, `[batch, dim]`; a tensor or nested arrays of numbers.
 * @param logVar log-variances, `[batch, dim]`; a tensor or nested arrays.
 * @param samples number of samples per row, a positive integer.
 * @param seed seed of eps; the same seed gives the same samples.
 * @returns `{ z, eps }`, both `[samples, batch, dim]`; the caller disposes both.
 * @throws Error when an argument is neither a tensor nor numeric arrays, the shapes of `mu`
 *   and `logVar` differ, or `samples` is not a positive integer.
 *
 * @example
 * const { z, eps } = sampleDiagonalGaussian([[0, 5]], [[0, 0]], 100, 1); // z, eps: [100, 1, 2]
 */
export function sampleDiagonalGaussian(
  mu: tf.Tensor2D | number[][],
  logVar: tf.Tensor2D | number[][],
  samples: number,
  seed?: number,
): { z: tf.Tensor3D; eps: tf.Tensor3D } {
  const fn = "sampleDiagonalGaussian";
  return tf.tidy(() => {
    const [m, lv] = [toTensor(fn, "mu", mu), toTensor(fn, "logVar", logVar)];
    checkSameShape(fn, "mu", m, "logVar", lv);
    checkPositiveInteger(fn, "samples", samples);
    const eps = tf.randomNormal([samples, ...m.shape], 0, 1, "float32", seed) as tf.Tensor3D;
    return { z: reparameterize(m, lv, eps), eps };
  });
}

function checkDensityShapes(fn: string, x: tf.Tensor, mu: tf.Tensor, logVar: tf.Tensor): void {
  checkSameShape(fn, "mu", mu, "logVar", logVar);
  checkRankAtLeast(fn, "x", x, 1);
  checkRankAtLeast(fn, "mu", mu, 1);
  const shapes = `x [${x.shape.join(", ")}] and mu [${mu.shape.join(", ")}]`;
  if (x.shape[x.rank - 1] !== mu.shape[mu.rank - 1]) throw argumentError(fn, "x and mu", "of the same last axis (dim)", shapes);
  try {
    tf.backend_util.assertAndGetBroadcastShape(x.shape, mu.shape);
  } catch {
    throw argumentError(fn, "mu", "broadcastable against x", shapes);
  }
}
