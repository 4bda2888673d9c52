import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { diagonalMvGaussian, mvGaussianLogDensity } from "../../lib/models/linear-gaussian";
import { gaussianLogDensity, LOG_2PI, sampleDiagonalGaussian, standardNormalLogDensity } from "../../lib/objectives/gaussian";

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe("gaussianLogDensity", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  it("matches values computed by hand", () => {
    tf.tidy(() => {
      expect(values(gaussianLogDensity(tf.tensor2d([[0]]), tf.tensor2d([[0]]), tf.tensor2d([[0]])))[0]).toBeCloseTo(-0.5 * LOG_2PI, 6);
      // N(3; 1, 4): -1/2 (log 2 pi + log 4 + (3 - 1)^2 / 4)
      const out = values(gaussianLogDensity(tf.tensor2d([[3, 0]]), tf.tensor2d([[1, 0]]), tf.tensor2d([[Math.log(4), 0]])));
      expect(out[0]).toBeCloseTo(-0.5 * (LOG_2PI + Math.log(4) + 1) - 0.5 * LOG_2PI, 5);
    });
  });

  it("agrees with the full-covariance float64 density for a diagonal covariance", () => {
    const x = [0.3, -1.2, 2.0];
    const mu = [0.1, 0.5, -0.4];
    const logVar = [-1, 0.7, 1.3];
    const expected = mvGaussianLogDensity(x, diagonalMvGaussian(mu, logVar));
    const got = tf.tidy(() => values(gaussianLogDensity(tf.tensor2d([x]), tf.tensor2d([mu]), tf.tensor2d([logVar])))[0]);
    expect(got).toBeCloseTo(expected, 4);
  });

  it("integrates to 1 in one dimension (trapezoid rule)", () => {
    const grid = Array.from({ length: 4001 }, (_, i) => -10 + (20 * i) / 4000);
    const dens = tf.tidy(() => values(gaussianLogDensity(tf.tensor2d(grid, [grid.length, 1]), tf.tensor2d([[0.7]]), tf.tensor2d([[Math.log(2.5)]]))));
    const h = 20 / 4000;
    const integral = dens.reduce((acc, v, i) => acc + (i === 0 || i === grid.length - 1 ? 0.5 : 1) * Math.exp(v), 0) * h;
    expect(integral).toBeCloseTo(1, 4);
  });

  it("broadcasts one posterior over many samples: [samples, batch, dim] with [batch, dim]", () => {
    tf.tidy(() => {
      const z = tf.randomNormal([4, 3, 2], 0, 1, "float32", 5);
      const mu = tf.tensor2d([[0, 1], [2, -1], [0.5, 0.5]]);
      const logVar = tf.tensor2d([[0, -1], [1, 0.2], [-0.3, 0.3]]);
      const all = gaussianLogDensity(z, mu, logVar);
      expect(all.shape).toEqual([4, 3]);
      const rows = all.arraySync() as number[][];
      for (let s = 0; s < 4; s++) {
        const one = gaussianLogDensity(z.slice([s, 0, 0], [1, 3, 2]).squeeze([0]) as tf.Tensor2D, mu, logVar);
        values(one).forEach((v, b) => expect(rows[s][b]).toBeCloseTo(v, 5));
      }
    });
  });

  it("is the standard normal density with mu = 0 and logVar = 0", () => {
    tf.tidy(() => {
      const x = tf.tensor2d([[1, 0], [0.5, -2]]);
      const a = values(standardNormalLogDensity(x));
      const b = values(gaussianLogDensity(x, tf.zeros([2, 2]), tf.zeros([2, 2])));
      expect(a[0]).toBeCloseTo(-LOG_2PI - 0.5, 6);
      a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 6));
    });
  });

  it("rejects mismatched shapes, naming the function and both shapes", () => {
    const t = (s: number[]) => tf.zeros(s);
    expect(() => gaussianLogDensity(t([2, 3]), t([2, 3]), t([2, 4]))).toThrow(
      "Error in gaussianLogDensity: mu and logVar must be of the same shape, but got mu [2, 3] and logVar [2, 4].",
    );
    expect(() => gaussianLogDensity(t([2, 4]), t([2, 3]), t([2, 3]))).toThrow(
      "Error in gaussianLogDensity: x and mu must be of the same last axis (dim), but got x [2, 4] and mu [2, 3].",
    );
    expect(() => gaussianLogDensity(t([5, 2, 3]), t([4, 3]), t([4, 3]))).toThrow(
      "Error in gaussianLogDensity: mu must be broadcastable against x, but got x [5, 2, 3] and mu [4, 3].",
    );
    expect(() => standardNormalLogDensity(tf.scalar(1))).toThrow("Error in standardNormalLogDensity: x must be of rank >= 1, but got shape [].");
  });

  it("leaves only its result behind", () => {
    const x = tf.zeros([3, 2]);
    const before = tf.memory().numTensors;
    const out = gaussianLogDensity(x, x, x);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([x, out]);
  });
});

describe("sampleDiagonalGaussian", () => {
  it("draws [samples, batch, dim] with mean mu and standard deviation exp(logVar / 2)", () => {
    tf.tidy(() => {
      const { z, eps } = sampleDiagonalGaussian(tf.tensor2d([[1.5, -2]]), tf.tensor2d([[Math.log(0.25), Math.log(4)]]), 20000, 3);
      expect(z.shape).toEqual([20000, 1, 2]);
      expect(eps.shape).toEqual([20000, 1, 2]);
      const { mean, variance } = tf.moments(z, 0);
      const m = values(mean);
      const sd = values(variance.sqrt());
      expect(m[0]).toBeCloseTo(1.5, 1);
      expect(m[1]).toBeCloseTo(-2, 1);
      expect(sd[0]).toBeCloseTo(0.5, 1);
      expect(sd[1]).toBeCloseTo(2, 1);
    });
  });

  it("is reproducible from its seed and checks its arguments", () => {
    const draw = () => tf.tidy(() => values(sampleDiagonalGaussian(tf.zeros([2, 2]), tf.zeros([2, 2]), 3, 9).z));
    expect(draw()).toEqual(draw());
    expect(() => sampleDiagonalGaussian(tf.zeros([2, 2]), tf.zeros([2, 2]), 0)).toThrow(
      "Error in sampleDiagonalGaussian: samples must be a positive integer, but got 0.",
    );
  });
});
