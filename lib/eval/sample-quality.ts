import * as tf from "@tensorflow/tfjs";
import { Classifier } from "../models/classifier";
import { argumentError, checkInteger, checkLength, checkNonEmpty, checkPositiveInteger, describe } from "../runtime/checks";

/**
 * A check of generated images that does not use the model's likelihood: a digit classifier
 * labels them, and the labels say whether the samples look like digits, of every class
 * (a histogram near uniform, entropy near ln 10) or of few (mode collapse: low entropy), and
 * whether a conditional model draws the digit it was asked for.
 *
 * This is the idea behind the Inception score (Salimans et al. 2016, "Improved Techniques
 * for Training GANs", section 4): good samples give confident labels, p(y|x) of low
 * entropy, and varied samples give a marginal p(y) = E_x p(y|x) of high entropy; the score
 * is exp(E_x KL(p(y|x) || p(y))) = exp(H(p(y)) - E_x H(p(y|x))), between 1 and the number
 * of classes. On MNIST the classifier is a small MNIST classifier instead of Inception.
 */

/** What `sampleQuality` measures, over n images. */
export interface SampleQuality {
  /** Number of images labelled, n. */
  count: number;
  /** The classifier's label of each image, `[n]`. */
  labels: Int32Array;
  /** Images per label, `[classes]` (index = digit), summing to n. */
  histogram: number[];
  /** Entropy of the label histogram (as fractions), nats: ln(classes) (2.303 for 10) when
   *  uniform, 0 when every image gets one label. */
  labelEntropy: number;
  /** Mean probability of the chosen label, in (0, 1]: how sure the classifier is. */
  meanConfidence: number;
  /** exp(H(p(y)) - E_x H(p(y|x))), from the class probabilities, in [1, classes]
   *  (Salimans et al. 2016, section 4). */
  inceptionScore: number;
  /** With `targets`: the fraction of images labelled as the digit asked for, in [0, 1]. */
  fractionAsAsked?: number;
}

/**
 * Label generated images with a classifier and summarize the labels: their histogram, its
 * entropy in nats, the mean confidence, the Inception score and, for a conditional model,
 * the fraction labelled as the digit asked for.
 *
 * Pass pixel probabilities (decoder means, e.g. `vae.sample(n, seed)`), grey levels in
 * [0, 1] like the classifier's training images. A good unconditional model of MNIST has
 * `labelEntropy` near ln 10 = 2.303 nats (about 10% of each digit) and a high
 * `meanConfidence`; a conditional model should have `fractionAsAsked` near the
 * classifier's own test accuracy.
 *
 * @param classifier a trained `Classifier`, e.g. `loadPretrained("classifier", { kind: "classifier" })`.
 * @param images `[n, 784]` pixel values in [0, 1], a tensor (not disposed) or a flat
 *   `Float32Array` of n * 784.
 * @param options `targets`: the digit asked for, one per image (`[n]`) or one for all;
 *   `batchSize` of the classifier's forward passes (default 1000).
 * @returns a `SampleQuality`.
 * @throws Error when `images` has the wrong shape or values outside [0, 1], or `targets`
 *   has the wrong length or a value that is not a class index.
 *
 * @example
 * const { model: classifier, manifest } = await loadPretrained("classifier", { kind: "classifier" });
 * manifest.metrics!.test.accuracy;                      // the classifier's test accuracy
 * const images = vae.sample(1000, 7);                    // [1000, 784] pixel probabilities
 * const q = sampleQuality(classifier, images);
 * q.histogram; q.labelEntropy; q.meanConfidence;         // counts per digit, nats (max 2.303), (0, 1]
 * show(barChart(q.histogram, { labels: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], xTitle: "digit", yTitle: "samples", unit: "" }));
 * const wanted = Int32Array.from({ length: 1000 }, (_, i) => i % 10);
 * sampleQuality(classifier, cvaeImages, { targets: wanted }).fractionAsAsked; // in [0, 1]
 * images.dispose(); classifier.dispose();
 */
export function sampleQuality(
  classifier: Classifier,
  images: tf.Tensor2D | Float32Array,
  options: { targets?: ArrayLike<number> | number; batchSize?: number } = {},
): SampleQuality {
  const fn = "sampleQuality";
  if (!(classifier instanceof Classifier)) throw argumentError(fn, "classifier", "a Classifier", describe(classifier));
  const { classes } = classifier.config;
  const { labels, probabilities, confidence } = classifier.classify(images, { batchSize: options.batchSize });
  const n = labels.length;
  if (n === 0) throw argumentError(fn, "images", "at least one image", "0 images");
  const targets = options.targets === undefined ? undefined : checkTargets(fn, options.targets, n, classes);
  const histogram = labelHistogram(labels, classes);
  const quality: SampleQuality = {
    count: n,
    labels,
    histogram,
    labelEntropy: histogramEntropy(histogram),
    meanConfidence: confidence.reduce((a, b) => a + b, 0) / n,
    inceptionScore: inceptionScore(probabilities, classes),
  };
  if (targets) quality.fractionAsAsked = labels.reduce((hits, label, i) => hits + (label === targets[i] ? 1 : 0), 0) / n;
  return quality;
}

