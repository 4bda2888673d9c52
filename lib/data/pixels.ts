import * as tf from "@tensorflow/tfjs";
import { argumentError, describe, requirementError } from "../runtime/checks";
import { MNIST_PIXELS, MnistSplit } from "./mnist";

/**
 * The check of data where it enters the kit (`fit`, `evaluate`, the models' `lossTerms`, the
 * IWAE estimators, the image plots), so that a learner's usual mistakes stop with an error
 * that names them instead of turning into a NaN loss:
 *
 * - pixels left as bytes 0..255 (forgot to divide by 255): a Bernoulli decoder's
 *   log-likelihood x l - softplus(l) has no maximum for x > 1, so the loss runs to -Infinity
 *   and its gradient pushes the logits to overflow;
 * - a NaN or an Infinity in the data, which every sum it enters turns into NaN.
 *
 * One pass over the values: for a tensor `tf.min`, `tf.max` and a count of `tf.isNaN` in
 * one `tf.tidy`, read with one `dataSync`; for a typed array or an array one loop in
 * JavaScript (about 1.5 ns a value: 70 to 90 ms for the 47 million pixels of the MNIST
 * training split). The values are read again only to write the message.
 */

/** What data must hold: pixel values in [0, 1] (the targets of a Bernoulli decoder), or any finite numbers. */
export type DataRange = "unit" | "finite";

/** Options of {@link checkPixels}. */
export interface PixelCheckOptions {
  /** `"unit"` (default): finite pixel values in [0, 1]; `"finite"`: any finite numbers. */
  range?: DataRange;
  /**
   * The layout of an array's values, for the position in the message, e.g. `[count, 784]`;
   * only the first `product(shape)` values are checked. Default `[length]`. (A tensor's own
   * shape is used for a tensor.)
   */
  shape?: readonly number[];
}

/** Tensors that passed, with the range they passed (tensors are immutable; variables are never kept). */
const passed = new WeakMap<tf.Tensor, DataRange>();

/**
 * Check that data holds finite values, and in [0, 1] for `range: "unit"` (the default).
 * A tensor that passes is remembered, so checking it again costs nothing.
 *
 * @param fn the function the data entered, e.g. `"VAE.lossTerms"`.
 * @param arg the argument as the caller wrote it, e.g. `"x"` or `"data.train.images"`.
 * @param x a tensor, a typed array or an array of numbers.
 * @throws Error naming the function, the argument, the first offending value and its
 *   position, and the usual cause, e.g.
 *   `Error in VAE.lossTerms: x must hold pixel values in [0, 1], but got 255 at [0, 152]: divide by 255.`
 *   The value reported is the first NaN, else the first infinity, else the largest value
 *   above 1 (or the smallest below 0) at its first position.
 *
 * @example
 * checkPixels("VAE.lossTerms", "x", tf.tensor2d([[0, 255]])); // throws: ... but got 255 at [0, 1]: divide by 255.
 */
export function checkPixels(fn: string, arg: string, x: tf.Tensor | ArrayLike<number>, options: PixelCheckOptions = {}): void {
  const range = options.range ?? "unit";
  if (x instanceof tf.Tensor) {
    if (isChecked(x, range)) return;
    if (!tensorPasses(x, range)) throw pixelError(fn, arg, x.dataSync(), x.shape, range);
    markChecked(x, range);
    return;
  }
  if (x === null || typeof x !== "object" || typeof x.length !== "number") {
    throw argumentError(fn, arg, "a tensor or an array of numbers", describe(x));
  }
  const shape = options.shape ?? [x.length];
  const n = Math.min(x.length, shape.reduce((a, b) => a * b, 1));
  const bad = range === "unit" ? firstOutsideUnit(x, n) : firstNonFinite(x, n);
  if (bad >= 0) throw pixelError(fn, arg, x, shape, range);
}

/**
 * Check the images of an `MnistSplit` (or any split of `count * 784` values), once, where a
 * function that takes a whole split starts; positions are `[image, pixel]`.
 *
 * @param arg the split as the caller wrote it, e.g. `"data.train"` (the message says `data.train.images`).
 * @throws Error as {@link checkPixels}.
 */
