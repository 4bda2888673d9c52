import * as tf from "@tensorflow/tfjs";
import { batches } from "../data/batches";
import { MnistSplit } from "../data/mnist";
import { checkPixels, checkSplit, markChecked } from "../data/pixels";
import { GaussianBernoulliVae, importanceWeightedBound, vaeLogWeights } from "../objectives/iwae";
import { argumentError, checkPositiveInteger, checkRank, describe } from "../runtime/checks";
import { nextTurn } from "../runtime/next-turn";
import { Rng } from "../runtime/seed";
import { meanWithStandardError } from "./moments";

/** Options of {@link estimateNll}. */
export interface NllOptions {
  /** Importance samples per image (default 5000, as Burda et al. 2016 for test NLL). */
  k?: number;
  /** Also report -L_k' for these group sizes k' (each a divisor of k), computed from the
   *  same samples; default [1, k] (the -ELBO and the NLL estimate). */
  ks?: number[];
  /** Images per call of the encoder (default: as many as keep k x images <= maxRows, at
   *  least 1). */
  batchSize?: number;
  /** Seed of the samples and of dynamic binarization (default 0). */
  seed?: number;
  /** Most decoder rows per forward pass (default 2048). */
  maxRows?: number;
  /** Called after every batch with the number of images done and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** The result of {@link estimateNll}; all values in nats per image. */
export interface NllEstimate {
  /** -L_k with k = `k`: the test NLL estimate (an upper bound on the NLL, in expectation). */
  nll: number;
  /** Standard error of `nll` over images (how much the mean would vary with other images). */
  nllStandardError: number;
  /** -ELBO estimated from the same samples: minus the mean log-weight (-L_1). */
  negElbo: number;
  /** -L_k' for every requested k', increasing k' (decreasing values, in expectation). */
  byK: { k: number; value: number }[];
  /** Per-image -L_k, `[count]`. */
  perImage: Float64Array;
  /** k, images and wall-clock seconds. */
  k: number;
  count: number;
  seconds: number;
}

/**
 * Estimate a VAE's negative log-likelihood on a data set with the importance-weighted bound
 * (Burda et al. 2016, section 5: -L_5000 on the test set): for each image, k samples of
 * q(z | x) give log-weights; -log mean exp of them estimates -log p(x), from above in
 * expectation. The same weights also give the -ELBO (their mean) and -L_k' for smaller k'.
 *
 * Works batch by batch (see `batchSize`, `maxRows`), so k = 5000 on 10,000 images fits in
 * memory; the cost is k decoder passes per image. Yields to the event loop between batches
 * so progress displays update. Leaves no tensors behind.
 *
 * @param model a VAE (see {@link GaussianBernoulliVae}).
 * @param data an `MnistSplit` (a `"dynamic"` split is binarized once with `seed`; use a
 *   binarized split: for grey levels the Bernoulli likelihood is not normalized), or images
 *   `[count, pixels]` in {0, 1}.
 * @param options k (default 5000), ks, batchSize, seed, maxRows, onProgress.
 * @returns means over the images, in nats per image; see {@link NllEstimate}.
 * @throws Error when the data is empty, an option is not a positive integer, a k' in `ks`
 *   does not divide k, or the images hold a NaN, an infinity or a value outside [0, 1]
 *   (checked once, at the start; the message names the value, its `[image, pixel]` and the
 *   usual cause, e.g. "divide by 255").
 *
 * @example
 * const test = loadMnistSplit("test", { binarize: "dynamic", limit: 1000 });
 * const est = await estimateNll(vae, test, { k: 5000, ks: [1, 10, 100, 5000] });
 * est.nll; est.negElbo; // nats per image
 */
export async function estimateNll(model: GaussianBernoulliVae, data: MnistSplit | tf.Tensor2D, options: NllOptions = {}): Promise<NllEstimate> {
  const { k = 5000, seed = 0, maxRows = 2048 } = options;
  checkPositiveInteger("estimateNll", "options.k", k);
  checkPositiveInteger("estimateNll", "options.maxRows", maxRows);
  const ks = [...new Set(options.ks ?? [1, k])].sort((a, b) => a - b);
  for (const kk of ks) {
    if (!Number.isInteger(kk) || kk < 1 || k % kk !== 0) {
      throw argumentError("estimateNll", "every entry of options.ks", `a divisor of k = ${k}`, describe(kk));
    }
  }
  if (!ks.includes(1)) ks.unshift(1);
  if (!ks.includes(k)) ks.push(k);
  const batchSize = options.batchSize ?? Math.max(1, Math.floor(maxRows / k));
  checkPositiveInteger("estimateNll", "options.batchSize", batchSize);
  const count = data instanceof MnistSplit ? data.count : data.shape[0];
  if (count === 0) throw argumentError("estimateNll", "data", "non-empty", "0 images");
  if (data instanceof MnistSplit) checkSplit("estimateNll", "data", data);
  else checkPixels("estimateNll", "data", data);

  const start = Date.now();
  const rng = new Rng(seed);
  const sums = new Float64Array(ks.length);
  const perImage = new Float64Array(count);
  let done = 0;
  for (const x of imageBatches(data, batchSize, rng)) {
    const values = tf.tidy(() => {
      const logW = vaeLogWeights(model, x, k, { seed: rng.nextSeed(), maxRows });
      return ks.map((kk) => importanceWeightedBound(logW, kk).dataSync() as Float32Array);
    });
    x.dispose();
    values.forEach((v, i) => {
      for (let b = 0; b < v.length; b++) sums[i] -= v[b];
    });
    const last = values[values.length - 1];
    for (let b = 0; b < last.length; b++) perImage[done + b] = -last[b];
    done += last.length;
    options.onProgress?.(done, count);
    await nextTurn();
  }
  const byK = ks.map((kk, i) => ({ k: kk, value: sums[i] / count }));
  const { mean: nll, standardError: nllStandardError } = meanWithStandardError(perImage);
  return { nll, nllStandardError, negElbo: byK[0].value, byK, perImage, k, count, seconds: (Date.now() - start) / 1000 };
}

/** Batches of images as new tensors, which the caller disposes. */
function* imageBatches(data: MnistSplit | tf.Tensor2D, batchSize: number, rng: Rng): Generator<tf.Tensor2D> {
  if (data instanceof MnistSplit) {
    for (const batch of batches(data, { batchSize, rng: new Rng(rng.nextSeed()), shuffle: false })) yield markChecked(batch.x, "unit");
    return;
  }
  checkRank("estimateNll", "data", data, 2, "[count, pixels], or an MnistSplit");
  const count = data.shape[0];
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    yield markChecked(data.slice([start, 0], [size, data.shape[1]]) as tf.Tensor2D, "unit");
  }
}
