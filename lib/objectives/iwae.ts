import * as tf from "@tensorflow/tfjs";
import { MnistSplit } from "../data/mnist";
import { batches } from "../data/batches";
import { nextTurn } from "../runtime/next-turn";
import { Rng } from "../runtime/seed";
import { bernoulliLogLikelihood } from "./bernoulli";
import { LOG_2PI, standardNormalLogDensity } from "./gaussian";
import { logMeanExp } from "./logsumexp";

/**
 * The importance-weighted bound (Burda, Grosse & Salakhutdinov, "Importance Weighted
 * Autoencoders", ICLR 2016, section 3, eq. (8)):
 *
 *   L_k(x) = E[ log (1/k) sum_{j=1..k} w_j ],   w_j = p(x, z_j) / q(z_j | x),   z_j ~ q(z | x).
 *
 * L_1 is the ELBO, L_k <= L_{k+1} <= log p(x) (their Theorem 1), and L_k -> log p(x) as
 * k -> infinity when the weights are bounded. With k in the thousands, -L_k is the usual
 * estimate of a VAE's test negative log-likelihood (NLL). Derived in notebook 03.
 */

/**
 * The importance-weighted bound from log-weights: log mean exp over groups of `k` samples,
 * averaged over the groups.
 *
 * Given K log-weights log w_j per example (`[K, batch]`) and a group size k that divides K,
 * the K samples are split in order into K / k disjoint groups of k; each group gives one
 * draw of log (1/k) sum_j w_j, and the result is the mean of the K / k draws, an unbiased
 * estimate of L_k with less variance than a single draw. k = K (the default) is the single
 * draw of L_K; k = 1 is the mean log-weight, the Monte-Carlo ELBO.
 *
 * @param logWeights log w_j = log p(x, z_j) - log q(z_j | x), `[K, batch]`, nats.
 * @param k group size, a divisor of K (default K).
 * @returns `[batch]` estimates of L_k in nats.
 * @throws Error when `logWeights` is not rank 2 or `k` is not a positive divisor of K.
 *
 * @example
 * importanceWeightedBound(tf.tensor2d([[0], [Math.log(3)]]))    // [log 2] = [0.6931]
 * importanceWeightedBound(tf.tensor2d([[0], [Math.log(3)]]), 1) // [log(3) / 2] = [0.5493]
 */
export function importanceWeightedBound(logWeights: tf.Tensor2D, k?: number): tf.Tensor1D {
  if (logWeights.rank !== 2) {
    throw new Error(`Error in importanceWeightedBound: logWeights must be rank 2 ([K, batch]), but got shape [${logWeights.shape}].`);
  }
  const [total, batch] = logWeights.shape;
  const groupSize = k ?? total;
  if (!Number.isInteger(groupSize) || groupSize < 1 || total % groupSize !== 0) {
    throw new Error(`Error in importanceWeightedBound: k must be a positive divisor of K = ${total}, but got ${k}.`);
  }
  return tf.tidy(() => {
    const groups = logWeights.reshape([total / groupSize, groupSize, batch]);
    return logMeanExp(groups, 1).mean(0) as tf.Tensor1D;
  });
}

/**
 * What the importance-weighted estimators need from a VAE: the Gaussian encoder and the
 * decoder's logits. `kit.VAE` has both (`encode`, and `decoder.predict(z)` gives logits).
 */
export interface GaussianBernoulliVae {
  /** Parameters of q(z | x): mu and log sigma^2, each `[batch, latentDim]`. */
  encode(x: tf.Tensor2D): { mu: tf.Tensor2D; logVar: tf.Tensor2D };
  /** z `[n, latentDim]` -> Bernoulli logits `[n, pixels]` of p(x | z). */
  readonly decoder: { predict(z: tf.Tensor): tf.Tensor | tf.Tensor[] };
}

/** Options of {@link vaeLogWeights}. */
export interface LogWeightOptions {
  /** Seed of the samples z_j (default 0); the same seed gives the same weights. */
  seed?: number;
  /** Most decoder rows (samples x images) per forward pass (default 2048): bounds memory. */
  maxRows?: number;
}

/**
 * Log importance weights of a VAE with a standard normal prior, a diagonal Gaussian encoder
 * and a Bernoulli decoder, for k samples z_j ~ q(z | x) per image:
 *
 *   log w_j = log p(x | z_j) + log p(z_j) - log q(z_j | x)   (nats)
 *
 * The mean over j estimates the ELBO; `importanceWeightedBound` turns them into L_k.
 * log q is computed from the standard normal noise eps_j directly, since
 * (z_j - mu)^2 / sigma^2 = eps_j^2. The k x batch decoder passes run in chunks of at most
 * `maxRows` rows, so k in the thousands fits in memory; chunk c uses the c-th seed of
 * `new Rng(seed)`, so results depend on `maxRows` only through that split.
 *
 * @param model a VAE (see {@link GaussianBernoulliVae}).
 * @param x images, `[batch, pixels]`, values in {0, 1} for a normalized likelihood.
 * @param k samples per image, a positive integer.
 * @returns `[k, batch]` log-weights in nats; the caller disposes it.
 * @throws Error when `k` or `maxRows` is not a positive integer, or `x` is not rank 2.
 */
