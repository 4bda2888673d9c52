import * as tf from "@tensorflow/tfjs";
import { klDiagonalGaussians } from "../objectives/kl";
import type { Exercise } from "./exercise";
import { experimentExercise } from "./experiment";
import { functionExercise } from "./function-exercise";

// The exercises at the end of notebooks/04-kl-divergence.ipynb. Solutions: solutions/04-kl-divergence.ts.

const notebook = "04-kl-divergence";

/** Four [batch, d] tensors from rows of numbers: means and log-variances of q and of p. */
function gaussians(muQ: number[][], logVarQ: number[][], muP: number[][], logVarP: number[][]): tf.Tensor2D[] {
  return [muQ, logVarQ, muP, logVarP].map((rows) => tf.tensor2d(rows));
}

const klFromKit = (...args: unknown[]) => klDiagonalGaussians(...(args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D]));

const klDiagonal = functionExercise({
  id: "04.1",
  notebook: notebook,
  title: "KL between diagonal Gaussians, from the univariate formula",
  task: "Write KL(q ‖ p) for diagonal Gaussians given by means and log-variances, [batch, d] each, one value per row, without the kit's KL functions.",
  signature: "(muQ: tf.Tensor2D, logVarQ: tf.Tensor2D, muP: tf.Tensor2D, logVarP: tf.Tensor2D) => tf.Tensor1D",
  hint: "Per dimension, ½[log σ_p² − log σ_q² + (σ_q² + (μ_q − μ_p)²)/σ_p² − 1], summed over the last axis only. Keep the logs as they come: log σ_p² − log σ_q² is logVarP − logVarQ, and σ_q²/σ_p² is exp(logVarQ − logVarP).",
  cases: [
    { name: "the case on paper: KL(N(2, 0.5) ‖ N(0, 1)) = ½(log 2 + 3.5)", args: () => gaussians([[2]], [[Math.log(0.5)]], [[0]], [[0]]), expected: () => [0.5 * (Math.log(2) + 3.5)], hint: "N(2, 0.5) has variance 0.5, so log σ_q² = log 0.5." },
    { name: "q = p = N(0, 1): zero mean, unit variance", args: () => gaussians([[0, 0]], [[0, 0]], [[0, 0]], [[0, 0]]), expected: () => [0] },
    { name: "zero means, variances 1 and 4", args: () => gaussians([[0]], [[0]], [[0]], [[Math.log(4)]]), expected: klFromKit, hint: "With equal means only the variance terms remain: ½(log 4 + 1/4 − 1)." },
    { name: "p is not the prior: μ_p = 1, σ_p² = 4", args: () => gaussians([[0.5]], [[0.3]], [[1]], [[Math.log(4)]]), expected: klFromKit, hint: "Divide (σ_q² + (μ_q − μ_p)²) by σ_p², the variance of p." },
    {
      name: "a batch of 3 rows in 4 dimensions: one KL per row",
      args: () => gaussians(
        [[0.5, -1, 2, 0], [0, 0, 0, 0], [1, 1, -1, 3]],
        [[0, -2, 1, -5], [0, 0, 0, 0], [0.5, -0.5, 2, 0]],
        [[1, 0.3, -0.5, 0.2], [0, 0, 0, 0], [0, 0, 0, 0]],
        [[0.4, 1, -0.3, 0], [0, 0, 0, 0], [0, 0, 0, 0]],
      ),
      expected: klFromKit,
      hint: "Sum over the latent dimensions (axis 1) only; keep one value per row, shape [batch].",
    },
    { name: "large log σ²: log σ_q² = 30 against log σ_p² = 0", args: () => gaussians([[0]], [[30]], [[0]], [[0]]), expected: klFromKit, tolerance: { rel: 1e-4 } },
    { name: "σ_q → 0: log σ_q² = −100 (σ_q² underflows float32 to 0)", args: () => gaussians([[0]], [[-100]], [[0]], [[0]]), expected: () => [0.5 * (100 - 1)], hint: "log(exp(logVarQ)) is log 0 = −∞ once exp underflows: use logVarQ itself." },
  ],
});

