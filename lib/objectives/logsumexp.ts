import * as tf from "@tensorflow/tfjs";
import { argumentError, checkNonEmpty, checkRankAtLeast, toTensor } from "../runtime/checks";

/**
 * Stable log-sum-exp and log-mean-exp, for tensors and for plain JavaScript numbers.
 *
 * Summing probabilities that are stored as logarithms means computing
 * `log sum_i exp(a_i)`. Evaluated as written, `exp(a_i)` overflows to Infinity for
 * a_i above about 88 (float32) or 709 (float64) and underflows to 0 for large negative
 * a_i, so the log of the sum is Infinity or -Infinity. Shifting by the maximum
 * m = max_i a_i fixes both:
 *
 *   log sum_i exp(a_i) = m + log sum_i exp(a_i - m),
 *
 * because every exp(a_i - m) is in (0, 1] and the largest one is exactly 1, so the sum is
 * in [1, n] (see Blanchard, Higham & Higham, "Accurately computing the log-sum-exp and
 * softmax functions", IMA J. Numer. Anal. 41(4), 2021, for the error analysis). When every
 * a_i is -Infinity (all probabilities 0) the shift would give NaN; these functions return
 * -Infinity, the log of 0, instead.
 */

/**
 * log sum exp(x) along one axis of a tensor, computed stably (shifted by the maximum).
 *
 * @param x values a_i in log space, any rank >= 1 (e.g. log-weights `[k, batch]`); a tensor
 *   or nested arrays of numbers.
 * @param axis the axis to reduce (default -1, the last); negative values count from the end.
 * @param keepDims keep the reduced axis with size 1 (default false).
 * @returns `x.shape` without `axis` (or with size 1 there when `keepDims`); entries are
 *   -Infinity where all inputs are -Infinity, +Infinity where one is +Infinity, NaN where one
 *   is NaN.
 * @throws Error when `x` is a scalar or neither a tensor nor numeric arrays, `axis` is not an
 *   integer in [-rank, rank), or the axis has length 0.
 *
 * @example
 * logSumExp(tf.tensor1d([1e4, 1e4])) // 1e4 + log 2 = 10000.693 (exp(1e4) alone is Infinity)
 * logSumExp(tf.tensor2d([[0, 0], [1, -Infinity]]), 1) // [0.6931, 1]
 * logSumExp([[0, 0], [1, -Infinity]], 1)              // the same, from plain arrays
 */
export function logSumExp(x: tf.Tensor | tf.TensorLike, axis = -1, keepDims = false): tf.Tensor {
  return tf.tidy(() => {
    const [xt, ax] = withAxis("logSumExp", x, axis);
    const m = tf.max(xt, ax, true);
    // A shift of 0 where the maximum is not finite: -Inf rows give log(0) = -Inf, +Inf rows +Inf.
    const shift = tf.where(tf.isFinite(m), m, tf.zerosLike(m));
    const out = tf.log(tf.sum(tf.exp(tf.sub(xt, shift)), ax, true)).add(shift);
    return keepDims ? out : tf.squeeze(out, [ax]);
  });
}

/**
 * log mean exp(x) = log( (1/n) sum_i exp(x_i) ) = logSumExp(x) - log n along one axis,
 * where n is the length of the axis. This is the form of the importance-weighted bound
 * (Burda et al. 2016, eq. (8)); see `importanceWeightedBound`.
 *
 * Arguments, result and errors as {@link logSumExp}.
 *
 * @example
 * logMeanExp(tf.tensor1d([Math.log(1), Math.log(3)])) // log 2 = 0.6931
 * logMeanExp([0, Math.log(3)])                        // the same, from a plain array
 */
export function logMeanExp(x: tf.Tensor | tf.TensorLike, axis = -1, keepDims = false): tf.Tensor {
  return tf.tidy(() => {
    const [xt, ax] = withAxis("logMeanExp", x, axis);
    return logSumExp(xt, ax, keepDims).sub(Math.log(xt.shape[ax]));
  });
}

/**
 * log sum exp of plain numbers, in float64 (shifted by the maximum).
 *
 * @param values a_i in log space; at least one.
 * @returns log sum_i exp(a_i); -Infinity when all are -Infinity, NaN when one is NaN.
 * @throws Error when `values` is empty.
 *
 * @example
 * logSumExpOf([-1e4, -1e4]) // -1e4 + log 2 = -9999.306852819441
 */
export function logSumExpOf(values: ArrayLike<number>): number {
  checkNonEmpty("logSumExpOf", "values", values);
  let m = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) return NaN;
    if (values[i] > m) m = values[i];
  }
  if (!Number.isFinite(m)) return m;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i] - m);
  return m + Math.log(sum);
}

/**
 * log mean exp of plain numbers, in float64: `logSumExpOf(values) - log(values.length)`.
 *
 * @throws Error when `values` is empty.
 * @example
 * logMeanExpOf([0, Math.log(3)]) // log 2 = 0.6931471805599453
 */
export function logMeanExpOf(values: ArrayLike<number>): number {
  checkNonEmpty("logMeanExpOf", "values", values);
  return logSumExpOf(values) - Math.log(values.length);
}

/** `x` as a tensor and the axis as a non-negative number; throws naming `fn` when either is invalid. */
function withAxis(fn: string, x: tf.Tensor | tf.TensorLike, axis: number): [tf.Tensor, number] {
  const xt = toTensor(fn, "x", x);
  checkRankAtLeast(fn, "x", xt, 1);
  const rank = xt.rank;
  const shape = `[${xt.shape.join(", ")}]`;
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw argumentError(fn, "axis", `an integer in [${-rank}, ${rank})`, `${axis} for x of shape ${shape}`);
  }
  const ax = axis < 0 ? axis + rank : axis;
  if (xt.shape[ax] === 0) throw argumentError(fn, "x", `non-empty along axis ${ax}`, `shape ${shape}`);
  return [xt, ax];
}
