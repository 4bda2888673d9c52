import * as tf from "@tensorflow/tfjs";

/**
 * Argument checks with one form of message, after TensorFlow.js's own ops:
 *
 *   Error in <function>: <argument> must be <what was expected>, but got <what came>.
 *
 * Every check names the function that was called (`fn`, e.g. `"klStandardNormal"`) and the
 * argument as the caller wrote it (`arg`, e.g. `"logVar"` or `"options.k"`).
 */

/** The kit's one error form: `Error in fn: arg must be expected, but got actual.` */
export function argumentError(fn: string, arg: string, expected: string, actual: string): Error {
  return new Error(`Error in ${fn}: ${arg} must be ${expected}, but got ${actual}.`);
}

/** How a value looks in a message: tensors by shape, arrays by content (shortened). */
export function describe(value: unknown): string {
  if (value instanceof tf.Tensor) return `a tensor of shape [${value.shape.join(", ")}]`;
  if (Array.isArray(value)) {
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  }
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/**
 * @returns `value` when it is an integer >= 1.
 * @throws Error in the kit's form otherwise.
 */
export function checkPositiveInteger(fn: string, arg: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw argumentError(fn, arg, "a positive integer", describe(value));
  return value;
}

/**
 * @returns `value` when it is a finite number (and, with `min`, at least `min`).
 * @throws Error in the kit's form otherwise.
 */
export function checkFinite(fn: string, arg: string, value: number, min?: number): number {
  const ok = typeof value === "number" && Number.isFinite(value) && (min === undefined || value >= min);
  if (!ok) throw argumentError(fn, arg, min === undefined ? "a finite number" : `a finite number >= ${min}`, describe(value));
  return value;
}

/**
 * @param layout how the axes read, for the message, e.g. `"[batch, latentDim]"`.
 * @throws Error in the kit's form when `t` does not have rank `rank`.
 */
export function checkRank(fn: string, arg: string, t: tf.Tensor, rank: number, layout = ""): void {
  if (t.rank !== rank) throw argumentError(fn, arg, `rank ${rank}${layout ? ` (${layout})` : ""}`, `shape [${t.shape.join(", ")}]`);
}

/** @throws Error in the kit's form unless `a` and `b` have the same shape, naming both. */
export function checkSameShape(fn: string, argA: string, a: tf.Tensor, argB: string, b: tf.Tensor): void {
  if (!tf.util.arraysEqual(a.shape, b.shape)) {
    throw argumentError(fn, `${argA} and ${argB}`, "of the same shape", `${argA} [${a.shape.join(", ")}] and ${argB} [${b.shape.join(", ")}]`);
  }
}

/**
 * A tensor from a tensor or nested arrays of numbers, as TensorFlow.js ops accept both, so
 * that `klStandardNormal([[0.5]], [[0]])` works in a notebook cell. A tensor is returned as
 * it is; arrays become a new float32 tensor, which a surrounding `tf.tidy` disposes.
 *
 * @throws Error in the kit's form when `value` is neither a tensor nor numeric arrays.
 */
export function toTensor<R extends tf.Rank>(fn: string, arg: string, value: tf.Tensor<R> | tf.TensorLike): tf.Tensor<R> {
  if (value instanceof tf.Tensor) return value;
  try {
    return tf.tensor(value as tf.TensorLike, undefined, "float32") as tf.Tensor<R>;
  } catch {
    throw argumentError(fn, arg, "a tensor or an array of numbers", describe(value));
  }
}
