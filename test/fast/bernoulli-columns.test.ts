import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { bernoulliLogLikelihoodT } from "../../lib/fast/bernoulli-columns";
import { bernoulliLogLikelihood } from "../../lib/objectives/bernoulli";
import { initBackend } from "../../lib/runtime/backend";
import { wideLogitCase } from "../objectives/bernoulli-reference";

const gap = (a: tf.Tensor, b: tf.Tensor) => a.sub(b).abs().max().dataSync()[0];

describe.each(["cpu", "wasm"])("bernoulliLogLikelihoodT on %s", (backend) => {
  beforeAll(async () => {
    await initBackend(backend, { quiet: true });
  });

  it("equals bernoulliLogLikelihood on transposed inputs, values and gradients", () => {
    tf.tidy(() => {
      const x = tf.tensor2d([[0, 0.3, 1, 0.8], [1, 0, 0.5, 0.1]]);
      const logits = tf.tensor2d([[-2, 0.5, 3, -0.7], [1.2, -4, 0, 2.5]]);
      const weights = tf.tensor1d([0.7, -1.3]);
      const rows = (xi: tf.Tensor, li: tf.Tensor) => bernoulliLogLikelihood(xi as tf.Tensor2D, li as tf.Tensor2D).mul(weights).sum();
      const columns = (xi: tf.Tensor, li: tf.Tensor) =>
        bernoulliLogLikelihoodT(xi.transpose() as tf.Tensor2D, li.transpose() as tf.Tensor2D).mul(weights).sum();
      expect(gap(bernoulliLogLikelihoodT(x.transpose(), logits.transpose()), bernoulliLogLikelihood(x, logits))).toBeLessThan(1e-5);
      const [dxRows, dlRows] = tf.grads(rows)([x, logits]);
      const [dxColumns, dlColumns] = tf.grads(columns)([x, logits]);
      expect(gap(dxColumns, dxRows)).toBeLessThan(1e-6);
      expect(gap(dlColumns, dlRows)).toBeLessThan(1e-6);
    });
  });

  it("stays accurate over 784 pixels with logits up to +-40 (one logarithm per 16 pixels)", () => {
    const { x, logits, exact } = wideLogitCase();
    const columns = tf.tidy(() => Array.from(bernoulliLogLikelihoodT(tf.tensor2d(x).transpose(), tf.tensor2d(logits).transpose()).dataSync()));
    exact.forEach((e, r) => expect(Math.abs(columns[r] - e)).toBeLessThan(1e-5 * Math.abs(e)));
  });

  it("rejects mismatched shapes, naming both", () => {
    tf.tidy(() => {
      expect(() => bernoulliLogLikelihoodT(tf.zeros([4, 2]), tf.zeros([2, 4]))).toThrow(
        "Error in bernoulliLogLikelihoodT: xT and logitsT must be of the same shape, but got xT [4, 2] and logitsT [2, 4].",
      );
    });
  });
});
