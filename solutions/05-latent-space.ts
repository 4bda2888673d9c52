// Solutions to the exercises of notebooks/05-latent-space.ipynb, and a typical mistake for
// each (which its check must catch). The checks: lib/exercises/05-latent-space.ts.
import * as tf from "@tensorflow/tfjs";
import * as kit from "../lib/index";
import type { Answers } from "./answers";

/** 05.1: for each point, the label of its nearest code (Euclidean distance). points `[m, d]`, codes `[n, d]`, labels `[n]` -> `[m]`. */
function nearestLabels(points: tf.Tensor2D, codes: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const d2 = tf.squaredDifference(points.expandDims(1), codes.expandDims(0)).sum(2);   // [m, n]
    return tf.gather(labels, d2.argMin(1)) as tf.Tensor1D;
  });
}

/** 05.2: the midpoints of n equal cells of [lo, hi], as the quantile grid uses the midpoints (k + 1/2) / n of probability. */
function evenlySpaced(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, k) => lo + ((k + 0.5) * (hi - lo)) / n);
}

/** 05.3: train a 50-D VAE, a 20-D VAE and a 20-D VAE with beta = 4 with the quick settings; their active units and reconstruction terms. */
async function activeUnitsAfterTraining() {
  const train = kit.loadMnistSplit("train", { limit: 5000 });
  const test = kit.loadMnistSplit("test", { limit: 1000 });
  const { x, labels } = test.tensors();
  labels.dispose();
  const run = async (latentDim: number, beta: number) => {
    const vae = new kit.VAE({ hiddenSizes: [400], latentDim: latentDim, seed: 1 });
    await kit.fit(vae, { train: train, test: test }, { epochs: 3, seed: 1, beta: beta, progress: "none" });
    const result = { active: kit.activeUnits(vae, x).count, reconstruction: kit.evaluate(vae, test, { seed: 1 }).reconstruction };
    vae.dispose();
    return result;
  };
  const d50 = await run(50, 1);
  const d20 = await run(20, 1);
  const beta4 = await run(20, 4);
  x.dispose();
  return { active50: d50.active, active20: d20.active, active20beta4: beta4.active, reconstruction20: d20.reconstruction, reconstruction20beta4: beta4.reconstruction };
}

/** 05.4: how many columns of mu (latent dimensions) have a population variance over the rows (images) above the threshold. */
function activeCount(mu: tf.Tensor2D, threshold: number): number {
  return tf.tidy(() => tf.moments(mu, 0).variance.greater(threshold).sum().dataSync()[0]);
}

/** 05.5: mean and standard deviation of |z| for 1,000 prior samples in d = 2, 20 and 200 dimensions. */
function normsOfPriorSamples() {
  const stats = (d: number) => tf.tidy(() => {
    const norms = tf.randomNormal([1000, d], 0, 1, "float32", d).norm("euclidean", 1);
    const { mean, variance } = tf.moments(norms);
    return [mean.dataSync()[0], Math.sqrt(variance.dataSync()[0])];
  });
  const [[mean2, std2], [mean20, std20], [mean200, std200]] = [2, 20, 200].map(stats);
  return { mean2, std2, mean20, std20, mean200, std200 };
}

/** 05.6: the indices of the k codes farthest from the origin, farthest first. codes `[n, d]`. */
function farthestFromOrigin(codes: tf.Tensor2D, k: number): tf.Tensor1D {
  return tf.tidy(() => tf.topk(codes.norm("euclidean", 1), k).indices as tf.Tensor1D);
}

export const solutions: Answers = {
  "05.1": () => nearestLabels,
  "05.2": () => evenlySpaced,
  "05.3": activeUnitsAfterTraining,
  "05.4": () => activeCount,
  "05.5": normsOfPriorSamples,
  "05.6": () => farthestFromOrigin,
};

export const mistakes: Answers = {
  // The nearest cluster centre (mean code of each digit) instead of the nearest code.
  "05.1": () => (points: tf.Tensor2D, codes: tf.Tensor2D, labels: tf.Tensor1D) => {
    const l = Array.from(labels.dataSync());
    const digits = [...new Set(l)];
    const centres = tf.stack(digits.map((d) => tf.gather(codes, l.flatMap((v, i) => (v === d ? [i] : []))).mean(0)));
    const nearest = Array.from(tf.squaredDifference(points.expandDims(1), centres.expandDims(0)).sum(2).argMin(1).dataSync());
    return nearest.map((i) => digits[i]);
  },
  // Both ends included (linspace), so the cells are not of equal width around their points.
  "05.2": () => (lo: number, hi: number, n: number) => Array.from({ length: n }, (_, k) => lo + (k * (hi - lo)) / Math.max(n - 1, 1)),
  // The two 20-D models mixed up: the beta = 4 model's reconstruction term reported for beta = 1 and the other way round.
  "05.3": () => ({ active50: 50, active20: 20, active20beta4: 20, reconstruction20: 189.7, reconstruction20beta4: 153.1 }),
  // The sample variance (divisor n - 1) and >= instead of the population variance and >.
  "05.4": () => (mu: tf.Tensor2D, threshold: number) => {
    const n = mu.shape[0];
    return tf.moments(mu, 0).variance.mul(n / Math.max(n - 1, 1)).greaterEqual(threshold).sum().dataSync()[0];
  },
  // The mean of |z|^2 (which is d) instead of the mean of |z|.
  "05.5": () => {
    const m = normsOfPriorSamples();
    return { ...m, mean2: 2, mean20: 20, mean200: 200 };
  },
  // Sorted by the sum of the coordinates instead of the length: negative codes count as near.
  "05.6": () => (codes: tf.Tensor2D, k: number) => tf.topk(codes.sum(1), k).indices,
};
