// Solutions to the exercises of notebooks/03-elbo.ipynb, and a typical mistake for each
// (which its check must catch). The checks: lib/exercises/03-elbo.ts.
import * as kit from "../lib/index";
import type { Answers } from "./answers";

/** The inverse of a small symmetric positive definite matrix, by Gauss-Jordan elimination. */
function inverse(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    const pivot = m[c][c];
    for (let j = 0; j < 2 * n; j++) m[c][j] /= pivot;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c];
      for (let j = 0; j < 2 * n; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((row) => row.slice(n));
}

/**
 * 03.1: the variances of the best diagonal Gaussian q for a Gaussian posterior with covariance
 * `cov` (the q that maximizes the ELBO, equivalently minimizes KL(q || posterior)): 1 / (cov^-1)_ii.
 * Bishop, PRML section 10.1.2: the mean-field factors have the posterior's precisions.
 */
function bestDiagonalVariances(cov: number[][]): number[] {
  const precision = inverse(cov);
  return precision.map((row, i) => 1 / row[i]);
}

/** 03.2: the ELBO changes when the exact posterior's mean or covariance is perturbed, and the drop ratio for mean shifts 0.1 and 0.05. */
function elboChanges(): { changes: number[]; dropRatio: number } {
  const lg = kit.LinearGaussianModel.random({ dataDim: 5, latentDim: 2, sigma: 0.5, seed: 1 });
  const x = lg.sample(1, new kit.Rng(2)).x[0];
  const post = lg.posterior(x);
  const best = lg.elbo(x, post);
  const eps = 0.05;
  const changes: number[] = [];
  for (const [dm0, dm1] of [[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1], [1, -1]]) {
    changes.push(lg.elbo(x, { mean: [post.mean[0] + eps * dm0, post.mean[1] + eps * dm1], cov: post.cov }) - best);
  }
  for (const scale of [0.9, 1.1]) changes.push(lg.elbo(x, { mean: post.mean, cov: post.cov.map((r) => r.map((v) => scale * v)) }) - best);
  for (const d of [-1, 1]) {
    const off = post.cov[0][1] + d * 0.1 * Math.sqrt(post.cov[0][0] * post.cov[1][1]);
    changes.push(lg.elbo(x, { mean: post.mean, cov: [[post.cov[0][0], off], [off, post.cov[1][1]]] }) - best);
  }
  const drop = (e: number) => best - lg.elbo(x, { mean: [post.mean[0] + e, post.mean[1]], cov: post.cov });
  return { changes: changes, dropRatio: drop(2 * eps) / drop(eps) };
}

function perturbations() {
  const { changes, dropRatio } = elboChanges();
  return { perturbations: changes.length, largestChange: Math.max(...changes), dropRatio: dropRatio };
}

/** 03.3: the smallest k on the grid at which L_k with the prior as q is within 0.1 nats of log p(x) (mean of 100 bounds). */
function kFromPrior() {
  const lg = kit.LinearGaussianModel.random({ dataDim: 5, latentDim: 2, sigma: 0.5, seed: 1 });
  const x = lg.sample(1, new kit.Rng(2)).x[0];
  const logPx = lg.logMarginal(x);
  const rng = new kit.Rng(4);
  const prior = kit.standardMvGaussian(2);
  for (const k of [1, 3, 10, 30, 100, 300, 1000, 3000, 10000, 30000, 100000]) {
    let sum = 0;
    for (let r = 0; r < 100; r++) sum += lg.iwae(x, prior, k, rng);
    if (logPx - sum / 100 < 0.1) return { kWithin01: k };
  }
  return { kWithin01: Infinity };
}

/** 03.4: the indices of the k largest values, largest first. */
function largestIndices(values: ArrayLike<number>, k: number): number[] {
  return Array.from(values, (_, i) => i).sort((a, b) => values[b] - values[a]).slice(0, k);
}

export const solutions: Answers = {
  "03.1": () => bestDiagonalVariances,
  "03.2": perturbations,
  "03.3": kFromPrior,
  "03.4": () => largestIndices,
};

export const mistakes: Answers = {
  // The posterior's own (marginal) variances: too wide where the latents are correlated.
  "03.1": () => (cov: number[][]) => cov.map((row, i) => row[i]),
  // The drops (ELBO of the posterior minus the perturbed ELBO) reported as the changes: all positive.
  "03.2": () => {
    const { changes, dropRatio } = elboChanges();
    return { perturbations: changes.length, largestChange: Math.max(...changes.map((c) => -c)), dropRatio: dropRatio };
  },
  // k counted for L_k within 0.1 nats of the ELBO of the prior, reached at once.
  "03.3": () => ({ kWithin01: 1 }),
  // Sorted ascending: the smallest values instead of the largest.
  "03.4": () => (values: ArrayLike<number>, k: number) => Array.from(values, (_, i) => i).sort((a, b) => values[a] - values[b]).slice(0, k),
};
