import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { Autoencoder } from "../../lib/models/autoencoder";
import { VAE } from "../../lib/models/vae";
import { bernoulliLogLikelihood } from "../../lib/objectives/bernoulli";
import { negElboTerms } from "../../lib/objectives/elbo";
import { initBackend } from "../../lib/runtime/backend";

const batch = () => tf.randomUniform([5, 784], 0, 1, "float32", 3) as tf.Tensor2D;

describe("VAE", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  it("encodes to separate mu and log-variance heads of the latent size", () => {
    const vae = new VAE({ hiddenSizes: [64, 32], latentDim: 3, seed: 1 });
    tf.tidy(() => {
      const { mu, logVar } = vae.encode(batch());
      expect(mu.shape).toEqual([5, 3]);
      expect(logVar.shape).toEqual([5, 3]);
      expect(tf.abs(mu.sub(logVar)).max().dataSync()[0]).toBeGreaterThan(1e-3);
    });
    const names = vae.encoder.layers.map((l) => l.name);
    expect(names).toEqual(["x", "encoder_dense1", "encoder_dense2", "encoder_mu", "encoder_logvar"]);
    vae.dispose();
  });

  it("decodes, reconstructs and samples pixel probabilities", () => {
    const vae = new VAE({ hiddenSizes: [32], latentDim: 2, seed: 1 });
    tf.tidy(() => {
      for (const images of [vae.decode(tf.zeros([4, 2])), vae.reconstruct(batch()), vae.reconstruct(batch(), 5), vae.sample(6, 2)]) {
        expect(images.shape[1]).toBe(784);
        expect(images.min().dataSync()[0]).toBeGreaterThan(0);
        expect(images.max().dataSync()[0]).toBeLessThan(1);
      }
    });
    vae.dispose();
  });

  it("draws z by reparameterization: mean mu, standard deviation exp(logVar / 2)", () => {
    const vae = new VAE({ latentDim: 2, hiddenSizes: [8] });
    const [mean, sd] = tf.tidy(() => {
      const mu = tf.tensor2d([[1.5, -2]]).tile([20000, 1]) as tf.Tensor2D;
      const logVar = tf.tensor2d([[Math.log(0.25), Math.log(4)]]).tile([20000, 1]) as tf.Tensor2D;
      const moments = tf.moments(vae.reparameterize({ mu, logVar }, 11), 0);
      return [Array.from(moments.mean.dataSync()), Array.from(moments.variance.sqrt().dataSync())];
    });
    expect(mean[0]).toBeCloseTo(1.5, 1);
    expect(mean[1]).toBeCloseTo(-2, 1);
    expect(sd[0]).toBeCloseTo(0.5, 1);
    expect(sd[1]).toBeCloseTo(2, 1);
    vae.dispose();
  });

  it("is reproducible from its seed", () => {
    const weights = (seed: number) => {
      const vae = new VAE({ hiddenSizes: [16], latentDim: 2, seed });
      const values = vae.trainableVariables().map((v) => Array.from(v.dataSync()));
      vae.dispose();
      return values;
    };
    expect(weights(7)).toEqual(weights(7));
    expect(weights(7)).not.toEqual(weights(8));
  });

  it("reports the negative ELBO as reconstruction plus KL, and weights the KL by beta", () => {
    const vae = new VAE({ hiddenSizes: [16], latentDim: 2, seed: 4 });
    tf.tidy(() => {
      const x = batch();
      const one = vae.lossTerms(x, { beta: 1, seed: 9 });
      const zero = vae.lossTerms(x, { beta: 0, seed: 9 });
      const { reconstruction, kl, negElbo } = one.terms;
      expect(negElbo.sub(reconstruction.add(kl)).abs().max().dataSync()[0]).toBeLessThan(1e-3);
      expect(one.loss.dataSync()[0]).toBeCloseTo(negElbo.mean().dataSync()[0], 3);
      expect(zero.loss.dataSync()[0]).toBeCloseTo(reconstruction.mean().dataSync()[0], 3);
    });
    vae.dispose();
  });

  it("trains through the same function the layers compute", () => {
    const vae = new VAE({ hiddenSizes: [16, 8], latentDim: 3, seed: 5 });
    tf.tidy(() => {
      const x = batch();
      const { terms } = vae.lossTerms(x, { beta: 1, seed: 3 });
      const { mu, logVar } = vae.encode(x);
      const logits = vae.decoder.predict(vae.reparameterize({ mu, logVar }, 3)) as tf.Tensor2D;
      const reference = negElboTerms(x, logits, mu, logVar);
      for (const name of ["negElbo", "reconstruction", "kl"] as const) {
        expect(terms[name].sub(reference[name]).abs().max().dataSync()[0]).toBeLessThan(1e-3);
      }
    });
    vae.dispose();
  });

  it("rejects a bad configuration, naming it", () => {
    expect(() => new VAE({ latentDim: 0 })).toThrow(/layer sizes must be positive integers, but got \[784, 400, 0\]/);
    expect(() => new VAE({ hiddenSizes: [1.5] })).toThrow(/positive integers/);
  });
});

