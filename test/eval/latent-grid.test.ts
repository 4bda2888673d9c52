import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { latentGrid2d } from "../../lib/eval/latent-grid";

describe("latentGrid2d", () => {
  it("lays codes out as imageGrid draws them: z1 grows to the right, z2 upwards", () => {
    const grid = latentGrid2d([-1, 0, 2]);
    expect(grid.shape).toEqual([9, 2]);
    expect(grid.arraySync()).toEqual([
      [-1, 2], [0, 2], [2, 2],
      [-1, 0], [0, 0], [2, 0],
      [-1, -1], [0, -1], [2, -1],
    ]);
    grid.dispose();
  });

  it("rejects empty or non-finite values", () => {
    expect(() => latentGrid2d([])).toThrow("Error in latentGrid2d: values must be a non-empty array of numbers, but got an empty array.");
    expect(() => latentGrid2d([0, NaN])).toThrow("Error in latentGrid2d: values[1] must be a finite number, but got NaN.");
    expect(tf.memory().numTensors).toBe(0);
  });
});
