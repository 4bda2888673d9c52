import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { nearestNeighbourAccuracy } from "../../lib/eval/nearest-neighbour";

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
