import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { bernoulliLogLikelihood } from "../../lib/objectives/bernoulli";
import { negElboTerms } from "../../lib/objectives/elbo";
import {
  gaussianLogDensity,
  gaussianLogDensityFromNoise,
  reparameterize,
  sampleDiagonalGaussian,
  standardNormalLogDensity,
} from "../../lib/objectives/gaussian";
import { importanceWeightedBound } from "../../lib/objectives/iwae";
import { klDiagonalGaussians, klMonteCarlo, klStandardNormal, klStandardNormalPerDimension } from "../../lib/objectives/kl";
import { logMeanExp, logSumExp } from "../../lib/objectives/logsumexp";

// Objectives accept nested arrays wherever they accept tensors, as TensorFlow.js ops do.
const mu = [[0.5, -1], [2, 0]];
const logVar = [[0, 0.3], [-1, 1]];
const muP = [[0.1, 0.2], [-0.3, 0.4]];
const logVarP = [[0.5, -0.5], [0, 0.2]];
const eps = [[1, -0.5], [0.25, 2]];
const x = [[1, 0, 1], [0, 0.5, 1]];
const logits = [[2, -1, 0], [0.3, 0, -4]];
const logWeights = [[0, -1], [Math.log(3), 2], [-0.5, 0.5], [1, 1]];

/** Any result of an objective: a tensor or an object of tensors. */
type Result = tf.Tensor | Record<string, tf.Tensor>;

/** Each objective called on arrays `a` (the same numbers as tensors when `a` holds tensors). */
type Call = (a: (values: number[][]) => number[][]) => Result;

const t2 = (values: number[][]) => tf.tensor2d(values) as unknown as number[][];
const plain = (values: number[][]) => values;

const CALLS: Record<string, Call> = {
  klStandardNormal: (a) => klStandardNormal(a(mu), a(logVar)),
  klStandardNormalPerDimension: (a) => klStandardNormalPerDimension(a(mu), a(logVar)),
  klDiagonalGaussians: (a) => klDiagonalGaussians(a(mu), a(logVar), a(muP), a(logVarP)),
  klMonteCarlo: (a) => ({ ...klMonteCarlo(a(mu), a(logVar), a(muP), a(logVarP), { samples: 50, seed: 3, chunkSize: 20 }) }),
  gaussianLogDensity: (a) => gaussianLogDensity(a(eps), a(mu), a(logVar)),
  standardNormalLogDensity: (a) => standardNormalLogDensity(a(eps)),
  reparameterize: (a) => reparameterize(a(mu), a(logVar), a(eps)),
  gaussianLogDensityFromNoise: (a) => gaussianLogDensityFromNoise(a(eps), a(logVar)),
  sampleDiagonalGaussian: (a) => ({ ...sampleDiagonalGaussian(a(mu), a(logVar), 3, 5) }),
  negElboTerms: (a) => ({ ...negElboTerms(a(x), a(logits), a(mu), a(logVar)) }),
  logSumExp: (a) => logSumExp(a(logWeights), 0),
  logMeanExp: (a) => logMeanExp(a(logWeights), 0),
  importanceWeightedBound: (a) => importanceWeightedBound(a(logWeights), 2),
  bernoulliLogLikelihood: (a) => bernoulliLogLikelihood(a(x), a(logits)),
};

const tensorsOf = (r: Result): tf.Tensor[] => (r instanceof tf.Tensor ? [r] : Object.values(r));
const numbersOf = (r: Result) => tensorsOf(r).map((t) => t.arraySync());

