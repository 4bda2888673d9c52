import * as tf from "@tensorflow/tfjs";
import { checkPositiveInteger, checkSameShape } from "../runtime/checks";

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
 * @param x points, `[..., dim]`.
 * @param mu means, same shape as `logVar`, broadcastable against `x`, last axis `dim`.
 * @param logVar log-variances log sigma^2, same shape as `mu`.
 * @returns log-densities in nats, the broadcast shape of the inputs without its last axis
 *   (`[batch]` for `[batch, dim]` inputs).
 * @throws Error when `mu` and `logVar` differ in shape, the last axes differ, or the shapes
 *   do not broadcast.
 *
 * @example
 * gaussianLogDensity(tf.tensor2d([[0]]), tf.tensor2d([[0]]), tf.tensor2d([[0]])) // [-0.9189] = -log(2 pi) / 2
 */
export function gaussianLogDensity(x: tf.Tensor2D, mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor1D;
export function gaussianLogDensity(x: tf.Tensor, mu: tf.Tensor, logVar: tf.Tensor): tf.Tensor;
export function gaussianLogDensity(x: tf.Tensor, mu: tf.Tensor, logVar: tf.Tensor): tf.Tensor {
  checkDensityShapes("gaussianLogDensity", x, mu, logVar);
  return tf.tidy(() => {
    const perDim = tf.squaredDifference(x, mu).mul(tf.exp(tf.neg(logVar))).add(logVar).add(LOG_2PI);
    return perDim.sum(-1).mul(-0.5);
  });
}

/**
 * Log-density of the standard normal N(0, I) at x, summed over the last axis, in nats:
 * log N(x; 0, I) = -1/2 sum_i [ log(2 pi) + x_i^2 ]. The VAE prior log p(z).
 *
 * @param x points, `[..., dim]` (rank >= 1).
 * @returns `x.shape` without its last axis, nats.
 * @throws Error when `x` is a scalar.
 *
 * @example
 * standardNormalLogDensity(tf.tensor2d([[1, 0]])) // [-2.3379] = -log(2 pi) - 1/2
 */
export function standardNormalLogDensity(x: tf.Tensor2D): tf.Tensor1D;
export function standardNormalLogDensity(x: tf.Tensor): tf.Tensor;
export function standardNormalLogDensity(x: tf.Tensor): tf.Tensor {
  if (x.rank === 0) throw new Error("Error in standardNormalLogDensity: x must have rank >= 1, but got a scalar.");
  return tf.tidy(() => tf.square(x).add(LOG_2PI).sum(-1).mul(-0.5));
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
 * @param mu means, `[batch, dim]` (or any shape that broadcasts against `eps`).
 * @param logVar log-variances log sigma^2, the shape of `mu`.
 * @param eps standard normal noise, `[batch, dim]` or `[samples, batch, dim]`.
 * @returns z, the broadcast shape of the inputs.
 *
 * @example
 * reparameterize(tf.tensor2d([[1]]), tf.tensor2d([[Math.log(4)]]), tf.tensor2d([[0.5]])) // [[2]] = 1 + 2 * 0.5
 */
export function reparameterize<T extends tf.Tensor>(mu: tf.Tensor, logVar: tf.Tensor, eps: T): T {
  return tf.tidy(() => mu.add(tf.exp(logVar.mul(0.5)).mul(eps)) as T);
}

/**
 * log q(z) of a reparameterized sample z = mu + sigma * eps, from its noise eps, summed
 * over the last axis, in nats: since (z - mu)^2 / sigma^2 = eps^2 exactly,
 *
 *   log N(z; mu, diag(sigma^2)) = -1/2 sum_i [ log(2 pi) + log sigma_i^2 + eps_i^2 ].
 *
 * @param eps the noise behind z, `[..., dim]`.
 * @param logVar log-variances, broadcastable against `eps`.
 * @returns `eps.shape` without its last axis, nats.
 */
export function gaussianLogDensityFromNoise(eps: tf.Tensor, logVar: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.square(eps).add(logVar).add(LOG_2PI).sum(-1).mul(-0.5));
}

/**
 * Samples of a diagonal Gaussian by the reparameterization trick (`reparameterize`), drawn
 * `samples` times for every row.
 *
 * @param mu means, `[batch, dim]`.
 * @param logVar log-variances, `[batch, dim]`.
 * @param samples number of samples per row, a positive integer.
 * @param seed seed of eps; the same seed gives the same samples.
 * @returns `{ z, eps }`, both `[samples, batch, dim]`; the caller disposes both.
 * @throws Error when the shapes of `mu` and `logVar` differ or `samples` is not a positive
 *   integer.
 */
export function sampleDiagonalGaussian(
  mu: tf.Tensor2D,
  logVar: tf.Tensor2D,
  samples: number,
  seed?: number,
): { z: tf.Tensor3D; eps: tf.Tensor3D } {
  checkSameShape("sampleDiagonalGaussian", "mu", mu, "logVar", logVar);
  checkPositiveInteger("sampleDiagonalGaussian", "samples", samples);
  return tf.tidy(() => {
    const eps = tf.randomNormal([samples, ...mu.shape], 0, 1, "float32", seed) as tf.Tensor3D;
    return { z: reparameterize(mu, logVar, eps), eps };
  });
}

function checkDensityShapes(fn: string, x: tf.Tensor, mu: tf.Tensor, logVar: tf.Tensor): void {
  checkSameShape(fn, "mu", mu, "logVar", logVar);
  if (x.rank === 0 || mu.rank === 0) {
    throw new Error(`Error in ${fn}: x and mu must have rank >= 1, but got shapes [${x.shape}] and [${mu.shape}].`);
  }
  const dx = x.shape[x.rank - 1];
  const dm = mu.shape[mu.rank - 1];
  if (dx !== dm) {
    throw new Error(`Error in ${fn}: x and mu must have the same last axis (dim), but got [${x.shape}] and [${mu.shape}].`);
  }
  try {
    tf.backend_util.assertAndGetBroadcastShape(x.shape, mu.shape);
  } catch {
    throw new Error(`Error in ${fn}: mu must broadcast against x, but got x [${x.shape}] and mu [${mu.shape}].`);
  }
}
