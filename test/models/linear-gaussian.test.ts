import { describe, expect, it } from "vitest";
import {
  diagonalMvGaussian,
  klMvGaussians,
  LinearGaussianModel,
  MvGaussian,
  mvGaussianLogDensity,
  sampleMvGaussian,
  standardMvGaussian,
} from "../../lib/models/linear-gaussian";
import { Rng } from "../../lib/runtime/seed";

/** Inverse of a small matrix by Gauss-Jordan elimination with partial pivoting (independent of the lib's Cholesky). */
function inverse(A: number[][]): number[][] {
  const n = A.length;
  const M = A.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    const pivot = M[c][c];
    for (let j = 0; j < 2 * n; j++) M[c][j] /= pivot;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r][c];
      for (let j = 0; j < 2 * n; j++) M[r][j] -= f * M[c][j];
    }
  }
  return M.map((row) => row.slice(n));
}

const matVec = (A: number[][], v: number[]) => A.map((row) => row.reduce((s, a, j) => s + a * v[j], 0));
const transpose = (A: number[][]) => A[0].map((_, j) => A.map((row) => row[j]));
const matMul = (A: number[][], B: number[][]) => A.map((row) => B[0].map((_, j) => row.reduce((s, a, k) => s + a * B[k][j], 0)));

const model = LinearGaussianModel.random({ dataDim: 5, latentDim: 2, sigma: 0.5, seed: 1 });
const data = model.sample(4, new Rng(2)).x;

/** Several approximate posteriors for x: shifted, too wide, too narrow, diagonal, random full. */
function someQs(x: number[]): MvGaussian[] {
  const post = model.posterior(x);
  return [
    standardMvGaussian(2), // the prior
    { mean: post.mean.map((m) => m + 0.4), cov: post.cov },
    { mean: post.mean, cov: post.cov.map((r) => r.map((v) => 3 * v)) },
    { mean: post.mean, cov: post.cov.map((r) => r.map((v) => 0.2 * v)) },
    diagonalMvGaussian(post.mean, [Math.log(post.cov[0][0]), Math.log(post.cov[1][1])]),
    { mean: [0.3, -0.7], cov: [[0.5, 0.2], [0.2, 0.3]] },
  ];
}

describe("LinearGaussianModel: closed forms", () => {
  it("has the scalar closed forms in one dimension", () => {
    // x = w z + b + sigma eps: p(x) = N(b, w^2 + sigma^2), p(z | x) = N(w (x - b) / (w^2 + sigma^2), sigma^2 / (w^2 + sigma^2))
    const [w, b, s] = [1.5, 0.3, 0.8];
    const m1 = new LinearGaussianModel({ W: [[w]], b: [b], sigma: s });
    const x = 2.1;
    const v = w * w + s * s;
    expect(m1.logMarginal([x])).toBeCloseTo(-0.5 * (Math.log(2 * Math.PI * v) + (x - b) ** 2 / v), 12);
    const post = m1.posterior([x]);
    expect(post.mean[0]).toBeCloseTo((w * (x - b)) / v, 12);
    expect(post.cov[0][0]).toBeCloseTo((s * s) / v, 12);
  });

  it("gives the posterior of Gaussian conditioning, computed independently with the D x D inverse", () => {
    // Joint of (z, x): cov(z, x) = W^T, cov(x) = C, so p(z | x) = N(W^T C^-1 (x - b), I - W^T C^-1 W).
    const Cinv = inverse(model.marginal().cov);
    const Wt = transpose(model.W);
    for (const x of data) {
      const post = model.posterior(x);
      const mean = matVec(matMul(Wt, Cinv), x.map((v, i) => v - model.b[i]));
      const cov = matMul(matMul(Wt, Cinv), model.W).map((row, i) => row.map((v, j) => (i === j ? 1 : 0) - v));
      post.mean.forEach((m, i) => expect(m).toBeCloseTo(mean[i], 10));
      post.cov.forEach((row, i) => row.forEach((c, j) => expect(c).toBeCloseTo(cov[i][j], 10)));
    }
  });

  it("satisfies Bayes' rule log p(x) = log p(x, z) - log p(z | x) at any z", () => {
    const rng = new Rng(3);
    for (const x of data) {
      const post = model.posterior(x);
      for (let i = 0; i < 5; i++) {
        const z = [3 * rng.uniform() - 1.5, 3 * rng.uniform() - 1.5];
        expect(model.logJoint(x, z) - mvGaussianLogDensity(z, post)).toBeCloseTo(model.logMarginal(x), 10);
      }
    }
  });

  it("samples x with the marginal covariance W W^T + sigma^2 I", () => {
    const n = 40000;
    const { x } = model.sample(n, new Rng(4));
    const mean = model.b.map((_, i) => x.reduce((s, row) => s + row[i], 0) / n);
    const cov = model.marginal().cov;
    mean.forEach((m, i) => expect(Math.abs(m - model.b[i])).toBeLessThan(4 * Math.sqrt(cov[i][i] / n)));
    for (const [i, j] of [[0, 0], [0, 1], [2, 4], [3, 3]]) {
      const c = x.reduce((s, row) => s + (row[i] - mean[i]) * (row[j] - mean[j]), 0) / (n - 1);
      expect(Math.abs(c - cov[i][j])).toBeLessThan(0.05 * Math.sqrt(cov[i][i] * cov[j][j]) + 0.02);
    }
  });
});

