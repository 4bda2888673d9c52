import { logMeanExpOf } from "../objectives/logsumexp";
import { argumentError, checkFinite, checkInteger, checkLength, checkPositive, checkPositiveInteger, describe } from "../runtime/checks";
import { Rng } from "../runtime/seed";

/** A multivariate Gaussian N(mean, cov) with a full covariance matrix. */
export interface MvGaussian {
  /** Mean, `[dim]`. */
  mean: number[];
  /** Covariance, `[dim][dim]`, symmetric positive definite. */
  cov: number[][];
}

/** Parameters of a {@link LinearGaussianModel}. */
export interface LinearGaussianConfig {
  /** Loading matrix W, `[dataDim][latentDim]`. */
  W: number[][];
  /** Offset b, `[dataDim]` (default zeros). */
  b?: number[];
  /** Observation noise standard deviation sigma > 0. */
  sigma: number;
}

/** The terms of the ELBO of a Gaussian q(z) = N(m, S) for one x, in nats. */
export interface ElboTerms {
  /** E_q[log p(x | z)]: the reconstruction term (its negative is the distortion). */
  expectedLogLikelihood: number;
  /** KL(q(z) || p(z)): the KL term, or rate. */
  kl: number;
  /** ELBO = expectedLogLikelihood - kl. */
  elbo: number;
}

/**
 * The linear-Gaussian latent variable model, the model behind probabilistic PCA
 * (Tipping & Bishop, "Probabilistic Principal Component Analysis", J. R. Stat. Soc. B 61(3),
 * 1999; Bishop, "Pattern Recognition and Machine Learning", 2006, section 12.2):
 *
 *   z ~ N(0, I_d),   x | z ~ N(W z + b, sigma^2 I_D),
 *
 * with z in R^d (latentDim), x in R^D (dataDim), W a D x d matrix. Everything a VAE can
 * only bound or estimate is exact here:
 *
 *   marginal    p(x)     = N(x; b, C),                    C = W W^T + sigma^2 I      (PRML eqs. (12.35), (12.36))
 *   posterior   p(z | x) = N(z; M^-1 W^T (x - b), sigma^2 M^-1),  M = W^T W + sigma^2 I  (PRML eqs. (12.41), (12.42))
 *
 * and for any Gaussian q(z) = N(m, S) the ELBO has a closed form (see `elboTerms`), so the
 * identity log p(x) = ELBO(q) + KL(q || p(z | x)) can be checked to float64 precision.
 *
 * Plain JavaScript numbers (float64) and small dense matrices, no tensors: meant for small
 * D and d (such as D = 5, d = 2) in notebook 03 and the tests. Vectors are `number[]`,
 * matrices `number[][]` (rows).
 *
 * @example
 * const model = LinearGaussianModel.random({ dataDim: 5, latentDim: 2, seed: 1 });
 * const { x } = model.sample(1, new Rng(2));
 * const q = model.posterior(x[0]);
 * model.logMarginal(x[0]) - model.elbo(x[0], q); // ~1e-15: the exact posterior closes the gap
 */
export class LinearGaussianModel {
  /** D, the size of x. */
  readonly dataDim: number;
  /** d, the size of z. */
  readonly latentDim: number;
  /** W, `[dataDim][latentDim]` (a copy of the config's). */
  readonly W: number[][];
  /** b, `[dataDim]`. */
  readonly b: number[];
  /** sigma, the observation noise standard deviation. */
  readonly sigma: number;

  /** @throws Error when W is empty or ragged, b has the wrong length, or sigma is not > 0. */
  constructor(config: LinearGaussianConfig) {
    const fn = "LinearGaussianModel";
    const { W, sigma } = config;
    if (!Array.isArray(W) || W.length === 0 || !Array.isArray(W[0]) || W[0].length === 0) {
      throw argumentError(fn, "config.W", "a non-empty [dataDim][latentDim] array of rows", describe(W));
    }
    const d = W[0].length;
    W.forEach((row, i) => {
      if (row.length !== d || !row.every(Number.isFinite)) throw argumentError(fn, `config.W[${i}]`, `an array of ${d} finite numbers`, describe(row));
    });
    const b = config.b ?? new Array(W.length).fill(0);
    if (b.length !== W.length || !b.every(Number.isFinite)) {
      throw argumentError(fn, "config.b", `an array of dataDim = ${W.length} finite numbers`, describe(b));
    }
    checkPositive(fn, "config.sigma", checkFinite(fn, "config.sigma", sigma));
    this.W = W.map((row) => row.slice());
    this.b = b.slice();
    this.sigma = sigma;
    this.dataDim = W.length;
    this.latentDim = d;
  }

