import * as tf from "@tensorflow/tfjs";
import { checkFiniteArray } from "../runtime/checks";

/**
 * The points of a square grid in a 2-D latent space, in the order {@link imageGrid} draws
 * images, so that decoding them gives a picture of the latent space with z1 growing to the
 * right and z2 growing *upwards* (as in a scatter plot of the codes):
 *
 *   row r (top to bottom), column c (left to right)  ->  z = (values[c], values[n-1-r]).
 *
 * @param values the n coordinates used on both axes, ascending, e.g. the `z` of
 *   `normalQuantileGrid(n)` or evenly spaced numbers.
 * @returns `[n*n, 2]` codes, row-major (the image in row r, column c is row r*n + c); the
 *   caller disposes the tensor.
 * @throws Error when `values` is empty or holds a non-finite number (names its index).
 *
 * @example
 * latentGrid2d([-1, 1]).arraySync() // [[-1, 1], [1, 1], [-1, -1], [1, -1]]
 * const images = tf.tidy(() => vae.decode(latentGrid2d(normalQuantileGrid(15).z))); // [225, 784]
 */
export function latentGrid2d(values: ArrayLike<number>): tf.Tensor2D {
  const n = checkFiniteArray("latentGrid2d", "values", values);
  const codes = new Float32Array(n * n * 2);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      codes[2 * (r * n + c)] = values[c];
      codes[2 * (r * n + c) + 1] = values[n - 1 - r];
    }
  }
  return tf.tensor2d(codes, [n * n, 2]);
}
