import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMnist, MnistSplit } from "../../lib/data/mnist";
import { fastLoss } from "../../lib/fast/fast-loss";
import { decoderMean, decoderSample, LIKELIHOODS, resolveLikelihood } from "../../lib/models/likelihood";
import { VAE } from "../../lib/models/vae";
import { bernoulliLogLikelihood } from "../../lib/objectives/bernoulli";
import { continuousBernoulliLogNormalizer, continuousBernoulliMean } from "../../lib/objectives/continuous-bernoulli";
import { loadCheckpoint } from "../../lib/persist/load";
import { saveCheckpoint } from "../../lib/persist/save";
import { initBackend } from "../../lib/runtime/backend";
import { fit } from "../../lib/train/fit";
import { removeTempDirs, tempDir } from "../persist/helpers";

const small = { inputDim: 784, hiddenSizes: [16], latentDim: 2, seed: 3 };
let data: { train: MnistSplit; test: MnistSplit };
const values = (t: tf.Tensor) => Array.from(t.dataSync());

beforeAll(async () => {
  await initBackend("wasm", { quiet: true });
  data = loadMnist({ limit: 200 });
});
afterAll(removeTempDirs);

/** The reconstruction term of `vae` for a batch and the logits of the same z (same seed). */
function termsAndLogits(vae: VAE, x: tf.Tensor2D, seed = 5): { reconstruction: number[]; logits: tf.Tensor2D } {
  const { terms } = vae.lossTerms(x, { beta: 1, seed });
  const logits = vae.decoder.apply(vae.reparameterize(vae.encode(x), seed)) as tf.Tensor2D;
  return { reconstruction: values(terms.reconstruction), logits };
}

describe("VAE likelihood option", () => {
  it("defaults to Bernoulli and rejects unknown names, misplaced and bad sigmas", () => {
    expect(new VAE(small).likelihood).toEqual({ name: "bernoulli" });
    expect(() => new VAE({ ...small, likelihood: { name: "poisson" as never } })).toThrow(/likelihood\.name.*"bernoulli".*poisson/s);
    expect(() => new VAE({ ...small, likelihood: { name: "bernoulli", sigma: 0.1 } })).toThrow(/likelihood\.sigma/);
    expect(() => new VAE({ ...small, likelihood: { name: "gaussian", sigma: -1 } })).toThrow(/likelihood\.sigma.*positive.*-1/s);
    expect(() => resolveLikelihood("f", { name: "gaussian", sigma: "learned", logSigma: [0, 1] }, 784)).toThrow(/logSigma.*1 finite/s);
    expect(LIKELIHOODS).toEqual(["bernoulli", "continuous-bernoulli", "gaussian"]);
  });

  it("each decoder's reconstruction term is its -log p(x | z) for the same z", () => {
    const x = data.test.tensors().x.slice([0, 0], [8, 784]) as tf.Tensor2D;
    const bern = new VAE(small);
    const cb = new VAE({ ...small, likelihood: { name: "continuous-bernoulli" } });
    const sigma = 0.2;
    const gauss = new VAE({ ...small, likelihood: { name: "gaussian", sigma } });
    const b = termsAndLogits(bern, x);
    const c = termsAndLogits(cb, x);
    const g = termsAndLogits(gauss, x);
    const bce = values(bernoulliLogLikelihood(x, c.logits).neg());
    const logC = values(continuousBernoulliLogNormalizer(c.logits).sum(1));
    c.reconstruction.forEach((r, i) => expect(r).toBeCloseTo(bce[i] - logC[i], 2));
    const sse = values(tf.squaredDifference(x, tf.sigmoid(g.logits)).sum(1));
    const constant = 784 * (Math.log(sigma) + Math.log(2 * Math.PI) / 2);
    g.reconstruction.forEach((r, i) => expect(r).toBeCloseTo(sse[i] / (2 * sigma * sigma) + constant, 2));
    expect(b.reconstruction[0]).not.toBeCloseTo(c.reconstruction[0], 1);
    [bern, cb, gauss].forEach((m) => m.dispose());
  });

  it("fit uses the fast path only for the Bernoulli decoder, and trains a learned sigma", async () => {
    const bern = new VAE(small);
    const learned = new VAE({ ...small, likelihood: { name: "gaussian", sigma: "learned" } });
    expect(fastLoss(bern)).toBeDefined();
    expect(fastLoss(new VAE({ ...small, likelihood: { name: "continuous-bernoulli" } }))).toBeUndefined();
    expect(fastLoss(learned)).toBeUndefined();
    expect(learned.trainableVariables()).toHaveLength(bern.trainableVariables().length + 1);
    const before = values(learned.logSigma!)[0];
    const { history } = await fit(learned, { train: data.train }, { epochs: 2, batchSize: 50, learningRate: 0.05, progress: "none" });
    expect(Number.isFinite(history[1].train.negElbo)).toBe(true);
    expect(values(learned.logSigma!)[0]).toBeLessThan(before - 0.1); // sigma = 1 is far too wide for pixels in [0, 1]
    [bern, learned].forEach((m) => m.dispose());
  });

  it("a checkpoint keeps the likelihood and a learned per-pixel sigma, and load checks it", async () => {
    const dir = path.join(tempDir(), "ckpt");
    const vae = new VAE({ ...small, likelihood: { name: "gaussian", sigma: "learned-per-pixel" } });
    vae.logSigma!.assign(tf.linspace(-2, 0, 784));
    const manifest = await saveCheckpoint(dir, vae);
    expect(manifest.likelihood?.name).toBe("gaussian");
    expect(manifest.likelihood?.logSigma).toHaveLength(784);
    const { model } = await loadCheckpoint(dir, { kind: "vae" });
    expect(model.likelihood).toEqual({ name: "gaussian", sigma: "learned-per-pixel" });
    expect(values(model.logSigma!)).toEqual(values(vae.logSigma!));
    const x = data.test.tensors().x.slice([0, 0], [4, 784]) as tf.Tensor2D;
    expect(values(model.lossTerms(x, { beta: 1, seed: 2 }).loss)[0]).toBeCloseTo(values(vae.lossTerms(x, { beta: 1, seed: 2 }).loss)[0], 3);
    const file = path.join(dir, "manifest.json");
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    fs.writeFileSync(file, JSON.stringify({ ...json, likelihood: { name: "gaussian", sigma: "learned-per-pixel", logSigma: [1] } }));
    await expect(loadCheckpoint(dir)).rejects.toThrow(/manifest\.json.*likelihood.*logSigma.*784/s);
    [vae, model].forEach((m) => m.dispose());
  });
});