  /**
   * A model with W and b drawn from N(0, 1), reproducible from `seed`.
   * @param options dataDim (default 5), latentDim (default 2), sigma (default 0.5), seed (default 0).
   */
  static random(options: { dataDim?: number; latentDim?: number; sigma?: number; seed?: number } = {}): LinearGaussianModel {
    const { dataDim = 5, latentDim = 2, sigma = 0.5, seed = 0 } = options;
    checkPositiveInteger("LinearGaussianModel.random", "options.dataDim", dataDim);
    checkPositiveInteger("LinearGaussianModel.random", "options.latentDim", latentDim);
    const rng = new Rng(seed);
    const W = Array.from({ length: dataDim }, () => Array.from({ length: latentDim }, () => standardNormalSample(rng)));
    const b = Array.from({ length: dataDim }, () => standardNormalSample(rng));
    return new LinearGaussianModel({ W, b, sigma });
  }

  /**
   * Draw n pairs (z, x) from the model: z ~ N(0, I), then x ~ N(W z + b, sigma^2 I).
   * @param n number of pairs, a positive integer.
   * @param rng the source of randomness; the same seed gives the same pairs.
   * @returns `{ z: [n][latentDim], x: [n][dataDim] }`.
   * @throws Error when `n` is not a positive integer.
   */
  sample(n: number, rng: Rng): { z: number[][]; x: number[][] } {
    checkPositiveInteger("LinearGaussianModel.sample", "n", n);
    const z: number[][] = [];
    const x: number[][] = [];
    for (let i = 0; i < n; i++) {
      const zi = Array.from({ length: this.latentDim }, () => standardNormalSample(rng));
      z.push(zi);
      x.push(this.decodeMean(zi).map((m) => m + this.sigma * standardNormalSample(rng)));
    }
    return { z, x };
  }

  /** The mean of p(x | z), W z + b, `[dataDim]`. */
  decodeMean(z: number[]): number[] {
    this.checkZ("decodeMean", z);
    return this.W.map((row, i) => dot(row, z) + this.b[i]);
  }

  /** The marginal p(x) = N(b, W W^T + sigma^2 I) (PRML eqs. (12.35), (12.36)). */
  marginal(): MvGaussian {
    const cov = this.W.map((ri, i) => this.W.map((rj, j) => dot(ri, rj) + (i === j ? this.sigma ** 2 : 0)));
    return { mean: this.b.slice(), cov };
  }

  /**
   * log p(x), exact, in nats: the log-density of the marginal N(b, W W^T + sigma^2 I).
   * @throws Error when `x` does not hold dataDim numbers.
   * @example
   * new LinearGaussianModel({ W: [[1]], sigma: 1 }).logMarginal([0]) // -1/2 log(4 pi) = -1.2655
   */
  logMarginal(x: number[]): number {
    this.checkX("logMarginal", x);
    return mvGaussianLogDensity(x, this.marginal());
  }

  /**
   * The exact posterior p(z | x) = N(M^-1 W^T (x - b), sigma^2 M^-1), M = W^T W + sigma^2 I
   * (PRML eqs. (12.41), (12.42)). A full covariance: it is diagonal only when the columns of
   * W are orthogonal.
   */
  posterior(x: number[]): MvGaussian {
    this.checkX("posterior", x);
    const d = this.latentDim;
    const s2 = this.sigma ** 2;
    const M = Array.from({ length: d }, (_, i) =>
      Array.from({ length: d }, (_, j) => this.W.reduce((acc, row) => acc + row[i] * row[j], 0) + (i === j ? s2 : 0)),
    );
    const L = cholesky(M, "LinearGaussianModel.posterior", "W^T W + sigma^2 I");
    const Wtr = Array.from({ length: d }, (_, j) => this.W.reduce((acc, row, i) => acc + row[j] * (x[i] - this.b[i]), 0));
    const mean = choleskySolve(L, Wtr);
    const Minv = inverseFromCholesky(L);
    return { mean, cov: Minv.map((row) => row.map((v) => s2 * v)) };
  }

