import { checkNonEmpty } from "../runtime/checks";

/**
 * Means and variances accumulated batch by batch, in float64.
 *
 * Each batch contributes its own mean and sum of squared deviations (M2), merged with the
 * running ones by the pairwise update of Chan, Golub & LeVeque ("Algorithms for computing
 * the sample variance", The American Statistician, 1983):
 *
 *   delta = mean_B - mean_A,   n = n_A + n_B,
 *   mean = mean_A + delta n_B / n,   M2 = M2_A + M2_B + delta^2 n_A n_B / n,
 *
 * which loses no precision to large means or many batches, unlike sums of squares.
 *
 * @example
 * const m = new RunningMoments(1);
 * m.addRows([1, 2], 2); m.addRows([3, 4, 5], 3);
 * m.mean[0];        // 3
 * m.variance()[0];  // 2 (population variance of 1..5)
 */
export class RunningMoments {
  /** Running mean of every coordinate, `[size]`. */
  readonly mean: Float64Array;
  /** Running sum of squared deviations from the mean, `[size]`. */
  readonly m2: Float64Array;
  /** Values seen per coordinate. */
  count = 0;

  /** @param size number of coordinates (e.g. latent dimensions, or images). */
  constructor(readonly size: number) {
    this.mean = new Float64Array(size);
    this.m2 = new Float64Array(size);
  }

  /** Merge a batch of `n` values per coordinate, given its means and M2 (each `[size]`). */
  merge(batchMean: ArrayLike<number>, batchM2: ArrayLike<number>, n: number): void {
    const total = this.count + n;
    for (let i = 0; i < this.size; i++) {
      const delta = batchMean[i] - this.mean[i];
      this.m2[i] += batchM2[i] + (delta * delta * this.count * n) / total;
      this.mean[i] += (delta * n) / total;
    }
    this.count = total;
  }

  /** Merge `rows` rows of values, row-major `[rows, size]` (one column per coordinate). */
  addRows(values: ArrayLike<number>, rows: number): void {
    const mean = new Float64Array(this.size);
    const m2 = new Float64Array(this.size);
    for (let r = 0; r < rows; r++) for (let i = 0; i < this.size; i++) mean[i] += values[r * this.size + i];
    for (let i = 0; i < this.size; i++) mean[i] /= rows;
    for (let r = 0; r < rows; r++) for (let i = 0; i < this.size; i++) m2[i] += (values[r * this.size + i] - mean[i]) ** 2;
    this.merge(mean, m2, rows);
  }

  /** Variance of every coordinate: M2 / (count - ddof); `ddof` 0 (default) or 1. */
  variance(ddof: 0 | 1 = 0): Float64Array {
    return this.m2.map((v) => v / (this.count - ddof));
  }

  /** Standard error of every mean: sqrt(sample variance / count); NaN for one value. */
  standardError(): Float64Array {
    return this.variance(1).map((v) => Math.sqrt(v / this.count));
  }
}

/**
 * The mean of some values and its standard error, sqrt(s^2 / n) with the sample variance s^2
 * (divisor n - 1): how much the mean would vary over other draws of the same size.
 *
 * @param values at least one number; with one, the standard error is NaN.
 * @returns `{ mean, standardError }`, in the values' units.
 * @throws Error when `values` is empty.
 *
 * @example
 * meanWithStandardError([1, 2, 3, 4]) // { mean: 2.5, standardError: 0.6455 }
 */
export function meanWithStandardError(values: ArrayLike<number>): { mean: number; standardError: number } {
  checkNonEmpty("meanWithStandardError", "values", values);
  const moments = new RunningMoments(1);
  moments.addRows(values, values.length);
  return { mean: moments.mean[0], standardError: moments.standardError()[0] };
}
