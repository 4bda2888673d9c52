import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadMnist, MnistSplit } from "../../lib/data/mnist";
import { VAE } from "../../lib/models/vae";
import { initBackend } from "../../lib/runtime/backend";
import { evaluate } from "../../lib/train/evaluate";
import { fit } from "../../lib/train/fit";

const small = { hiddenSizes: [64], latentDim: 4 };
let train: MnistSplit;
let test: MnistSplit;

describe("fit", () => {
  beforeAll(async () => {
    await initBackend("wasm", { quiet: true });
    ({ train, test } = loadMnist({ limit: 1000 }));
  });

  it("leaks no tensors over a few hundred training steps", async () => {
    const vae = new VAE({ ...small, seed: 1 });
    const before = tf.memory().numTensors;
    const { history } = await fit(vae, { train, test }, { epochs: 3, batchSize: 10, progress: "none" });
    expect(history).toHaveLength(3);
    expect(tf.memory().numTensors).toBe(before);
    vae.dispose();
  });

  it("gives the same history for the same seed and a different one for another seed", async () => {
    const run = async (seed: number) => {
      const vae = new VAE({ ...small, seed: 2 });
      const { history } = await fit(vae, { train, test }, { epochs: 1, seed, progress: "none" });
      vae.dispose();
      return [history[0].train, history[0].test];
    };
    const first = await run(5);
    expect(await run(5)).toEqual(first);
    expect(await run(6)).not.toEqual(first);
  });

  it("stops after the current epoch when its signal is aborted", async () => {
    const vae = new VAE({ ...small, seed: 3 });
    const controller = new AbortController();
    const result = await fit(vae, { train }, { epochs: 5, progress: "none", signal: controller.signal, onEpochEnd: () => controller.abort() });
    expect(result.stopped).toBe(true);
    expect(result.history).toHaveLength(1);
    vae.dispose();
  });

  it("rejects bad options, naming them", async () => {
    const vae = new VAE({ ...small });
    await expect(fit(vae, { train }, { epochs: 0 })).rejects.toThrow("Error in fit: options.epochs must be a positive integer, but got 0.");
    await expect(fit(vae, { train }, { learningRate: -1 })).rejects.toThrow("Error in fit: options.learningRate must be a positive number, but got -1.");
    await expect(fit(vae, { train }, { beta: -1 })).rejects.toThrow("Error in fit: options.beta must be a number >= 0, but got -1.");
    vae.dispose();
  });
});

describe("a short training run", () => {
  it("lowers the test -ELBO from above 500 nats to below 155 nats in 3 epochs on 10k images", async () => {
    await initBackend("wasm", { quiet: true });
    const data = loadMnist({ limit: 10000 });
    const vae = new VAE({ hiddenSizes: [400], latentDim: 20, seed: 0 });
    const start = evaluate(vae, data.test);
    const { history } = await fit(vae, data, { epochs: 3, seed: 0, progress: "none" });
    const end = history[history.length - 1].test!;
    expect(start.negElbo).toBeGreaterThan(500);
    expect(end.negElbo).toBeLessThan(155);
    expect(end.negElbo).toBeCloseTo(end.reconstruction + end.kl, 3);
    vae.dispose();
  });
});
