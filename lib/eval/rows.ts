import * as tf from "@tensorflow/tfjs";

/**
 * @internal Points given as a `[n, d]` tensor or as an array of n rows of d numbers, read into
 * one row-major float64 array.
 *
 * @param fn name of the public function, for error messages.
 * @param name name of the argument, for error messages.
 * @throws Error naming both when the tensor is not rank 2, or rows are missing or of
 *   different lengths.
 */
export function readRows(fn: string, name: string, data: tf.Tensor2D | ArrayLike<ArrayLike<number>>): { n: number; d: number; flat: Float64Array } {
  if (data instanceof tf.Tensor) {
    if (data.rank !== 2) throw new Error(`${fn}: ${name} must be [n, d] (rank 2), but got shape [${data.shape}].`);
    const [n, d] = data.shape as [number, number];
    return { n, d, flat: Float64Array.from(data.dataSync()) };
  }
  if (!data || typeof data.length !== "number") throw new Error(`${fn}: ${name} must be a tensor or an array of rows, but got ${typeof data}.`);
  const n = data.length;
  const d = n > 0 && data[0] && typeof data[0].length === "number" ? data[0].length : 0;
  const flat = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = data[i];
    if (!row || row.length !== d) {
      throw new Error(`${fn}: every row of ${name} must have d = ${d} numbers, but row ${i} has ${row && typeof row.length === "number" ? row.length : "none"}.`);
    }
    for (let j = 0; j < d; j++) flat[i * d + j] = row[j];
  }
  return { n, d, flat };
}
