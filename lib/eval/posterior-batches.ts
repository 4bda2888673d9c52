import * as tf from "@tensorflow/tfjs";
import type { Posterior } from "../models/vae";
import { argumentError, checkPositiveInteger, checkRank, describe } from "../runtime/checks";

/**
 * Anything with a Gaussian encoder: `encode(x)` returns the parameters of q(z | x),
 * `mu` and `logVar`, each `[batch, latentDim]`. `VAE` is one; a test can pass a small
 * hand-made encoder.
 */
export interface GaussianEncoder {
  encode(x: tf.Tensor2D): Posterior;
}

/** Options of the functions that encode a data set in batches. */
export interface EncodeBatchesOptions {
  /** Images per forward pass, an integer >= 1; default 1000. */
  batchSize?: number;
}

/**
 * @internal Encode `x` in batches and hand each batch's posterior to `visit`, which
 * returns plain numbers (read with `dataSync`). Every tensor made here, and by `visit`, is
 * disposed before the next batch.
 *
 * @param fn name of the public function, for error messages.
 * @param model the encoder.
 * @param x data, `[n, inputDim]`, n >= 1.
 * @throws Error naming `fn` when `x` is not rank 2 or empty, `batchSize` is not a positive
 *   integer, or the encoder returns shapes other than `[batch, latentDim]` for both.
 */
export function forEachPosteriorBatch(
  fn: string,
  model: GaussianEncoder,
  x: tf.Tensor2D,
  options: EncodeBatchesOptions,
  visit: (mu: tf.Tensor2D, logVar: tf.Tensor2D, batch: number) => void,
): void {
  if (!model || typeof model.encode !== "function") {
    throw argumentError(fn, "model", "an encoder with an encode(x) method returning { mu, logVar }, e.g. a VAE", describe(model), TypeError);
  }
  checkRank(fn, "x", x, 2, "[n, inputDim]");
  const n = x.shape[0];
  if (n < 1) throw argumentError(fn, "x", "non-empty ([n, inputDim] with n >= 1)", `shape [${x.shape.join(", ")}]`);
  const batchSize = checkPositiveInteger(fn, "options.batchSize", options.batchSize ?? 1000, RangeError);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    tf.tidy(() => {
      const xb = size === n ? x : (x.slice([start, 0], [size, x.shape[1]]) as tf.Tensor2D);
      const { mu, logVar } = model.encode(xb);
      if (mu.rank !== 2 || mu.shape[0] !== size || !tf.util.arraysEqual(mu.shape, logVar.shape)) {
        throw argumentError(
          fn,
          "the encoder's mu and logVar",
          `of shape [batch, latentDim] = [${size}, d]`,
          `mu [${mu.shape.join(", ")}] and logVar [${logVar.shape.join(", ")}]`,
        );
      }
      visit(mu, logVar, size);
    });
  }
}
