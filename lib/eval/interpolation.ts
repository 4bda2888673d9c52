import * as tf from "@tensorflow/tfjs";
import { checkFiniteArray, checkInteger, checkLength, checkOneOf } from "../runtime/checks";

/** How {@link interpolateLatent} moves between two codes. */
export type InterpolationMethod = "linear" | "spherical";

/**
 * Codes on the way from latent code `from` to latent code `to`, for decoding step by step.
 *
 * With t_k = k / (steps - 1), k = 0 ... steps-1 (so t runs from 0 to 1 and both ends are
 * included):
 *
 * - `"linear"` (default): z(t) = (1 - t) from + t to, the straight line.
 * - `"spherical"`: z(t) = sin((1 - t) W) / sin W * from + sin(t W) / sin W * to, where W is
 *   the angle between the two codes (Shoemake 1985, "slerp"; proposed for generative models
 *   by White, "Sampling Generative Networks", 2016). It keeps the length of z near that of
 *   the ends, where a Gaussian prior in many dimensions puts its mass, while the midpoint of a
 *   straight line between two typical codes is shorter than both. It falls back to the
 *   straight line when the codes point the same way (W < 1e-6) or either is the zero vector;
 *   for opposite codes (W = pi) the path is not unique and it returns the straight line too.
 *
 * @param from the first code, `[latentDim]`.
 * @param to the last code, `[latentDim]`.
 * @param steps number of codes, an integer >= 2.
 * @param method `"linear"` (default) or `"spherical"`.
 * @returns `[steps, latentDim]`; row 0 is `from` and the last row is `to`. The caller
 *   disposes the tensor.
 * @throws Error when `from` and `to` differ in length, are empty or hold non-finite numbers,
 *   `steps` is not an integer >= 2, or `method` is unknown.
 *
 * @example
 * interpolateLatent([0, 0], [1, 2], 3).arraySync() // [[0, 0], [0.5, 1], [1, 2]]
 */
export function interpolateLatent(
  from: ArrayLike<number>,
  to: ArrayLike<number>,
  steps: number,
  method: InterpolationMethod = "linear",
): tf.Tensor2D {
  const fn = "interpolateLatent";
  const d = checkFiniteArray(fn, "from", from);
  checkFiniteArray(fn, "to", to);
  checkLength(fn, "to", to, d, "latentDim, the length of from");
  checkInteger(fn, "steps", steps, 2, RangeError);
  checkOneOf(fn, "method", method, ["linear", "spherical"]);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < d; i++) {
    dot += from[i] * to[i];
    na += from[i] * from[i];
    nb += to[i] * to[i];
  }
  const cos = na > 0 && nb > 0 ? Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb))) : 1;
  const angle = Math.acos(cos);
  const spherical = method === "spherical" && angle > 1e-6 && Math.PI - angle > 1e-6;
  const codes = new Float32Array(steps * d);
  for (let k = 0; k < steps; k++) {
    const t = k / (steps - 1);
    const wa = spherical ? Math.sin((1 - t) * angle) / Math.sin(angle) : 1 - t;
    const wb = spherical ? Math.sin(t * angle) / Math.sin(angle) : t;
    for (let i = 0; i < d; i++) codes[k * d + i] = wa * from[i] + wb * to[i];
  }
  return tf.tensor2d(codes, [steps, d]);
}
