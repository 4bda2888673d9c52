import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { freeBitsKl } from "../../lib/objectives/free-bits";
import { klStandardNormal } from "../../lib/objectives/kl";

describe("freeBitsKl", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  const mu = [[1, 0.1, 0], [3, -0.1, 0]];
  const logVar = [[0, 0, 0.2], [0, 0, -0.2]];

  it("clamps each dimension's batch-mean KL at lambda from below", () => {
    // Batch-mean KL per dimension, by hand: 0.5 * mean(mu^2 + e^lv - 1 - lv).
    const perDim = [0, 1, 2].map((j) => 0.5 * ((mu[0][j] ** 2 + Math.exp(logVar[0][j]) - 1 - logVar[0][j]) + (mu[1][j] ** 2 + Math.exp(logVar[1][j]) - 1 - logVar[1][j])) / 2);
    for (const lambda of [0, 0.01, 0.5, 3]) {
      const expected = perDim.reduce((s, k) => s + Math.max(lambda, k), 0);
      expect(tf.tidy(() => freeBitsKl(mu, logVar, lambda).arraySync())).toBeCloseTo(expected, 5);
    }
  });

  it("is the batch-mean KL term at lambda = 0", () => {
    const plain = tf.tidy(() => klStandardNormal(mu, logVar).mean().arraySync() as number);
    expect(tf.tidy(() => freeBitsKl(mu, logVar, 0).arraySync())).toBeCloseTo(plain, 6);
  });

  it("gives zero gradient to a clamped dimension and the KL gradient to a free one", () => {
    const m = tf.tensor2d(mu);
    const lv = tf.tensor2d(logVar);
    // lambda = 0.5 clamps dimensions 1 and 2 (KL about 0.005 and 0.01) but not dimension 0 (2.5).
    const [gMu, gLv] = tf.grads((a: tf.Tensor, b: tf.Tensor) => freeBitsKl(a as tf.Tensor2D, b as tf.Tensor2D, 0.5))([m, lv]);
    const gm = gMu.arraySync() as number[][];
    const gl = gLv.arraySync() as number[][];
    for (const row of [0, 1]) {
      for (const j of [1, 2]) {
        expect(Math.abs(gm[row][j])).toBe(0);
        expect(Math.abs(gl[row][j])).toBe(0);
      }
      expect(gm[row][0]).toBeCloseTo(mu[row][0] / 2, 5); // d/dmu of 0.5 mu^2, averaged over 2 rows
    }
    tf.dispose([m, lv, gMu, gLv]);
  });

  it("rejects a negative or non-finite lambda, naming it", () => {
    expect(() => freeBitsKl(mu, logVar, -0.1)).toThrow(/lambda/);
    expect(() => freeBitsKl(mu, logVar, Number.NaN)).toThrow(/lambda/);
  });
});