describe("importance weights of other decoders", () => {
  it("use the model's likelihood and learned sigma", async () => {
    const { vaeLogWeights } = await import("../../lib/objectives/iwae");
    const x = data.test.tensors().x.slice([0, 0], [4, 784]) as tf.Tensor2D;
    const bern = new VAE(small);
    const gauss = new VAE({ ...small, likelihood: { name: "gaussian", sigma: "learned" } });
    gauss.encoder.setWeights(bern.encoder.getWeights());
    gauss.decoder.setWeights(bern.decoder.getWeights());
    const mean = (m: VAE) => values(vaeLogWeights(m, x, 8, { seed: 1 }).mean())[0];
    const atSigma1 = mean(gauss);
    gauss.logSigma!.assign(tf.tensor1d([Math.log(0.5)]));
    const atHalf = mean(gauss);
    expect(atSigma1).not.toBeCloseTo(mean(bern), 0);
    // log N(x; m, s^2) per pixel: -log s - d^2 / (2 s^2); going from s = 1 to 1/2 adds log 2 - 3 d^2 / 2
    expect(mean(gauss)).toBe(atHalf); // the same seed gives the same weights
    expect(atHalf - atSigma1).toBeLessThan(784 * Math.LN2);
    expect(atHalf - atSigma1).toBeGreaterThan(784 * (Math.LN2 - 1.5));
    [bern, gauss].forEach((m) => m.dispose());
  });
});

describe("a VAE with a learned sigma", () => {
  it("leaves no tensor behind once disposed", () => {
    const before = tf.memory().numTensors;
    for (const sigma of ["learned", "learned-per-pixel"] as const) new VAE({ ...small, likelihood: { name: "gaussian", sigma } }).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("decoderMean and decoderSample", () => {
  const logits = () => tf.tensor2d([[-3, 0, 2.5], [1, -0.5, 4]]);
  const means = (likelihood: Parameters<typeof decoderSample>[0], n: number, logSigma?: tf.Tensor) =>
    tf.tidy(() => {
      const l = tf.tile(logits(), [n, 1]) as tf.Tensor2D;
      return values(decoderSample(likelihood, l, { seed: 7, logSigma }).reshape([n, 2, 3]).mean(0));
    });

  it("the mean is sigmoid(l), except for the continuous Bernoulli", () => {
    const l = logits();
    expect(values(decoderMean({ name: "bernoulli" }, l))).toEqual(values(tf.sigmoid(l)));
    expect(values(decoderMean({ name: "gaussian", sigma: 0.3 }, l))).toEqual(values(tf.sigmoid(l)));
    const cb = values(decoderMean({ name: "continuous-bernoulli" }, l));
    expect(cb).toEqual(values(continuousBernoulliMean(l)));
    expect(cb).not.toEqual(values(tf.sigmoid(l)));
    l.dispose();
  });

  it("samples average to the mean (4 standard errors), Bernoulli samples are 0 or 1, Gaussian ones have sigma", () => {
    const n = 4000;
    const before = tf.memory().numTensors;
    for (const likelihood of [{ name: "bernoulli" }, { name: "continuous-bernoulli" }, { name: "gaussian", sigma: 0.5 }] as const) {
      const expected = tf.tidy(() => values(decoderMean(likelihood, logits())));
      means(likelihood, n).forEach((m, i) => expect(Math.abs(m - expected[i]), likelihood.name).toBeLessThan(4 * 0.5 / Math.sqrt(n)));
    }
    const binary = tf.tidy(() => values(decoderSample({ name: "bernoulli" }, logits(), { seed: 1 })));
    expect(binary.every((v) => v === 0 || v === 1)).toBe(true);
    const logSigma = tf.tensor1d([Math.log(0.2), Math.log(2), 0]);
    const spread = tf.tidy(() => {
      const x = decoderSample({ name: "gaussian", sigma: "learned-per-pixel" }, tf.tile(logits(), [n, 1]) as tf.Tensor2D, { seed: 3, logSigma });
      return values(tf.moments(x.reshape([n, 2, 3]), 0).variance.sqrt().slice([0, 0], [1, 3]));
    });
    [0.2, 2, 1].forEach((s, i) => expect(spread[i]).toBeCloseTo(s, 1));
    logSigma.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => tf.tidy(() => decoderSample({ name: "gaussian", sigma: "learned" }, logits()))).toThrow(/options\.logSigma must be the learned log sigma/);
  });
});
