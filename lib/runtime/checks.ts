import * as tf from "@tensorflow/tfjs";

/**
 * Argument checks with one form of message, after TensorFlow.js's own ops:
 *
 *   Error in <function>: <argument> must be <what was expected>, but got <what came>.
 *
 * Every check names the function that was called (`fn`, e.g. `"klStandardNormal"`) and the
 * argument as the caller wrote it (`arg`, e.g. `"logVar"`, `"options.k"` or `"values[3]"`).
 * Checks throw `Error` unless given another class (`type`), for the functions that document
 * a `RangeError` or `TypeError`.
 */

/** The class of error a check throws: `Error` (the default), `RangeError` or `TypeError`. */
export type ErrorClass = new (message: string) => Error;

/** The kit's one error form: `Error in fn: arg must be expected, but got actual.` */
export function argumentError(fn: string, arg: string, expected: string, actual: string, type: ErrorClass = Error): Error {
  return requirementError(fn, arg, `be ${expected}`, actual, type);
}

/**
 * The same form for a requirement with its own verb, e.g. `"hold pixel values in [0, 1]"`:
 * `Error in fn: arg must requirement, but got actual.`
 */
export function requirementError(fn: string, arg: string, requirement: string, actual: string, type: ErrorClass = Error): Error {
  return new type(`Error in ${fn}: ${arg} must ${requirement}, but got ${actual}.`);
}

/**
 * How a value looks in a message: tensors by shape, arrays by content (shortened), typed
 * arrays by length, strings quoted, objects by class, other values as `String` writes them.
 */