  /** log p(x | z) = log N(x; W z + b, sigma^2 I), nats. */
  logLikelihood(x: number[], z: number[]): number {
    this.checkX("logLikelihood", x);
    const m = this.decodeMean(z);
    const s2 = this.sigma ** 2;
    let sq = 0;
    for (let i = 0; i < this.dataDim; i++) sq += (x[i] - m[i]) ** 2;
    return -0.5 * (this.dataDim * Math.log(2 * Math.PI * s2) + sq / s2);
  }

  /** log p(z) = log N(z; 0, I), nats. */
  logPrior(z: number[]): number {
    this.checkZ("logPrior", z);
    return -0.5 * (this.latentDim * Math.log(2 * Math.PI) + dot(z, z));
  }

  /** log p(x, z) = log p(x | z) + log p(z), nats. */
  logJoint(x: number[], z: number[]): number {
    return this.logLikelihood(x, z) + this.logPrior(z);
  }

  /**
   * The ELBO of a Gaussian q(z) = N(m, S) at x in closed form, split into its two terms
   * (Kingma & Welling 2014, eq. (3): ELBO = -KL(q || p(z)) + E_q[log p(x | z)]):
   *
   *   E_q[log p(x | z)] = -D/2 log(2 pi sigma^2) - ( |x - b - W m|^2 + tr(W S W^T) ) / (2 sigma^2)
   *   KL(q || N(0, I))  = 1/2 ( tr S + m^T m - d - log det S )
   *
   * @param x a data point, `[dataDim]`.
   * @param q a Gaussian over z, mean `[latentDim]`, covariance `[latentDim][latentDim]`.
   * @returns the reconstruction term, the KL term and the ELBO, in nats.
   * @throws Error when sizes disagree or S is not positive definite.
   */
  elboTerms(x: number[], q: MvGaussian): ElboTerms {
    this.checkX("elboTerms", x);
    this.checkQ("elboTerms", q);
    const s2 = this.sigma ** 2;
    const r = this.decodeMean(q.mean).map((m, i) => x[i] - m);
    // tr(W S W^T) = sum_i w_i^T S w_i over the rows w_i of W.
    const trace = this.W.reduce((acc, row) => acc + dot(row, matVec(q.cov, row)), 0);
    const expectedLogLikelihood = -0.5 * this.dataDim * Math.log(2 * Math.PI * s2) - (dot(r, r) + trace) / (2 * s2);
    const kl = klMvGaussians(q, standardMvGaussian(this.latentDim));
    return { expectedLogLikelihood, kl, elbo: expectedLogLikelihood - kl };
  }

  /** The ELBO of q at x in closed form, nats; see {@link elboTerms}. */
  elbo(x: number[], q: MvGaussian): number {
    return this.elboTerms(x, q).elbo;
  }

  /** KL(q || p(z | x)) in closed form, nats: by the identity, log p(x) - ELBO(q). */
  klToPosterior(x: number[], q: MvGaussian): number {
    this.checkQ("klToPosterior", q);
    return klMvGaussians(q, this.posterior(x));
  }

