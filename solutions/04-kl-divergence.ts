// Solutions to the exercises of notebooks/04-kl-divergence.ipynb, and a typical mistake for
// each (which its check must catch). The checks: lib/exercises/04-kl-divergence.ts.
import * as tf from "@tensorflow/tfjs";
import * as kit from "../lib/index";
import type { Answers } from "./answers";

/** 04.1: KL(q ‖ p) between diagonal Gaussians, one value per row, `[batch, d]` in, `[batch]` out. */
function klDiagonal(muQ: tf.Tensor2D, logVarQ: tf.Tensor2D, muP: tf.Tensor2D, logVarP: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const logRatio = logVarP.sub(logVarQ);                              // log σ_p² − log σ_q²
    const varRatio = tf.exp(logVarQ.sub(logVarP));                      // σ_q² / σ_p²
    const meanTerm = tf.squaredDifference(muQ, muP).mul(tf.exp(logVarP.neg()));   // (μ_q − μ_p)² / σ_p²
    return logRatio.add(varRatio).add(meanTerm).sub(1).sum(1).mul(0.5) as tf.Tensor1D;
  });
}

/** The mistake: σ where σ² belongs (exp(logVar / 2) is σ). */
function klDiagonalWithSigma(muQ: tf.Tensor2D, logVarQ: tf.Tensor2D, muP: tf.Tensor2D, logVarP: tf.Tensor2D): tf.Tensor1D {
  const sigmaQ = tf.exp(logVarQ.div(2));
  const sigmaP = tf.exp(logVarP.div(2));
  return logVarP.sub(logVarQ).add(sigmaQ.add(tf.squaredDifference(muQ, muP)).div(sigmaP)).sub(1).sum(1).mul(0.5) as tf.Tensor1D;
}

/** log p(z) of the mixture ½ N(−2, 0.25) + ½ N(2, 0.25), element by element. */
function mixtureLogDensity(z: tf.Tensor): tf.Tensor {
  const logVar = Math.log(0.25);
  const component = (m: number) => z.sub(m).square().div(0.25).add(kit.LOG_2PI + logVar).mul(-0.5);
  return tf.stack([component(-2), component(2)]).logSumExp(0).add(Math.log(0.5));
}

/** 04.2: fit q = N(μ, σ²) by minimizing a Monte-Carlo KL(q ‖ p) with Adam and the reparameterization trick. */
function fitMode(muStart: number, seed: number): { mu: number; sigma: number } {
  const [mu, logVar] = tf.tidy(() => [tf.variable(tf.scalar(muStart)), tf.variable(tf.scalar(0))]);
  const optimizer = tf.train.adam(0.05);
  for (let step = 0; step < 500; step++) {
    const eps = tf.randomNormal([256], 0, 1, "float32", seed + step);
    optimizer.minimize(() => {
      const z = mu.add(logVar.div(2).exp().mul(eps));                 // z = μ + σ ε
      const logQ = z.sub(mu).square().div(logVar.exp()).add(logVar).add(kit.LOG_2PI).mul(-0.5);
      return logQ.sub(mixtureLogDensity(z)).mean() as tf.Scalar;
    });
    eps.dispose();
  }
  const fit = { mu: mu.dataSync()[0], sigma: Math.exp(logVar.dataSync()[0] / 2) };
  [mu, logVar].forEach((v) => v.dispose());
  optimizer.dispose();
  return fit;
}

function modeSeeking() {
  const plus = fitMode(0.5, 1);
  const minus = fitMode(-0.5, 1000);
  // KL(p ‖ q) is minimized by matching p's moments: mean ½(−2) + ½(2) = 0, variance 0.25 + 4.
  return { muFromPlus: plus.mu, sigmaFromPlus: plus.sigma, muFromMinus: minus.mu, muInclusive: 0, sigmaInclusive: Math.sqrt(0.25 + 4) };
}

/** 04.3: KL(N(μ, σ²) ‖ N(0, 1)) element by element. */
function klFromSigma(mu: tf.Tensor, sigma: tf.Tensor): tf.Tensor {
  return tf.tidy(() => sigma.square().add(mu.square()).sub(1).mul(0.5).sub(sigma.log()));
}

/** 04.4: the standard error of kit.klMonteCarlo at μ_q = 0, 1, 3, with p = N(0, 1) and S = 10,000. */
function standardErrors() {
  const at = (muQ: number) => tf.tidy(() => {
    const zero = [[0]];
    return kit.klMonteCarlo([[muQ]], zero, zero, zero, { samples: 10000, seed: 1 }).standardError.dataSync()[0];
  });
  return { se0: at(0), se1: at(1), se3: at(3) };
}

export const solutions: Answers = {
  "04.1": () => klDiagonal,
  "04.2": modeSeeking,
  "04.3": () => klFromSigma,
  "04.4": standardErrors,
};

export const mistakes: Answers = {
  "04.1": () => klDiagonalWithSigma,
  // The two directions swapped: the moment-matching fit of KL(p ‖ q) reported as the fit of KL(q ‖ p), and the other way round.
  "04.2": () => ({ muFromPlus: 0, sigmaFromPlus: Math.sqrt(4.25), muFromMinus: 0, muInclusive: 2, sigmaInclusive: 0.5 }),
  // log(σ²) instead of 2 log σ: infinite once σ² underflows.
  "04.3": () => (mu: tf.Tensor, sigma: tf.Tensor) => sigma.square().add(mu.square()).sub(1).sub(sigma.square().log()).mul(0.5),
  // The standard deviation of the terms instead of the standard error (not divided by √S).
  "04.4": () => ({ se0: 0, se1: 1, se3: 3 }),
};