/** Largest absolute difference between the gradients of two losses over the same variables. */
function gradientGap(variables: tf.Variable[], ours: () => tf.Scalar, reference: () => tf.Scalar): number {
  return tf.tidy(() => {
    const a = tf.variableGrads(ours, variables).grads;
    const b = tf.variableGrads(reference, variables).grads;
    return Math.max(...variables.map((v) => a[v.name].sub(b[v.name]).abs().max().dataSync()[0]));
  });
}

describe.each(["cpu", "wasm"])("training gradients on %s", (backend) => {
  beforeAll(async () => {
    await initBackend(backend, { quiet: true });
  });

  it("of the VAE equal automatic differentiation through its layers", () => {
    const vae = new VAE({ hiddenSizes: [16, 8], latentDim: 3, seed: 6 });
    const x = batch();
    const throughLayers = () => {
      const [mu, logVar] = vae.encoder.apply(x) as tf.Tensor2D[];
      const logits = vae.decoder.apply(vae.reparameterize({ mu, logVar }, 4)) as tf.Tensor2D;
      const { reconstruction, kl } = negElboTerms(x, logits, mu, logVar);
      return reconstruction.add(kl.mul(0.5)).mean() as tf.Scalar;
    };
    expect(gradientGap(vae.trainableVariables(), () => vae.lossTerms(x, { beta: 0.5, seed: 4 }).loss, throughLayers)).toBeLessThan(1e-4);
    x.dispose();
    vae.dispose();
  });

  it("of the autoencoder equal automatic differentiation through its layers", () => {
    const ae = new Autoencoder({ hiddenSizes: [16], latentDim: 2, seed: 7 });
    const x = batch();
    const throughLayers = () => {
      const logits = ae.decoder.apply(ae.encoder.apply(x)) as tf.Tensor2D;
      return bernoulliLogLikelihood(x, logits).neg().mean() as tf.Scalar;
    };
    expect(gradientGap(ae.trainableVariables(), () => ae.lossTerms(x).loss, throughLayers)).toBeLessThan(1e-4);
    x.dispose();
    ae.dispose();
  });
});

describe("Autoencoder", () => {
  it("maps images to codes and back", () => {
    const ae = new Autoencoder({ hiddenSizes: [32], latentDim: 2, seed: 1 });
    tf.tidy(() => {
      const x = batch();
      expect(ae.encode(x).shape).toEqual([5, 2]);
      expect(ae.reconstruct(x).shape).toEqual([5, 784]);
      const { loss, terms } = ae.lossTerms(x);
      expect(Object.keys(terms)).toEqual(["reconstruction"]);
      expect(loss.dataSync()[0]).toBeGreaterThan(0);
    });
    ae.dispose();
  });
});
