import * as tf from "@tensorflow/tfjs";
import { LOG_2PI } from "./gaussian";
import { argumentError, checkRank, checkSameShape, toTensor } from "../runtime/checks";

/**
 * Log-likelihood of pixels under a Gaussian decoder p(x | z) = N(x; mean, diag(sigma^2)),
 * summed over pixels, in nats per example (Kingma & Welling 2014, appendix C.2, "Gaussian
 * MLP as encoder or decoder"):
 *
 *   log p(x | z) = -1/2 sum_j [ log(2 pi) + 2 log sigma_j + (x_j - mean_j)^2 / sigma_j^2 ].
 *
 * With one fixed sigma for all D pixels this is, up to a constant, the squared error:
 *
 *   -log p(x | z) = ||x - mean||^2 / (2 sigma^2) + D (log sigma + log(2 pi) / 2),
 *
 * so training with the summed squared error is maximum likelihood under a Gaussian decoder of
 * fixed variance sigma^2 = 1/2. A learned sigma (one for all pixels, or one per pixel) is
 * passed as its log, which keeps sigma positive without constraints.
 *
 * @param x targets, `[batch, pixels]`; a tensor or nested arrays.
 * @param mean decoder means, `[batch, pixels]`; a tensor or nested arrays.
 * @param logSigma log sigma: a number or scalar tensor (one sigma), `[pixels]` (one per
 *   pixel) or `[batch, pixels]`.
 * @returns `[batch]` log-densities in nats (positive where sigma is small and the fit close).
 * @throws Error when `x` is not rank 2, the shapes of `x` and `mean` differ, or `logSigma`
 *   does not broadcast against them.
 *
 * @example
 * gaussianDecoderLogLikelihood([[1, 0]], [[1, 0]], 0) // [-1.8379] = -log(2 pi)
 */
export function gaussianDecoderLogLikelihood(
  x: tf.Tensor2D | number[][],
  mean: tf.Tensor2D | number[][],
  logSigma: number | tf.Tensor | number[],
): tf.Tensor1D {
  const fn = "gaussianDecoderLogLikelihood";
  return tf.tidy(() => {
    const [xt, mt] = [toTensor(fn, "x", x), toTensor(fn, "mean", mean)];
    checkRank(fn, "x", xt, 2, "[batch, pixels]");
    checkSameShape(fn, "x", xt, "mean", mt);
    const ls = typeof logSigma === "number" ? tf.scalar(logSigma) : toTensor(fn, "logSigma", logSigma);
    const fits = ls.rank === 0 || (ls.rank === 1 && ls.shape[0] === xt.shape[1]) || (ls.rank === 2 && ls.shape.every((n, i) => n === xt.shape[i]));
    if (!fits) {
      throw argumentError(fn, "logSigma", `a number, [${xt.shape[1]}] or [${xt.shape.join(", ")}]`, `[${ls.shape.join(", ")}]`);
    }
    const perPixel = tf.squaredDifference(xt, mt).mul(tf.exp(ls.mul(-2))).add(ls.mul(2)).add(LOG_2PI);
    return perPixel.sum(1).mul(-0.5) as tf.Tensor1D;
  });
}
