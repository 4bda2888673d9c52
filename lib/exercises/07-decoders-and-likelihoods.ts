import * as tf from "@tensorflow/tfjs";
import { continuousBernoulliLogNormalizer } from "../objectives/continuous-bernoulli";
import { gaussianDecoderLogLikelihood } from "../objectives/gaussian-decoder";
import type { Exercise } from "./exercise";
import { experimentExercise } from "./experiment";
import { functionExercise } from "./function-exercise";

// The exercises at the end of notebooks/07-decoders-and-likelihoods.ipynb. Solutions: solutions/07-decoders-and-likelihoods.ts.

const notebook = "07-decoders-and-likelihoods";

const logNormalizerFromKit = (...args: unknown[]) => continuousBernoulliLogNormalizer(args[0] as tf.Tensor);

const logNormalizer = functionExercise({
  id: "07.1",
  notebook: notebook,
  title: "The continuous Bernoulli's log normalizing constant, stable at λ = 1/2",
  task: "Write log C from logits l, element by element, without the kit's function: log|l| − log|tanh(l/2)|, and the series log 2 + l²/12 − 7l⁴/1440 for small |l|.",
  signature: "(logits: tf.Tensor) => tf.Tensor",
  hint: "Choose per element with tf.where(tf.abs(l).less(0.1), series, closed), and feed the closed form a logit that is never 0 inside the band (e.g. tf.where(near, tf.onesLike(l), l)), or its 0/0 comes back as NaN.",
  cases: [
    { name: "l = 0 (λ = 1/2): log 2, where the closed form is 0/0", args: () => [tf.tensor1d([0])], expected: () => [Math.LN2], hint: "At l = 0 the closed form is log 0 − log 0: use the series log 2 + l²/12 − 7l⁴/1440 there." },
    { name: "tiny logits ±1e-6", args: () => [tf.tensor1d([1e-6, -1e-6])], expected: () => [Math.LN2, Math.LN2], hint: "In float32 tanh(l/2) of a tiny l loses its digits; the series does not." },
    { name: "moderate logits: ±0.05, ±0.5, 2", args: () => [tf.tensor1d([-0.5, -0.05, 0.05, 0.5, 2])], expected: logNormalizerFromKit, tolerance: { abs: 1e-5 } },
    { name: "large logits ±30 (λ within 1e-13 of 0 or 1)", args: () => [tf.tensor1d([-30, 30])], expected: () => [Math.log(30), Math.log(30)], tolerance: { abs: 1e-5 }, hint: "tanh(15) is 1 in float32, so log C = log |l| there." },
    { name: "a [2, 3] grid: element by element, shape kept", args: () => [tf.tensor2d([[0, 1, -3], [0.01, -0.2, 8]])], expected: logNormalizerFromKit, tolerance: { abs: 1e-5 }, hint: "Do not sum: one value per logit, the shape of the input." },
  ],
});

/** The total mass of lambda^x (1 - lambda)^(1 - x) over x in [0, 1]: (2 lambda - 1) / logit(lambda). */
const crossEntropyMass = (lambda: number) => (2 * lambda - 1) / Math.log(lambda / (1 - lambda));

const missingMass = experimentExercise({
  id: "07.2",
  notebook: notebook,
  title: "The mass of the grey-level cross-entropy over [0, 1]",
  task: "Integrate λ^x (1 − λ)^(1 − x) over x in [0, 1] numerically at λ = 0.5, 0.9 and 0.99.",
  hint: "Part 2's integrateOverPixel(kit.bernoulliLogLikelihood, logit(λ)) does it by Simpson's rule; the closed form is (2λ − 1) / log(λ / (1 − λ)), and 1/2 at λ = 1/2.",
  quantities: [
    { key: "mass50", label: "∫ f dx at λ = 0.5", range: [0.499, 0.501], hint: "At λ = 1/2 the integrand is 1/2 for every x." },
    { key: "mass90", label: "∫ f dx at λ = 0.9", range: [crossEntropyMass(0.9) - 1e-3, crossEntropyMass(0.9) + 1e-3], hint: "It is not 1: the cross-entropy is not a density for grey-level x." },
    { key: "mass99", label: "∫ f dx at λ = 0.99", range: [crossEntropyMass(0.99) - 1e-3, crossEntropyMass(0.99) + 1e-3] },
  ],
});

