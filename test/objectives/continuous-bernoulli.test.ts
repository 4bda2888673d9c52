import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CONTINUOUS_BERNOULLI_TAYLOR_BAND,
  continuousBernoulliLogLikelihood,
  continuousBernoulliLogNormalizer,
  continuousBernoulliMean,
  continuousBernoulliQuantile,
} from "../../lib/objectives/continuous-bernoulli";

const logit = (lambda: number) => Math.log(lambda / (1 - lambda));

/** The paper's closed form in float64: log(2 artanh(1 - 2 lambda) / (1 - 2 lambda)). */
const closedForm = (lambda: number) => Math.log((2 * Math.atanh(1 - 2 * lambda)) / (1 - 2 * lambda));

/** Simpson's rule for the integral over x in [0, 1] of the density of one pixel at `lambda`. */
function integral(lambda: number, intervals = 4000): number {
  const xs = Array.from({ length: intervals + 1 }, (_, i) => [i / intervals]);
  const logits = xs.map(() => [logit(lambda)]);
  const density = tf.tidy(() => Array.from(tf.exp(continuousBernoulliLogLikelihood(xs, logits)).dataSync()));
  const weights = density.map((_, i) => (i === 0 || i === intervals ? 1 : i % 2 === 1 ? 4 : 2));
  return density.reduce((acc, d, i) => acc + weights[i] * d, 0) / (3 * intervals);
}

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe("continuous Bernoulli", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  it.each([1e-4, 0.1, 0.3, 0.5 - 1e-3, 0.5, 0.5 + 1e-6, 0.9, 1 - 1e-4])("density integrates to 1 at lambda = %f", (lambda) => {
    expect(integral(lambda)).toBeCloseTo(1, 3);
  });

  it("the cross-entropy without log C does not integrate to 1", () => {
    const lambda = 0.2;
    const lnC = closedForm(lambda);
    expect(integral(lambda) * Math.exp(-lnC)).toBeLessThan(0.9);
  });

  it.each([1e-4, 0.01, 0.2, 0.49, 0.51, 0.8, 0.99, 1 - 1e-4])("log C matches the closed form at lambda = %f", (lambda) => {
    const [got] = values(continuousBernoulliLogNormalizer([logit(lambda)]));
    expect(got).toBeCloseTo(closedForm(lambda), 5);
  });

  it("log C is log 2 at lambda = 1/2 and smooth across the Taylor band's edge", () => {
    const t = CONTINUOUS_BERNOULLI_TAYLOR_BAND;
    const [half, inside, outside] = values(continuousBernoulliLogNormalizer([0, t * (1 - 1e-6), t * (1 + 1e-6)]));
    expect(half).toBeCloseTo(Math.LN2, 7);
    expect(Math.abs(inside - outside)).toBeLessThan(1e-6);
    // float64 reference just outside the band: log(l / tanh(l / 2))
    expect(outside).toBeCloseTo(Math.log(t / Math.tanh(t / 2)), 6);
  });

  it("near lambda = 1/2 log C follows log 2 + 4/3 (lambda - 1/2)^2 where the closed form in float32 cancels", () => {
    const lambdas = [0.5 + 1e-7, 0.5 - 1e-5, 0.5 + 1e-3];
    const got = values(continuousBernoulliLogNormalizer(lambdas.map(logit)));
    got.forEach((g, i) => expect(g).toBeCloseTo(Math.LN2 + (4 / 3) * (lambdas[i] - 0.5) ** 2, 7));
  });

  it("has finite gradients at and around l = 0 and at large logits", () => {
    const l = tf.tensor1d([0, 1e-8, -1e-3, 0.05, 3, -40, 100]);
    const grad = tf.grad((t: tf.Tensor) => continuousBernoulliLogNormalizer(t).sum())(l);
    const g = values(grad);
    g.forEach((v) => expect(Number.isFinite(v)).toBe(true));
    expect(g[0]).toBeCloseTo(0, 6); // d/dl (l^2 / 12) at 0
    expect(g[4]).toBeCloseTo(1 / 3 - 1 / (2 * Math.sinh(3 / 2) * Math.cosh(3 / 2)), 5); // d/dl log(l / tanh(l / 2))
  });

  it("is the uniform density at l = 0 and matches the formula on random grey levels", () => {
    expect(values(continuousBernoulliLogLikelihood([[0.3, 0.9]], [[0, 0]]))[0]).toBeCloseTo(0, 6);
    const x = [[0.1, 0.7, 1, 0]];
    const l = [[-2, 0.5, 4, 0.01]];
    const expected = x[0].reduce((acc, xi, j) => {
      const s = 1 / (1 + Math.exp(-l[0][j]));
      return acc + xi * Math.log(s) + (1 - xi) * Math.log(1 - s) + closedForm(s);
    }, 0);
    expect(values(continuousBernoulliLogLikelihood(x, l))[0]).toBeCloseTo(expected, 4);
  });

  it("names the argument on bad shapes", () => {
    expect(() => continuousBernoulliLogLikelihood([[0.5, 0.5]], [[0]])).toThrow(/continuousBernoulliLogLikelihood.*x.*logits/s);
    expect(() => continuousBernoulliLogLikelihood([0.5] as unknown as number[][], [0] as unknown as number[][])).toThrow(/x/);
  });
});

