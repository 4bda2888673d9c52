import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { pca, symmetricEigen } from "../../lib/eval/pca";

/** An orthonormal basis of R^3: a rotation about (1, 1, 1) followed by a swap, by hand. */
const c = Math.cos(0.7);
const s = Math.sin(0.7);
const u1 = [c, s, 0];
const u2 = [-s * Math.SQRT1_2, c * Math.SQRT1_2, Math.SQRT1_2];
const u3 = [s * Math.SQRT1_2, -c * Math.SQRT1_2, Math.SQRT1_2];
const mean = [1, -2, 5];
const spread = [3, 1, 0.2];

/**
 * The 8 corners of a box with half-sides 3, 1, 0.2 along u1, u2, u3, centred at `mean`:
 * a design whose sample covariance is exactly sum_j spread_j^2 (8 / 7) u_j u_j^T.
 */
function box(): { rows: number[][]; coeff: number[][] } {
  const rows: number[][] = [];
  const coeff: number[][] = [];
  for (const a of [-1, 1]) for (const b of [-1, 1]) for (const d of [-1, 1]) {
    const k = [a * spread[0], b * spread[1], d * spread[2]];
    coeff.push(k);
    rows.push([0, 1, 2].map((i) => mean[i] + k[0] * u1[i] + k[1] * u2[i] + k[2] * u3[i]));
  }
  return { rows, coeff };
}

/** The sign convention of the lib: the entry of largest magnitude is positive. */
function canonical(v: number[]): number[] {
  let big = 0;
  v.forEach((x, i) => {
    if (Math.abs(x) > Math.abs(v[big])) big = i;
  });
  return v[big] < 0 ? v.map((x) => -x) : v;
}

describe("symmetricEigen", () => {
  it("diagonalizes a 2x2 matrix by hand", () => {
    const { values, vectors } = symmetricEigen([[2, 1], [1, 2]]);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(vectors[0][0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[0][1]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(Math.abs(vectors[1][0])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[1][0]).toBeCloseTo(-vectors[1][1], 12);
  });

  it("satisfies A v = lambda v with orthonormal v for a random 12x12 matrix", () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const d = 12;
    const a = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) a[i][j] = a[j][i] = rand();
    const { values, vectors } = symmetricEigen(a);
    let trace = 0;
    for (let i = 0; i < d; i++) trace += a[i][i];
    expect(values.reduce((p, q) => p + q, 0)).toBeCloseTo(trace, 10);
    for (let k = 0; k < d; k++) {
      if (k > 0) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
      for (let i = 0; i < d; i++) {
        const av = a[i].reduce((sum, aij, j) => sum + aij * vectors[k][j], 0);
        expect(av).toBeCloseTo(values[k] * vectors[k][i], 10);
      }
      for (let l = 0; l < d; l++) {
        const dot = vectors[k].reduce((sum, x, i) => sum + x * vectors[l][i], 0);
        expect(dot).toBeCloseTo(k === l ? 1 : 0, 10);
      }
    }
  });

  it("handles a diagonal matrix and rejects bad input", () => {
    const { values, vectors } = symmetricEigen([[1, 0, 0], [0, 5, 0], [0, 0, 3]]);
    expect(values).toEqual([5, 3, 1]);
    expect(vectors).toEqual([[0, 1, 0], [0, 0, 1], [1, 0, 0]]);
    expect(() => symmetricEigen([])).toThrow("Error in symmetricEigen: matrix must be a non-empty array of rows, but got an empty array.");
    expect(() => symmetricEigen([[1, 2], [3]])).toThrow("Error in symmetricEigen: matrix[1] must be of length 2 (a square matrix of 2 rows), but got length 1.");
    expect(() => symmetricEigen([[1, 2], [3, 4]])).toThrow("Error in symmetricEigen: matrix must be symmetric, but got matrix[1][0] = 3 and matrix[0][1] = 2.");
    expect(() => symmetricEigen([[NaN]])).toThrow("Error in symmetricEigen: matrix[0][0] must be a finite number, but got NaN.");
  });
});

describe("pca", () => {
  it("recovers the known principal axes, variances and scores of a hand-made data set", () => {
    const { rows, coeff } = box();
    const result = pca(rows, { components: 3 });
    result.mean.forEach((m, i) => expect(m).toBeCloseTo(mean[i], 12));
    [u1, u2, u3].forEach((u, j) => {
      const expected = canonical(u);
      result.components[j].forEach((x, i) => expect(x).toBeCloseTo(expected[i], 10));
      expect(result.variances[j]).toBeCloseTo((spread[j] ** 2 * 8) / 7, 10);
    });
    const total = (8 / 7) * (9 + 1 + 0.04);
    expect(result.totalVariance).toBeCloseTo(total, 10);
    expect(result.varianceRatio[0]).toBeCloseTo(9 / 10.04, 10);
    expect(result.varianceRatio.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    // Scores are the box coordinates, up to the sign fixed by the convention.
    [u1, u2, u3].forEach((u, j) => {
      const sign = canonical(u)[0] === u[0] ? 1 : -1;
      coeff.forEach((k, i) => expect(result.scores[i * 3 + j]).toBeCloseTo(sign * k[j], 5));
    });
  });

  it("keeps 2 components by default and accepts a tensor", () => {
    const { rows } = box();
    const x = tf.tensor2d(rows);
    const result = pca(x);
    expect(result.components).toHaveLength(2);
    expect(result.scores).toHaveLength(8 * 2);
    expect(result.variances[0]).toBeCloseTo((9 * 8) / 7, 4);
    expect(result.varianceRatio[0] + result.varianceRatio[1]).toBeCloseTo(10 / 10.04, 5);
    x.dispose();
  });

  it("rejects bad input", () => {
    expect(() => pca([[1, 2]])).toThrow("Error in pca: data must be [n, d] with n >= 2 rows and d >= 1 columns, but got shape [1, 2].");
    expect(() => pca([[1, 2], [3]])).toThrow("Error in pca: data[1] must be of length 2 (d, the length of data[0]), but got length 1.");
    expect(() => pca([[1, 2], [3, 4]], { components: 3 })).toThrow("Error in pca: options.components must be an integer in [1, d = 2], but got 3.");
    expect(() => pca([[1, 2], [3, 4]], { components: 3 })).toThrow(RangeError);
    expect(() => pca([[1, 2], [3, Infinity]])).toThrow("Error in pca: data[1][1] must be a finite number, but got Infinity.");
    const t = tf.zeros([2, 2, 2]);
    expect(() => pca(t as never)).toThrow("Error in pca: data must be rank 2 ([n, d]), but got shape [2, 2, 2].");
    t.dispose();
  });
});
