import * as tf from "@tensorflow/tfjs";
import { argumentError, checkFiniteArray, checkNonEmpty, describe } from "../runtime/checks";

/**
 * Codes for **latent traversals**: start from one code and change a single latent
 * dimension at a time over a range of values, keeping all others fixed. Decoding the codes
 * shows what that dimension does to the image (or that it does nothing, for an inactive
 * unit). This is the standard picture of what individual latent units encode, e.g. in
 * Higgins et al., "beta-VAE" (ICLR 2017), Figure 1.
 *
 * Layout, ready for `imageGrid({ rows: dims.length, cols: values.length })`: row r changes
 * dimension `dims[r]`, column c sets it to `values[c]`:
 *
 *   codes[r * values.length + c] = base with z[dims[r]] = values[c].
 *
 * @param base the starting code, `[latentDim]`, e.g. the posterior mean of one test image.
 * @param dims the dimensions to traverse, 0-based indices in [0, latentDim).
 * @param values the values to set, e.g. [-3, -2, ..., 3] (in prior standard deviations).
 * @returns `[dims.length * values.length, latentDim]`; the caller disposes the tensor.
 * @throws Error when `base` is empty or not finite, `dims` is empty or holds an index outside
 *   [0, latentDim) (names it), or `values` is empty or not finite.
 *
 * @example
 * traversalCodes([0.5, 0.5], [1], [-1, 0, 1]).arraySync() // [[0.5, -1], [0.5, 0], [0.5, 1]]
 */
export function traversalCodes(base: ArrayLike<number>, dims: ArrayLike<number>, values: ArrayLike<number>): tf.Tensor2D {
  const fn = "traversalCodes";
  const d = checkFiniteArray(fn, "base", base);
  const cols = checkFiniteArray(fn, "values", values);
  checkNonEmpty(fn, "dims", dims, "dimension indices");
  for (let r = 0; r < dims.length; r++) {
    if (!Number.isInteger(dims[r]) || dims[r] < 0 || dims[r] >= d) {
      throw argumentError(fn, `dims[${r}]`, `an integer in [0, latentDim = ${d})`, describe(dims[r]), RangeError);
    }
  }
  const codes = new Float32Array(dims.length * cols * d);
  for (let r = 0; r < dims.length; r++) {
    for (let c = 0; c < cols; c++) {
      const offset = (r * cols + c) * d;
      for (let i = 0; i < d; i++) codes[offset + i] = base[i];
      codes[offset + dims[r]] = values[c];
    }
  }
  return tf.tensor2d(codes, [dims.length * cols, d]);
}
