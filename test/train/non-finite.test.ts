import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Adam } from "../../lib/fast/adam";
import { loadMnist, MNIST_PIXELS, MnistSplit } from "../../lib/data/mnist";
import { Autoencoder } from "../../lib/models/autoencoder";
import { firstNonFiniteVariable, LossTerms, Trainable } from "../../lib/models/trainable";
import { VAE } from "../../lib/models/vae";
import { loadCheckpoint } from "../../lib/persist/load";
import { saveCheckpoint } from "../../lib/persist/save";
import { initBackend } from "../../lib/runtime/backend";
import { fitWithCheckpoints } from "../../lib/train/checkpoint";
import { fit } from "../../lib/train/fit";

let train: MnistSplit;
let test: MnistSplit;
const made: string[] = [];
const tempDir = () => {
  made.push(fs.mkdtempSync(path.join(os.tmpdir(), "vae-kit-nonfinite-")));
  return path.join(made[made.length - 1], "checkpoint");
};
const quiet = { progress: "none" as const };

/** A copy of a split with other images (same labels). */
const withImages = (split: MnistSplit, change: (images: Float32Array) => void) => {
  const images = split.images.slice();
  change(images);
  return new MnistSplit(split.name, images, split.labels, split.binarize);
};

const allFinite = (model: { trainableVariables(): tf.Variable[] }) => firstNonFiniteVariable(model.trainableVariables()) < 0;

/** Give a VAE's log sigma^2 head the bias `value`, so that exp(log sigma^2) overflows from the next step on. */
function pushLogVar(vae: VAE, value: number): void {
  const bias = vae.encoder.getLayer("encoder_logvar").weights[1].read() as tf.Variable;
  bias.assign(tf.fill(bias.shape, value));
}

beforeAll(async () => {
  await initBackend("wasm", { quiet: true });
  ({ train, test } = loadMnist({ limit: 1000 }));
});

afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

describe("fit checks the data once, at the start", () => {
  it("names unscaled pixels and NaN in either split, with [image, pixel] and the usual cause", async () => {
    const vae = new VAE({ hiddenSizes: [16], latentDim: 2, seed: 1 });
    const bytes = withImages(train, (images) => images.forEach((v, i) => (images[i] = Math.round(v * 255))));
    await expect(fit(vae, { train: bytes }, quiet)).rejects.toThrow(
      /^Error in fit: data\.train\.images must hold pixel values in \[0, 1\], but got 255 at \[\d+, \d+\]: divide by 255\.$/,
    );
    const nan = withImages(test, (images) => (images[3 * MNIST_PIXELS + 400] = NaN));
    await expect(fit(vae, { train, test: nan }, quiet)).rejects.toThrow(
      "Error in fit: data.test.images must hold pixel values in [0, 1], but got NaN at [3, 400]: a NaN comes from 0 / 0, a missing value, or a model whose weights went NaN.",
    );
    vae.dispose();
  });

  it("checks only finiteness for a model that does not declare a data range", async () => {
    const model = new ExpModel(0);
    const bytes = withImages(train, (images) => images.forEach((v, i) => (images[i] = v * 255)));
    await fit(model, { train: bytes }, { ...quiet, epochs: 1 });
    const nan = withImages(train, (images) => (images[2 * MNIST_PIXELS + 5] = NaN));
    await expect(fit(model, { train: nan }, quiet)).rejects.toThrow("Error in fit: data.train.images must hold finite values, but got NaN at [2, 5]:");
    model.dispose();
  });
});