/**
 * Count labels per class.
 * @param labels class indices in 0..classes-1.
 * @param classes number of classes (default 10).
 * @returns `[classes]` counts.
 * @throws Error naming the first label that is not an integer in 0..classes-1.
 * @example
 * labelHistogram([0, 2, 2], 3); // [1, 0, 2]
 */
export function labelHistogram(labels: ArrayLike<number>, classes = 10): number[] {
  checkPositiveInteger("labelHistogram", "classes", classes);
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw argumentError("labelHistogram", `labels[${i}]`, `an integer in 0..${classes - 1}`, describe(label));
    }
    counts[label]++;
  }
  return counts;
}

/**
 * Entropy of a histogram, in nats: H = -sum_k p_k ln p_k with p_k = counts[k] / sum(counts)
 * (empty bins add 0). ln(bins) for a uniform histogram, 0 when one bin holds everything.
 *
 * @param counts non-negative counts, at least one of them positive.
 * @throws Error when `counts` is empty, holds a negative or non-finite value, or sums to 0.
 * @example
 * histogramEntropy([5, 5, 5, 5, 5, 5, 5, 5, 5, 5]); // ln 10 = 2.3026 nats
 * histogramEntropy([0, 0, 50, 0]);                  // 0
 */
export function histogramEntropy(counts: ArrayLike<number>): number {
  const fn = "histogramEntropy";
  const k = checkNonEmpty(fn, "counts", counts);
  let total = 0;
  for (let i = 0; i < k; i++) {
    if (!(counts[i] >= 0) || !Number.isFinite(counts[i])) throw argumentError(fn, `counts[${i}]`, "a finite number >= 0", describe(counts[i]));
    total += counts[i];
  }
  if (total === 0) throw argumentError(fn, "counts", "counts with a positive sum", "all zeros");
  let h = 0;
  for (let i = 0; i < k; i++) if (counts[i] > 0) h -= (counts[i] / total) * Math.log(counts[i] / total);
  return h;
}

/**
 * The Inception score of class probabilities, exp(H(p(y)) - E_x H(p(y|x))), where p(y) is
 * the mean of the rows (Salimans et al. 2016, section 4; equal to exp(E_x KL(p(y|x) || p(y)))).
 * 1 when every row is the same; `classes` when the rows are one-hot and every class is
 * equally common.
 *
 * @param probabilities row-major `[n, classes]`, rows summing to 1.
 * @param classes number of classes.
 * @throws Error when the length is not a positive multiple of `classes`.
 * @example
 * inceptionScore([1, 0, 0, 1], 2); // 2
 */
export function inceptionScore(probabilities: ArrayLike<number>, classes: number): number {
  checkPositiveInteger("inceptionScore", "classes", classes);
  const n = probabilities.length / classes;
  if (!Number.isInteger(n) || n < 1) {
    throw argumentError("inceptionScore", "probabilities", `n * ${classes} values (n >= 1)`, `${probabilities.length} values`);
  }
  const marginal = new Array<number>(classes).fill(0);
  let conditional = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < classes; k++) {
      const p = probabilities[i * classes + k];
      marginal[k] += p / n;
      if (p > 0) conditional -= (p * Math.log(p)) / n;
    }
  }
  return Math.exp(histogramEntropy(marginal) - conditional);
}

/** `targets` as one class index per image. @throws Error naming the first bad entry. */
function checkTargets(fn: string, targets: ArrayLike<number> | number, n: number, classes: number): Int32Array {
  if (typeof targets === "number") {
    checkInteger(fn, "options.targets", targets, 0);
    if (targets >= classes) throw argumentError(fn, "options.targets", `a class index in 0..${classes - 1}`, describe(targets));
    return new Int32Array(n).fill(targets);
  }
  checkLength(fn, "options.targets", targets, n, "one per image");
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = targets[i];
    if (!Number.isInteger(t) || t < 0 || t >= classes) throw argumentError(fn, `options.targets[${i}]`, `a class index in 0..${classes - 1}`, describe(t));
    out[i] = t;
  }
  return out;
}
