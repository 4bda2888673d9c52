import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { LinearGaussianModel } from "../../lib/models/linear-gaussian";
import { VAE } from "../../lib/models/vae";
import { bernoulliLogLikelihood } from "../../lib/objectives/bernoulli";
import { gaussianLogDensity, standardNormalLogDensity } from "../../lib/objectives/gaussian";
import { GaussianBernoulliVae, importanceWeightedBound, iwaeBound, vaeLogWeights } from "../../lib/objectives/iwae";
import { Rng } from "../../lib/runtime/seed";

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe("importanceWeightedBound", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  it("is log mean exp for k = K and the mean log-weight for k = 1", () => {
    tf.tidy(() => {
      const w = tf.tensor2d([[0, 1], [Math.log(3), 1]]); // [K = 2, batch = 2]
      expect(values(importanceWeightedBound(w))[0]).toBeCloseTo(Math.LN2, 6);
      expect(values(importanceWeightedBound(w))[1]).toBeCloseTo(1, 6);
      expect(values(importanceWeightedBound(w, 1))[0]).toBeCloseTo(Math.log(3) / 2, 6);
    });
  });

  it("averages log mean exp over disjoint groups of k", () => {
    tf.tidy(() => {
      const lw = [0.1, -2, 0.5, 3, -1, 0.2];
      const got = values(importanceWeightedBound(tf.tensor2d(lw, [6, 1]), 2))[0];
      const lme = (a: number, b: number) => Math.log((Math.exp(a) + Math.exp(b)) / 2);
      expect(got).toBeCloseTo((lme(0.1, -2) + lme(0.5, 3) + lme(-1, 0.2)) / 3, 5);
    });
  });

  it("is stable for log-weights of -1e4 (a likelihood far below float range)", () => {
    tf.tidy(() => {
      const got = values(importanceWeightedBound(tf.tensor2d([[-1e4], [-1e4 + Math.log(3)]])))[0];
      expect(Math.abs(got - (-1e4 + Math.LN2))).toBeLessThan(2e-3);
    });
  });

  it("rejects a k that does not divide K, and a wrong rank", () => {
    expect(() => importanceWeightedBound(tf.zeros([6, 2]) as tf.Tensor2D, 4)).toThrow(
      "Error in importanceWeightedBound: k must be a positive divisor of K = 6, but got 4.",
    );
    expect(() => importanceWeightedBound(tf.zeros([6]) as unknown as tf.Tensor2D)).toThrow(
      "Error in importanceWeightedBound: logWeights must be rank 2 ([K, batch]), but got shape [6].",
    );
  });

  it("on the exact linear-Gaussian model: E[L_k] rises with k and stays below log p(x)", () => {
    // Log-weights in float64 from the exact model, bound computed by the tensor code.
    const model = LinearGaussianModel.random({ seed: 11 });
    const xs = model.sample(3, new Rng(12)).x;
    const rng = new Rng(13);
    const K = 2000;
    const R = 20;
    for (const x of xs) {
      const post = model.posterior(x);
      const q = { mean: post.mean.map((m) => m - 0.2), cov: post.cov.map((r) => r.map((v) => 2 * v)) };
      const logp = model.logMarginal(x);
      const weights = new Float32Array(K * R);
      for (let r = 0; r < R; r++) {
        const w = model.logWeights(x, q, K, rng);
        for (let j = 0; j < K; j++) weights[j * R + r] = w[j]; // [K, R]: R independent columns
      }
      const ks = [1, 2, 5, 10, 50, 200, 1000, 2000];
      const perK = tf.tidy(() => {
        const lw = tf.tensor2d(weights, [K, R]);
        return ks.map((k) => values(importanceWeightedBound(lw, k)));
      });
      const means = perK.map((v) => v.reduce((a, b) => a + b, 0) / R);
      const ses = perK.map((v, i) => Math.sqrt(v.reduce((a, b) => a + (b - means[i]) ** 2, 0) / (R - 1) / R));
      for (let i = 1; i < ks.length; i++) expect(means[i]).toBeGreaterThanOrEqual(means[i - 1] - 2 * ses[i]);
      means.forEach((m, i) => expect(m).toBeLessThan(logp + 3 * ses[i] + 1e-4));
      expect(means[0]).toBeCloseTo(model.elbo(x, q), 1);
      expect(logp - means[means.length - 1]).toBeLessThan(0.2 * (logp - means[0]));
    }
  });
});