describe("fit stops at the first non-finite loss", () => {
  it("a learning rate of 0.1: names the epoch, the step, the terms, log sigma^2 and the causes; keeps the last finite weights", async () => {
    const vae = new VAE({ seed: 1 });
    const optimizer = new Adam(0.1);
    const run = fit(vae, { train, test }, { ...quiet, optimizer });
    await expect(run).rejects.toThrow(
      new RegExp(
        String.raw`^Error in fit: the loss must stay finite, but got (NaN|Infinity) at epoch 1, step 2 of 8 \(.*kl is infinite in \d+ of 128 images.*\)\. ` +
          String.raw`In this batch log σ² runs from -?[\d.]+ to [\d.]+ \(largest \|log σ²\| [\d.]+, at \[image \d+, dimension \d+\]\), outside \[-87\.34, 88\.72\], ` +
          String.raw`where float32 computes exp\(log σ²\) exactly: exp\([\d.]+\) overflows to Infinity, and the KL term with it\. ` +
          String.raw`Usual causes: a learning rate too high \(this run's is 0\.1; fit's default is 0\.001\) or log σ² past the float32 range of exp, as here; ` +
          String.raw`the data passed fit's check at the start \(finite, in \[0, 1\]\)\. ` +
          String.raw`Training stopped before applying this step's update, so the model keeps its last finite weights\.$`,
      ),
    );
    expect(optimizer.iterations).toBe(1); // step 2's update was not applied
    expect(allFinite(vae)).toBe(true);
    optimizer.dispose();
    vae.dispose();
  });

  it("leaves no tensors behind when it throws", async () => {
    const vae = new VAE({ hiddenSizes: [16], latentDim: 2, seed: 1 });
    pushLogVar(vae, 200);
    const before = tf.memory().numTensors;
    await expect(fit(vae, { train, test }, quiet)).rejects.toThrow(/at epoch 1, step 1 of 8 .*log σ² runs from 19\d\.\d to 20\d\.\d .*: exp\(20\d\.\d\) overflows to Infinity/);
    expect(tf.memory().numTensors).toBe(before);
    vae.dispose();
  });

  it("an autoencoder whose code overflows: the terms and the causes, without log sigma^2", async () => {
    const autoencoder = new Autoencoder({ hiddenSizes: [], latentDim: 2, seed: 1 });
    const kernel = autoencoder.trainableVariables()[0]; // code = x W = Infinity
    kernel.assign(tf.fill(kernel.shape, 1e38));
    await expect(fit(autoencoder, { train }, { ...quiet, batchSize: 100 })).rejects.toThrow(
      "Error in fit: the loss must stay finite, but got NaN at epoch 1, step 1 of 10 (reconstruction is NaN in 100 of 100 images). " +
        "Usual causes: a learning rate too high (this run's is 0.001; fit's default is 0.001); the data passed fit's check at the start (finite, in [0, 1]). " +
        "Training stopped before applying this step's update, so the model keeps its last finite weights.",
    );
    autoencoder.dispose();
  });

  it("says so when the weights were not finite before the step", async () => {
    const autoencoder = new Autoencoder({ hiddenSizes: [], latentDim: 2, seed: 1 });
    const bias = autoencoder.trainableVariables()[1];
    bias.assign(tf.fill(bias.shape, NaN));
    await expect(fit(autoencoder, { train }, quiet)).rejects.toThrow(
      /at epoch 1, step 1 of 8 .*Training stopped before applying this step's update, but some weights were NaN or infinite already \(an earlier update from an infinite gradient, or weights set outside fit\)\.$/,
    );
    autoencoder.dispose();
  });

  it("a model of its own: names unscaled data among the causes", async () => {
    const model = new ExpModel(10);
    const bytes = withImages(train, (images) => images.forEach((v, i) => (images[i] = v * 255)));
    await expect(fit(model, { train: bytes }, quiet)).rejects.toThrow(
      new RegExp(
        String.raw`^Error in fit: the loss must stay finite, but got Infinity at epoch 1, step 1 of 8 \(energy is infinite in \d+ of 128 images\)\. ` +
          String.raw`Usual causes: a learning rate too high \(this run's is 0\.001; fit's default is 0\.001\) or data far from the scale the model expects \(fit checked only that it is finite\)\. `,
      ),
    );
    model.dispose();
  });
});

describe("no checkpoint with non-finite weights is written", () => {
  it("fitWithCheckpoints keeps the checkpoint of the last good epoch when the loss goes non-finite", async () => {
    const dir = tempDir();
    const vae = new VAE({ hiddenSizes: [16], latentDim: 2, seed: 1 });
    const onEpochEnd = (record: { epoch: number }) => {
      if (record.epoch === 1) pushLogVar(vae, 120); // after epoch 1's checkpoint
    };
    await expect(fitWithCheckpoints(vae, { train, test }, { ...quiet, dir, epochs: 3, onEpochEnd })).rejects.toThrow(
      /^Error in fit: the loss must stay finite, but got Infinity at epoch 2, step 1 of 8 .*: exp\(1[12]\d\.\d\) overflows to Infinity/,
    );
    const { model, manifest } = await loadCheckpoint(dir);
    expect(manifest.history.map((r) => r.epoch)).toEqual([1]);
    expect(allFinite(model)).toBe(true);
    model.dispose();
    vae.dispose();
  });

  it("saveCheckpoint refuses a model with a NaN weight and leaves the folder as it was", async () => {
    const dir = tempDir();
    const vae = new VAE({ hiddenSizes: [16], latentDim: 2, seed: 1 });
    await saveCheckpoint(dir, vae);
    const before = fs.readFileSync(path.join(dir, "manifest.json"), "utf8");
    const kernel = vae.decoder.layers[0].weights[0].read() as tf.Variable;
    kernel.assign(kernel.add(NaN));
    await expect(saveCheckpoint(dir, vae)).rejects.toThrow(
      `Error in saveCheckpoint: model must be a model with finite weights, but got NaN or infinite values in ${vae.decoder.layers[0].weights[0].name}.`,
    );
    expect(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")).toBe(before);
    vae.dispose();
  });
});

/** A model of its own, without a data range: one weight w, loss exp(w * mean pixel) per image. */
class ExpModel implements Trainable {
  private readonly w: tf.Variable;
  constructor(w: number) {
    this.w = tf.variable(tf.scalar(w));
  }
  trainableVariables(): tf.Variable[] {
    return [this.w];
  }
  lossTerms(x: tf.Tensor2D): { loss: tf.Scalar; terms: LossTerms } {
    const energy = x.mean(1).mul(this.w).exp() as tf.Tensor1D;
    return { loss: energy.mean() as tf.Scalar, terms: { energy } };
  }
  dispose(): void {
    this.w.dispose();
  }
}
