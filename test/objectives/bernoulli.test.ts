import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { bernoulliLogLikelihood } from "../../lib/objectives/bernoulli";
import { initBackend } from "../../lib/runtime/backend";
import { wideLogitCase } from "./bernoulli-reference";

/** The textbook formula in float64: sum x log s + (1 - x) log(1 - s), s = sigmoid(l). */
function naive(x: number[], logits: number[]): number {
  return x.reduce((acc, xi, i) => {
    const s = 1 / (1 + Math.exp(-logits[i]));
    return acc + xi * Math.log(s) + (1 - xi) * Math.log(1 - s);
  }, 0);
}

function logLik(x: number[][], logits: number[][]): number[] {
  return tf.tidy(() => Array.from(bernoulliLogLikelihood(tf.tensor2d(x), tf.tensor2d(logits)).dataSync()));
}

describe("bernoulliLogLikelihood", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  it("equals 2 log(1/2) for two pixels at logit 0", () => {
    expect(logLik([[1, 0]], [[0, 0]])[0]).toBeCloseTo(2 * Math.log(0.5), 6);
  });

  it("matches the textbook formula on random grey-level inputs", () => {
    const rows = 8;
    const cols = 50;
    const x = Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => ((r * 31 + c * 17) % 101) / 100));
    const logits = Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => Math.sin(r * 7 + c) * 6));
    const got = logLik(x, logits);
    got.forEach((value, r) => expect(value).toBeCloseTo(naive(x[r], logits[r]), 3));
  });

  it("stays finite and exact at logits of +-100", () => {
    const [ones, zerosAtPlus, onesAtMinus, zeros] = logLik([[1], [0], [1], [0]], [[100], [100], [-100], [-100]]);
    expect(ones).toBeCloseTo(0, 6);
    expect(zerosAtPlus).toBeCloseTo(-100, 4);
    expect(onesAtMinus).toBeCloseTo(-100, 4);
    expect(zeros).toBeCloseTo(0, 6);
    // The naive formula fails here: log(1 - sigmoid(100)) = log(0) in float64.
    expect(naive([0], [100])).toBe(-Infinity);
  });

  it("stays accurate over 784 pixels with logits up to +-40", () => {
    const { x, logits, exact } = wideLogitCase();
    const rows = logLik(x, logits);
    exact.forEach((e, r) => {
      expect(Math.abs(rows[r] - e)).toBeLessThan(1e-5 * Math.abs(e));
    });
  });

  it("rejects mismatched shapes, naming both", () => {
    expect(() => bernoulliLogLikelihood(tf.zeros([2, 3]) as tf.Tensor2D, tf.zeros([2, 4]) as tf.Tensor2D)).toThrow(
      "Error in bernoulliLogLikelihood: x and logits must be of the same shape, but got x [2, 3] and logits [2, 4].",
    );
  });
});

describe.each(["cpu", "wasm"])("the gradient of bernoulliLogLikelihood on %s", (backend) => {
  beforeAll(async () => {
    await initBackend(backend, { quiet: true });
  });

  const x = () => tf.tensor2d([[0, 0.3, 1, 0.8], [1, 0, 0.5, 0.1]]);
  const logits = () => tf.tensor2d([[-2, 0.5, 3, -0.7], [1.2, -4, 0, 2.5]]);
  const weights = () => tf.tensor1d([0.7, -1.3]);
  const gap = (a: tf.Tensor, b: tf.Tensor) => a.sub(b).abs().max().dataSync()[0];

  it("matches automatic differentiation of the textbook formula, for logits and targets", () => {
    tf.tidy(() => {
      const textbook = (xi: tf.Tensor, li: tf.Tensor) => {
        const s = tf.sigmoid(li);
        return xi.mul(tf.log(s)).add(tf.sub(1, xi).mul(tf.log(tf.sub(1, s)))).sum(1).mul(weights()).sum();
      };
      const ours = (xi: tf.Tensor, li: tf.Tensor) => bernoulliLogLikelihood(xi as tf.Tensor2D, li as tf.Tensor2D).mul(weights()).sum();
      const [dxOurs, dlOurs] = tf.grads(ours)([x(), logits()]);
      const [dxRef, dlRef] = tf.grads(textbook)([x(), logits()]);
      expect(gap(dxOurs, dxRef)).toBeLessThan(1e-4);
      expect(gap(dlOurs, dlRef)).toBeLessThan(1e-4);
    });
  });
});
