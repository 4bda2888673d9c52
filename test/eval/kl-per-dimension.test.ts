import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { klPerDimension } from "../../lib/eval/kl-per-dimension";
import { klStandardNormalPerDimension } from "../../lib/objectives/kl";
import { klStandardNormal } from "../../lib/objectives/kl";
import type { GaussianEncoder } from "../../lib/eval/posterior-batches";

/** A hand-made encoder: mu = x W, logVar = x V (no network). */
function linearEncoder(w: number[][], v: number[][]): GaussianEncoder & { dispose(): void } {
  const W = tf.tensor2d(w);
  const V = tf.tensor2d(v);
  return {
    encode: (x) => ({ mu: tf.matMul(x, W), logVar: tf.matMul(x, V) }),
    dispose: () => {
      W.dispose();
      V.dispose();
    },
  };
}

describe("klStandardNormalPerDimension", () => {
  it("gives the one-dimensional KL terms, by hand", () => {
    const out = tf.tidy(() => klStandardNormalPerDimension(tf.tensor2d([[1, 0, 0]]), tf.tensor2d([[0, Math.log(4), 0]])).arraySync());
    expect(out[0][0]).toBeCloseTo(0.5, 6);
    expect(out[0][1]).toBeCloseTo((4 - 1 - Math.log(4)) / 2, 6);
    expect(out[0][2]).toBe(0);
  });

  it("sums over dimensions to klStandardNormal", () => {
    tf.tidy(() => {
      const mu = tf.randomNormal([50, 20], 0, 1.5, "float32", 1) as tf.Tensor2D;
      const logVar = tf.randomNormal([50, 20], -1, 1, "float32", 2) as tf.Tensor2D;
      const perDim = klStandardNormalPerDimension(mu, logVar);
      expect(perDim.shape).toEqual([50, 20]);
      expect(perDim.min().dataSync()[0]).toBeGreaterThanOrEqual(0);
      const total = klStandardNormal(mu, logVar).dataSync();
      const summed = perDim.sum(1).dataSync();
      for (let i = 0; i < 50; i++) expect(summed[i]).toBeCloseTo(total[i], 3);
    });
  });

  it("rejects mismatched shapes", () => {
    tf.tidy(() => {
      expect(() => klStandardNormalPerDimension(tf.zeros([2, 3]), tf.zeros([2, 4]))).toThrow(
        "Error in klStandardNormalPerDimension: mu and logVar must be of the same shape, but got mu [2, 3] and logVar [2, 4].",
      );
      expect(() => klStandardNormalPerDimension(tf.zeros([3]) as never, tf.zeros([3]) as never)).toThrow(
        "Error in klStandardNormalPerDimension: mu must be rank 2 ([batch, latentDim]), but got shape [3].",
      );
    });
  });
});

describe("klPerDimension", () => {
  it("averages the KL per dimension over a data set, in any batch size, without leaks", () => {
    const enc = linearEncoder([[1, 0, 0], [0, 2, 0]], [[0, 0, 0], [-1, 0, 0.5]]);
    const x = tf.tensor2d([[1, 0], [0, 1], [2, 1], [-1, 3], [0.5, -0.5]]);
    const before = tf.memory().numTensors;
    const batched = klPerDimension(enc, x, { batchSize: 2 });
    const whole = klPerDimension(enc, x);
    expect(tf.memory().numTensors).toBe(before);
    // By hand: per row, mu = (x1, 2 x2, 0), logVar = (-x2, 0, x2 / 2).
    const rows = x.arraySync();
    const expected = [0, 0, 0];
    for (const [a, b] of rows) {
      const mu = [a, 2 * b, 0];
      const lv = [-b, 0, b / 2];
      for (let i = 0; i < 3; i++) expected[i] += 0.5 * (Math.exp(lv[i]) + mu[i] ** 2 - 1 - lv[i]) / rows.length;
    }
    for (let i = 0; i < 3; i++) {
      expect(batched[i]).toBeCloseTo(expected[i], 5);
      expect(whole[i]).toBeCloseTo(expected[i], 5);
    }
    // The entries add up to the mean KL term.
    const mean = tf.tidy(() => {
      const { mu, logVar } = enc.encode(x);
      return klStandardNormal(mu, logVar).mean().dataSync()[0];
    });
    expect(batched.reduce((s, v) => s + v, 0)).toBeCloseTo(mean, 5);
    x.dispose();
    enc.dispose();
  });

  it("rejects bad data and options", () => {
    const enc = linearEncoder([[1]], [[0]]);
    const x = tf.zeros([0, 1]) as tf.Tensor2D;
    expect(() => klPerDimension(enc, x)).toThrow("Error in klPerDimension: x must be non-empty ([n, inputDim] with n >= 1), but got shape [0, 1].");
    const y = tf.ones([3, 1]) as tf.Tensor2D;
    expect(() => klPerDimension(enc, y, { batchSize: 0 })).toThrow("Error in klPerDimension: options.batchSize must be a positive integer, but got 0.");
    expect(() => klPerDimension({} as never, y)).toThrow(
      "Error in klPerDimension: model must be an encoder with an encode(x) method returning { mu, logVar }, e.g. a VAE, but got an object.",
    );
    expect(() => klPerDimension({} as never, y)).toThrow(TypeError);
    const bad: GaussianEncoder = { encode: (b) => ({ mu: tf.zeros([b.shape[0], 2]), logVar: tf.zeros([b.shape[0], 3]) }) };
    expect(() => klPerDimension(bad, y)).toThrow(
      "Error in klPerDimension: the encoder's mu and logVar must be of shape [batch, latentDim] = [3, d], but got mu [3, 2] and logVar [3, 3].",
    );
    for (const t of [x, y]) t.dispose();
    enc.dispose();
  });
});