export function vaeLogWeights(
  model: GaussianBernoulliVae,
  x: tf.Tensor2D,
  k: number,
  options: LogWeightOptions = {},
): tf.Tensor2D {
  const { seed = 0, maxRows = 2048 } = options;
  checkPositiveInteger("vaeLogWeights", "k", k);
  checkPositiveInteger("vaeLogWeights", "options.maxRows", maxRows);
  if (x.rank !== 2) throw new Error(`Error in vaeLogWeights: x must be rank 2 ([batch, pixels]), but got shape [${x.shape}].`);
  const batch = x.shape[0];
  const perChunk = Math.max(1, Math.floor(maxRows / batch));
  const rng = new Rng(seed);
  return tf.tidy(() => {
    const { mu, logVar } = model.encode(x);
    const latentDim = mu.shape[1];
    const parts: tf.Tensor2D[] = [];
    for (let done = 0; done < k; done += perChunk) {
      const s = Math.min(perChunk, k - done);
      const chunkSeed = rng.nextSeed();
      parts.push(
        tf.tidy(() => {
          const eps = tf.randomNormal([s, batch, latentDim], 0, 1, "float32", chunkSeed);
          const z = eps.mul(tf.exp(logVar.mul(0.5))).add(mu);
          const logQ = tf.square(eps).add(logVar).add(LOG_2PI).sum(-1).mul(-0.5); // [s, batch]
          const logPz = standardNormalLogDensity(z); // [s, batch]
          const logits = model.decoder.predict(z.reshape([s * batch, latentDim])) as tf.Tensor2D;
          const logPx = bernoulliLogLikelihood(tf.tile(x, [s, 1]) as tf.Tensor2D, logits).reshape([s, batch]);
          return logPx.add(logPz).sub(logQ) as tf.Tensor2D;
        }),
      );
    }
    return (parts.length === 1 ? parts[0] : tf.concat(parts, 0)) as tf.Tensor2D;
  });
}

/**
 * One draw of the importance-weighted bound L_k of a VAE for each image (Burda et al. 2016,
 * eq. (8)): log (1/k) sum_j w_j from k fresh samples z_j ~ q(z | x).
 *
 * @param model a VAE (see {@link GaussianBernoulliVae}).
 * @param x images, `[batch, pixels]` in {0, 1}.
 * @param k samples per image (k = 1 gives a one-sample ELBO estimate).
 * @param options seed and maxRows, see {@link vaeLogWeights}.
 * @returns `[batch]` in nats; the caller disposes it.
 * @throws Error as {@link vaeLogWeights}.
 */
export function iwaeBound(model: GaussianBernoulliVae, x: tf.Tensor2D, k: number, options: LogWeightOptions = {}): tf.Tensor1D {
  return tf.tidy(() => importanceWeightedBound(vaeLogWeights(model, x, k, options)));
}

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
 * @throws Error when the data is empty, an option is not a positive integer, or a k' in `ks`
 *   does not divide k.
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
      throw new Error(`Error in estimateNll: every entry of options.ks must divide k = ${k}, but got ${kk}.`);
    }
  }
  if (!ks.includes(1)) ks.unshift(1);
  if (!ks.includes(k)) ks.push(k);
  const batchSize = options.batchSize ?? Math.max(1, Math.floor(maxRows / k));
  checkPositiveInteger("estimateNll", "options.batchSize", batchSize);
  const count = data instanceof MnistSplit ? data.count : data.shape[0];
  if (count === 0) throw new Error("Error in estimateNll: data must hold at least one image, but got 0.");

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
  const nll = byK[byK.length - 1].value;
  let ss = 0;
  for (const v of perImage) ss += (v - nll) ** 2;
  const nllStandardError = count > 1 ? Math.sqrt(ss / (count - 1) / count) : NaN;
  return { nll, nllStandardError, negElbo: byK[0].value, byK, perImage, k, count, seconds: (Date.now() - start) / 1000 };
}

/** Batches of images as new tensors, which the caller disposes. */
function* imageBatches(data: MnistSplit | tf.Tensor2D, batchSize: number, rng: Rng): Generator<tf.Tensor2D> {
  if (data instanceof MnistSplit) {
    for (const batch of batches(data, { batchSize, rng: new Rng(rng.nextSeed()), shuffle: false })) yield batch.x;
    return;
  }
  if (data.rank !== 2) throw new Error(`Error in estimateNll: data must be an MnistSplit or rank 2 ([count, pixels]), but got shape [${data.shape}].`);
  const count = data.shape[0];
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    yield data.slice([start, 0], [size, data.shape[1]]) as tf.Tensor2D;
  }
}

function checkPositiveInteger(fn: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`Error in ${fn}: ${name} must be a positive integer, but got ${value}.`);
}