describe("continuous Bernoulli mean and quantile function", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  /** E[x] by Simpson's rule over the density, in float64 from the closed form of log C. */
  function meanByQuadrature(lambda: number, intervals = 4000): number {
    const c = Math.exp(closedForm(lambda));
    let sum = 0;
    for (let i = 0; i <= intervals; i++) {
      const x = i / intervals;
      const w = i === 0 || i === intervals ? 1 : i % 2 === 1 ? 4 : 2;
      sum += w * x * c * lambda ** x * (1 - lambda) ** (1 - x);
    }
    return sum / (3 * intervals);
  }

  it.each([1e-4, 0.1, 0.3, 0.49, 0.51, 0.75, 0.9, 1 - 1e-4])("the mean is the density's first moment at lambda = %f", (lambda) => {
    const [got] = values(continuousBernoulliMean([logit(lambda)]));
    expect(got).toBeCloseTo(meanByQuadrature(lambda), 5);
  });

  it("the mean is 1/2 at lambda = 1/2, continuous across the band's edge, and between lambda and 1/2", () => {
    const t = CONTINUOUS_BERNOULLI_TAYLOR_BAND;
    const [half, inside, outside, tiny] = values(continuousBernoulliMean([0, t * (1 - 1e-6), t * (1 + 1e-6), 1e-6]));
    expect(half).toBe(0.5);
    expect(Math.abs(inside - outside)).toBeLessThan(1e-6);
    expect(tiny).toBeCloseTo(0.5 + 1e-6 / 12, 7);
    const lambdas = [0.01, 0.2, 0.8, 0.99];
    values(continuousBernoulliMean(lambdas.map(logit))).forEach((m, i) => {
      expect(Math.abs(m - 0.5)).toBeLessThan(Math.abs(lambdas[i] - 0.5));
      expect(Math.sign(m - 0.5)).toBe(Math.sign(lambdas[i] - 0.5));
    });
    expect(values(continuousBernoulliMean([-200, 200])).map((m) => m.toFixed(4))).toEqual(["0.0050", "0.9950"]); // about 1/|l| from the edge, finite
  });

  it("the quantile function inverts the CDF, also near lambda = 1/2 and at large logits", () => {
    const cdf = (lambda: number, x: number) => (lambda ** x * (1 - lambda) ** (1 - x) + lambda - 1) / (2 * lambda - 1);
    const us = [0.01, 0.3, 0.5, 0.9, 0.999];
    for (const lambda of [0.02, 0.3, 0.5 + 1e-3, 0.8, 0.97]) {
      const x = values(continuousBernoulliQuantile(us.map(() => logit(lambda)), us));
      x.forEach((xi, i) => expect(cdf(lambda, xi)).toBeCloseTo(us[i], 4));
    }
    const [uniform, big, small] = values(continuousBernoulliQuantile([1e-5, 80, -80], [0.3, 0.5, 0.5]));
    expect(uniform).toBeCloseTo(0.3, 5);
    expect(big).toBeCloseTo(1 + Math.log(0.5) / 80, 5);
    expect(small).toBeCloseTo(-Math.log(0.5) / 80, 5);
    expect(() => continuousBernoulliQuantile([0, 1], [0.5])).toThrow(/continuousBernoulliQuantile/);
  });

  it("samples by inversion have the distribution's mean", () => {
    const l = logit(0.85);
    const n = 20000;
    const x = continuousBernoulliQuantile(tf.fill([n], l), tf.randomUniform([n], 0, 1, "float32", 5));
    const mean = x.mean().dataSync()[0];
    x.dispose();
    expect(Math.abs(mean - meanByQuadrature(0.85))).toBeLessThan(4 * 0.3 / Math.sqrt(n)); // 4 standard errors (sd < 0.3)
  });
});
