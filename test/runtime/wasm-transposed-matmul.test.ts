import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { initBackend } from "../../lib/runtime/backend";
import { registerWasmTransposedMatMul } from "../../lib/runtime/wasm-transposed-matmul";
import { maxRelativeError, size, values } from "./backend-comparison";

interface Case {
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
}

const CASES: Case[] = [
  { a: [5, 7], b: [7, 3], transposeA: false, transposeB: false },
  { a: [7, 5], b: [7, 3], transposeA: true, transposeB: false },
  { a: [5, 7], b: [3, 7], transposeA: false, transposeB: true },
  { a: [7, 5], b: [3, 7], transposeA: true, transposeB: true },
  { a: [2, 6, 4], b: [2, 3, 6], transposeA: true, transposeB: true },
  { a: [3, 4, 6], b: [1, 5, 6], transposeA: false, transposeB: true },
];

/** The product of one case on one backend. */
function product(backend: string, c: Case): Float32Array {
  tf.setBackend(backend);
  return tf.tidy(() =>
    tf.matMul(tf.tensor(values(size(c.a), 1), c.a), tf.tensor(values(size(c.b), 2), c.b), c.transposeA, c.transposeB).dataSync() as Float32Array,
  );
}

/** Gradients of a weighted sum of a dense layer's outputs with respect to its input, kernel and bias. */
function denseGradients(backend: string): Float32Array[] {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor2d(values(64 * 30, 3), [64, 30]);
    const w = tf.tensor2d(values(30 * 20, 4), [30, 20]);
    const bias = tf.tensor1d(values(20, 5));
    const weights = tf.tensor2d(values(64 * 20, 6), [64, 20]);
    const f = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.relu(xx.matMul(ww).add(bb)).mul(weights).sum();
    return tf.grads(f)([x, w, bias]).map((g) => g.dataSync() as Float32Array);
  });
}

describe("the wasm backend's matrix product by a transposed operand", () => {
  it("is registered by initBackend, and only once", async () => {
    await initBackend("wasm", { quiet: true });
    expect(registerWasmTransposedMatMul()).toBe(false);
  });

  for (const c of CASES) {
    it(`matches the cpu backend: a [${c.a}]${c.transposeA ? "ᵀ" : ""} times b [${c.b}]${c.transposeB ? "ᵀ" : ""}`, async () => {
      await initBackend("wasm", { quiet: true });
      const backend = tf.engine().backend;
      const [tensors, data] = [tf.memory().numTensors, backend.numDataIds()];
      const wasm = product("wasm", c);
      expect([tf.memory().numTensors, backend.numDataIds()]).toEqual([tensors, data]);
      const cpu = product("cpu", c);
      expect(wasm.length).toBe(cpu.length);
      expect(maxRelativeError(wasm, cpu)).toBeLessThan(1e-5);
    });
  }

  it("gives a dense layer the cpu backend's gradients", async () => {
    await initBackend("wasm", { quiet: true });
    const wasm = denseGradients("wasm");
    const cpu = denseGradients("cpu");
    for (let i = 0; i < cpu.length; i++) expect(maxRelativeError(wasm[i], cpu[i])).toBeLessThan(1e-5);
  });
});