/** A tiny VAE-like model with a fixed posterior and a linear decoder, to check the weights by hand. */
function toyModel(): GaussianBernoulliVae & { A: tf.Tensor2D } {
  const A = tf.tensor2d([[1.5, -0.5, 0.2], [-1, 0.7, 2]]); // [latentDim 2, pixels 3]
  return {
    A,
    encode: (x: tf.Tensor2D) =>
      tf.tidy(() => ({
        mu: x.matMul(tf.tensor2d([[0.5, 0], [0, -0.5], [0.2, 0.3]])) as tf.Tensor2D,
        logVar: x.matMul(tf.tensor2d([[-0.5, 0.1], [0.3, -1], [0, 0]])).sub(0.2) as tf.Tensor2D,
      })),
    decoder: { predict: (z: tf.Tensor) => tf.tidy(() => (z as tf.Tensor2D).matMul(A)) },
  };
}

describe("vaeLogWeights", () => {
  it("is log p(x | z) + log p(z) - log q(z | x) for the samples z = mu + sigma * eps", () => {
    const model = toyModel();
    const x = tf.tensor2d([[1, 0, 1], [0, 1, 1]]);
    const seed = 21;
    tf.tidy(() => {
      const got = vaeLogWeights(model, x, 5, { seed }).arraySync() as number[][];
      // Recompute independently: one chunk, seeded with the first seed of new Rng(seed).
      const eps = tf.randomNormal([5, 2, 2], 0, 1, "float32", new Rng(seed).nextSeed());
      const { mu, logVar } = model.encode(x);
      for (let j = 0; j < 5; j++) {
        const e = eps.slice([j, 0, 0], [1, 2, 2]).squeeze([0]) as tf.Tensor2D;
        const z = mu.add(e.mul(tf.exp(logVar.mul(0.5)))) as tf.Tensor2D;
        const expected = bernoulliLogLikelihood(x, z.matMul(model.A) as tf.Tensor2D)
          .add(standardNormalLogDensity(z))
          .sub(gaussianLogDensity(z, mu, logVar));
        values(expected).forEach((v, b) => expect(got[j][b]).toBeCloseTo(v, 4));
      }
    });
    tf.dispose([x, model.A]);
  });

  it("works in chunks: shape [k, batch] for any maxRows, no tensors left behind", () => {
    const model = toyModel();
    const x = tf.tensor2d([[1, 0, 1], [0, 1, 1], [1, 1, 1]]);
    const before = tf.memory().numTensors;
    const w = vaeLogWeights(model, x, 7, { seed: 1, maxRows: 4 }); // 1 sample x 3 images per chunk
    expect(w.shape).toEqual([7, 3]);
    expect(tf.memory().numTensors).toBe(before + 1);
    const one = vaeLogWeights(model, x, 7, { seed: 1 });
    const again = vaeLogWeights(model, x, 7, { seed: 1 });
    expect(values(one)).toEqual(values(again));
    expect(() => vaeLogWeights(model, x, 0)).toThrow("Error in vaeLogWeights: k must be a positive integer, but got 0.");
    tf.dispose([x, model.A, w, one, again]);
  });
});

describe("iwaeBound on a small VAE", () => {
  const vae = new VAE({ inputDim: 784, hiddenSizes: [16], latentDim: 3, seed: 5 });
  const images = tf.tidy(() => tf.randomUniform([6, 784], 0, 1, "float32", 2).greater(0.7).cast("float32")) as tf.Tensor2D;

  it("iwaeBound is the bound of the log-weights of the same seed", () => {
    tf.tidy(() => {
      const a = values(iwaeBound(vae, images, 50, { seed: 4 }));
      const b = values(importanceWeightedBound(vaeLogWeights(vae, images, 50, { seed: 4 })));
      expect(a).toEqual(b);
    });
  });

  it("the mean log-weight estimates the same ELBO as the training loss (reconstruction + KL)", () => {
    const k = 2000;
    const seeds = 200;
    const [wMean, wSe] = tf.tidy(() => {
      const w = vaeLogWeights(vae, images, k, { seed: 3 });
      const { mean, variance } = tf.moments(w, 0);
      return [values(mean), values(variance.div(k - 1).sqrt())];
    });
    const losses = Array.from({ length: seeds }, (_, s) => tf.tidy(() => values(vae.lossTerms(images, { beta: 1, seed: 100 + s }).terms.negElbo)));
    for (let b = 0; b < 6; b++) {
      const l = losses.map((row) => -row[b]);
      const m = l.reduce((a, v) => a + v, 0) / seeds;
      const se = Math.sqrt(l.reduce((a, v) => a + (v - m) ** 2, 0) / (seeds - 1) / seeds);
      // Two Monte-Carlo estimates of one ELBO (the loss uses an analytic KL term).
      expect(Math.abs(wMean[b] - m)).toBeLessThan(4 * Math.hypot(se, wSe[b]));
    }
  });
});
