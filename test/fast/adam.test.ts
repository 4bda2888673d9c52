import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../lib/runtime/backend";
import { Adam } from "../../lib/fast/adam";

/** A small least-squares problem with two variables of different shapes. */
function problem(seed: number) {
  const w = tf.tidy(() => tf.variable(tf.randomNormal([6, 3], 0, 1, "float32", seed)));
  const b = tf.tidy(() => tf.variable(tf.zeros([3])));
  const x = tf.randomNormal([10, 6], 0, 1, "float32", seed + 1);
  const y = tf.randomNormal([10, 3], 0, 1, "float32", seed + 2);
  const loss = () => tf.matMul(x, w).add(b).sub(y).square().mean() as tf.Scalar;
  const values = () => [...w.dataSync(), ...b.dataSync()];
  const dispose = () => tf.dispose([w, b, x, y]);
  return { variables: [w, b], loss, values, dispose };
}

function run(optimizer: tf.Optimizer, steps: number, seed = 1): number[] {
  const p = problem(seed);
  for (let i = 0; i < steps; i++) optimizer.minimize(p.loss, false, p.variables);
  const values = p.values();
  p.dispose();
  return values;
}

function maxAbsDiff(a: number[], b: number[]): number {
  return Math.max(...a.map((v, i) => Math.abs(v - b[i])));
}

describe.each(["cpu", "wasm"])("Adam on %s", (backend) => {
  beforeAll(async () => {
    await initBackend(backend, { quiet: true });
  });

  it("takes the same steps as tf.train.adam", () => {
    const ours = new Adam(0.05, 0.8, 0.99, 1e-6);
    const theirs = tf.train.adam(0.05, 0.8, 0.99, 1e-6);
    const start = run(new Adam(0.05), 0);
    const a = run(ours, 30);
    const b = run(theirs, 30);
    expect(maxAbsDiff(a, start)).toBeGreaterThan(0.5); // it did move
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-5);
    ours.dispose();
    theirs.dispose();
  });

  it("saves and restores the state in tf.AdamOptimizer's names, order and shapes", async () => {
    const theirs = tf.train.adam(0.05);
    const ours = new Adam(0.05);
    const p = problem(2);
    const q = problem(2);
    for (let i = 0; i < 3; i++) {
      theirs.minimize(p.loss, false, p.variables);
      ours.minimize(q.loss, false, q.variables);
    }
    const theirState = await theirs.getWeights();
    const ourState = await ours.getWeights();
    expect(ourState.map((s) => s.name.replace(/^.*\//, ""))).toEqual(theirState.map((s) => s.name.replace(/^.*\//, "")));
    expect(ourState.map((s) => s.tensor.shape)).toEqual(theirState.map((s) => s.tensor.shape));
    ourState.slice(1).forEach((s, i) => expect(maxAbsDiff(Array.from(s.tensor.dataSync()), Array.from(theirState[i + 1].tensor.dataSync()))).toBeLessThan(1e-6));
    expect(ourState[0].tensor.dataSync()[0]).toBe(3);

    // Restore tf.AdamOptimizer's state into a new Adam: it continues as tf.AdamOptimizer does.
    const restored = new Adam(0.05);
    const copies = theirState.map((s) => ({ name: s.name, tensor: s.tensor.clone() }));
    await restored.setWeights(copies);
    tf.dispose(copies.map((c) => c.tensor));
    expect(restored.iterations).toBe(3);
    const r = problem(2);
    r.variables.forEach((v, i) => v.assign(p.variables[i]));
    for (let i = 0; i < 3; i++) {
      theirs.minimize(p.loss, false, p.variables);
      restored.minimize(r.loss, false, r.variables);
    }
    expect(maxAbsDiff(r.values(), p.values())).toBeLessThan(1e-5);
    tf.dispose([theirState[0].tensor, ourState[0].tensor]);
    [theirs, ours, restored].forEach((o) => o.dispose());
    [p, q, r].forEach((x) => x.dispose());
  });

  it("releases its moments, and the state it returned, on dispose", async () => {
    const before = tf.memory().numTensors;
    const optimizer = new Adam(0.01);
    const p = problem(3);
    optimizer.minimize(p.loss, false, p.variables);
    for (let i = 0; i < 2; i++) (await optimizer.getWeights())[0].tensor.dispose(); // the step count is the caller's
    optimizer.dispose();
    p.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("Adam settings", () => {
  it("rejects settings out of range, naming them", () => {
    expect(() => new Adam(0)).toThrow("Error in Adam: learningRate must be a positive number, but got 0.");
    expect(() => new Adam(1e-3, 1)).toThrow("Error in Adam: beta1 must be a number in [0, 1), but got 1.");
    expect(() => new Adam(1e-3, 0.9, -0.1)).toThrow("Error in Adam: beta2 must be a number in [0, 1), but got -0.1.");
    expect(() => new Adam(1e-3, 0.9, 0.999, -1)).toThrow("Error in Adam: epsilon must be a number >= 0, but got -1.");
  });

  it("is an Adam optimizer to the checkpoint code", () => {
    expect(new Adam(1e-3).getClassName()).toBe("Adam");
  });
});
