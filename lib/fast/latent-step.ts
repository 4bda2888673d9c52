import * as tf from "@tensorflow/tfjs";
import { reparameterize } from "../objectives/gaussian";
import { klStandardNormal } from "../objectives/kl";

/**
 * The sample z and the KL term of the fast training step, with their gradients written
 * out. Their values are those of `reparameterize` and `klStandardNormal`, which the
 * readable `VAE.lossTerms` differentiates automatically. Here the tensors are small
 * (`[batch, latentDim]`), so a step's cost is mostly the fixed cost of each TensorFlow.js
 * operation, and a written-out gradient needs a few operations instead of a dozen.
 */

/**
 * z = mu + exp(logVar / 2) * eps with eps ~ N(0, I) drawn from `seed` as
 * `VAE.reparameterize` draws it (Kingma & Welling 2014, section 2.4). Gradient:
 *
 *   dz/dmu = 1,   dz/dlogVar = exp(logVar / 2) * eps / 2 = (z - mu) / 2
 *
 * @param mu `[batch, latentDim]`.
 * @param logVar `[batch, latentDim]`.
 * @param seed seed of eps.
 * @returns z, `[batch, latentDim]`.
 */
export function sampleLatent(mu: tf.Tensor2D, logVar: tf.Tensor2D, seed: number): tf.Tensor2D {
  const sample = tf.customGrad((muIn, logVarIn, save) => {
    const [m, l] = [muIn as tf.Tensor2D, logVarIn as tf.Tensor2D];
    const z = tf.tidy(() => reparameterize(m, l, tf.randomNormal(m.shape, 0, 1, "float32", seed)));
    (save as tf.GradSaveFunc)([m, z]);
    return { value: z, gradFunc: (dz, [savedMu, savedZ]) => [dz as tf.Tensor, (dz as tf.Tensor).mul(savedZ.sub(savedMu)).mul(0.5)] };
  });
  return sample(mu, logVar) as tf.Tensor2D;
}

/**
 * KL(N(mu, diag(exp(logVar))) || N(0, I)) per example, in nats: `klStandardNormal`, with its
 * gradient (derived in notebook 04):
 *
 *   dKL/dmu = mu,   dKL/dlogVar = (exp(logVar) - 1) / 2
 *
 * @param mu `[batch, latentDim]`.
 * @param logVar `[batch, latentDim]`.
 * @returns `[batch]`.
 */
export function klTerm(mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor1D {
  return klWithGradient(mu, logVar) as tf.Tensor1D;
}

const klWithGradient = tf.customGrad((muIn, logVarIn, save) => {
  const [mu, logVar] = [muIn as tf.Tensor2D, logVarIn as tf.Tensor2D];
  (save as tf.GradSaveFunc)([mu, logVar]);
  return {
    value: klStandardNormal(mu, logVar),
    gradFunc: (dy, [savedMu, savedLogVar]) => {
      const perExample = (dy as tf.Tensor).reshape([-1, 1]);
      return [savedMu.mul(perExample), tf.exp(savedLogVar).sub(1).mul(perExample.mul(0.5))];
    },
  };
});