const modeSeeking = experimentExercise({
  id: "04.2",
  notebook: notebook,
  title: "Mode seeking: fit q to a mixture of two Gaussians",
  task: "Minimize a Monte-Carlo estimate of KL(q ‖ p) over μ and log σ² with tf.train.adam (0.05, 500 steps, 256 samples a step; about 1 s for both fits on 2 cores), from μ = 0.5 and from μ = −0.5, and report the fits and the q that minimizes KL(p ‖ q).",
  hint: "KL(q ‖ p) ≈ mean over z = μ + σε of log q(z) − log p(z), with log p(z) = logSumExp of the two components' log-densities + log ½. Optimize log σ², not σ. The q minimizing KL(p ‖ q) has p's mean 0 and variance 0.25 + 2² = 4.25.",
  quantities: [
    { key: "muFromPlus", label: "μ of the fit started at μ = 0.5", range: [1.85, 2.15], hint: "Started right of 0, q should settle on the right mode, at 2." },
    { key: "sigmaFromPlus", label: "σ of that fit", range: [0.4, 0.6], hint: "One mode has σ = √0.25 = 0.5; q narrows to cover only it." },
    { key: "muFromMinus", label: "μ of the fit started at μ = −0.5", range: [-2.15, -1.85] },
    { key: "muInclusive", label: "mean of the q minimizing KL(p ‖ q)", range: [-0.05, 0.05] },
    { key: "sigmaInclusive", label: "σ of the q minimizing KL(p ‖ q)", range: [2.0, 2.1], hint: "The mixture's variance is the components' variance plus the spread of their means: 0.25 + 4." },
  ],
});

const klOverSigma = functionExercise({
  id: "04.3",
  notebook: notebook,
  title: "The KL surface over (μ, σ)",
  task: "Write KL(N(μ, σ²) ‖ N(0, 1)) element by element from μ and σ (not log σ²), then draw it with kit.surfacePlot over μ in [−3, 3] and σ in [0.01, 3].",
  signature: "(mu: tf.Tensor, sigma: tf.Tensor) => tf.Tensor",
  hint: "½(σ² + μ² − 1) − log σ, element by element, with the shape of the inputs. −log σ² = −2 log σ: take the log of σ itself.",
  lookFor: "the minimum 0 at (μ, σ) = (0, 1); contours that crowd together as σ → 0, where the slope σ − 1/σ grows without bound, and spread out for large σ, where the KL grows like σ²/2. Gradient descent on σ takes huge steps near σ = 0 and tiny ones far out, one reason the encoder outputs log σ² instead.",
  cases: [
    { name: "the prior itself: μ = 0, σ = 1", args: () => [tf.tensor1d([0]), tf.tensor1d([1])], expected: () => [0] },
    { name: "zero mean, σ = 2 and σ = 0.5", args: () => [tf.tensor1d([0, 0]), tf.tensor1d([2, 0.5])], expected: () => [2, 0.5].map((s) => 0.5 * (s * s - 1) - Math.log(s)) },
    { name: "a grid [2, 3]: element by element, shape kept", args: () => [tf.tensor2d([[-3, 0, 3], [1, -1, 0.5]]), tf.tensor2d([[1, 3, 0.1], [0.2, 1, 2]])], expected: () => [[-3, 0, 3], [1, -1, 0.5]].map((row, i) => row.map((m, j) => { const s = [[1, 3, 0.1], [0.2, 1, 2]][i][j]; return 0.5 * (s * s + m * m - 1) - Math.log(s); })), hint: "Do not sum: one KL per (μ, σ) pair, the shape of the inputs." },
    { name: "σ → 0: σ = 1e-30 (σ² underflows float32 to 0)", args: () => [tf.tensor1d([0]), tf.tensor1d([1e-30])], expected: () => [-0.5 + 30 * Math.log(10)], tolerance: { rel: 1e-3 }, hint: "log(σ²) is log 0 = −∞ once σ² underflows: use 2 log σ." },
    { name: "large σ = 1000", args: () => [tf.tensor1d([0]), tf.tensor1d([1000])], expected: () => [0.5 * (1e6 - 1) - Math.log(1000)] },
  ],
});

const standardError = experimentExercise({
  id: "04.4",
  notebook: notebook,
  title: "The Monte-Carlo standard error against μ_q",
  task: "With p = N(0, 1), q = N(μ_q, 1) and S = 10,000, read the standard error of kit.klMonteCarlo at μ_q = 0, 1 and 3 (and plot it for μ_q from 0 to 3).",
  hint: "With z = μ_q + ε, log q(z) − log p(z) = μ_q²/2 + μ_q ε: its standard deviation is μ_q, so the standard error is μ_q/√S, zero at q = p and growing linearly.",
  lookFor: "a straight line through the origin with slope 1/√S = 0.01.",
  quantities: [
    { key: "se0", label: "standard error at μ_q = 0 (q = p)", range: [0, 1e-6], hint: "At q = p every term log q − log p is exactly 0." },
    { key: "se1", label: "standard error at μ_q = 1", range: [0.0095, 0.0105] },
    { key: "se3", label: "standard error at μ_q = 3", range: [0.0285, 0.0315], hint: "Pass samples: 10000 and set only the mean of q; keep both variances at 1 (log-variance 0)." },
  ],
});

/** The exercises of notebook 04, in order. */
export const EXERCISES_04: Exercise[] = [klDiagonal, modeSeeking, klOverSigma, standardError];
