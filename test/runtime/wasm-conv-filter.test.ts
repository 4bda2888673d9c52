import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { initBackend } from "../../lib/runtime/backend";
import { registerWasmConvFilter } from "../../lib/runtime/wasm-conv-filter";
import { maxRelativeError, size, values } from "./backend-comparison";

type Pad = "same" | "valid";
interface Case {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  stride: number;
  pad: Pad;
}

const CASES: Case[] = [
  { x: [2, 7, 7, 1], filter: [3, 3, 1, 4], stride: 1, pad: "same" },
  { x: [3, 8, 8, 3], filter: [3, 3, 3, 5], stride: 2, pad: "same" },
  { x: [2, 9, 9, 2], filter: [3, 3, 2, 3], stride: 2, pad: "valid" },
  { x: [1, 6, 5, 4], filter: [2, 3, 4, 2], stride: 1, pad: "valid" },
  { x: [4, 28, 28, 1], filter: [3, 3, 1, 8], stride: 2, pad: "same" },
];

/** Filter gradients of a weighted sum of conv2d's and conv2dTranspose's outputs, on one backend. */
function filterGradients(backend: string, c: Case): { conv: Float32Array; transpose: Float32Array } {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor4d(values(size(c.x), 1), c.x);
    const w = tf.tensor4d(values(size(c.filter), 2), c.filter);
    const y = tf.conv2d(x, w, c.stride, c.pad);
    const weights = tf.tensor(values(y.size, 3), y.shape);
    const conv = tf.grad((f) => tf.conv2d(x, f as tf.Tensor4D, c.stride, c.pad).mul(weights).sum())(w);
    // conv2dTranspose maps y's shape back to x's; its filter gradient is Conv2DBackpropFilter(dy, y).
    const xWeights = tf.tensor(values(x.size, 4), x.shape);
    const transpose = tf.grad((f) =>
      tf.conv2dTranspose(y as tf.Tensor4D, f as tf.Tensor4D, c.x, c.stride, c.pad).mul(xWeights).sum(),
    )(w);
    return { conv: conv.dataSync() as Float32Array, transpose: transpose.dataSync() as Float32Array };
  });
}

describe("the wasm backend's Conv2DBackpropFilter", () => {
  it("is registered by initBackend, and only once", async () => {
    await initBackend("wasm", { quiet: true });
    expect(tf.getKernel(tf.Conv2DBackpropFilter, "wasm")).toBeDefined();
    expect(registerWasmConvFilter()).toBe(false);
  });

  for (const c of CASES) {
    it(`matches the cpu backend's gradient to 1e-4 relative: x [${c.x}], filter [${c.filter}], stride ${c.stride}, '${c.pad}'`, async () => {
      await initBackend("wasm", { quiet: true });
      const before = tf.memory().numTensors;
      const wasm = filterGradients("wasm", c);
      expect(tf.memory().numTensors).toBe(before);
      const cpu = filterGradients("cpu", c);
      expect(wasm.conv.length).toBe(size(c.filter));
      expect(maxRelativeError(wasm.conv, cpu.conv)).toBeLessThan(1e-4);
      expect(maxRelativeError(wasm.transpose, cpu.transpose)).toBeLessThan(1e-4);
      // The gradient is not trivially zero.
      expect(Math.max(...Array.from(cpu.conv, Math.abs))).toBeGreaterThan(0.1);
    });
  }
});
