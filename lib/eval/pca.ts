import * as tf from "@tensorflow/tfjs";
import { argumentError, checkFinite, checkLength, checkNonEmpty, describe } from "../runtime/checks";
import { readRows } from "./rows";

/** Eigenvalues and eigenvectors of a symmetric matrix, from {@link symmetricEigen}. */
export interface SymmetricEigen {
  /** Eigenvalues, descending. */
  values: number[];
  /** `vectors[k]` is the unit eigenvector of `values[k]` (so `vectors` is `[d, d]`, one per row). */
  vectors: number[][];
}

/**
 * Eigen-decomposition of a real symmetric matrix A = V diag(values) V^T by the cyclic
 * Jacobi method (Golub & Van Loan, "Matrix Computations", 4th ed., section 8.5, Algorithms
 * 8.5.1-8.5.3): plane rotations zero the off-diagonal entries one pair at a time until
 * their norm is below 1e-14 times the matrix norm. Accurate for any symmetric matrix; meant
 * for small ones (d up to about 100, O(d^3) work per sweep), such as the covariance of
 * latent codes. Works in float64.
 *
 * Each eigenvector's sign is fixed so that its entry of largest magnitude is positive (the
 * first such entry on ties), so results do not depend on rounding details.
 *
 * @param matrix `[d, d]`, symmetric (checked to 1e-9 relative).
 * @returns eigenvalues in descending order and the matching unit eigenvectors.
 * @throws Error when `matrix` is empty, not square, holds a non-finite number, or is not
 *   symmetric (names the first entry pair that differs).
 *
 * @example
 * symmetricEigen([[2, 1], [1, 2]]) // values [3, 1], vectors [[0.7071, 0.7071], [-0.7071, 0.7071]]
 */
export function symmetricEigen(matrix: ArrayLike<ArrayLike<number>>): SymmetricEigen {
  const fn = "symmetricEigen";
  const d = checkNonEmpty(fn, "matrix", matrix, "rows");
  const a: Float64Array[] = [];
  let norm2 = 0;
  for (let i = 0; i < d; i++) {
    const row = matrix[i];
    checkLength(fn, `matrix[${i}]`, row, d, `a square matrix of ${d} rows`);
    a.push(Float64Array.from(row));
    for (let j = 0; j < d; j++) {
      checkFinite(fn, `matrix[${i}][${j}]`, a[i][j]);
      norm2 += a[i][j] * a[i][j];
    }
  }
  const scale = Math.sqrt(norm2);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      if (Math.abs(a[i][j] - a[j][i]) > 1e-9 * Math.max(scale, 1e-300)) {
        throw argumentError(fn, "matrix", "symmetric", `matrix[${i}][${j}] = ${a[i][j]} and matrix[${j}][${i}] = ${a[j][i]}`);
      }
      a[i][j] = a[j][i] = (a[i][j] + a[j][i]) / 2;
    }
  }
  const v: Float64Array[] = Array.from({ length: d }, (_, i) => {
    const row = new Float64Array(d);
    row[i] = 1;
    return row;
  });
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p][q] * a[p][q];
    if (Math.sqrt(2 * off) <= 1e-14 * scale || off === 0) break;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p][q];
        if (apq === 0) continue;
        // Golub & Van Loan Algorithm 8.5.1 (sym.schur2): the rotation that zeroes a[p][q].
        const tau = (a[q][q] - a[p][p]) / (2 * apq);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        a[p][q] = a[q][p] = 0;
        for (let k = 0; k < d; k++) {
          const vkp = v[k][p];
          const vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => a[j][j] - a[i][i] || i - j);
  const values = order.map((i) => a[i][i]);
  const vectors = order.map((col) => {
    const vec = Array.from({ length: d }, (_, k) => v[k][col]);
    let big = 0;
    for (let k = 1; k < d; k++) if (Math.abs(vec[k]) > Math.abs(vec[big])) big = k;
    return vec[big] < 0 ? vec.map((x) => -x) : vec;
  });
  return { values, vectors };
}

