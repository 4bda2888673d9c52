import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { logMeanExp, logMeanExpOf, logSumExp, logSumExpOf } from "../../lib/objectives/logsumexp";

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe("logSumExp", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  it("is stable at +-1e4, where the naive formula overflows or underflows", () => {
    tf.tidy(() => {
      const x = tf.tensor2d([[1e4, 1e4], [-1e4, -1e4], [1e4, -1e4], [1e4, 1e4 - Math.log(3)]]);
      const naive = values(tf.log(tf.exp(x).sum(1)));
      expect(naive[0]).toBe(Infinity);
      expect(naive[1]).toBe(-Infinity);
      const out = values(logSumExp(x, 1));
      // float32 spacing at 1e4 is 2^-10 ~ 0.001
      expect(Math.abs(out[0] - (1e4 + Math.LN2))).toBeLessThan(1e-3);
      expect(Math.abs(out[1] - (-1e4 + Math.LN2))).toBeLessThan(1e-3);
      expect(Math.abs(out[2] - 1e4)).toBeLessThan(1e-3);
      expect(Math.abs(out[3] - (1e4 + Math.log(4 / 3)))).toBeLessThan(1e-3);
    });
  });

  it("agrees with the naive formula and with tf.logSumExp for moderate values", () => {
    tf.tidy(() => {
      const x = tf.randomNormal([4, 7], 0, 3, "float32", 1);
      const naive = values(tf.log(tf.exp(x).sum(1)));
      const ours = values(logSumExp(x, 1));
      const theirs = values(tf.logSumExp(x, 1));
      ours.forEach((v, i) => {
        expect(v).toBeCloseTo(naive[i], 5);
        expect(v).toBeCloseTo(theirs[i], 5);
      });
    });
  });

  it("gives -Infinity for rows of -Infinity (log 0), +Infinity and NaN where inputs have them", () => {
    tf.tidy(() => {
      const out = values(logSumExp(tf.tensor2d([[-Infinity, -Infinity], [0, -Infinity], [Infinity, 1], [NaN, 1]]), 1));
      expect(out[0]).toBe(-Infinity);
      expect(out[1]).toBeCloseTo(0, 6);
      expect(out[2]).toBe(Infinity);
      expect(out[3]).toBeNaN();
      // tf.logSumExp gives NaN for the all -Infinity row
      expect(values(tf.logSumExp(tf.tensor1d([-Infinity, -Infinity])))[0]).toBeNaN();
    });
  });

  it("reduces the requested axis, counts negative axes from the end and keeps dims on request", () => {
    tf.tidy(() => {
      const x = tf.tensor3d([[[0, 1], [2, 3], [4, 5]]]); // [1, 3, 2]
      expect(logSumExp(x).shape).toEqual([1, 3]);
      expect(logSumExp(x, 1).shape).toEqual([1, 2]);
      expect(logSumExp(x, -2, true).shape).toEqual([1, 1, 2]);
      expect(values(logSumExp(x, 1))[0]).toBeCloseTo(Math.log(1 + Math.exp(2) + Math.exp(4)), 5);
    });
  });

  it("has the softmax as its gradient, finite at 1e4", () => {
    tf.tidy(() => {
      const x = tf.tensor1d([1e4, 1e4 - Math.log(3)]);
      const g = values(tf.grad((t: tf.Tensor) => logSumExp(t, 0))(x));
      expect(g[0]).toBeCloseTo(0.75, 3);
      expect(g[1]).toBeCloseTo(0.25, 3);
    });
  });

  it("leaves no tensors behind", () => {
    const x = tf.randomNormal([5, 6]);
    const before = tf.memory().numTensors;
    const out = logSumExp(x, 1);
    const mean = logMeanExp(x, 0);
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose([x, out, mean]);
  });

  it("rejects a scalar, a bad axis and an empty axis, naming the function", () => {
    expect(() => logSumExp(tf.scalar(1))).toThrow("Error in logSumExp: x must be of rank >= 1, but got shape [].");
    expect(() => logSumExp(tf.zeros([2, 3]), 2)).toThrow("Error in logSumExp: axis must be an integer in [-2, 2), but got 2 for x of shape [2, 3].");
    expect(() => logMeanExp(tf.zeros([0, 3]), 0)).toThrow("Error in logMeanExp: x must be non-empty along axis 0, but got shape [0, 3].");
  });
});

describe("logMeanExp", () => {
  it("is logSumExp minus log n", () => {
    tf.tidy(() => {
      const x = tf.tensor2d([[0, Math.log(3)], [1e4, 1e4]]);
      const out = values(logMeanExp(x, 1));
      expect(out[0]).toBeCloseTo(Math.LN2, 6);
      expect(Math.abs(out[1] - 1e4)).toBeLessThan(1e-3);
    });
  });
});

describe("logSumExpOf and logMeanExpOf (float64)", () => {
  it("are exact at +-1e4 and handle infinities", () => {
    expect(logSumExpOf([1e4, 1e4])).toBeCloseTo(1e4 + Math.LN2, 10);
    expect(logSumExpOf([-1e4, -1e4])).toBeCloseTo(-1e4 + Math.LN2, 10);
    expect(logSumExpOf([-Infinity, -Infinity])).toBe(-Infinity);
    expect(logSumExpOf([Infinity, 0])).toBe(Infinity);
    expect(logSumExpOf([NaN, 0])).toBeNaN();
    expect(logMeanExpOf(Float64Array.from([0, Math.log(3)]))).toBeCloseTo(Math.LN2, 14);
  });

  it("reject an empty list", () => {
    expect(() => logSumExpOf([])).toThrow("Error in logSumExpOf: values must be a non-empty array of numbers, but got an empty array.");
    expect(() => logMeanExpOf([])).toThrow("Error in logMeanExpOf: values must be a non-empty array of numbers, but got an empty array.");
  });
});