export function checkSplit(fn: string, arg: string, split: MnistSplit, range: DataRange = "unit"): void {
  checkPixels(fn, `${arg}.images`, split.images, { range, shape: [split.count, MNIST_PIXELS] });
}

/**
 * Record that a tensor holds data already checked (a batch cut from a checked split), so
 * that the `lossTerms` it is passed to does not check it again. Variables are not recorded.
 * @returns `x`.
 */
export function markChecked<T extends tf.Tensor>(x: T, range: DataRange): T {
  if (!(x instanceof tf.Variable)) passed.set(x, range);
  return x;
}

function isChecked(x: tf.Tensor, range: DataRange): boolean {
  const known = passed.get(x);
  return known === "unit" || known === range;
}

/** min, max and the NaN count of a tensor in one tidy and one read. */
function tensorPasses(x: tf.Tensor, range: DataRange): boolean {
  if (x.size === 0) return true;
  const [min, max, nans] = tf.tidy(() => tf.stack([tf.min(x), tf.max(x), tf.isNaN(x).sum()].map((t) => t.cast("float32"))).dataSync());
  if (nans > 0) return false;
  return range === "unit" ? min >= 0 && max <= 1 : Number.isFinite(min) && Number.isFinite(max);
}

function firstOutsideUnit(values: ArrayLike<number>, n: number): number {
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!(v >= 0 && v <= 1)) return i;
  }
  return -1;
}

function firstNonFinite(values: ArrayLike<number>, n: number): number {
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i])) return i;
  }
  return -1;
}

/** The error for data that failed: finds the value to report, its position and the usual cause. */
function pixelError(fn: string, arg: string, values: ArrayLike<number>, shape: readonly number[], range: DataRange): Error {
  const n = Math.min(values.length, shape.reduce((a, b) => a * b, 1));
  let nan = -1;
  let infinite = -1;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    const v = Number(values[i]);
    if (Number.isNaN(v)) {
      nan = i;
      break;
    }
    if (infinite < 0 && !Number.isFinite(v)) infinite = i;
    if (v < values[lo]) lo = i;
    if (v > values[hi]) hi = i;
  }
  const min = Number(values[lo]);
  const max = Number(values[hi]);
  const at = nan >= 0 ? nan : infinite >= 0 ? infinite : max > 1 ? hi : lo;
  const requirement = range === "unit" ? "hold pixel values in [0, 1]" : "hold finite values";
  const value = Number(values[at]);
  return requirementError(fn, arg, requirement, `${formatValue(value)} at ${position(at, shape)}: ${usualCause(value, min, max)}`);
}

/** What usually puts such a value into the data, and what to do. */
function usualCause(value: number, min: number, max: number): string {
  if (Number.isNaN(value)) return "a NaN comes from 0 / 0, a missing value, or a model whose weights went NaN";
  if (!Number.isFinite(value)) return "an infinity comes from a division by 0 or a value past float32's 3.4e38";
  if (min >= 0 && max >= 2 && max <= 255) return "divide by 255";
  if (min >= -1 && max <= 1) return "the values look scaled to [-1, 1]: map them to [0, 1] with (x + 1) / 2";
  return "scale the values into [0, 1], e.g. (x - min) / (max - min)";
}

/** `[row, column]` (or `[i, j, k]`) of flat index `i` in `shape`; `index i` for one axis. */
function position(i: number, shape: readonly number[]): string {
  if (shape.length <= 1) return `index ${i}`;
  const index: number[] = [];
  let rest = i;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index.unshift(rest % shape[axis]);
    rest = Math.floor(rest / shape[axis]);
  }
  return `[${index.join(", ")}]`;
}

/** The shortest text that reads back as the same float32, e.g. 1.0000001 rather than 1.0000001192092896. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  for (let digits = 1; digits < 9; digits++) {
    const text = String(Number(v.toPrecision(digits)));
    if (Math.fround(Number(text)) === Math.fround(v)) return text;
  }
  return String(Number(v.toPrecision(9)));
}
