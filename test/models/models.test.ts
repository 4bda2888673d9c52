import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { Autoencoder } from "../../lib/models/autoencoder";
import { VAE } from "../../lib/models/vae";

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

  it("rejects a bad configuration, naming it", () => {
    expect(() => new VAE({ latentDim: 0 })).toThrow(
      "Error in VAE: the layer sizes [inputDim, ...hiddenSizes, latentDim] must be positive integers, but got [784,400,0].",
    );
    expect(() => new VAE({ hiddenSizes: [1.5] })).toThrow(/positive integers/);
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
