import * as tf from "@tensorflow/tfjs";
import { argumentError, checkPositiveInteger, checkRankAtLeast, checkSameShape, toTensor } from "../runtime/checks";

/** log(2 pi), the constant of every Gaussian log-density. */
export const LOG_2PI = Math.log(2 * Math.PI);

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
