import * as tf from "@tensorflow/tfjs";
import type { Exercise } from "./exercise";
import { functionExercise } from "./function-exercise";

// The exercises at the end of notebooks/08-convolutional-and-conditional-vaes.ipynb. Solutions: solutions/08-convolutional-and-conditional-vaes.ts.

const notebook = "08-convolutional-and-conditional-vaes";

/** Weights of a 3 x 3 convolution: 9 per input channel per filter, plus one bias per filter. */
const convWeights = (inChannels: number, filters: number) => 9 * inChannels * filters + filters;

const convParams = functionExercise({
  id: "08.1",
  notebook: notebook,
  title: "Counting a convolution's weights",
  task: "Write the number of trainable weights of a 3 × 3 convolution with inChannels input channels and `filters` filters (kernel and bias), then add up the conv VAE's encoder convolutions and compare with a dense layer of the same output size.",
  signature: "(inChannels: number, filters: number) => number",
  hint: "Each filter has one 3 × 3 kernel per input channel, 9 · inChannels weights, and one bias. The image size does not enter: the same filter slides over every position.",
  cases: [
    { name: "the first layer: 1 channel in, 16 filters", args: () => [1, 16], expected: () => convWeights(1, 16) },
    { name: "the second layer: 16 channels in, 32 filters", args: () => [16, 32], expected: () => convWeights(16, 32), hint: "Every filter sees all 16 input channels: 9 · 16 weights per filter." },
    { name: "one filter on one channel", args: () => [1, 1], expected: () => 10, hint: "Nine kernel weights and one bias." },
    { name: "the decoder's last layer: 16 channels in, 1 filter", args: () => [16, 1], expected: () => convWeights(16, 1) },
  ],
});

/** Entropy in nats of the distribution the counts give, 0 log 0 = 0. */
function entropyReference(counts: unknown): number {
  const c = counts as number[];
  const n = c.reduce((a, b) => a + b, 0);
  return c.filter((k) => k > 0).reduce((h, k) => h - (k / n) * Math.log(k / n), 0);
}

const labelEntropy = functionExercise({
  id: "08.2",
  notebook: notebook,
  title: "The entropy of a label histogram",
  task: "Write the entropy in nats of the distribution p_d = n_d / N that the counts n_d of the classifier's labels give, H = −Σ p_d log p_d, then check it against kit.histogramEntropy on the dense VAE's samples.",
  signature: "(counts: number[]) => number",
  hint: "Normalize the counts by their sum first, use the natural logarithm, and skip digits with no samples (0 · log 0 = 0, not NaN).",
  tolerance: { abs: 1e-9, rel: 1e-9 },
  cases: [
    { name: "ten equal counts: ln 10", args: () => [[5, 5, 5, 5, 5, 5, 5, 5, 5, 5]], expected: () => Math.log(10) },
    { name: "every sample the same digit: 0", args: () => [[0, 0, 0, 12, 0, 0, 0, 0, 0, 0]], expected: () => 0, hint: "An empty digit contributes 0, not NaN: skip zero counts." },
    { name: "counts, not probabilities", args: () => [[1, 3, 0, 0, 0, 0, 0, 0, 0, 4]], expected: entropyReference, hint: "Divide by the total number of samples before taking logarithms." },
    { name: "a histogram of 1,000 samples", args: () => [Array.from(tf.tidy(() => tf.randomUniform([10], 0, 200, "int32", 3).dataSync()))], expected: entropyReference },
  ],
});

/** The exercises of notebook 08, in order. */
export const EXERCISES_08: Exercise[] = [convParams, labelEntropy];
