import { symmetricEigen } from "../eval/pca";
import type { Exercise } from "./exercise";
import { experimentExercise } from "./experiment";
import { functionExercise } from "./function-exercise";

// The exercises at the end of notebooks/03-elbo.ipynb. Solutions: solutions/03-elbo.ts.

const notebook = "03-elbo";

/** 1 / (cov^-1)_ii from the eigendecomposition: (cov^-1)_ii = sum_k v_k,i^2 / lambda_k. */
function precisionDiagonalInverse(cov: unknown): number[] {
  const { values, vectors } = symmetricEigen(cov as number[][]);
  return values.map((_, i) => 1 / vectors.reduce((s, v, k) => s + v[i] ** 2 / values[k], 0));
}

const bestDiagonal = functionExercise({
  id: "03.1",
  notebook: notebook,
  title: "The best diagonal q, and its gap",
  task: "Write the variances of the best diagonal Gaussian q for a Gaussian posterior with covariance cov (the q with the largest ELBO). The cell then rebuilds the linear-Gaussian model with sigma 0.1, 0.5 and 2 and compares the gap log p(x) − ELBO(q) with −½ log(1 − ρ²).",
  signature: "(cov: number[][]) => number[]",
  hint: "The best diagonal q keeps the posterior's mean and takes the posterior's precisions: variance_i = 1 / (cov⁻¹)_ii (Bishop, PRML section 10.1.2), which is smaller than cov_ii when the latents are correlated. In 2-D: cov_ii (1 − ρ²).",
  tolerance: { rel: 1e-6, abs: 1e-9 },
  cases: [
    { name: "2-D, correlation 0.6", args: () => [[[1, 0.6], [0.6, 1]]], expected: () => [0.64, 0.64], hint: "For unit variances and correlation ρ the answer is 1 − ρ² for both." },
    { name: "a diagonal posterior: q is the posterior itself", args: () => [[[0.5, 0], [0, 2]]], expected: () => [0.5, 2] },
    { name: "2-D with different scales, negative correlation", args: () => [[[0.04, -0.018], [-0.018, 0.09]]], expected: precisionDiagonalInverse },
    { name: "3-D", args: () => [[[1, 0.5, 0.2], [0.5, 2, -0.3], [0.2, -0.3, 0.7]]], expected: precisionDiagonalInverse, hint: "Invert the whole covariance matrix; in more than 2 dimensions the 2-D formula does not apply." },
    { name: "nearly degenerate: correlation 0.999", args: () => [[[1, 0.999], [0.999, 1]]], expected: () => [1 - 0.999 ** 2, 1 - 0.999 ** 2] },
  ],
});

const posteriorIsBest = experimentExercise({
  id: "03.2",
  notebook: notebook,
  title: "The exact posterior maximizes the ELBO among Gaussians",
  task: "Perturb the exact posterior's mean (±0.05 along z₁, z₂ and the diagonals) and its covariance (scaled by 0.9 and 1.1, correlation changed by ±0.1), and report the number of perturbations, the largest change of the ELBO, and the ratio of the ELBO's drops for a mean shift of 0.1 and of 0.05 along z₁.",
  hint: "Compare lg.elbo(x0, perturbed) with lg.elbo(x0, post): every change is negative. The ELBO is quadratic in the mean, so doubling the shift quadruples the drop.",
  quantities: [
    { key: "perturbations", label: "number of perturbations tried", range: [8, 1000], hint: "Try at least 8 directions: 6 for the mean, and the covariance's scale and correlation." },
    { key: "largestChange", label: "largest change of the ELBO (nats), must be negative", range: [-10, -1e-9], hint: "The change is ELBO(perturbed) − ELBO(posterior), negative for every perturbation." },
    { key: "dropRatio", label: "drop for a shift of 0.1 / drop for 0.05 along z₁", range: [3.9, 4.1] },
  ],
});

const priorAsProposal = experimentExercise({
  id: "03.3",
  notebook: notebook,
  title: "Importance sampling from the prior",
  task: "With the prior N(0, I) as q, average 100 values of lg.iwae(x0, prior, k) for k = 1, 3, 10, 30, 100, … and report the smallest k whose average is within 0.1 nats of log p(x) (under a second on 2 cores).",
  hint: "log p(x) − mean of L_k shrinks as k grows: with the prior as q, most samples land where p(x | z) is tiny, so it takes hundreds of them. In a 20-D VAE the prior's samples miss the posterior far more often.",
  quantities: [{ key: "kWithin01", label: "smallest k on the grid within 0.1 nats of log p(x)", range: [100, 1000], hint: "Compare with log p(x) (lg.logMarginal(x0)), not with the ELBO." }],
});

/** The indices of the k largest values, largest first, by hand. */
function largestReference(values: unknown, k: unknown): number[] {
  const v = Array.from(values as ArrayLike<number>);
  return v.map((_, i) => i).sort((a, b) => v[b] - v[a]).slice(0, k as number);
}

const unlikelyDigits = functionExercise({
  id: "03.4",
  notebook: notebook,
  title: "The least and the most likely test digits",
  task: "Write the indices of the k largest values of an array, largest first. The cell uses it on est.perImage (−L_k of every test image) for the ten least likely digits, and on its negation for the ten most likely, and shows both.",
  signature: "(values: ArrayLike<number>, k: number) => number[]",
  hint: "Sort the indices 0 … n−1 by their values, largest first ((a, b) => values[b] − values[a]), and keep the first k.",
  lookFor: "the least likely digits (largest −L_k) have long, curled or unusual strokes; the most likely are thin, simple 1s with few ink pixels.",
  cases: [
    { name: "five numbers, k = 2", args: () => [[3, 9, 1, 7, 5], 2], expected: () => [1, 3] },
    { name: "k = 1", args: () => [[0.5, -2, 0.25], 1], expected: () => [0] },
    { name: "negative values: the largest, not the largest in size", args: () => [[-1, -5, -0.5, -3], 3], expected: () => [2, 0, 3], hint: "Largest means closest to +∞: −0.5 > −1." },
    { name: "a Float64Array of 50 nats values, k = 10", args: () => [Float64Array.from({ length: 50 }, (_, i) => 80 + ((i * 37) % 50) * 0.7), 10], expected: largestReference },
  ],
});

/** The exercises of notebook 03, in order. */
export const EXERCISES_03: Exercise[] = [bestDiagonal, posteriorIsBest, priorAsProposal, unlikelyDigits];
