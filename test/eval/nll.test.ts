import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { MnistSplit } from "../../lib/data/mnist";
import { estimateNll } from "../../lib/eval/nll";
import { VAE } from "../../lib/models/vae";

describe("estimateNll on a small VAE", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });
  const vae = new VAE({ inputDim: 784, hiddenSizes: [16], latentDim: 3, seed: 5 });
  const images = tf.tidy(() => tf.randomUniform([6, 784], 0, 1, "float32", 2).greater(0.7).cast("float32")) as tf.Tensor2D;

  it("-L_k decreases with k (seeded), sits below -ELBO, and leaves no tensors", async () => {
    const before = tf.memory().numTensors;
    const est = await estimateNll(vae, images, { k: 1000, ks: [1, 10, 100, 1000], seed: 7, batchSize: 4 });
    expect(tf.memory().numTensors).toBe(before);
    expect(est.byK.map((r) => r.k)).toEqual([1, 10, 100, 1000]);
    for (let i = 1; i < est.byK.length; i++) expect(est.byK[i].value).toBeLessThan(est.byK[i - 1].value);
    expect(est.negElbo).toBe(est.byK[0].value);
    expect(est.nll).toBe(est.byK[3].value);
    expect(est.count).toBe(6);
    expect(est.perImage.length).toBe(6);
    expect(est.perImage.reduce((a, v) => a + v, 0) / 6).toBeCloseTo(est.nll, 3);
    expect(est.nllStandardError).toBeGreaterThan(0);
  });

  it("takes an MnistSplit (dynamic binarization drawn from the seed) and reports progress", async () => {
    const grey = tf.tidy(() => tf.randomUniform([5, 784], 0, 1, "float32", 8).dataSync() as Float32Array);
    const split = new MnistSplit("test", grey, new Uint8Array(5), "dynamic");
    const progress: number[] = [];
    const a = await estimateNll(vae, split, { k: 20, seed: 1, batchSize: 2, onProgress: (done) => progress.push(done) });
    const b = await estimateNll(vae, split, { k: 20, seed: 1, batchSize: 2 });
    expect(progress).toEqual([2, 4, 5]);
    expect(a.nll).toBe(b.nll);
    expect(a.byK.map((r) => r.k)).toEqual([1, 20]);
  });

  it("checks its options", async () => {
    await expect(estimateNll(vae, images, { k: 10, ks: [3] })).rejects.toThrow("Error in estimateNll: every entry of options.ks must be a divisor of k = 10, but got 3.");
    await expect(estimateNll(vae, images, { k: 0 })).rejects.toThrow("Error in estimateNll: options.k must be a positive integer, but got 0.");
    await expect(estimateNll(vae, tf.zeros([0, 784]) as tf.Tensor2D, { k: 2 })).rejects.toThrow("Error in estimateNll: data must be non-empty, but got 0 images.");
  });
});
