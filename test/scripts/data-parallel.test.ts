import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { batches } from "../../lib/data/batches";
import { loadMnistSplit } from "../../lib/data/mnist";
import { Adam } from "../../lib/fast/adam";
import { fastLoss } from "../../lib/fast/fast-loss";
import { VAE } from "../../lib/models/vae";
import { initBackend } from "../../lib/runtime/backend";
import { Rng } from "../../lib/runtime/seed";
import { DataParallelOptions, shard, trainDataParallel } from "../../scripts/data-parallel";

const options: DataParallelOptions = { workers: 2, batchSize: 64, images: 200, epochs: 2, seed: 5, backend: "wasm" };

/**
 * In this process, what the workers compute together: for each step, the gradients of each
 * worker's rows with its seed, in rank order, their mean, and Adam's update of every weight.
 * @returns the weights after training, flattened, in the order of `trainableVariables()`.
 */
function inOneProcess({ workers, batchSize, images, epochs, seed }: DataParallelOptions): Float32Array[] {
  const train = loadMnistSplit("train", { limit: images });
  const vae = new VAE({ hiddenSizes: [400], latentDim: 20, seed });
  const variables = vae.trainableVariables();
  const loss = fastLoss(vae)!;
  const optimizer = new Adam(1e-3);
  const rng = new Rng(seed);
  const rows = batchSize / workers;
  for (let e = 0; e < epochs; e++) {
    for (const batch of batches(train, { batchSize, rng, dropLast: true })) {
      const stepSeed = rng.nextSeed();
      const grads = Array.from({ length: workers }, (_, r) => {
        const part = batch.x.slice([r * rows, 0], [rows, -1]);
        const { value, grads } = optimizer.computeGradients(() => loss(part, { beta: 1, seed: stepSeed + r }).loss, variables);
        tf.dispose([part, value]);
        return grads;
      });
      const means = variables.map((v) => ({ name: v.name, tensor: tf.tidy(() => grads.map((g) => g[v.name]).reduce((sum, g) => sum.add(g)).mul(1 / workers)) }));
      optimizer.applyGradients(means);
      tf.dispose([batch.x, ...means.map((m) => m.tensor), ...grads.flatMap((g) => Object.values(g))]);
    }
  }
  const weights = variables.map((v) => v.dataSync() as Float32Array);
  optimizer.dispose();
  vae.dispose();
  return weights;
}

/** How many elements of `a` and `b` differ in their bits. */
function differing(a: Float32Array, b: Float32Array): number {
  return a.reduce((n, x, j) => n + (Object.is(x, b[j]) ? 0 : 1), 0);
}

describe("trainDataParallel", () => {
  beforeAll(() => initBackend("wasm", { quiet: true }));

  it("gives, to the bit, the weights of one process that averages the workers' gradients", async () => {
    const result = await trainDataParallel(options);
    const expected = inOneProcess(options);
    expect(result.weights.map((w) => w.length)).toEqual(expected.map((w) => w.length));
    result.weights.forEach((w, i) => expect(differing(w, expected[i]), `elements of weight tensor ${i} that differ`).toBe(0));
    // Training moved the weights away from the same model's initial weights.
    const initial = new VAE({ hiddenSizes: [400], latentDim: 20, seed: options.seed });
    expect(differing(result.weights[0], initial.trainableVariables()[0].dataSync() as Float32Array)).toBeGreaterThan(1000);
    initial.dispose();
    expect(result.meanLoss).toBeGreaterThan(100);
    expect(result.samplesPerSec).toBeGreaterThan(0);
  }, 120_000);

  it("splits the weight tensors into groups of nearly equal size", () => {
    // The VAE 784-400-20-400-784's tensors: 329,600 and 323,224 elements per rank.
    expect(shard([313600, 400, 8000, 20, 8000, 20, 8000, 400, 313600, 784], 2)).toEqual([0, 1, 0, 1, 1, 1, 0, 1, 1, 1]);
    expect(shard([5, 3, 2], 1)).toEqual([0, 0, 0]);
  });

  it("refuses a global batch that the workers cannot share evenly, naming the option", async () => {
    await expect(trainDataParallel({ ...options, batchSize: 63 })).rejects.toThrow(/options\.batchSize.*multiple of options\.workers \(2\).*63/);
    await expect(trainDataParallel({ ...options, workers: 0 })).rejects.toThrow(/options\.workers/);
  });

  it("rejects with a worker's error instead of waiting for it", async () => {
    await expect(trainDataParallel({ ...options, backend: "no-such-backend" })).rejects.toThrow(/no-such-backend/);
  }, 60_000);
});
