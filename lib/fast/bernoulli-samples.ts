import * as tf from "@tensorflow/tfjs";
import { argumentError } from "../runtime/checks";
import { sumOfLogSigmoidAbs } from "./log-sigmoid-sum";

/**
 * log p(x | z_j) of a Bernoulli decoder for `samples` draws of z per image, as the
 * importance-weighted estimators need it (forward only): the values of
 * `bernoulliLogLikelihood` on the images repeated once per sample, without repeating them.
 *
 *   log p(x | l) = sum_p [ x_p l_p - max(l_p, 0) + log sigmoid(|l_p|) ]
 *
 * On the wasm backend `tf.tile`, which repeats the images, copies one element at a time
 * (about 140 ms for 2,048 copies of an image, more than the decoder's matrix products); here
 * x_p l_p is a broadcast product, and the last term comes from `sumOfLogSigmoidAbs`.
 *
 * @param x images `[batch, pixels]`, values in [0, 1].
 * @param logits decoder outputs `[samples * batch, pixels]`, sample-major: row j * batch + b
 *   belongs to sample j of image b.
 * @returns `[samples, batch]` log-likelihoods in nats.
 * @throws Error when `logits` does not have a multiple of batch rows and `pixels` columns.
 */
export function bernoulliLogLikelihoodOfSamples(x: tf.Tensor2D, logits: tf.Tensor2D): tf.Tensor2D {
  const [batch, pixels] = x.shape;
  const [rows, logitPixels] = logits.shape;
  if (logitPixels !== pixels || rows % batch !== 0) {
    throw argumentError("bernoulliLogLikelihoodOfSamples", "logits", `[samples * ${batch}, ${pixels}] for x [${batch}, ${pixels}]`, `shape [${rows}, ${logitPixels}]`);
  }
  const samples = rows / batch;
  return tf.tidy(() => {
    const xl = logits.reshape([samples, batch, pixels]).mul(x.reshape([1, batch, pixels])).sum(2);
    const rest = sumOfLogSigmoidAbs(logits, 1).sub(tf.relu(logits).sum(1)).reshape([samples, batch]);
    return xl.add(rest) as tf.Tensor2D;
  });
}
