/** Values in [-1, 1) from a fixed linear congruential sequence, the same on every backend. */
export function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** The number of entries of a tensor of this shape. */
export const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** The largest |actual − expected|, relative to the largest |expected|. */
export function maxRelativeError(actual: Float32Array, expected: Float32Array): number {
  const scale = Math.max(...Array.from(expected, Math.abs));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / scale);
  return worst;
}
