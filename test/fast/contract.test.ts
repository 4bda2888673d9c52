import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { MnistSplit } from "../../lib/data/mnist";
import { fastLoss } from "../../lib/fast/fast-loss";
import { Autoencoder } from "../../lib/models/autoencoder";
import { EncoderDecoder } from "../../lib/models/encoder-decoder";
import { VAE } from "../../lib/models/vae";
import { initBackend } from "../../lib/runtime/backend";
import { evaluate } from "../../lib/train/evaluate";
import { fit } from "../../lib/train/fit";

/**
 * The contract between the two paths: `fit` trains with `fastLoss(model)`, the notebooks
 * read `model.lossTerms`. For every model the kit offers, both give the same loss, terms
 * and gradients, to 1e-5 relative, on both backends.
 */

const TOLERANCE = 1e-5;

/** A VAE in the style of the Keras example: heads named z_mean and z_log_var, decoder layers named freely. */
function kerasStyleVae(): VAE {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const x = tf.input({ shape: [784], name: "encoder_input" });
  const h = tf.layers.dense({ units: 32, activation: "relu", name: "hidden", kernelInitializer: init(1) }).apply(x) as tf.SymbolicTensor;
  const zMean = tf.layers.dense({ units: 2, name: "z_mean", kernelInitializer: init(2) }).apply(h) as tf.SymbolicTensor;
  const zLogVar = tf.layers.dense({ units: 2, name: "z_log_var", kernelInitializer: init(3) }).apply(h) as tf.SymbolicTensor;
  const encoder = tf.model({ inputs: x, outputs: [zMean, zLogVar], name: "keras_encoder" });
  const decoder = tf.sequential({
    name: "keras_decoder",
    layers: [
      tf.layers.dense({ inputShape: [2], units: 32, activation: "relu", name: "d1", kernelInitializer: init(4) }),
      tf.layers.dense({ units: 784, name: "pixels", kernelInitializer: init(5) }),
    ],
  });
  return VAE.fromLayers({ hiddenSizes: [32], latentDim: 2 }, encoder, decoder);
}

const MODELS: [string, () => EncoderDecoder][] = [
  ["VAE 784-16-8-3", () => new VAE({ hiddenSizes: [16, 8], latentDim: 3, seed: 6 })],
  ["VAE without hidden layers", () => new VAE({ hiddenSizes: [], latentDim: 2, seed: 2 })],
  ["VAE with Keras-style layer names", kerasStyleVae],
  ["Autoencoder 784-16-2", () => new Autoencoder({ hiddenSizes: [16], latentDim: 2, seed: 7 })],
  ["Autoencoder without hidden layers", () => new Autoencoder({ hiddenSizes: [], latentDim: 3, seed: 3 })],
];

/** max |a - b| / max |b|: the gap relative to the reference's scale. */
function relativeGap(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => a.sub(b).abs().max().dataSync()[0] / Math.max(b.abs().max().dataSync()[0], 1e-30));
}

describe.each(["cpu", "wasm"])("the fast path equals the readable loss on %s", (backend) => {
  beforeAll(async () => {
    await initBackend(backend, { quiet: true });
  });

  for (const beta of [1, 0.5]) {
    it.each(MODELS)(`%s: loss, terms and gradients (beta ${beta})`, (_name, make) => {
      const model = make();
      const fast = fastLoss(model);
      expect(fast, "the model has a fast path").toBeDefined();
      const x = tf.randomUniform([6, 784], 0, 1, "float32", 3) as tf.Tensor2D;
      const options = { beta, seed: 4 };
      tf.tidy(() => {
        const ours = fast!(x, options);
        const readable = model.lossTerms(x, options);
        expect(relativeGap(ours.loss, readable.loss)).toBeLessThan(TOLERANCE);
        expect(Object.keys(ours.terms)).toEqual(Object.keys(readable.terms));
        for (const name of Object.keys(readable.terms)) expect(relativeGap(ours.terms[name], readable.terms[name])).toBeLessThan(TOLERANCE);
        const variables = model.trainableVariables();
        const fastGrads = tf.variableGrads(() => fast!(x, options).loss, variables).grads;
        const readableGrads = tf.variableGrads(() => model.lossTerms(x, options).loss, variables).grads;
        for (const v of variables) expect(relativeGap(fastGrads[v.name], readableGrads[v.name]), v.name).toBeLessThan(TOLERANCE);
      });
      x.dispose();
      model.dispose();
    });
  }
});

describe("models without a fast path", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  it("have none when a layer is not a relu or linear dense layer, and fit trains them with lossTerms", async () => {
    const vae = kerasStyleVae();
    const swish = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [2], units: 8, activation: "swish", kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }) }),
        tf.layers.dense({ units: 784, kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) }),
      ],
    });
    const model = VAE.fromLayers({ hiddenSizes: [32], latentDim: 2 }, vae.encoder, swish);
    expect(fastLoss(model)).toBeUndefined();
    // Brighter left halves: far from the untrained decoder's grey everywhere, so training shows.
    const pixels = Float32Array.from({ length: 20 * 784 }, (_, i) => (i % 28 < 14 ? 0.9 : 0.1));
    const train = new MnistSplit("train", pixels, new Uint8Array(20), "none");
    const before = evaluate(model, train).negElbo;
    await fit(model, { train }, { epochs: 3, batchSize: 10, learningRate: 1e-2, progress: "none" });
    expect(evaluate(model, train).negElbo).toBeLessThan(before - 10);
    model.dispose();
  });

  it("include a model that is not an autoencoder or a VAE", () => {
    expect(fastLoss({ trainableVariables: () => [], lossTerms: () => ({ loss: tf.scalar(0), terms: {} }) })).toBeUndefined();
  });
});

describe("a VAE built from Keras-style networks", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  it("trains with the fast path and evaluates", async () => {
    const vae = kerasStyleVae();
    const images = tf.tidy(() => tf.randomUniform([40, 784], 0, 1, "float32", 8).greater(0.6).cast("float32").dataSync() as Float32Array);
    const train = new MnistSplit("train", images, new Uint8Array(40), "none");
    const before = evaluate(vae, train);
    const { history } = await fit(vae, { train, test: train }, { epochs: 3, batchSize: 10, learningRate: 1e-2, progress: "none" });
    expect(history).toHaveLength(3);
    expect(history[2].test!.negElbo).toBeLessThan(before.negElbo);
    expect(Object.keys(history[2].test!)).toEqual(["reconstruction", "kl", "negElbo"]);
    vae.dispose();
  });
});