describe("LinearGaussianModel: the ELBO identity", () => {
  it("log p(x) = ELBO(q) + KL(q || p(z | x)) to float64 precision, for several q", () => {
    let worst = 0;
    for (const x of data) {
      const logp = model.logMarginal(x);
      for (const q of someQs(x)) {
        const gap = logp - model.elbo(x, q);
        worst = Math.max(worst, Math.abs(gap - model.klToPosterior(x, q)));
        expect(gap).toBeGreaterThan(0);
      }
    }
    expect(worst).toBeLessThan(1e-10);
  });

  it("closes the gap when q is the exact posterior", () => {
    for (const x of data) {
      const post = model.posterior(x);
      expect(Math.abs(model.logMarginal(x) - model.elbo(x, post))).toBeLessThan(1e-12);
      expect(Math.abs(model.klToPosterior(x, post))).toBeLessThan(1e-12);
    }
  });

  it("splits the ELBO into a reconstruction term and a KL term, each matching Monte Carlo", () => {
    const x = data[0];
    const q = someQs(x)[5];
    const { expectedLogLikelihood, kl, elbo } = model.elboTerms(x, q);
    expect(elbo).toBeCloseTo(expectedLogLikelihood - kl, 12);
    expect(kl).toBeCloseTo(klMvGaussians(q, standardMvGaussian(2)), 12);
    const rng = new Rng(5);
    const n = 20000;
    const values = Array.from({ length: n }, () => model.logLikelihood(x, sampleMvGaussian(q, rng)));
    const mean = values.reduce((a, v) => a + v, 0) / n;
    const se = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1) / n);
    expect(Math.abs(mean - expectedLogLikelihood)).toBeLessThan(4 * se);
  });

  it("has a Monte-Carlo ELBO that matches the closed form within a few standard errors", () => {
    for (const x of data.slice(0, 2)) {
      for (const q of someQs(x)) {
        const { estimate, standardError } = model.elboMonteCarlo(x, q, 5000, new Rng(6));
        expect(Math.abs(estimate - model.elbo(x, q))).toBeLessThan(4 * standardError + 1e-9);
      }
    }
  });

  it("gives zero-variance weights equal to log p(x) when q is the exact posterior", () => {
    const x = data[1];
    const w = model.logWeights(x, model.posterior(x), 50, new Rng(7));
    for (const v of w) expect(v).toBeCloseTo(model.logMarginal(x), 10);
  });
});

