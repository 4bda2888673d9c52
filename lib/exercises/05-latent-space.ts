import * as tf from "@tensorflow/tfjs";
import type { Exercise } from "./exercise";
import { experimentExercise } from "./experiment";
import { functionExercise } from "./function-exercise";

// The exercises at the end of notebooks/05-latent-space.ipynb. Solutions: solutions/05-latent-space.ts.

const notebook = "05-latent-space";

/** Rows of a tensor as plain arrays, for the reference answers below. */
const rows = (t: unknown) => (t as tf.Tensor2D).arraySync();
const squaredDistance = (a: number[], b: number[]) => a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0);
const norm = (a: number[]) => Math.sqrt(squaredDistance(a, a.map(() => 0)));

/** The label of the nearest code for each point, by brute force. */
function nearestLabelsReference(points: unknown, codes: unknown, labels: unknown): number[] {
  const c = rows(codes);
  const l = Array.from((labels as tf.Tensor1D).dataSync());
  return rows(points).map((p) => {
    let best = 0;
    for (let i = 1; i < c.length; i++) if (squaredDistance(p, c[i]) < squaredDistance(p, c[best])) best = i;
    return l[best];
  });
}

const nearestLabels = functionExercise({
  id: "05.1",
  notebook: notebook,
  title: "Which digit's region a latent path crosses",
  task: "Write the label of the nearest code (Euclidean distance) for each point of a path, then use it on the path between two test digits.",
  signature: "(points: tf.Tensor2D, codes: tf.Tensor2D, labels: tf.Tensor1D) => tf.Tensor1D",
  hint: "Squared distances [m, n] by broadcasting: tf.squaredDifference(points.expandDims(1), codes.expandDims(0)).sum(2); argMin over axis 1 gives the nearest code of each point; tf.gather(labels, ...) its label.",
  cases: [
    { name: "two clusters, one point near each", args: () => [tf.tensor2d([[0.2, 0.1], [4.9, 5.5]]), tf.tensor2d([[0, 0], [0, 1], [5, 5], [5, 6]]), tf.tensor1d([1, 1, 7, 7], "int32")], expected: () => [1, 7] },
    { name: "the nearest code, not the nearest cluster centre", args: () => [tf.tensor2d([[3.5, 0]]), tf.tensor2d([[0, 0], [4, 0], [2.6, 0]]), tf.tensor1d([3, 3, 8], "int32")], expected: () => [3], hint: "Compare the point with every code, not with the mean code of each digit." },
    { name: "a point exactly on a code", args: () => [tf.tensor2d([[1, -1]]), tf.tensor2d([[0, 0], [1, -1]]), tf.tensor1d([4, 9], "int32")], expected: () => [9] },
    { name: "a path of 6 points among 40 codes in 20-D", args: () => [tf.randomNormal([6, 20], 0, 1, "float32", 1), tf.randomNormal([40, 20], 0, 1, "float32", 2), tf.tensor1d(Array.from({ length: 40 }, (_, i) => i % 10), "int32")], expected: nearestLabelsReference, hint: "Sum the squared differences over the latent axis (the last one), whatever its size." },
  ],
});

const evenlySpaced = functionExercise({
  id: "05.2",
  notebook: notebook,
  title: "An evenly spaced grid against the quantile grid",
  task: "Write the midpoints of n equal cells of [lo, hi] (as normalQuantileGrid uses the midpoints (k + ½)/n of probability), then decode the grid they make over [−3, 3]² next to the quantile grid.",
  signature: "(lo: number, hi: number, n: number) => number[]",
  hint: "Cell k of n covers [lo + k·w, lo + (k + 1)·w] with w = (hi − lo)/n; its midpoint is lo + (k + ½)·w. The ends lo and hi themselves are not grid points.",
  lookFor: "the even grid gives its outer rings, where the prior has little mass, as many cells as the middle: they repeat a few large, clean digits along the edges, and the blends of the centre get fewer cells than in the quantile grid.",
  cases: [
    { name: "15 cells over [−3, 3]", args: () => [-3, 3, 15], expected: () => Array.from({ length: 15 }, (_, k) => -3 + (k + 0.5) * 0.4) },
    { name: "one cell: its midpoint", args: () => [-3, 3, 1], expected: () => [0], hint: "With n = 1 the only cell is [lo, hi] itself." },
    { name: "4 cells over [0, 1]", args: () => [0, 1, 4], expected: () => [0.125, 0.375, 0.625, 0.875] },
    { name: "an interval not centred on 0: 2 cells over [−1, 3]", args: () => [-1, 3, 2], expected: () => [0, 2] },
  ],
});

const activeUnitsTraining = experimentExercise({
  id: "05.3",
  notebook: notebook,
  title: "Active units of a 50-D VAE and of a 20-D VAE with β = 4",
  task: "Train, with the quick settings (3 epochs on 5,000 training images, seed 1; 10 to 20 s for the three models on 2 cores), a 50-D VAE, a 20-D VAE and a 20-D VAE with beta: 4, and report their active units and test reconstruction terms on 1,000 test images.",
  hint: "kit.fit(vae, { train: train, test: test }, { epochs: 3, seed: 1, beta: 4 }), then kit.activeUnits(vae, x).count and kit.evaluate(vae, test, { seed: 1 }).reconstruction.",
  quantities: [
    { key: "active50", label: "active units of the 50-D VAE", range: [40, 50], hint: "Count with kit.activeUnits on the test images; the count is at most latentDim." },
    { key: "active20beta4", label: "active units of the 20-D VAE with β = 4", range: [15, 20] },
    { key: "reconstructionGap", label: "reconstruction term with β = 4 minus with β = 1 (nats)", range: [25, 50], derive: (m) => m.reconstruction20beta4 - m.reconstruction20, hint: "A heavier KL term squeezes the codes, so the reconstruction term gets worse (larger), not better." },
  ],
});

