import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { interpolateLatent } from "../../lib/eval/interpolation";
import { traversalCodes } from "../../lib/eval/traversal";

function rows(t: tf.Tensor2D): number[][] {
  const out = t.arraySync();
  t.dispose();
  return out;
}

describe("interpolateLatent", () => {
  it("walks the straight line from one code to the other, ends included", () => {
    const out = rows(interpolateLatent([0, 0], [1, 2], 3));
    expect(out).toEqual([[0, 0], [0.5, 1], [1, 2]]);
    const five = rows(interpolateLatent([1, -1, 4], [-3, 1, 0], 5));
    expect(five[0]).toEqual([1, -1, 4]);
    expect(five[4]).toEqual([-3, 1, 0]);
    five[1].forEach((v, i) => expect(v).toBeCloseTo([0, -0.5, 3][i], 6));
  });

  it("keeps the length on a circle for spherical interpolation", () => {
    const out = rows(interpolateLatent([2, 0], [0, 2], 5, "spherical"));
    for (let k = 0; k < 5; k++) {
      const angle = (k / 4) * (Math.PI / 2);
      expect(out[k][0]).toBeCloseTo(2 * Math.cos(angle), 5);
      expect(out[k][1]).toBeCloseTo(2 * Math.sin(angle), 5);
    }
    // Same direction, or opposite: the straight line.
    expect(rows(interpolateLatent([1, 1], [2, 2], 3, "spherical"))[1]).toEqual([1.5, 1.5]);
    expect(rows(interpolateLatent([1, 0], [-1, 0], 3, "spherical"))[1]).toEqual([0, 0]);
    expect(rows(interpolateLatent([0, 0], [1, 0], 3, "spherical"))[1]).toEqual([0.5, 0]);
  });

  it("rejects bad arguments", () => {
    expect(() => interpolateLatent([0], [1, 2], 3)).toThrow("Error in interpolateLatent: to must be of length 1 (latentDim, the length of from), but got length 2.");
    expect(() => interpolateLatent([0], [1], 1)).toThrow("Error in interpolateLatent: steps must be an integer >= 2, but got 1.");
    expect(() => interpolateLatent([0], [1], 1)).toThrow(RangeError);
    expect(() => interpolateLatent([], [], 3)).toThrow("Error in interpolateLatent: from must be a non-empty array of numbers, but got an empty array.");
    expect(() => interpolateLatent([0], [NaN], 3)).toThrow("Error in interpolateLatent: to[0] must be a finite number, but got NaN.");
    expect(() => interpolateLatent([0], [1], 3, "cubic" as never)).toThrow('Error in interpolateLatent: method must be "linear" or "spherical", but got "cubic".');
    expect(tf.memory().numTensors).toBe(0);
  });
});

describe("traversalCodes", () => {
  it("changes one dimension per row, one value per column", () => {
    const out = rows(traversalCodes([0.5, 0.5, 9], [1, 0], [-1, 0, 1]));
    expect(out).toEqual([
      [0.5, -1, 9], [0.5, 0, 9], [0.5, 1, 9],
      [-1, 0.5, 9], [0, 0.5, 9], [1, 0.5, 9],
    ]);
  });

  it("rejects bad arguments", () => {
    expect(() => traversalCodes([0, 0], [2], [1])).toThrow("Error in traversalCodes: dims[0] must be an integer in [0, latentDim = 2), but got 2.");
    expect(() => traversalCodes([0, 0], [2], [1])).toThrow(RangeError);
    expect(() => traversalCodes([0, 0], [], [1])).toThrow("Error in traversalCodes: dims must be a non-empty array of dimension indices, but got an empty array.");
    expect(() => traversalCodes([0, 0], [0], [])).toThrow("Error in traversalCodes: values must be a non-empty array of numbers, but got an empty array.");
    expect(() => traversalCodes([0, Infinity], [0], [1])).toThrow("Error in traversalCodes: base[1] must be a finite number, but got Infinity.");
    expect(tf.memory().numTensors).toBe(0);
  });
});
