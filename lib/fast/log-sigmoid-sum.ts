import * as tf from "@tensorflow/tfjs";

/**
 * sum_p log sigmoid(|l_p|) over the pixel axis of logits, as a sum of logarithms of products
 * of up to 16 factors: the term of the Bernoulli log-likelihood that needs a logarithm,
 *
 *   log p(x | l) = sum_p [ x_p l_p - max(l_p, 0) + log sigmoid(|l_p|) ].
 *
 * `sigmoid` runs on XNNPACK in the wasm backend, while `exp` and `log1p` run one element at
 * a time (0.6 and 0.7 ms for the 100,352 values of a batch of 128). Each factor lies in
 * [1/2, 1], so a product of 16 stays above 2^-16 (no underflow; float32 keeps it to about
 * 1e-6 relative).
 *
 * @param logits `[pixels, batch]` (pixelAxis 0) or `[batch, pixels]` (pixelAxis 1).
 * @param pixelAxis the axis summed over.
 * @returns `[batch]` sums in nats.
 */
export function sumOfLogSigmoidAbs(logits: tf.Tensor2D, pixelAxis: 0 | 1): tf.Tensor1D {
  return tf.tidy(() => {
    const pixels = logits.shape[pixelAxis];
    const batch = logits.shape[1 - pixelAxis];
    const chunk = Array.from({ length: 16 }, (_, i) => 16 - i).find((c) => pixels % c === 0) ?? 1;
    const factors = tf.sigmoid(tf.abs(logits));
    if (pixelAxis === 1) return tf.log(tf.prod(factors.reshape([batch, pixels / chunk, chunk]), 2)).sum(1) as tf.Tensor1D;
    return tf.log(tf.prod(factors.reshape([pixels / chunk, chunk, batch]), 1)).transpose().sum(1) as tf.Tensor1D;
  });
}