  /**
   * Log importance weights log w_j = log p(x, z_j) - log q(z_j), z_j ~ q, j = 1..k (nats).
   * Their mean estimates the ELBO, their log mean exp the importance-weighted bound L_k.
   * @returns `[k]` in float64.
   */
  logWeights(x: number[], q: MvGaussian, k: number, rng: Rng): Float64Array {
    this.checkX("logWeights", x);
    this.checkQ("logWeights", q);
    checkPositiveInteger("LinearGaussianModel.logWeights", "k", k);
    const L = cholesky(q.cov, "LinearGaussianModel.logWeights", "q.cov");
    const out = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      const z = sampleWithCholesky(q.mean, L, rng);
      out[j] = this.logJoint(x, z) - logDensityWithCholesky(z, q.mean, L);
    }
    return out;
  }

  /**
   * Monte-Carlo estimate of the ELBO from `samples` draws z ~ q: the mean of the log-weights,
   * with its standard error (sample standard deviation / sqrt(samples)).
   */
  elboMonteCarlo(x: number[], q: MvGaussian, samples: number, rng: Rng): { estimate: number; standardError: number } {
    checkInteger("LinearGaussianModel.elboMonteCarlo", "samples", samples, 2);
    const w = this.logWeights(x, q, samples, rng);
    const mean = w.reduce((a, v) => a + v, 0) / samples;
    const variance = w.reduce((a, v) => a + (v - mean) ** 2, 0) / (samples - 1);
    return { estimate: mean, standardError: Math.sqrt(variance / samples) };
  }

  /**
   * One draw of the importance-weighted bound L_k (Burda et al. 2016, eq. (8)):
   * log (1/k) sum_j w_j with k fresh samples z_j ~ q. Its expectation rises with k towards
   * log p(x).
   */
  iwae(x: number[], q: MvGaussian, k: number, rng: Rng): number {
    return logMeanExpOf(this.logWeights(x, q, k, rng));
  }

  private checkX(fn: string, x: number[]): void {
    checkLength(`LinearGaussianModel.${fn}`, "x", x, this.dataDim, "dataDim");
  }

  private checkZ(fn: string, z: number[]): void {
    checkLength(`LinearGaussianModel.${fn}`, "z", z, this.latentDim, "latentDim");
  }

  private checkQ(fn: string, q: MvGaussian): void {
    const d = this.latentDim;
    if (!q || !q.mean || q.mean.length !== d || !q.cov || q.cov.length !== d || q.cov.some((row) => row.length !== d)) {
      const got = q && typeof q === "object" ? `mean ${describe(q.mean)} and cov ${describe(q.cov)}` : describe(q);
      throw argumentError(`LinearGaussianModel.${fn}`, "q", `a Gaussian with a mean of length ${d} and a ${d} x ${d} covariance`, got);
    }
  }
}

/**
 * N(0, I) in `dim` dimensions.
 * @example
 * standardMvGaussian(2) // { mean: [0, 0], cov: [[1, 0], [0, 1]] }
 */
export function standardMvGaussian(dim: number): MvGaussian {
  return { mean: new Array(dim).fill(0), cov: identity(dim) };
}

/**
 * A diagonal Gaussian N(mean, diag(exp(logVar))) as an {@link MvGaussian}.
 * @throws Error when `mean` and `logVar` differ in length.
 * @example
 * diagonalMvGaussian([1, 2], [0, Math.log(4)]) // { mean: [1, 2], cov: [[1, 0], [0, 4]] }
 */
export function diagonalMvGaussian(mean: number[], logVar: number[]): MvGaussian {
  checkLength("diagonalMvGaussian", "logVar", logVar, mean.length, "the length of mean");
  return { mean: mean.slice(), cov: logVar.map((lv, i) => logVar.map((_, j) => (i === j ? Math.exp(lv) : 0))) };
}

/**
 * log N(x; mean, cov) for a full covariance, in nats, via a Cholesky factor L (cov = L L^T):
 * -1/2 ( dim log(2 pi) + log det cov + |L^-1 (x - mean)|^2 ) (PRML eq. (2.43)).
 * @throws Error when sizes disagree or `cov` is not positive definite.
 */
export function mvGaussianLogDensity(x: number[], g: MvGaussian): number {
  checkLength("mvGaussianLogDensity", "x", x, g.mean.length, "the length of g.mean");
  return logDensityWithCholesky(x, g.mean, cholesky(g.cov, "mvGaussianLogDensity", "g.cov"));
}

/**
 * KL(q || p) between two multivariate Gaussians, in nats (Rasmussen & Williams, "Gaussian
 * Processes for Machine Learning", 2006, eq. (A.23)):
 *
 *   KL = 1/2 [ tr(Sp^-1 Sq) + (mp - mq)^T Sp^-1 (mp - mq) - d + log det Sp - log det Sq ]
 *
 * @throws Error when sizes disagree or a covariance is not positive definite.
 * @example
 * klMvGaussians(standardMvGaussian(1), { mean: [1], cov: [[4]] }) // 1/2 (log 4 + 2/4 - 1) = 0.4431
 */
