import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { loadMnistSplit } from "../../lib/data/mnist";
import { ConvVAE } from "../../lib/models/conv-vae";
import { initBackend } from "../../lib/runtime/backend";
import { fit } from "../../lib/train/fit";

describe("ConvVAE", () => {
  it("maps [batch, 784] to posteriors [batch, latentDim] and back, with the counted weights", async () => {
    await initBackend("wasm", { quiet: true });
    const vae = new ConvVAE({ filters: [4, 8], latentDim: 3, seed: 1 });
    const x = tf.randomUniform([5, 784]) as tf.Tensor2D;
    const { mu, logVar } = vae.encode(x);
    expect(mu.shape).toEqual([5, 3]);
    expect(logVar.shape).toEqual([5, 3]);
    const samples = vae.sample(2, 1);
    expect(samples.shape).toEqual([2, 784]);
    expect(vae.reconstruct(x).shape).toEqual([5, 784]);
    // conv weights 3*3*in*out + out; the heads and the dense layer in*out + out.
    const convs = 3 * 3 * 1 * 4 + 4 + (3 * 3 * 4 * 8 + 8);
    const heads = 2 * (7 * 7 * 8 * 3 + 3);
    const deconvs = 3 * 3 * 8 * 8 + 8 + (3 * 3 * 8 * 4 + 4) + (3 * 3 * 4 * 1 + 1);
    const dense = 3 * 7 * 7 * 8 + 7 * 7 * 8;
    expect(vae.countParams()).toBe(convs + heads + deconvs + dense);
    tf.dispose([x, mu, logVar, samples]);
    vae.dispose();
  });

  it("computes the loss leaving only the loss tensor alive, and rejects pixels outside [0, 1]", async () => {
    await initBackend("wasm", { quiet: true });
    const vae = new ConvVAE({ filters: [4, 8], latentDim: 3, seed: 1 });
    const x = tf.randomUniform([4, 784]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const loss = tf.tidy(() => vae.lossTerms(x, { beta: 1, seed: 2 }).loss);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(Number.isFinite(loss.dataSync()[0])).toBe(true);
    expect(() => vae.lossTerms(x.mul(2) as tf.Tensor2D, { beta: 1, seed: 2 })).toThrow(/ConvVAE.lossTerms/);
    tf.dispose([x, loss]);
    vae.dispose();
  });

  it("trains with fit on the wasm backend: the test -ELBO falls", async () => {
    await initBackend("wasm", { quiet: true });
    const train = loadMnistSplit("train", { limit: 512 });
    const test = loadMnistSplit("test", { limit: 256 });
    const vae = new ConvVAE({ filters: [8, 16], latentDim: 8, seed: 3 });
    const { history } = await fit(vae, { train, test }, { epochs: 3, batchSize: 64, learningRate: 3e-3, seed: 1, progress: "none" });
    expect(history[2].test!.negElbo).toBeLessThan(history[0].test!.negElbo - 10);
    vae.dispose();
  }, 60_000);
});
