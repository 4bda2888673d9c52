import * as tf from "@tensorflow/tfjs";
import * as fs from "fs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Adam } from "../../lib/fast/adam";
import { initBackend } from "../../lib/runtime/backend";
import { ADAM_UPDATE, AdamUpdateAttrs, registerWasmAdam } from "../../lib/runtime/wasm-adam";
import { WASM_MODULES, wasmModuleFile } from "../../scripts/wasm-modules";

const ATTRS: AdamUpdateAttrs = { beta1: 0.9, beta2: 0.999, stepSize: 3e-3, eps: 2e-6 };

/** theta, m, v (>= 0) and g of one shape, seeded. */
function state(shape: number[], seed: number) {
  return {
    theta: tf.randomNormal(shape, 0, 0.1, "float32", seed),
    m: tf.randomNormal(shape, 0, 0.01, "float32", seed + 1),
    v: tf.randomUniform(shape, 0, 1e-3, "float32", seed + 2),
    g: tf.randomNormal(shape, 0, 0.01, "float32", seed + 3),
  };
}

/** The formula of `lib/fast/adam.ts` in tensor operations. */
function formula({ theta, m, v, g }: ReturnType<typeof state>, a: AdamUpdateAttrs): tf.Tensor[] {
  const mNext = m.mul(a.beta1).add(g);
  const vNext = v.mul(a.beta2).add(g.square());
  return [theta.sub(mNext.div(vNext.sqrt().add(a.eps)).mul(a.stepSize)), mNext, vNext];
}

/** Positions where two tensors' float32 values differ. */
function unequal(a: tf.Tensor, b: tf.Tensor): number {
  const [x, y] = [Array.from(a.dataSync()), Array.from(b.dataSync())];
  return x.filter((value, i) => !Object.is(value, y[i])).length;
}

/** A least-squares problem with weights of 77 and 7 values (neither a multiple of 4), trained by Adam. */
function train(steps: number): number[] {
  const [w, b] = tf.tidy(() => [tf.variable(tf.randomNormal([11, 7], 0, 1, "float32", 1)), tf.variable(tf.zeros([7]))]);
  const x = tf.randomNormal([20, 11], 0, 1, "float32", 2);
  const y = tf.randomNormal([20, 7], 0, 1, "float32", 3);
  const optimizer = new Adam(0.05);
  for (let i = 0; i < steps; i++) optimizer.minimize(() => tf.matMul(x, w).add(b).sub(y).square().mean() as tf.Scalar, false, [w, b]);
  const values = [...w.dataSync(), ...b.dataSync()];
  tf.dispose([w, b, x, y]);
  optimizer.dispose();
  return values;
}

describe("the wasm Adam kernel", () => {
  beforeAll(async () => {
    await initBackend("wasm", { quiet: true });
  });
  afterEach(() => {
    registerWasmAdam(); // put it back where a test removed it
  });

  it("is compiled from the current wasm-adam.wat", async () => {
    expect(fs.readFileSync(WASM_MODULES.adam.file, "utf8")).toBe(await wasmModuleFile(WASM_MODULES.adam));
  });

  it("is registered by initBackend", () => {
    expect(tf.getKernel(ADAM_UPDATE, "wasm")).toBeDefined();
    expect(registerWasmAdam()).toBe(false);
  });

  it.each([[[1]], [[3]], [[7, 11]], [[784, 400]]])("gives the formula's bits for shape %j", (shape) => {
    tf.tidy(() => {
      const s = state(shape, 5);
      const ours = tf.engine().runKernel(ADAM_UPDATE, s, ATTRS as unknown as tf.NamedAttrMap) as tf.Tensor[];
      const theirs = formula(s, ATTRS);
      expect(ours.map((t) => t.shape)).toEqual([shape, shape, shape]);
      expect(ours.map((t, i) => unequal(t, theirs[i]))).toEqual([0, 0, 0]);
      expect(unequal(ours[0], s.theta)).toBeGreaterThan(0); // theta did move
    });
  });

  it("trains as the formula does, bit for bit, and leaves no tensors behind", () => {
    const before = tf.memory().numTensors;
    const fused = train(25);
    expect(tf.memory().numTensors).toBe(before);
    tf.unregisterKernel(ADAM_UPDATE, "wasm");
    const plain = train(25);
    expect(fused).toEqual(plain);
    expect(fused).not.toEqual(train(0));
  });

  it("runs as one kernel call per weight tensor", async () => {
    const info = await tf.profile(() => train(1));
    expect(info.kernelNames.filter((name) => name === ADAM_UPDATE)).toHaveLength(1);
    expect(info.kernels.filter((k) => k.name === ADAM_UPDATE)).toHaveLength(2);
    expect(info.kernelNames).not.toContain("Sqrt");
  });

  it("names an input whose shape or dtype differs from theta's", () => {
    tf.tidy(() => {
      const s = state([4, 3], 9);
      const run = (inputs: Record<string, tf.Tensor>) => () => tf.engine().runKernel(ADAM_UPDATE, inputs, ATTRS as unknown as tf.NamedAttrMap);
      expect(run({ ...s, v: tf.zeros([3, 4]) })).toThrow("v must be float32 of theta's shape [4,3], but got float32 [3,4]");
      expect(run({ ...s, g: tf.zeros([4, 3], "int32") })).toThrow("g must be float32 of theta's shape [4,3], but got int32 [4,3]");
    });
  });
});