/** sqrt of the mean of (x - mean)^2 over all entries, in float64. */
function rmse(x: number[][], mean: number[][]): number {
  let sum = 0;
  let n = 0;
  x.forEach((row, i) => row.forEach((v, j) => {
    sum += (v - mean[i][j]) ** 2;
    n++;
  }));
  return Math.sqrt(sum / n);
}

const pair = (x: number[][], mean: number[][]) => ({ args: () => [tf.tensor2d(x), tf.tensor2d(mean)], expected: () => rmse(x, mean) });

const bestSigma = functionExercise({
  id: "07.3",
  notebook: notebook,
  title: "The σ that maximizes a Gaussian decoder's likelihood",
  task: "Write the one σ (for all pixels and images) that maximizes the Gaussian log-likelihood of x [batch, D] given the decoder means [batch, D]; return a number.",
  signature: "(x: tf.Tensor2D, mean: tf.Tensor2D) => number",
  hint: "Setting the derivative of SSE/(2σ²) + N log σ to 0 gives σ² = SSE/N, with N the number of entries (images × pixels): σ is the root mean squared error.",
  cases: [
    { name: "one image, errors ±0.1: σ = 0.1", ...pair([[0.1, 0.9]], [[0, 1]]) },
    { name: "perfect means: σ = 0", ...pair([[0.3, 0.7]], [[0.3, 0.7]]) },
    { name: "two images of 3 pixels: the mean over all 6 entries", ...pair([[0, 0.5, 1], [1, 1, 0]], [[0.2, 0.5, 0.6], [0.9, 0.5, 0.1]]), hint: "Average over images and pixels both: divide the sum of squares by batch × D, not by D." },
    { name: "errors of different sizes: the root of the mean square, not the mean absolute error", ...pair([[0, 0, 0, 0]], [[0.1, 0.1, 0.1, 0.5]]), hint: "σ² is the mean of the squared errors; the mean of |x − m| is smaller." },
  ],
});

const nllFromKit = (...args: unknown[]) => {
  const [x, mean, sigma] = args as [tf.Tensor2D, tf.Tensor2D, number];
  return gaussianDecoderLogLikelihood(x, mean, Math.log(sigma)).neg();
};

const gaussianNll = functionExercise({
  id: "07.4",
  notebook: notebook,
  title: "The Gaussian decoder's negative log-likelihood with a fixed σ",
  task: "Write −log N(x; mean, σ² I) per image for x and mean of shape [batch, D] and a fixed σ: SSE/(2σ²) + D log σ + (D/2) log 2π, returning [batch].",
  signature: "(x: tf.Tensor2D, mean: tf.Tensor2D, sigma: number) => tf.Tensor1D",
  hint: "Sum over the pixels (axis 1) only, and keep the constant D (log σ + ½ log 2π), with D = x.shape[1]: it does not change the gradient, but it is part of the likelihood.",
  tolerance: { abs: 1e-3, rel: 1e-4 },
  cases: [
    { name: "x = mean, σ = 1, D = 2: just the constant log 2π", args: () => [tf.tensor2d([[0.5, 0.5]]), tf.tensor2d([[0.5, 0.5]]), 1], expected: () => [Math.log(2 * Math.PI)] },
    { name: "a batch of 2 images of 3 pixels, σ = 0.5", args: () => [tf.tensor2d([[0, 0.5, 1], [1, 0, 0.2]]), tf.tensor2d([[0.1, 0.4, 0.8], [0.7, 0.3, 0.2]]), 0.5], expected: nllFromKit, hint: "One value per image: shape [batch]." },
    { name: "σ = 1e-3: the squared error dominates", args: () => [tf.tensor2d([[0, 0.01]]), tf.tensor2d([[0.002, 0.01]]), 1e-3], expected: nllFromKit },
    { name: "σ = 20, D = 784: the constant dominates", args: () => [tf.fill([1, 784], 0.3) as tf.Tensor2D, tf.fill([1, 784], 0.6) as tf.Tensor2D, 20], expected: nllFromKit, hint: "D log σ + (D/2) log 2π is about 3069 nats here." },
  ],
});

/** The exercises of notebook 07, in order. */
export const EXERCISES_07: Exercise[] = [logNormalizer, missingMass, bestSigma, gaussianNll];
