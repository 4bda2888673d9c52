import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { denseForward } from "../../lib/fast/dense-forward";
import { initBackend } from "../../lib/runtime/backend";

/** The same layer through TensorFlow.js's own ops and gradients, row-major, transposed. */
function reference(xT: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, activation: "relu" | "linear"): tf.Tensor2D {
  const pre = tf.matMul(xT.transpose(), w).add(b) as tf.Tensor2D;
  return (activation === "relu" ? tf.relu(pre) : pre).transpose();
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => a.sub(b).abs().max().dataSync()[0]);
}

describe.each(["cpu", "wasm"])("denseForward on %s", (backend) => {
  beforeAll(async () => {
    await initBackend(backend, { quiet: true });
  });

  // [inDim, outDim, batch]: each product of the layer has two orders; these shapes take each.
  const shapes = [[5, 4, 6], [7, 9, 3], [3, 8, 5]];
  for (const activation of ["relu", "linear"] as const) {
    it.each(shapes)(`matches TensorFlow.js's values and gradients (${activation}, %i -> %i, batch %i)`, (inDim, outDim, batch) => {
      tf.tidy(() => {
        const x = tf.randomNormal([inDim, batch], 0, 1, "float32", 1) as tf.Tensor2D;
        const w = tf.randomNormal([inDim, outDim], 0, 1, "float32", 2) as tf.Tensor2D;
        const b = tf.randomNormal([outDim], 0, 1, "float32", 3) as tf.Tensor1D;
        const weights = tf.randomNormal([outDim, batch], 0, 1, "float32", 4);
        const loss = (f: typeof denseForward | typeof reference) => (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) =>
          f(xi as tf.Tensor2D, wi as tf.Tensor2D, bi as tf.Tensor1D, activation).mul(weights).sum();
        expect(maxAbsDiff(denseForward(x, w, b, activation), reference(x, w, b, activation))).toBeLessThan(1e-5);
        const ours = tf.grads(loss(denseForward))([x, w, b]);
        const theirs = tf.grads(loss(reference))([x, w, b]);
        ours.forEach((g, i) => expect(maxAbsDiff(g, theirs[i])).toBeLessThan(1e-4));
      });
    });
  }

  it("passes no gradient to the input when inputGrad is false, and the same ones to the weights", () => {
    tf.tidy(() => {
      const x = tf.randomNormal([4, 3], 0, 1, "float32", 5) as tf.Tensor2D;
      const w = tf.variable(tf.randomNormal([4, 2], 0, 1, "float32", 6)) as tf.Variable<tf.Rank.R2>;
      const b = tf.variable(tf.zeros([2])) as tf.Variable<tf.Rank.R1>;
      const withInput = tf.variableGrads(() => denseForward(x, w, b, "relu").square().sum(), [w, b]);
      const dataOnly = tf.variableGrads(() => denseForward(x, w, b, "relu", false).square().sum(), [w, b]);
      expect(maxAbsDiff(withInput.grads[w.name], dataOnly.grads[w.name])).toBeLessThan(1e-5);
      expect(maxAbsDiff(withInput.grads[b.name], dataOnly.grads[b.name])).toBeLessThan(1e-5);
      w.dispose();
      b.dispose();
    });
  });
});