describe("LinearGaussianModel: the importance-weighted bound", () => {
  it("rises with k towards log p(x) and stays below it (within Monte-Carlo error)", () => {
    const x = data[2];
    const logp = model.logMarginal(x);
    const q = someQs(x)[1]; // shifted mean: a clearly imperfect q
    const rng = new Rng(8);
    const R = 300;
    const means: number[] = [];
    for (const k of [1, 2, 5, 20, 100, 500]) {
      const draws = Array.from({ length: R }, () => model.iwae(x, q, k, rng));
      const mean = draws.reduce((a, v) => a + v, 0) / R;
      const se = Math.sqrt(draws.reduce((a, v) => a + (v - mean) ** 2, 0) / (R - 1) / R);
      expect(mean).toBeLessThan(logp + 3 * se);
      means.push(mean);
    }
    for (let i = 1; i < means.length; i++) expect(means[i]).toBeGreaterThan(means[i - 1]);
    expect(means[0]).toBeCloseTo(model.elbo(x, q), 1);
    // the gap to log p(x) shrinks by more than a factor of 10 from k = 1 to k = 500
    expect(logp - means[means.length - 1]).toBeLessThan(0.1 * (logp - means[0]));
  });
});

describe("Gaussian helpers in float64", () => {
  it("mvGaussianLogDensity and klMvGaussians match hand values", () => {
    expect(mvGaussianLogDensity([0], standardMvGaussian(1))).toBeCloseTo(-0.5 * Math.log(2 * Math.PI), 14);
    // KL(N(0,1) || N(1,4)) = 1/2 (log 4 + 2/4 - 1)
    expect(klMvGaussians(standardMvGaussian(1), { mean: [1], cov: [[4]] })).toBeCloseTo(0.5 * (Math.log(4) - 0.5), 14);
    expect(klMvGaussians({ mean: [1], cov: [[4]] }, standardMvGaussian(1))).toBeCloseTo(0.5 * (4 + 1 - 1 - Math.log(4)), 14);
  });
});

describe("LinearGaussianModel: errors", () => {
  it("rejects bad parameters and inputs with a message naming the argument", () => {
    const fn = "Error in LinearGaussianModel";
    expect(() => new LinearGaussianModel({ W: [], sigma: 1 })).toThrow(`${fn}: config.W must be a non-empty [dataDim][latentDim] array of rows, but got [].`);
    expect(() => new LinearGaussianModel({ W: [[1, 2], [3]], sigma: 1 })).toThrow(`${fn}: config.W[1] must be an array of 2 finite numbers, but got [3].`);
    expect(() => new LinearGaussianModel({ W: [[1]], sigma: 0 })).toThrow(`${fn}: config.sigma must be a positive number, but got 0.`);
    expect(() => new LinearGaussianModel({ W: [[1]], sigma: Infinity })).toThrow(`${fn}: config.sigma must be a finite number, but got Infinity.`);
    expect(() => new LinearGaussianModel({ W: [[1]], b: [1, 2], sigma: 1 })).toThrow(`${fn}: config.b must be an array of dataDim = 1 finite numbers, but got [1,2].`);
    expect(() => model.logMarginal([1, 2])).toThrow(`${fn}.logMarginal: x must be of length 5 (dataDim), but got length 2.`);
    expect(() => model.elbo(data[0], { mean: [0, 0], cov: [[1, 0], [0, -1]] })).toThrow(/q.cov must be positive definite, but got a matrix whose Cholesky pivot 1 is -1\./);
    expect(() => model.elbo(data[0], { mean: [0], cov: [[1]] })).toThrow(
      `${fn}.elboTerms: q must be a Gaussian with a mean of length 2 and a 2 x 2 covariance, but got mean [0] and cov [[1]].`,
    );
    expect(() => model.iwae(data[0], standardMvGaussian(2), 0, new Rng(1))).toThrow(`${fn}.logWeights: k must be a positive integer, but got 0.`);
  });
});
