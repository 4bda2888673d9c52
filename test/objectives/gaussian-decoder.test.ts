import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { gaussianDecoderLogLikelihood } from "../../lib/objectives/gaussian-decoder";

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const x = [
  [0.1, 0.8, 0.5],
  [1, 0, 0.3],
];
const mean = [
  [0.2, 0.6, 0.5],
  [0.7, 0.1, 0.9],
];

/** The textbook density in float64, pixel by pixel. */
function reference(sigmas: (j: number, r: number) => number): number[] {
  return x.map((row, r) =>
    row.reduce((acc, xj, j) => {
      const s = sigmas(j, r);
      return acc - 0.5 * Math.log(2 * Math.PI * s * s) - (xj - mean[r][j]) ** 2 / (2 * s * s);
    }, 0),
  );
}

describe("gaussianDecoderLogLikelihood", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  it("matches the textbook density for one sigma, one per pixel and one per entry", () => {
    const perPixel = [0.1, 0.5, 2];
    const perEntry = [
      [0.3, 1, 0.05],
      [2, 0.2, 0.7],
    ];
    values(gaussianDecoderLogLikelihood(x, mean, Math.log(0.3))).forEach((v, r) => expect(v).toBeCloseTo(reference(() => 0.3)[r], 4));
    values(gaussianDecoderLogLikelihood(x, mean, perPixel.map(Math.log))).forEach((v, r) =>
      expect(v).toBeCloseTo(reference((j) => perPixel[j])[r], 4),
    );
    const logEntry = tf.tensor2d(perEntry.map((row) => row.map(Math.log)));
    values(gaussianDecoderLogLikelihood(x, mean, logEntry)).forEach((v, r) => expect(v).toBeCloseTo(reference((j, i) => perEntry[i][j])[r], 4));
  });

  it("with a fixed sigma is the squared error over 2 sigma^2 plus a constant", () => {
    const sigma = 0.25;
    const D = 3;
    const got = values(gaussianDecoderLogLikelihood(x, mean, Math.log(sigma)));
    x.forEach((row, r) => {
      const sse = row.reduce((acc, xj, j) => acc + (xj - mean[r][j]) ** 2, 0);
      expect(-got[r]).toBeCloseTo(sse / (2 * sigma * sigma) + D * (Math.log(sigma) + Math.log(2 * Math.PI) / 2), 4);
    });
  });

  it("is largest over one learned sigma at sigma^2 = the mean squared error", () => {
    const mse = x.flat().reduce((acc, xj, i) => acc + (xj - mean.flat()[i]) ** 2, 0) / 6;
    const total = (logSigma: tf.Tensor) => gaussianDecoderLogLikelihood(x, mean, logSigma).sum();
    const best = tf.scalar(0.5 * Math.log(mse));
    expect(values(tf.grad(total)(best))[0]).toBeCloseTo(0, 4);
    const [atBest, below, above] = [best, best.sub(0.1), best.add(0.1)].map((t) => values(total(t))[0]);
    expect(atBest).toBeGreaterThan(below);
    expect(atBest).toBeGreaterThan(above);
  });

  it("one pixel's density integrates to 1 over the real line", () => {
    const n = 4000;
    const [lo, hi] = [-2, 3];
    const xs = Array.from({ length: n + 1 }, (_, i) => [lo + ((hi - lo) * i) / n]);
    const density = values(tf.exp(gaussianDecoderLogLikelihood(xs, xs.map(() => [0.4]), Math.log(0.2))));
    const simpson = density.reduce((acc, d, i) => acc + (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * d, 0) * ((hi - lo) / (3 * n));
    expect(simpson).toBeCloseTo(1, 4);
  });

  it("names logSigma when its shape does not fit", () => {
    expect(() => gaussianDecoderLogLikelihood(x, mean, [0, 0])).toThrow(/gaussianDecoderLogLikelihood.*logSigma.*\[3\].*\[2\]/s);
    expect(() => gaussianDecoderLogLikelihood(x, [[0, 0]], 0)).toThrow(/mean/);
  });
});
