import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { activeUnits } from "../../lib/eval/active-units";
import type { GaussianEncoder } from "../../lib/eval/posterior-batches";
import { VAE } from "../../lib/models/vae";

/**
 * A synthetic encoder with known activity: mu_i(x) = scale_i * x_i + offset_i, so
 * Var_x(mu_i) = scale_i^2 Var(x_i). Offsets are large on purpose (a naive sum-of-squares
 * variance in float32 would lose them).
 */
const scales = [1, 0.5, 0.05, 0];
const offsets = [3, -2, 100, 7];
const synthetic: GaussianEncoder = {
  encode: (x) =>
    tf.tidy(() => ({
      mu: x.mul(tf.tensor1d(scales)).add(tf.tensor1d(offsets)) as tf.Tensor2D,
      logVar: tf.zerosLike(x) as tf.Tensor2D,
    })),
};

function populationVariance(values: number[]): number {
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  return values.reduce((a, b) => a + (b - m) ** 2, 0) / values.length;
}

describe("activeUnits (Burda et al. 2016, section 5.2)", () => {
  it("finds the units whose posterior mean varies over x by more than 0.01", () => {
    const x = tf.randomNormal([1003, 4], 0, 1, "float32", 5) as tf.Tensor2D;
    const cols = x.arraySync();
    const before = tf.memory().numTensors;
    const au = activeUnits(synthetic, x, { batchSize: 100 });
    expect(tf.memory().numTensors).toBe(before);
    scales.forEach((s, i) => {
      const expected = s * s * populationVariance(cols.map((r) => r[i]));
      expect(au.variances[i]).toBeCloseTo(expected, 5);
    });
    // Variances ~1, ~0.25, ~0.0025, 0.
    expect(au.active).toEqual([true, true, false, false]);
    expect(au.count).toBe(2);
    expect(au.threshold).toBe(0.01);
    // Batch size does not change the result.
    const whole = activeUnits(synthetic, x);
    whole.variances.forEach((v, i) => expect(v).toBeCloseTo(au.variances[i], 6));
    // A custom threshold.
    expect(activeUnits(synthetic, x, { threshold: 0.001 }).count).toBe(3);
    x.dispose();
  });

  it("counts every unit of an untrained VAE as active and is leak-free on a real model", () => {
    const vae = new VAE({ inputDim: 6, hiddenSizes: [5], latentDim: 3, seed: 1 });
    const x = tf.randomUniform([40, 6], 0, 1, "float32", 2) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const au = activeUnits(vae, x, { batchSize: 16, threshold: 0 });
    expect(tf.memory().numTensors).toBe(before);
    expect(au.variances).toHaveLength(3);
    expect(au.count).toBe(3);
    x.dispose();
    vae.dispose();
  });

  it("rejects a bad threshold", () => {
    const x = tf.zeros([2, 4]) as tf.Tensor2D;
    expect(() => activeUnits(synthetic, x, { threshold: -1 })).toThrow(
      "Error in activeUnits: options.threshold must be a finite number >= 0, but got -1.",
    );
    const v = tf.zeros([4]);
    expect(() => activeUnits(synthetic, v as never)).toThrow("Error in activeUnits: x must be rank 2 ([n, inputDim]), but got shape [4].");
    x.dispose();
    v.dispose();
  });
});
