// Solutions to the exercises of notebooks/06-beta-and-posterior-collapse.ipynb, and a typical
// mistake for each (which its check must catch). The checks: lib/exercises/06-beta-and-posterior-collapse.ts.
import * as tf from "@tensorflow/tfjs";
import type { Answers } from "./answers";

/** 06.1: the fraction of rows of z `[n, d]` with |z| <= radius. */
function insideFraction(z: tf.Tensor2D, radius: number): number {
  return tf.tidy(() => z.square().sum(1).sqrt().lessEqual(radius).sum().dataSync()[0] / z.shape[0]);
}

/** 06.2: sum_j max(lambda, mean_x KL(q(z_j | x) || N(0, 1))), `[batch, latentDim]` inputs -> scalar. */
function freeBitsKl(mu: tf.Tensor2D, logVar: tf.Tensor2D, lambda: number): tf.Scalar {
  return tf.tidy(() => {
    const perDimension = mu.square().add(logVar.exp()).sub(logVar).sub(1).mul(0.5); // [batch, latentDim]
    return perDimension.mean(0).maximum(lambda).sum() as tf.Scalar;
  });
}

/** 06.3: beta * min(1, step / (warmupEpochs * stepsPerEpoch)); beta without warm-up. */
function warmupBeta(step: number, stepsPerEpoch: number, warmupEpochs: number, beta: number): number {
  return warmupEpochs === 0 ? beta : beta * Math.min(1, step / (warmupEpochs * stepsPerEpoch));
}

export const solutions: Answers = {
  "06.1": () => insideFraction,
  "06.2": () => freeBitsKl,
  "06.3": () => warmupBeta,
};

export const mistakes: Answers = {
  // The squared length compared with the radius.
  "06.1": () => (z: tf.Tensor2D, radius: number) => tf.tidy(() => z.square().sum(1).lessEqual(radius).sum().dataSync()[0] / z.shape[0]),
  // Each image's KL clamped before the batch mean.
  "06.2": () => (mu: tf.Tensor2D, logVar: tf.Tensor2D, lambda: number) =>
    tf.tidy(() => mu.square().add(logVar.exp()).sub(logVar).sub(1).mul(0.5).maximum(lambda).sum(1).mean() as tf.Scalar),
  // The weight raised once per epoch instead of at every step.
  "06.3": () => (step: number, stepsPerEpoch: number, warmupEpochs: number, beta: number) =>
    warmupEpochs === 0 ? beta : beta * Math.min(1, Math.floor(step / stepsPerEpoch) / warmupEpochs),
};
