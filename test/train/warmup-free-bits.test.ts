import * as tf from "@tensorflow/tfjs";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loadMnist, MnistSplit } from "../../lib/data/mnist";
import { Autoencoder } from "../../lib/models/autoencoder";
import { VAE } from "../../lib/models/vae";
import { klStandardNormalPerDimension } from "../../lib/objectives/kl";
import { initBackend } from "../../lib/runtime/backend";
import { fit } from "../../lib/train/fit";

const config = { hiddenSizes: [32], latentDim: 4, seed: 1 };
let train: MnistSplit;

beforeAll(async () => {
  await initBackend("wasm", { quiet: true });
  ({ train } = loadMnist({ limit: 300 }));
});
afterEach(() => vi.restoreAllMocks());

/** The options of every `VAE.lossTerms` call during a `fit` run (the readable path). */
function recordLossCalls(): Array<{ beta: number; seed: number; freeBits?: number }> {
  const calls: Array<{ beta: number; seed: number; freeBits?: number }> = [];
  const original = VAE.prototype.lossTerms;
  vi.spyOn(VAE.prototype, "lossTerms").mockImplementation(function (this: VAE, x, options) {
    calls.push({ ...options });
    return original.call(this, x, options);
  });
  return calls;
}

function maxAbsDiff(a: tf.Tensor[], b: tf.Tensor[]): number {
  return Math.max(...a.map((t, i) => tf.tidy(() => t.sub(b[i]).abs().max().dataSync()[0])));
}

describe("fit with KL warm-up", () => {
  it("weights the KL term of step t by beta * t / (warmupEpochs * steps), then by beta", async () => {
    const vae = new VAE(config);
    const calls = recordLossCalls();
    // 300 images in batches of 100: 3 steps per epoch; 2 epochs of warm-up up to beta 0.5.
    await fit(vae, { train }, { epochs: 3, batchSize: 100, beta: 0.5, warmupEpochs: 2, freeBits: 1e-9, progress: "none" });
    expect(calls.map((c) => c.beta)).toEqual([0, 1, 2, 3, 4, 5, 6, 6, 6].map((t) => 0.5 * Math.min(1, t / 6)));
    vae.dispose();
  });

  it("changes the weights compared with the same run without warm-up", async () => {
    const run = async (warmupEpochs: number) => {
      const vae = new VAE(config);
      await fit(vae, { train }, { epochs: 1, batchSize: 50, warmupEpochs, seed: 3, progress: "none" });
      return vae;
    };
    const [plain, warm] = [await run(0), await run(5)];
    expect(maxAbsDiff(plain.trainableVariables(), warm.trainableVariables())).toBeGreaterThan(1e-4);
    plain.dispose();
    warm.dispose();
  });
});

describe("fit with free bits", () => {
  it("trains a VAE with the readable loss and free bits, and with the fast path without them", async () => {
    const vae = new VAE(config);
    const calls = recordLossCalls();
    await fit(vae, { train }, { epochs: 1, batchSize: 100, progress: "none" });
    expect(calls).toHaveLength(0); // the fast path ran
    await fit(vae, { train }, { epochs: 1, batchSize: 100, freeBits: 0.25, progress: "none" });
    expect(calls.map((c) => c.freeBits)).toEqual([0.25, 0.25, 0.25]);
    vae.dispose();
  });

  it("with more free nats than any dimension uses, trains as without the KL term (beta = 0)", async () => {
    // Every dimension sits below 100 nats, so the KL term is the constant 100 * latentDim and
    // has no gradient: the updates are those of the reconstruction term alone.
    const run = async (options: { freeBits?: number; beta?: number }) => {
      const vae = new VAE(config);
      await fit(vae, { train }, { epochs: 1, batchSize: 50, seed: 4, progress: "none", ...options });
      return vae;
    };
    const free = await run({ freeBits: 100 });
    const noKl = await run({ beta: 0 });
    const plain = await run({});
    const x = tf.tensor2d(train.images.subarray(0, 50 * 784), [50, 784]);
    const perDimension = tf.tidy(() => {
      const { mu, logVar } = free.encode(x);
      return klStandardNormalPerDimension(mu, logVar).mean(0).max().dataSync()[0];
    });
    expect(perDimension).toBeLessThan(100);
    const toNoKl = maxAbsDiff(free.trainableVariables(), noKl.trainableVariables());
    const toPlain = maxAbsDiff(free.trainableVariables(), plain.trainableVariables());
    expect(toNoKl).toBeLessThan(1e-4);
    expect(toPlain).toBeGreaterThan(100 * toNoKl);
    for (const m of [free, noKl, plain]) m.dispose();
    x.dispose();
  });

  it("leaks no tensors", async () => {
    const vae = new VAE(config);
    const before = tf.memory().numTensors;
    await fit(vae, { train }, { epochs: 2, batchSize: 50, freeBits: 0.5, warmupEpochs: 1, progress: "none" });
    expect(tf.memory().numTensors).toBe(before);
    vae.dispose();
  });
});

describe("fit's warm-up and free-bits options", () => {
  it("rejects bad values and free bits for a model without a KL term, naming the option", async () => {
    const vae = new VAE(config);
    await expect(fit(vae, { train }, { warmupEpochs: -1 })).rejects.toThrow("Error in fit: options.warmupEpochs must be a finite number >= 0, but got -1.");
    await expect(fit(vae, { train }, { warmupEpochs: Number.NaN })).rejects.toThrow(/options\.warmupEpochs/);
    await expect(fit(vae, { train }, { freeBits: -0.5 })).rejects.toThrow("Error in fit: options.freeBits must be a finite number >= 0, but got -0.5.");
    const ae = new Autoencoder(config);
    await expect(fit(ae, { train }, { freeBits: 0.5 })).rejects.toThrow(/options\.freeBits must be 0 for a model other than a VAE.*0\.5 for a model of class Autoencoder/);
    vae.dispose();
    ae.dispose();
  });
});