describe("objectives called with plain arrays", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  it.each(Object.keys(CALLS))("%s gives the numbers it gives for tensors, and leaks nothing", (name) => {
    const call = CALLS[name];
    const fromTensors = tf.tidy(() => numbersOf(call(t2)));
    const before = tf.memory().numTensors;
    const result = call(plain);
    const made = tensorsOf(result);
    expect(tf.memory().numTensors).toBe(before + made.length);
    expect(numbersOf(result)).toEqual(fromTensors);
    tf.dispose(made);
    expect(tf.memory().numTensors).toBe(before);
  });

  /** A call with a string in place of the argument `arg`. */
  const BAD: [fn: string, arg: string, call: () => unknown][] = [
    ["klStandardNormal", "logVar", () => klStandardNormal(mu, "abc" as never)],
    ["klStandardNormalPerDimension", "mu", () => klStandardNormalPerDimension("abc" as never, logVar)],
    ["klDiagonalGaussians", "logVarP", () => klDiagonalGaussians(mu, logVar, muP, "abc" as never)],
    ["klMonteCarlo", "muP", () => klMonteCarlo(mu, logVar, "abc" as never, logVarP)],
    ["gaussianLogDensity", "x", () => gaussianLogDensity("abc" as never, mu, logVar)],
    ["standardNormalLogDensity", "x", () => standardNormalLogDensity("abc")],
    ["reparameterize", "eps", () => reparameterize(mu, logVar, "abc")],
    ["gaussianLogDensityFromNoise", "logVar", () => gaussianLogDensityFromNoise(eps, "abc")],
    ["sampleDiagonalGaussian", "mu", () => sampleDiagonalGaussian("abc" as never, logVar, 2)],
    ["negElboTerms", "logits", () => negElboTerms(x, "abc" as never, mu, logVar)],
    ["logSumExp", "x", () => logSumExp("abc")],
    ["logMeanExp", "x", () => logMeanExp("abc")],
    ["importanceWeightedBound", "logWeights", () => importanceWeightedBound("abc" as never)],
    ["bernoulliLogLikelihood", "x", () => bernoulliLogLikelihood("abc" as never, logits)],
  ];

  it.each(BAD)("%s rejects a string for %s with the kit's message, and leaks nothing", (fn, arg, call) => {
    const before = tf.memory().numTensors;
    expect(call).toThrow(`Error in ${fn}: ${arg} must be a tensor or a rectangular array of numbers, but got "abc".`);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("rejects ragged arrays instead of reading them as another shape", () => {
    expect(() => klStandardNormal([[1, 2], [3]], [[0, 0], [0, 0]])).toThrow(
      "Error in klStandardNormal: mu must be a tensor or a rectangular array of numbers, but got [[1,2],[3]].",
    );
  });

  it("keeps the worked examples of the doc comments true", () => {
    tf.tidy(() => {
      expect(Array.from(klStandardNormal([[1, 0]], [[0, 0]]).dataSync())).toEqual([0.5]);
      expect(klDiagonalGaussians([[0]], [[0]], [[1]], [[Math.log(4)]]).dataSync()[0]).toBeCloseTo(0.4431, 4);
      expect(gaussianLogDensityFromNoise([[0]], [[Math.log(4)]]).dataSync()[0]).toBeCloseTo(-1.6121, 4);
      expect(reparameterize([[1]], [[Math.log(4)]], [[0.5]]).arraySync()).toEqual([[2]]);
      expect(negElboTerms([[1, 0]], [[0, 0]], [[1]], [[0]]).negElbo.dataSync()[0]).toBeCloseTo(2 * Math.LN2 + 0.5, 5);
      expect(logMeanExp([0, Math.log(3)]).dataSync()[0]).toBeCloseTo(Math.LN2, 6);
      expect(Array.from(logSumExp([[0, 0], [1, -Infinity]], 1).dataSync())).toEqual([expect.closeTo(Math.LN2, 6), 1]);
      expect(importanceWeightedBound([[0], [Math.log(3)]]).dataSync()[0]).toBeCloseTo(Math.LN2, 6);
      expect(sampleDiagonalGaussian([[0, 5]], [[0, 0]], 100, 1).z.shape).toEqual([100, 1, 2]);
    });
  });
});