/** The number of columns whose population variance exceeds the threshold, by hand. */
function activeCountReference(mu: unknown, threshold: unknown): number {
  const r = rows(mu);
  const n = r.length;
  let count = 0;
  for (let j = 0; j < r[0].length; j++) {
    const mean = r.reduce((s, row) => s + row[j], 0) / n;
    if (r.reduce((s, row) => s + (row[j] - mean) ** 2, 0) / n > (threshold as number)) count += 1;
  }
  return count;
}

const activeCount = functionExercise({
  id: "05.4",
  notebook: notebook,
  title: "Counting active units, and the threshold",
  task: "Write the active-unit count from posterior means [images, latentDim]: the dimensions whose variance over the images exceeds the threshold. Then count the 20-D VAE's units at thresholds 0.001, 0.01 and 0.1.",
  signature: "(mu: tf.Tensor2D, threshold: number) => number",
  hint: "tf.moments(mu, 0).variance is the population variance of each column (divisor n, as Burda et al. 2016 and kit.activeUnits use); count the entries strictly greater than the threshold.",
  cases: [
    { name: "three dimensions with variances 1, 0.0001 and 0.0225", args: () => [tf.tensor2d([[1, 0.01, 0.15], [-1, -0.01, -0.15]]), 0.01], expected: activeCountReference },
    { name: "population variance (divide by n, not n − 1)", args: () => [tf.tensor2d([[1], [-1]]), 1.5], expected: () => 0, hint: "For the column (1, −1) the population variance is 1; the sample variance 2 would count it as active." },
    { name: "a constant dimension is inactive, even at threshold 0", args: () => [tf.tensor2d([[3, 1], [3, 2], [3, 4]]), 0], expected: () => 1, hint: "Active means a variance strictly above the threshold." },
    { name: "one image: no dimension varies", args: () => [tf.tensor2d([[0.5, -2, 7]]), 0.01], expected: () => 0 },
    { name: "500 images in 20 dimensions of different scales", args: () => [tf.randomNormal([500, 20], 0, 1, "float32", 3).mul(tf.linspace(0.001, 0.5, 20)), 0.01], expected: activeCountReference, hint: "Take the variance over the images (axis 0), one per latent dimension." },
  ],
});

const priorShell = experimentExercise({
  id: "05.5",
  notebook: notebook,
  title: "The length of prior samples in 2, 20 and 200 dimensions",
  task: "Draw 1,000 samples of N(0, I) in d = 2, 20 and 200 dimensions (tf.randomNormal([1000, d])) and report the mean and the standard deviation of |z|.",
  hint: "|z| is the Euclidean length of each row, z.norm(\"euclidean\", 1); its mean grows like √d (more exactly √(d − ½)) while its standard deviation stays near 1/√2 ≈ 0.71.",
  quantities: [
    { key: "mean2", label: "mean |z|, d = 2", range: [1.18, 1.33], hint: "The mean of |z|, not of |z|² (which is d)." },
    { key: "mean20", label: "mean |z|, d = 20", range: [4.33, 4.5] },
    { key: "mean200", label: "mean |z|, d = 200", range: [14.03, 14.22] },
    { key: "std2", label: "standard deviation of |z|, d = 2", range: [0.61, 0.72] },
    { key: "std20", label: "standard deviation of |z|, d = 20", range: [0.64, 0.77] },
    { key: "std200", label: "standard deviation of |z|, d = 200", range: [0.64, 0.77] },
    { key: "spread200", label: "std/mean of |z|, d = 200: how thin the shell is", range: [0.04, 0.06], derive: (m) => m.std200 / m.mean200 },
  ],
});

/** The indices of the k longest rows, longest first, by hand. */
function farthestReference(codes: unknown, k: unknown): number[] {
  const lengths = rows(codes).map(norm);
  return lengths.map((_, i) => i).sort((a, b) => lengths[b] - lengths[a]).slice(0, k as number);
}

const farthest = functionExercise({
  id: "05.6",
  notebook: notebook,
  title: "The codes farthest from the origin",
  task: "Write the indices of the k codes farthest from the origin, farthest first; then show those test digits of the 2-D VAE with their reconstructions.",
  signature: "(codes: tf.Tensor2D, k: number) => tf.Tensor1D",
  hint: "The distance from the origin is the length |z| of each row, codes.norm(\"euclidean\", 1); tf.topk(lengths, k).indices gives the k largest, largest first.",
  lookFor: "not odd digits but clean, bold ones of a few classes, far out along their digit's direction, with a reconstruction term no worse than the average.",
  cases: [
    { name: "four 2-D codes, k = 2", args: () => [tf.tensor2d([[0.1, 0], [3, 0], [0, -2], [1, 1]]), 2], expected: () => [1, 2], hint: "Far means a long vector in any direction: (0, −2) is farther than (1, 1)." },
    { name: "k = 1", args: () => [tf.tensor2d([[1, 0], [0, 0.5], [-1.5, 0]]), 1], expected: () => [2] },
    { name: "negative coordinates: length, not the sum", args: () => [tf.tensor2d([[-3, -3], [1, 1], [2, 0]]), 3], expected: () => [0, 2, 1] },
    { name: "30 codes in 20-D, k = 5", args: () => [tf.randomNormal([30, 20], 0, 1, "float32", 4), 5], expected: farthestReference },
  ],
});

/** The exercises of notebook 05, in order. */
export const EXERCISES_05: Exercise[] = [nearestLabels, evenlySpaced, activeUnitsTraining, activeCount, priorShell, farthest];
