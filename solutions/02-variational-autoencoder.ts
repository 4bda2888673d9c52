// Solutions to the exercises of notebooks/02-variational-autoencoder.ipynb, and a typical
// mistake for each (which its check must catch). The checks: lib/exercises/02-variational-autoencoder.ts.
import * as tf from "@tensorflow/tfjs";
import * as kit from "../lib/index";
import type { Answers } from "./answers";

/** 02.1: the 2-D VAE trained with beta = 4 and with beta = 0.25, quick settings, seed 1; the KL and reconstruction terms on 1,000 test images. */
async function twoBetas() {
  const train = kit.loadMnistSplit("train", { limit: 5000 });
  const test = kit.loadMnistSplit("test", { limit: 1000 });
  const terms: kit.TermMeans[] = [];
  for (const beta of [4, 0.25]) {
    const vae = new kit.VAE({ hiddenSizes: [400], latentDim: 2, seed: 1 });
    await kit.fit(vae, { train: train, test: test }, { epochs: 3, seed: 1, beta: beta, progress: "none" });
    terms.push(kit.evaluate(vae, test, { seed: 1 }));
    vae.dispose();
  }
  return { kl4: terms[0].kl, reconstruction4: terms[0].reconstruction, kl025: terms[1].kl, reconstruction025: terms[1].reconstruction };
}

/** 02.2: the reparameterized sample z = μ + σ ⊙ ε with σ = exp(½ log σ²); all `[batch, d]`. */
function sample(mu: tf.Tensor2D, logVar: tf.Tensor2D, eps: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => mu.add(tf.exp(logVar.mul(0.5)).mul(eps)));
}

/** 02.3: the KL term per latent dimension, ½(μ² + σ² − 1 − log σ²), averaged over the images: `[batch, d]` in, `[d]` out, nats. */
function klPerDimension(mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => mu.square().add(logVar.exp()).sub(1).sub(logVar).mul(0.5).mean(0) as tf.Tensor1D);
}

export const solutions: Answers = {
  "02.1": twoBetas,
  "02.2": () => sample,
  "02.3": () => klPerDimension,
};

export const mistakes: Answers = {
  // The two runs swapped: the heavier KL weight reported with the larger KL term.
  "02.1": () => ({ kl4: 9, reconstruction4: 160, kl025: 3, reconstruction025: 190 }),
  // σ² where σ belongs: exp(log σ²) scales ε by the variance.
  "02.2": () => (mu: tf.Tensor2D, logVar: tf.Tensor2D, eps: tf.Tensor2D) => mu.add(tf.exp(logVar).mul(eps)),
  // Summed over the images instead of averaged.
  "02.3": () => (mu: tf.Tensor2D, logVar: tf.Tensor2D) => mu.square().add(logVar.exp()).sub(1).sub(logVar).mul(0.5).sum(0),
};