export function klMvGaussians(q: MvGaussian, p: MvGaussian): number {
  const d = q.mean.length;
  checkLength("klMvGaussians", "p.mean", p.mean, d, "the dimension of q");
  const Lq = cholesky(q.cov, "klMvGaussians", "q.cov");
  const Lp = cholesky(p.cov, "klMvGaussians", "p.cov");
  // tr(Sp^-1 Sq) = |Lp^-1 Lq|_F^2
  let trace = 0;
  for (let j = 0; j < d; j++) {
    const col = forwardSubstitute(Lp, Lq.map((row) => row[j]));
    trace += dot(col, col);
  }
  const diff = forwardSubstitute(Lp, p.mean.map((m, i) => m - q.mean[i]));
  return 0.5 * (trace + dot(diff, diff) - d + logDetFromCholesky(Lp) - logDetFromCholesky(Lq));
}

/** One sample of N(g.mean, g.cov): mean + L eps with eps ~ N(0, I). */
export function sampleMvGaussian(g: MvGaussian, rng: Rng): number[] {
  return sampleWithCholesky(g.mean, cholesky(g.cov, "sampleMvGaussian", "g.cov"), rng);
}

/**
 * One standard normal number from two uniforms of `rng` (the Box-Muller transform:
 * sqrt(-2 log u1) cos(2 pi u2)).
 */
export function standardNormalSample(rng: Rng): number {
  const u1 = 1 - rng.uniform(); // in (0, 1]
  const u2 = rng.uniform();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

// ---- small dense linear algebra in float64 ----

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function matVec(A: number[][], v: number[]): number[] {
  return A.map((row) => dot(row, v));
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

/** Lower-triangular L with A = L L^T; throws naming `fn` and `arg` when A is not symmetric positive definite. */
function cholesky(A: number[][], fn: string, arg: string): number[][] {
  const n = A.length;
  const L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    checkLength(fn, `${arg}[${i}]`, A[i], n, `a square matrix of ${n} rows`);
    for (let j = 0; j <= i; j++) {
      if (Math.abs(A[i][j] - A[j][i]) > 1e-9 * (Math.abs(A[i][j]) + Math.abs(A[j][i]) + 1e-300)) {
        throw argumentError(fn, arg, "symmetric", `entry (${i}, ${j}) ${A[i][j]} and (${j}, ${i}) ${A[j][i]}`);
      }
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      if (i === j) {
        if (!(s > 0)) throw argumentError(fn, arg, "positive definite", `a matrix whose Cholesky pivot ${i} is ${s}`);
        L[i][i] = Math.sqrt(s);
      } else {
        L[i][j] = s / L[j][j];
      }
    }
  }
  return L;
}

/** Solve L y = b for lower-triangular L. */
function forwardSubstitute(L: number[][], b: number[]): number[] {
  const y = new Array<number>(b.length);
  for (let i = 0; i < b.length; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i][k] * y[k];
    y[i] = s / L[i][i];
  }
  return y;
}

/** Solve L^T x = y for lower-triangular L. */
function backSubstitute(L: number[][], y: number[]): number[] {
  const n = y.length;
  const x = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k][i] * x[k];
    x[i] = s / L[i][i];
  }
  return x;
}

/** Solve A x = b given A = L L^T. */
function choleskySolve(L: number[][], b: number[]): number[] {
  return backSubstitute(L, forwardSubstitute(L, b));
}

function inverseFromCholesky(L: number[][]): number[][] {
  const n = L.length;
  const cols = identity(n).map((e) => choleskySolve(L, e));
  // cols[j] is column j of the inverse; the inverse is symmetric, symmetrize rounding.
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => 0.5 * (cols[j][i] + cols[i][j])));
}

function logDetFromCholesky(L: number[][]): number {
  return 2 * L.reduce((acc, row, i) => acc + Math.log(row[i]), 0);
}

function logDensityWithCholesky(x: number[], mean: number[], L: number[][]): number {
  const y = forwardSubstitute(L, x.map((v, i) => v - mean[i]));
  return -0.5 * (x.length * Math.log(2 * Math.PI) + logDetFromCholesky(L) + dot(y, y));
}

function sampleWithCholesky(mean: number[], L: number[][], rng: Rng): number[] {
  const eps = mean.map(() => standardNormalSample(rng));
  return mean.map((m, i) => m + dot(L[i].slice(0, i + 1), eps.slice(0, i + 1)));
}
