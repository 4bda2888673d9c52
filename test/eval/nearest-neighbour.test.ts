import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { nearestNeighbourAccuracy, nearestNeighbours } from "../../lib/eval/nearest-neighbour";

describe("nearestNeighbourAccuracy", () => {
  it("is 1 for separated clusters and 0 for perfectly interleaved labels", () => {
    expect(nearestNeighbourAccuracy([[0, 0], [0, 1], [5, 5], [5, 6]], [1, 1, 2, 2])).toBe(1);
    // On a line 0, 1, 2, 3 with labels a b a b every nearest neighbour has the other label.
    expect(nearestNeighbourAccuracy([[0], [1], [2.1], [3.3]], [0, 1, 0, 1])).toBe(0);
  });

  it("counts a mixed case by hand, and breaks ties towards the earlier point", () => {
    // Points 0, 1, 3, 10 with labels 0 0 1 1: nearest of 0 is 1 (hit), of 1 is 0 (hit),
    // of 3 is 1 (miss), of 10 is 3 (hit): 3 / 4.
    expect(nearestNeighbourAccuracy([[0], [1], [3], [10]], [0, 0, 1, 1])).toBe(0.75);
    // Point 1 is equally near 0 and 2; the tie goes to point 0 (label 5): hit.
    expect(nearestNeighbourAccuracy([[0], [1], [2]], [5, 5, 6])).toBe(2 / 3);
  });

  it("accepts a tensor", () => {
    const x = tf.tensor2d([[0, 0], [0, 1], [5, 5], [5, 6]]);
    expect(nearestNeighbourAccuracy(x, Uint8Array.from([3, 3, 4, 3]))).toBe(0.5);
    x.dispose();
  });

  it("rejects bad input", () => {
    const fn = "Error in nearestNeighbourAccuracy";
    expect(() => nearestNeighbourAccuracy([[0]], [1])).toThrow(`${fn}: points must be [n, d] with n >= 2 rows and d >= 1 columns, but got shape [1, 1].`);
    expect(() => nearestNeighbourAccuracy([[0], [1]], [1])).toThrow(`${fn}: labels must be of length 2 (one per row of points), but got length 1.`);
    expect(() => nearestNeighbourAccuracy([[0], [NaN]], [1, 1])).toThrow(`${fn}: points[1][0] must be a finite number, but got NaN.`);
    expect(() => nearestNeighbourAccuracy([[0, 1], [1]], [1, 1])).toThrow(`${fn}: points[1] must be of length 2 (d, the length of points[0]), but got length 1.`);
  });
});

describe("nearestNeighbours", () => {
  it("finds each query's nearest reference row and its distance, across blocks", () => {
    const reference = tf.tensor2d([[0, 0], [10, 0], [0, 10], [3, 4], [3, 4]]);
    const queries = tf.tensor2d([[9, 1], [3, 4.5], [-1, 0], [0, 9]]);
    const before = tf.memory().numTensors;
    for (const blockSize of [1, 2, 10000]) {
      const { indices, distances } = nearestNeighbours(queries, reference, { blockSize });
      // Checked by hand; [3, 4.5] is equally near rows 3 and 4, and the tie goes to row 3.
      expect(Array.from(indices)).toEqual([1, 3, 0, 2]);
      expect(distances[0]).toBeCloseTo(Math.SQRT2, 5);
      expect(distances[1]).toBeCloseTo(0.5, 3);
      expect(distances[2]).toBeCloseTo(1, 5);
      expect(distances[3]).toBeCloseTo(1, 5);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([reference, queries]);
  });

  it("agrees with a brute-force search in float64 on random images", () => {
    const m = 7, n = 300, d = 784;
    const q = Float32Array.from({ length: m * d }, (_, i) => (Math.sin(i * 12.9898) * 43758.5453) % 1 + 0.5);
    const r = Float32Array.from({ length: n * d }, (_, i) => (Math.sin(i * 78.233) * 12345.678) % 1 + 0.5);
    const [qt, rt] = [tf.tensor2d(q, [m, d]), tf.tensor2d(r, [n, d])];
    const { indices, distances } = nearestNeighbours(qt, rt, { blockSize: 128 });
    for (let i = 0; i < m; i++) {
      let best = Infinity, bestJ = -1;
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += (q[i * d + k] - r[j * d + k]) ** 2;
        if (s < best) [best, bestJ] = [s, j];
      }
      expect(indices[i]).toBe(bestJ);
      expect(distances[i]).toBeCloseTo(Math.sqrt(best), 2);
    }
    tf.dispose([qt, rt]);
  });

  it("rejects bad input", () => {
    const a = tf.tensor2d([[0, 0]]);
    const b = tf.tensor2d([[0, 0, 0]]);
    expect(() => nearestNeighbours(a, b)).toThrow("Error in nearestNeighbours: reference must be [n, 2] (as many columns as queries [1, 2]), but got shape [1, 3].");
    expect(() => nearestNeighbours(tf.tensor1d([1]) as unknown as tf.Tensor2D, a)).toThrow("Error in nearestNeighbours: queries must be rank 2 ([m, d])");
    expect(() => nearestNeighbours(a, a, { blockSize: 0 })).toThrow(RangeError);
    tf.dispose([a, b]);
  });
});
