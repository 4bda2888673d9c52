import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterEach, describe, expect, it } from "vitest";
import { loadMnistSplit } from "../../lib/data/mnist";
import { VAE } from "../../lib/models/vae";
import { loadPretrained, pretrainedEntry, writePretrainedIndex } from "../../lib/persist/pretrained";
import { saveCheckpoint } from "../../lib/persist/save";
import { loadOrTrain } from "../../lib/train/load-or-train";

describe("loadOrTrain into a model declared beforehand", () => {
  const data = { train: loadMnistSplit("train", { limit: 256 }) };

  it("copies the pretrained weights into that very model, and leaves no tensor behind", async () => {
    const into = new VAE({ hiddenSizes: [400], latentDim: 2, seed: 9 });
    const before = tf.memory().numTensors;
    const ready = await loadOrTrain("vae-2d", { retrain: false, into, data });
    expect(ready.model).toBe(into);
    expect(ready.source).toBe("pretrained");
    expect(tf.memory().numTensors).toBe(before);
    const { model: reference } = await loadPretrained("vae-2d", { kind: "vae" });
    const [a, b] = [into, reference].map((m) => Array.from(m.decoder.getWeights()[0].dataSync().subarray(0, 50)));
    expect(a).toEqual(b);
    reference.dispose();
    into.dispose();
  });

  it("trains that very model when retraining", async () => {
    const into = new VAE({ hiddenSizes: [16], latentDim: 2, seed: 9 });
    const first = Array.from(into.decoder.getWeights()[0].dataSync()); // the first pixels of MNIST are always 0, so read the decoder
    const ready = await loadOrTrain("vae-2d", { retrain: true, into, data, fit: { epochs: 1, seed: 1, progress: "none" } });
    expect(ready.model).toBe(into);
    expect(Array.from(into.decoder.getWeights()[0].dataSync())).not.toEqual(first);
    into.dispose();
  });

  it("names a model of another architecture, and asks for into or make", async () => {
    const wrong = new VAE({ hiddenSizes: [16], latentDim: 2, seed: 9 });
    await expect(loadOrTrain("vae-2d", { retrain: false, into: wrong, data })).rejects.toThrow(
      /^Error in loadOrTrain: options.into must be a model with the architecture of the pretrained vae-2d \(encoder weights \[784, 400\]/,
    );
    wrong.dispose();
    await expect(loadOrTrain("vae-2d", { retrain: false, data } as never)).rejects.toThrow("options must be an object with into");
  });
});

describe("loadOrTrain into a VAE with another decoder distribution", () => {
  const data = { train: loadMnistSplit("train", { limit: 256 }) };
  const gaussian = { name: "gaussian", sigma: "learned" } as const;
  let dir: string;
  afterEach(() => {
    delete process.env.VAE_PRETRAINED_DIR;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A pretrained folder holding one 784-16-2 VAE with a Gaussian decoder whose learned log sigma is -1.5. */
  async function pretrainedGaussian(): Promise<void> {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "vae-kit-load-or-train-"));
    const vae = new VAE({ hiddenSizes: [16], latentDim: 2, seed: 3, likelihood: gaussian });
    vae.logSigma!.assign(tf.tensor1d([-1.5]));
    await saveCheckpoint(path.join(dir, "g"), vae, { name: "g" });
    vae.dispose();
    await writePretrainedIndex(dir, [pretrainedEntry(dir, "g", { description: "test", notebooks: [] })]);
    process.env.VAE_PRETRAINED_DIR = dir;
  }

  it("copies the learned sigma with the weights", async () => {
    await pretrainedGaussian();
    const into = new VAE({ hiddenSizes: [16], latentDim: 2, seed: 9, likelihood: gaussian });
    expect(into.logSigma!.dataSync()[0]).toBe(0);
    await loadOrTrain("g", { retrain: false, into, data });
    expect(into.logSigma!.dataSync()[0]).toBeCloseTo(-1.5, 6);
    into.dispose();
  });

  it("names a model whose decoder distribution differs", async () => {
    await pretrainedGaussian();
    const bernoulli = new VAE({ hiddenSizes: [16], latentDim: 2, seed: 9 });
    await expect(loadOrTrain("g", { retrain: false, into: bernoulli, data })).rejects.toThrow(
      'options.into must be a model with the decoder distribution of the pretrained g (likelihood {"name":"gaussian","sigma":"learned"}), but got likelihood {"name":"bernoulli"}',
    );
    bernoulli.dispose();
  });
});
