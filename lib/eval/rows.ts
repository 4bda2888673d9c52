import * as tf from "@tensorflow/tfjs";
import { argumentError, checkFinite, checkLength, checkRank, describe } from "../runtime/checks";

/**
 * @internal Points given as a `[n, d]` tensor or as an array of n rows of d numbers, with
 * n >= 2 and d >= 1, read into one row-major float64 array.
 *
 * @param fn name of the public function, for error messages.
 * @param name name of the argument, for error messages.
 * @throws Error naming both when the tensor is not rank 2, rows are missing or of different
 *   lengths, there are fewer than 2 rows or no columns, or an entry is not finite.
 */
export function readRows(fn: string, name: string, data: tf.Tensor2D | ArrayLike<ArrayLike<number>>): { n: number; d: number; flat: Float64Array } {
  const { n, d, flat } = data instanceof tf.Tensor ? fromTensor(fn, name, data) : fromArrays(fn, name, data);
  if (n < 2 || d < 1) throw argumentError(fn, name, "[n, d] with n >= 2 rows and d >= 1 columns", `shape [${n}, ${d}]`);
  for (let k = 0; k < flat.length; k++) checkFinite(fn, `${name}[${Math.floor(k / d)}][${k % d}]`, flat[k]);
  return { n, d, flat };
}

function fromTensor(fn: string, name: string, data: tf.Tensor2D): { n: number; d: number; flat: Float64Array } {
  checkRank(fn, name, data, 2, "[n, d]");
  const [n, d] = data.shape as [number, number];
  return { n, d, flat: Float64Array.from(data.dataSync()) };
}

function fromArrays(fn: string, name: string, data: ArrayLike<ArrayLike<number>>): { n: number; d: number; flat: Float64Array } {
  if (!data || typeof data.length !== "number") throw argumentError(fn, name, "a tensor or an array of rows", describe(data));
  const n = data.length;
  const d = n > 0 && data[0] && typeof data[0].length === "number" ? data[0].length : 0;
  const flat = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = data[i];
    checkLength(fn, `${name}[${i}]`, row, d, `d, the length of ${name}[0]`);
    for (let j = 0; j < d; j++) flat[i * d + j] = row[j];
  }
  return { n, d, flat };
}