export function describe(value: unknown): string {
  if (value instanceof tf.Tensor) return `a tensor of shape [${value.shape.join(", ")}]`;
  if (Array.isArray(value)) {
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  }
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${(value as unknown as ArrayLike<unknown>).length}`;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return "a function";
  if (value !== null && typeof value === "object") {
    const name = value.constructor?.name;
    return name && name !== "Object" ? `a ${name}` : "an object";
  }
  return String(value);
}

/**
 * @returns `value` when it is an integer >= 1.
 * @throws Error (or `type`) in the kit's form otherwise.
 */
export function checkPositiveInteger(fn: string, arg: string, value: number, type?: ErrorClass): number {
  if (!Number.isInteger(value) || value < 1) throw argumentError(fn, arg, "a positive integer", describe(value), type);
  return value;
}

/**
 * @returns `value` when it is an integer (and, with `min`, at least `min`).
 * @throws Error (or `type`) in the kit's form otherwise.
 */
export function checkInteger(fn: string, arg: string, value: unknown, min?: number, type?: ErrorClass): number {
  if (!Number.isInteger(value) || (min !== undefined && (value as number) < min)) {
    throw argumentError(fn, arg, min === undefined ? "an integer" : `an integer >= ${min}`, describe(value), type);
  }
  return value as number;
}

/**
 * @returns `value` when it is a finite number (and, with `min`, at least `min`).
 * @throws Error (or `type`) in the kit's form otherwise.
 */
export function checkFinite(fn: string, arg: string, value: number, min?: number, type?: ErrorClass): number {
  const ok = typeof value === "number" && Number.isFinite(value) && (min === undefined || value >= min);
  if (!ok) throw argumentError(fn, arg, min === undefined ? "a finite number" : `a finite number >= ${min}`, describe(value), type);
  return value;
}

/**
 * @returns `value` when it is a number > 0 (Infinity included).
 * @throws Error (or `type`) in the kit's form otherwise.
 */
export function checkPositive(fn: string, arg: string, value: number, type?: ErrorClass): number {
  if (typeof value !== "number" || !(value > 0)) throw argumentError(fn, arg, "a positive number", describe(value), type);
  return value;
}

/**
 * @returns `value` when it is one of `choices` (compared with `===`).
 * @throws Error in the kit's form otherwise, listing the choices.
 */
export function checkOneOf<T>(fn: string, arg: string, value: unknown, choices: readonly T[]): T {
  if (!choices.includes(value as T)) {
    const names = choices.map((c) => JSON.stringify(c));
    const expected = names.length === 2 ? `${names[0]} or ${names[1]}` : `one of ${names.join(", ") || "(none)"}`;
    throw argumentError(fn, arg, expected, describe(value));
  }
  return value as T;
}

/**
 * @param why what the length is, for the message, e.g. `"one per value"`.
 * @throws Error in the kit's form unless `value` is an array (or array-like object) of `length` entries.
 */
export function checkLength(fn: string, arg: string, value: unknown, length: number, why = ""): void {
  const got = lengthOf(value);
  if (got !== length) {
    throw argumentError(fn, arg, `of length ${length}${why ? ` (${why})` : ""}`, got === undefined ? describe(value) : `length ${got}`);
  }
}

/**
 * @returns the length of `value` when it is an array (or array-like object) with an entry.
 * @throws Error in the kit's form otherwise; `what` describes the expected entries.
 */
export function checkNonEmpty(fn: string, arg: string, value: unknown, what = "numbers"): number {
  const got = lengthOf(value);
  if (!got) throw argumentError(fn, arg, `a non-empty array of ${what}`, got === 0 ? "an empty array" : describe(value));
  return got;
}

/**
 * @returns the length of `values` when it is a non-empty array of finite numbers.
 * @throws Error in the kit's form otherwise, naming the first bad entry (`values[i]`).
 */
export function checkFiniteArray(fn: string, arg: string, values: ArrayLike<number>): number {
  const n = checkNonEmpty(fn, arg, values);
  for (let i = 0; i < n; i++) checkFinite(fn, `${arg}[${i}]`, values[i]);
  return n;
}

/**
 * @param layout how the axes read, for the message, e.g. `"[batch, latentDim]"`.
 * @throws Error in the kit's form when `t` is not a tensor of rank `rank`.
 */
export function checkRank(fn: string, arg: string, t: tf.Tensor, rank: number, layout = ""): void {
  if (!(t instanceof tf.Tensor) || t.rank !== rank) throw argumentError(fn, arg, `rank ${rank}${layout ? ` (${layout})` : ""}`, shapeOf(t));
}

/** @throws Error in the kit's form when `t` is not a tensor of rank `min` or more. */
export function checkRankAtLeast(fn: string, arg: string, t: tf.Tensor, min: number): void {
  if (!(t instanceof tf.Tensor) || t.rank < min) throw argumentError(fn, arg, `of rank >= ${min}`, shapeOf(t));
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
 * it is; a number, a typed array or rectangular nested arrays of numbers become a new
 * float32 tensor, which a surrounding `tf.tidy` disposes.
 *
 * @throws Error in the kit's form for anything else (strings, ragged arrays, objects).
 */
export function toTensor<R extends tf.Rank>(fn: string, arg: string, value: tf.Tensor<R> | tf.TensorLike): tf.Tensor<R> {
  if (value instanceof tf.Tensor) return value;
  const shape = numericShape(value);
  if (shape === undefined) throw argumentError(fn, arg, "a tensor or a rectangular array of numbers", describe(value));
  return tf.tensor(value, shape as tf.ShapeMap[R], "float32");
}

/** The shape of a number, typed array or rectangular nested arrays of numbers; else undefined. */
function numericShape(value: unknown): number[] | undefined {
  if (typeof value === "number") return [];
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return [(value as unknown as ArrayLike<number>).length];
  if (!Array.isArray(value)) return undefined;
  if (value.length === 0) return [0];
  const inner = numericShape(value[0]);
  if (inner === undefined) return undefined;
  for (let i = 1; i < value.length; i++) {
    const v = value[i];
    const same = inner.length === 0 ? typeof v === "number" : tf.util.arraysEqual(numericShape(v) ?? [-1], inner);
    if (!same) return undefined;
  }
  return [value.length, ...inner];
}

/** The length of an array, typed array or other object with a numeric `length`; else undefined. */
function lengthOf(value: unknown): number | undefined {
  const length = value !== null && typeof value === "object" ? (value as { length?: unknown }).length : undefined;
  return typeof length === "number" ? length : undefined;
}

function shapeOf(t: unknown): string {
  return t instanceof tf.Tensor ? `shape [${t.shape.join(", ")}]` : describe(t);
}