/** Options of {@link pca}. */
export interface PcaOptions {
  /** Number of principal components k to keep, an integer in [1, d]; default 2. */
  components?: number;
}

/** The result of {@link pca}. */
export interface PcaResult {
  /** The mean of the data, `[d]`. */
  mean: number[];
  /** The k principal axes, unit vectors, `[k, d]`, by decreasing variance. */
  components: number[][];
  /** Variance of the data along each axis (eigenvalues of the covariance), `[k]`. */
  variances: number[];
  /** `variances[j] / totalVariance`: the share of the total variance each axis explains, `[k]`. */
  varianceRatio: number[];
  /** Total variance: the sum of the variances of all d coordinates (trace of the covariance). */
  totalVariance: number;
  /** The data projected onto the axes, (x - mean) . component_j, `[n, k]` flat row-major. */
  scores: Float32Array;
}

/**
 * Principal component analysis (Pearson 1901; Hotelling 1933): the k orthogonal directions
 * along which the data varies most, and the data's coordinates along them. Computed from
 * the covariance matrix C = (1/(n-1)) sum (x - mean)(x - mean)^T (float64) and its
 * eigen-decomposition ({@link symmetricEigen}); the variances are C's eigenvalues, with
 * divisor n - 1 as in scikit-learn's `explained_variance_`. Each axis's sign makes its entry
 * of largest magnitude positive, so repeated runs give the same picture.
 *
 * Meant for low-dimensional data such as latent codes (d up to about 100).
 *
 * @param data `[n, d]` with n >= 2: a tensor (e.g. posterior means from `vae.encode(x).mu`)
 *   or an array of n rows of d numbers.
 * @param options `components` (k, default 2).
 * @returns mean, components, variances, varianceRatio, totalVariance and scores `[n, k]`.
 * @throws Error when `data` is not `[n, d]` with n >= 2 and d >= 1, holds a non-finite number,
 *   or `components` is not an integer in [1, d].
 *
 * @example
 * const { scores, varianceRatio } = pca(vae20.encode(x).mu, { components: 2 });
 * show(latentScatter(scores, labels, { xTitle: "PC 1", yTitle: "PC 2" }));
 */
export function pca(data: tf.Tensor2D | ArrayLike<ArrayLike<number>>, options: PcaOptions = {}): PcaResult {
  const fn = "pca";
  const { n, d, flat } = readRows(fn, "data", data);
  const k = options.components ?? 2;
  if (!Number.isInteger(k) || k < 1 || k > d) throw argumentError(fn, "options.components", `an integer in [1, d = ${d}]`, describe(k), RangeError);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += flat[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const cov = Array.from({ length: d }, () => new Float64Array(d));
  const centred = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) centred[j] = flat[i * d + j] - mean[j];
    for (let j = 0; j < d; j++) {
      const cj = centred[j];
      const row = cov[j];
      for (let l = j; l < d; l++) row[l] += cj * centred[l];
    }
  }
  for (let j = 0; j < d; j++) {
    for (let l = j; l < d; l++) {
      cov[j][l] /= n - 1;
      cov[l][j] = cov[j][l];
    }
  }
  const eig = symmetricEigen(cov);
  let totalVariance = 0;
  for (let j = 0; j < d; j++) totalVariance += cov[j][j];
  const components = eig.vectors.slice(0, k);
  const variances = eig.values.slice(0, k).map((value) => Math.max(value, 0));
  const scores = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (flat[i * d + j] - mean[j]) * components[c][j];
      scores[i * k + c] = s;
    }
  }
  return {
    mean: Array.from(mean),
    components,
    variances,
    varianceRatio: variances.map((value) => (totalVariance > 0 ? value / totalVariance : 0)),
    totalVariance,
    scores,
  };
}
