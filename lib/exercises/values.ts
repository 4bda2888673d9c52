import * as tf from "@tensorflow/tfjs";
import { describe } from "../runtime/checks";

/** A value read out of a learner's answer: its shape and its numbers, in row-major order. */
export interface ReadValue {
  shape: number[];
  values: number[];
}

/** What `expected` may be in a case: a number, nested arrays of numbers, or a tensor. */
export type Expected = number | number[] | number[][] | number[][][] | tf.Tensor;

/**
 * The shape and numbers of a tensor, a number, a typed array or rectangular nested arrays of
 * numbers (booleans count as 0 and 1); undefined for anything else (a Promise, a string, a
 * ragged array, an object).
 */
export function readValue(value: unknown): ReadValue | undefined {
  if (value instanceof tf.Tensor) return { shape: value.shape.slice(), values: Array.from(value.dataSync() as ArrayLike<number>, Number) };
  if (typeof value === "number" || typeof value === "boolean") return { shape: [], values: [Number(value)] };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const array = value as unknown as ArrayLike<number>;
    return { shape: [array.length], values: Array.from(array, Number) };
  }
  if (!Array.isArray(value)) return undefined;
  if (value.length === 0) return { shape: [0], values: [] };
  const rows = value.map(readValue);
  const first = rows[0];
  if (first === undefined) return undefined;
  for (const row of rows) {
    if (row === undefined || !tf.util.arraysEqual(row.shape, first.shape)) return undefined;
  }
  return { shape: [value.length, ...first.shape], values: (rows as ReadValue[]).flatMap((r) => r.values) };
}

/** How close an answer must be: |actual - expected| <= abs + rel * |expected|, for every number. */
export interface Tolerance {
  /** Absolute tolerance; default 1e-4. */
  abs?: number;
  /** Relative tolerance; default 1e-4 (float32 arithmetic gives about 1e-7). */
  rel?: number;
}

/** Whether one number is close enough to another; NaN matches only NaN, ±Infinity only itself. */
export function closeEnough(actual: number, expected: number, tolerance: Tolerance = {}): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  if (!Number.isFinite(actual)) return false;
  return Math.abs(actual - expected) <= (tolerance.abs ?? 1e-4) + (tolerance.rel ?? 1e-4) * Math.abs(expected);
}

/** A single number may come as a number, a scalar tensor or a tensor of shape [1], either way round. */
function sameShape(actual: number[], expected: number[]): boolean {
  if (tf.util.arraysEqual(actual, expected)) return true;
  const single = (s: number[]) => s.length <= 1 && s.reduce((a, b) => a * b, 1) === 1;
  return single(actual) && single(expected);
}

/**
 * Compare an answer with the expected value: the shape first, then every number.
 *
 * @returns undefined when they agree, else what differs, e.g. `"shape [] instead of [3]"`,
 *   `"entry [1]: 0.25 instead of 0.5"` or, for a single number, `"off by 0.25"`.
 */
export function difference(actual: ReadValue, expected: ReadValue, tolerance: Tolerance = {}): string | undefined {
  if (!sameShape(actual.shape, expected.shape)) return `shape [${actual.shape.join(", ")}] instead of [${expected.shape.join(", ")}]`;
  for (let i = 0; i < expected.values.length; i++) {
    const [a, e] = [actual.values[i], expected.values[i]];
    if (!closeEnough(a, e, tolerance)) {
      if (expected.values.length > 1) return `entry [${unravel(i, expected.shape).join(", ")}]: ${formatNumber(a)} instead of ${formatNumber(e)}`;
      return Number.isFinite(a) && Number.isFinite(e) ? `off by ${formatNumber(a - e)}` : "not the expected number";
    }
  }
  return undefined;
}

function unravel(index: number, shape: number[]): number[] {
  const out: number[] = [];
  for (let k = shape.length - 1; k >= 0; k--) {
    out.unshift(index % shape[k]);
    index = Math.floor(index / shape[k]);
  }
  return out;
}

/** A number as a report shows it: 6 significant digits, exponent form for very large or small values. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e6 || a < 1e-4 ? x.toExponential(3) : String(Number(x.toPrecision(6)));
}

/** A value as a report shows it: a number, or up to 6 numbers with the shape, e.g. `[0.5, 1, …] (shape [20])`. */
export function formatValue(value: ReadValue | undefined, raw?: unknown): string {
  if (value === undefined) return describe(raw);
  if (value.shape.length === 0) return formatNumber(value.values[0]);
  const shown = value.values.slice(0, 6).map(formatNumber).join(", ");
  const more = value.values.length > 6 ? ", …" : "";
  return `[${shown}${more}] (shape [${value.shape.join(", ")}])`;
}
