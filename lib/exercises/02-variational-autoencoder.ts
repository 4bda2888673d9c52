import * as tf from "@tensorflow/tfjs";
import type { Exercise } from "./exercise";
import { experimentExercise } from "./experiment";
import { functionExercise } from "./function-exercise";

// The exercises at the end of notebooks/02-variational-autoencoder.ipynb. Solutions: solutions/02-variational-autoencoder.ts.

const notebook = "02-variational-autoencoder";

const rows = (t: unknown) => (t as tf.Tensor2D).arraySync();

/** μ + exp(½ log σ²) ε element by element, in float64: the reference answer of 02.2. */
function sampleReference(mu: unknown, logVar: unknown, eps: unknown): number[][] {
  const [m, lv, e] = [mu, logVar, eps].map(rows);
  return m.map((row, i) => row.map((v, j) => v + Math.exp(0.5 * lv[i][j]) * e[i][j]));
}

/** ½(μ² + σ² − 1 − log σ²) per dimension, averaged over the rows, in float64: the reference answer of 02.3. */
function klPerDimensionReference(mu: unknown, logVar: unknown): number[] {
  const [m, lv] = [mu, logVar].map(rows);
  return m[0].map((_, j) => m.reduce((s, row, i) => s + 0.5 * (row[j] ** 2 + Math.exp(lv[i][j]) - 1 - lv[i][j]), 0) / m.length);
}

const betas = experimentExercise({
  id: "02.1",
  notebook: notebook,
  title: "The 2-D VAE with β = 4 and with β = 0.25",
  task: "Train the 2-D VAE with kit.fit and the quick settings (3 epochs on 5,000 training images, seed 1; about 6 s for both on 2 cores) with beta: 4 and with beta: 0.25, and report the KL and reconstruction terms of each on 1,000 test images (kit.evaluate with seed 1).",
  hint: "kit.fit(vae, { train: exTrain, test: exTest }, { epochs: 3, seed: SEED, beta: 4 }), then kit.evaluate(vae, exTest, { seed: SEED }) gives .kl and .reconstruction. A larger beta weighs the KL term more, so training makes it smaller.",
  lookFor: "with β = 4 a scatter squeezed into the prior's circle with overlapping digits; with β = 0.25 a wider one with better separated clusters.",
  quantities: [
    { key: "kl4", label: "KL term with β = 4 (nats per image)", range: [2, 5] },
    { key: "kl025", label: "KL term with β = 0.25 (nats per image)", range: [14, 25] },
    { key: "reconstruction4", label: "reconstruction term with β = 4 (nats per image)", range: [180, 205] },
    { key: "reconstruction025", label: "reconstruction term with β = 0.25 (nats per image)", range: [175, 200] },
    { key: "klGap", label: "KL term with β = 0.25 minus with β = 4 (nats)", range: [10, 22], derive: (m) => m.kl025 - m.kl4, hint: "The KL term of the β = 4 model is the smaller one: β multiplies it in the loss." },
  ],
});

const sample = functionExercise({
  id: "02.2",
  notebook: notebook,
  title: "A sample of q(z|x), by the reparameterization trick",
  task: "Write z = μ + σ ⊙ ε from μ, log σ² and ε ~ N(0, I), all [batch, d]. The cell then decodes several samples of q(z|x) for the same test digits, with the 2-D and the 20-D model.",
  signature: "(mu: tf.Tensor2D, logVar: tf.Tensor2D, eps: tf.Tensor2D) => tf.Tensor2D",
  hint: "σ = exp(½ log σ²): halve the log-variance before exponentiating. exp(logVar) is σ², the variance.",
  cases: [
    { name: "zero mean, unit variance: z = ε", args: () => [tf.zeros([2, 3]), tf.zeros([2, 3]), tf.tensor2d([[0.5, -1, 2], [1.5, 0, -0.3]])], expected: sampleReference },
    { name: "σ = 2 (log σ² = log 4)", args: () => [tf.tensor2d([[1, -1]]), tf.fill([1, 2], Math.log(4)), tf.tensor2d([[1, 0.5]])], expected: sampleReference, hint: "With σ² = 4, σ = 2: z = μ + 2ε." },
    { name: "a batch [4, 5] of mixed values", args: () => [tf.randomNormal([4, 5], 0, 2, "float32", 1), tf.randomUniform([4, 5], -3, 3, "float32", 2), tf.randomNormal([4, 5], 0, 1, "float32", 3)], expected: sampleReference, hint: "Element by element: keep the shape [batch, d], no sums." },
    { name: "large log σ² = 20 (σ = e¹⁰)", args: () => [tf.tensor2d([[0.5]]), tf.tensor2d([[20]]), tf.tensor2d([[0.1]])], expected: sampleReference, tolerance: { rel: 1e-4 } },
    { name: "σ → 0: log σ² = −100 gives z = μ", args: () => [tf.tensor2d([[3, -2]]), tf.fill([1, 2], -100), tf.tensor2d([[1, -1]])], expected: sampleReference, hint: "exp(−50) is about 2e−22: the sample is the mean." },
  ],
});

const klPerDimension = functionExercise({
  id: "02.3",
  notebook: notebook,
  title: "The KL term per latent dimension",
  task: "Write the KL term of each latent dimension, ½(μ² + σ² − 1 − log σ²), averaged over the images: from μ and log σ² [images, d] to [d], in nats. The cell then applies it to the 20-D model's posteriors of the test images and counts the dimensions that carry more than 0.01 nats.",
  signature: "(mu: tf.Tensor2D, logVar: tf.Tensor2D) => tf.Tensor1D",
  hint: "Element by element ½(μ² + exp(log σ²) − 1 − log σ²), then the mean over axis 0 (the images), not the sum and not over the dimensions. Use logVar itself for log σ².",
  cases: [
    { name: "the prior itself: zero mean, unit variance", args: () => [tf.zeros([3, 4]), tf.zeros([3, 4])], expected: klPerDimensionReference },
    { name: "one image, by hand: μ = 2, σ² = 0.5", args: () => [tf.tensor2d([[2, 0]]), tf.tensor2d([[Math.log(0.5), 0]])], expected: () => [0.5 * (4 + 0.5 - 1 - Math.log(0.5)), 0] },
    { name: "three images: the mean over images, one value per dimension", args: () => [tf.tensor2d([[1, 0], [-1, 0.5], [0, 2]]), tf.tensor2d([[0, -1], [0.5, 0], [-2, 1]])], expected: klPerDimensionReference, hint: "Average over axis 0 (the images): the result has one value per latent dimension, [d]." },
    { name: "large log σ² = 30", args: () => [tf.zeros([1, 1]), tf.tensor2d([[30]])], expected: klPerDimensionReference, tolerance: { rel: 1e-4 } },
    { name: "σ → 0: log σ² = −100 (σ² underflows float32 to 0)", args: () => [tf.zeros([1, 1]), tf.tensor2d([[-100]])], expected: () => [0.5 * (100 - 1)], hint: "log(exp(logVar)) is log 0 = −∞ once exp underflows: use logVar itself." },
  ],
});

/** The exercises of notebook 02, in order. */
export const EXERCISES_02: Exercise[] = [betas, sample, klPerDimension];
