import * as tf from "@tensorflow/tfjs";
import { freeBitsKl } from "../objectives/free-bits";
import { warmupBeta } from "../train/kl-warmup";
import type { Exercise } from "./exercise";
import { functionExercise } from "./function-exercise";

// The exercises at the end of notebooks/06-beta-and-posterior-collapse.ipynb. Solutions: solutions/06-beta-and-posterior-collapse.ts.

const notebook = "06-beta-and-posterior-collapse";

/** The fraction of rows of z whose Euclidean length is at most `radius`, by hand. */
function insideFractionReference(z: unknown, radius: unknown): number {
  const rows = (z as tf.Tensor2D).arraySync();
  return rows.filter((row) => Math.sqrt(row.reduce((s, v) => s + v * v, 0)) <= (radius as number)).length / rows.length;
}

const insideFraction = functionExercise({
  id: "06.1",
  notebook: notebook,
  title: "The fraction of codes inside the prior's 95% radius",
  task: "Write the fraction of the rows of z `[n, d]` whose length |z| is at most radius; the cell then measures it for the codes of every model of the beta sweep.",
  signature: "(z: tf.Tensor2D, radius: number) => number",
  hint: "|z| = sqrt(sum_j z_j²) per row: z.square().sum(1).sqrt(); compare it with the radius itself (not with radius²), count the rows with <=, divide by n.",
  cases: [
    { name: "four 2-D points, two inside radius 1", args: () => [tf.tensor2d([[0.5, 0], [0, -0.9], [1, 1], [-2, 0]]), 1], expected: () => 0.5 },
    { name: "a point exactly on the circle counts as inside", args: () => [tf.tensor2d([[3, 4], [6, 8]]), 5], expected: () => 0.5, hint: "Use <=: |z| = radius is inside." },
    { name: "a radius below 1, where |z|² and |z| order differently", args: () => [tf.tensor2d([[0.6, 0], [0.7, 0], [0, 0.8]]), 0.75], expected: () => 2 / 3, hint: "Compare the length |z| with the radius, not the squared length." },
    { name: "500 codes in 20-D", args: () => [tf.randomNormal([500, 20], 0, 1.2, "float32", 3), 5.6], expected: insideFractionReference },
  ],
});

const freeBits = functionExercise({
  id: "06.2",
  notebook: notebook,
  title: "The free-bits KL term",
  task: "Write the free-bits KL term of Kingma et al. (2016, Appendix C.8): the KL of each latent dimension averaged over the batch, clamped from below at lambda nats, summed over dimensions. The cell then compares it with the plain KL term for the three 50-D models.",
  signature: "(mu: tf.Tensor2D, logVar: tf.Tensor2D, lambda: number) => tf.Scalar",
  hint: "Per image and dimension, KL_ij = ½(μ² + σ² − log σ² − 1) with σ² = exp(logVar); take the mean over the batch (axis 0) first, then max(lambda, ·) per dimension, then the sum.",
  tolerance: { rel: 1e-5, abs: 1e-6 },
  cases: [
    { name: "two images, two dimensions", args: () => [tf.tensor2d([[1, 0], [1, 0]]), tf.tensor2d([[0, 0], [0, 0]]), 0.25], expected: () => 0.75 },
    { name: "lambda 0: the plain KL term, batch mean", args: () => [tf.tensor2d([[0.3, -1], [2, 0.1], [0, 0]]), tf.tensor2d([[-1, 0.5], [0, -2], [0.2, 0.2]]), 0], expected: (mu, logVar) => freeBitsKl(mu as tf.Tensor2D, logVar as tf.Tensor2D, 0).arraySync() },
    {
      name: "clamp the batch mean, not each image",
      args: () => [tf.tensor2d([[2, 0], [0, 0]]), tf.tensor2d([[0, 0], [0, 0]]), 0.5],
      expected: () => 1.5,
      hint: "Dimension 1 has KL 2 and 0 for the two images: its batch mean 1 is above lambda; clamping each image first would give mean(2, 0.5) = 1.25.",
    },
    { name: "64 images in 10-D, lambda 0.5", args: () => [tf.randomNormal([64, 10], 0, 0.3, "float32", 4), tf.randomNormal([64, 10], -0.2, 0.3, "float32", 5), 0.5], expected: (mu, logVar, lambda) => freeBitsKl(mu as tf.Tensor2D, logVar as tf.Tensor2D, lambda as number).arraySync() },
  ],
});

const warmup = functionExercise({
  id: "06.3",
  notebook: notebook,
  title: "The KL weight under linear warm-up",
  task: "Write the KL weight of update `step` (0 first) when beta rises linearly from 0 to beta over the first warmupEpochs epochs, step by step, and stays at beta after that; the cell then draws the schedule of the warm-up model.",
  signature: "(step: number, stepsPerEpoch: number, warmupEpochs: number, beta: number) => number",
  hint: "beta * min(1, step / (warmupEpochs * stepsPerEpoch)); with warmupEpochs = 0 there is no warm-up: beta at every step.",
  tolerance: { rel: 1e-9, abs: 1e-12 },
  cases: [
    { name: "the first update", args: () => [0, 469, 5, 1], expected: () => 0 },
    { name: "within an epoch, not only at its end", args: () => [50, 100, 2, 1], expected: () => 0.25, hint: "The weight rises with every step, not once per epoch." },
    { name: "after the warm-up", args: () => [5000, 469, 5, 1], expected: () => 1 },
    { name: "warm-up towards beta = 4", args: () => [300, 100, 6, 4], expected: () => 2 },
    { name: "no warm-up", args: () => [0, 100, 0, 0.5], expected: () => 0.5, hint: "warmupEpochs = 0 means no warm-up; avoid dividing by zero." },
    { name: "a fractional step count: 1.5 epochs of warm-up", args: () => [75, 100, 1.5, 1], expected: () => warmupBeta(75, 100, 1.5, 1) },
  ],
});

/** The exercises of notebook 06, in order. */
export const EXERCISES_06: Exercise[] = [insideFraction, freeBits, warmup];
