// Solutions to the exercises of notebooks/07-decoders-and-likelihoods.ipynb, and a typical
// mistake for each (which its check must catch). The checks: lib/exercises/07-decoders-and-likelihoods.ts.
import * as tf from "@tensorflow/tfjs";
import * as kit from "../lib/index";
import type { Answers } from "./answers";

/** 07.1: log C of the continuous Bernoulli from logits, element by element, with the series near l = 0. */
function logNormalizer(logits: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const near = tf.abs(logits).less(0.1);
    const safe = tf.where(near, tf.onesLike(logits), logits);          // never 0 where the closed form is used
    const closed = tf.log(tf.abs(safe)).sub(tf.log(tf.abs(tf.tanh(safe.div(2)))));
    const l2 = tf.square(logits);
    const series = l2.div(12).sub(tf.square(l2).mul(7 / 1440)).add(Math.LN2);
    return tf.where(near, series, closed);
  });
}

/** Simpson's rule for the integral over x in [0, 1] of lambda^x (1 - lambda)^(1 - x), from kit.bernoulliLogLikelihood. */
function crossEntropyMass(lambda: number, intervals = 2000): number {
  const xs = Array.from({ length: intervals + 1 }, (_, i) => i / intervals);
  const l = Math.log(lambda / (1 - lambda));
  const f = tf.tidy(() => tf.exp(kit.bernoulliLogLikelihood(tf.tensor2d(xs, [xs.length, 1]), tf.fill([xs.length, 1], l) as tf.Tensor2D)).dataSync());
  let sum = 0;
  for (let i = 0; i <= intervals; i++) sum += (i === 0 || i === intervals ? 1 : i % 2 === 1 ? 4 : 2) * f[i];
  return sum / (3 * intervals);
}

/** 07.3: the root mean squared error over all entries. */
function bestSigma(x: tf.Tensor2D, mean: tf.Tensor2D): number {
  return tf.tidy(() => Math.sqrt(tf.squaredDifference(x, mean).mean().dataSync()[0]));
}

/** 07.4: -log N(x; mean, sigma^2 I) per image. */
function gaussianNll(x: tf.Tensor2D, mean: tf.Tensor2D, sigma: number): tf.Tensor1D {
  return tf.tidy(() => {
    const d = x.shape[1];
    const constant = d * (Math.log(sigma) + 0.5 * Math.log(2 * Math.PI));
    return tf.squaredDifference(x, mean).sum(1).div(2 * sigma * sigma).add(constant) as tf.Tensor1D;
  });
}

export const solutions: Answers = {
  "07.1": () => logNormalizer,
  "07.2": () => ({ mass50: crossEntropyMass(0.5), mass90: crossEntropyMass(0.9), mass99: crossEntropyMass(0.99) }),
  "07.3": () => bestSigma,
  "07.4": () => gaussianNll,
};

export const mistakes: Answers = {
  // The closed form alone: NaN at l = 0.
  "07.1": () => (logits: tf.Tensor) => tf.tidy(() => tf.log(tf.abs(logits)).sub(tf.log(tf.abs(tf.tanh(logits.div(2)))))),
  // Taking the cross-entropy for a density: mass 1 everywhere.
  "07.2": () => ({ mass50: 1, mass90: 1, mass99: 1 }),
  // The mean absolute error instead of the root mean square.
  "07.3": () => (x: tf.Tensor2D, mean: tf.Tensor2D) => tf.tidy(() => tf.abs(x.sub(mean)).mean().dataSync()[0]),
  // The squared error only, without D log sigma + (D/2) log 2 pi.
  "07.4": () => (x: tf.Tensor2D, mean: tf.Tensor2D, sigma: number) => tf.tidy(() => tf.squaredDifference(x, mean).sum(1).div(2 * sigma * sigma) as tf.Tensor1D),
};
