import * as tf from "@tensorflow/tfjs";
import { bernoulliLogLikelihoodT } from "../objectives/bernoulli";
import { Rng } from "../runtime/seed";
import { checkNetwork, DenseConfig, ResolvedDenseConfig, resolveDenseConfig } from "./autoencoder";
import { denseChainT } from "./dense-forward";
import { klTerm, sampleLatent } from "./latent-step";
import { checkSizes, denseLayer, mlp } from "./mlp";
import { LossTerms, Trainable, variablesOf } from "./trainable";

/** The parameters of the Gaussian posterior q(z | x) for a batch. */
export interface Posterior {
  /** Means, `[batch, latentDim]`. */
  mu: tf.Tensor2D;
  /** Log-variances log sigma^2, `[batch, latentDim]`. */
  logVar: tf.Tensor2D;
}

/**
 * A dense variational autoencoder (Kingma & Welling, "Auto-Encoding Variational Bayes",
 * ICLR 2014) with a standard normal prior p(z) = N(0, I), a Gaussian encoder
 * q(z | x) = N(mu(x), diag(sigma^2(x))) and a Bernoulli decoder p(x | z).
 *
 * The encoder is a shared dense trunk with two separate linear heads, one for mu and one
 * for log sigma^2 (so the variance is positive without constraints). z is drawn with the
 * reparameterization trick z = mu + sigma * eps, eps ~ N(0, I) (ibid., section 2.4).
 *
 * @example
 * const vae = new VAE({ hiddenSizes: [400], latentDim: 20, seed: 1 });
 * const { mu, logVar } = vae.encode(x);   // [batch, 20] each
 * const samples = vae.sample(16, 7);      // [16, 784] pixel probabilities
 */
export class VAE implements Trainable {
  readonly config: ResolvedDenseConfig;
  /** x `[batch, inputDim]` -> [mu, logVar], each `[batch, latentDim]`. */
  readonly encoder: tf.LayersModel;
  /** z `[batch, latentDim]` -> logits `[batch, inputDim]`. */
  readonly decoder: tf.Sequential;

  /**
   * A new VAE with seeded random weights, or (with `layers`) one around existing networks,
   * e.g. loaded from a checkpoint; see `VAE.fromLayers`.
   *
   * @throws Error when a size in the configuration is not a positive integer, or `layers`
   *   do not fit the configuration.
   */
  constructor(config: DenseConfig = {}, layers?: { encoder: tf.LayersModel; decoder: tf.LayersModel }) {
    this.config = resolveDenseConfig(config);
    const { inputDim, hiddenSizes, latentDim, seed } = this.config;
    if (layers) {
      this.encoder = checkNetwork("VAE", "encoder", layers.encoder, inputDim, [latentDim, latentDim], false);
      this.decoder = checkNetwork("VAE", "decoder", layers.decoder, latentDim, [inputDim], true) as tf.Sequential;
      return;
    }
    const rng = new Rng(seed);
    this.encoder = gaussianEncoder(inputDim, hiddenSizes, latentDim, rng);
    this.decoder = mlp("decoder", latentDim, [...hiddenSizes].reverse(), inputDim, rng);
  }

  /**
   * A VAE around existing networks (no new weights are made), e.g. networks loaded with
   * `tf.loadLayersModel`. The model takes ownership: `dispose()` disposes them.
   *
   * @param config the architecture the networks have (its `seed` is only recorded).
   * @param encoder `[batch, inputDim]` -> [mu, logVar], each `[batch, latentDim]`.
   * @param decoder a `tf.Sequential`, `[batch, latentDim]` -> logits `[batch, inputDim]`.
   * @throws Error naming the network when its input or output widths differ from the
   *   configuration, or the decoder is not a `tf.Sequential`.
   */
  static fromLayers(config: DenseConfig, encoder: tf.LayersModel, decoder: tf.LayersModel): VAE {
    return new VAE(config, { encoder, decoder });
  }

  /** Parameters of q(z | x): `[batch, inputDim]` -> mu, logVar `[batch, latentDim]`. */
  encode(x: tf.Tensor2D): Posterior {
    const [mu, logVar] = this.encoder.predict(x) as tf.Tensor2D[];
    return { mu, logVar };
  }

  /**
   * Reparameterized samples z = mu + exp(logVar / 2) * eps, eps ~ N(0, I).
   *
   * @param seed seed of eps; the same seed gives the same z.
   * @returns `[batch, latentDim]`.
   */
  reparameterize({ mu, logVar }: Posterior, seed?: number): tf.Tensor2D {
    return tf.tidy(() => {
      const eps = tf.randomNormal(mu.shape, 0, 1, "float32", seed);
      return mu.add(tf.exp(logVar.mul(0.5)).mul(eps)) as tf.Tensor2D;
    });
  }

  /** Pixel probabilities of p(x | z): `[batch, latentDim]` -> `[batch, inputDim]`. */
  decode(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(this.decoder.predict(z) as tf.Tensor2D));
  }

  /**
   * Reconstructions of images, `[batch, inputDim]` pixel probabilities: decoded from the
   * posterior mean, or from a sample of q(z | x) when `seed` is given.
   */
  reconstruct(x: tf.Tensor2D, seed?: number): tf.Tensor2D {
    return tf.tidy(() => {
      const posterior = this.encode(x);
      return this.decode(seed === undefined ? posterior.mu : this.reparameterize(posterior, seed));
    });
  }

  /**
   * New images from the model: z ~ p(z) = N(0, I), then the pixel probabilities of p(x | z).
   *
   * @param n number of images.
   * @param seed seed of z.
   * @returns `[n, inputDim]`.
   */
  sample(n: number, seed?: number): tf.Tensor2D {
    return tf.tidy(() => this.decode(tf.randomNormal([n, this.config.latentDim], 0, 1, "float32", seed)));
  }

  trainableVariables(): tf.Variable[] {
    return variablesOf(this.encoder, this.decoder);
  }

  /**
   * Loss: the beta-weighted negative ELBO, mean over the batch, nats per image:
   * reconstruction + beta * KL (beta = 1 is the VAE; Higgins et al. 2017 for beta != 1).
   * Terms reported per example: `negElbo`, `reconstruction`, `kl` (with beta = 1 in negElbo).
   * The networks run through `denseChainT`, in feature-major layout (one column per
   * image), whose gradients are fast on every backend; it computes what `encoder.apply` and
   * `decoder.apply` compute, and the terms are those of `negElboTerms`. The sample z and the
   * KL term come from `latent-step.ts`: `reparameterize` (the same eps) and
   * `klStandardNormal`, with their gradients written out.
   */
  lossTerms(x: tf.Tensor2D, options: { beta: number; seed: number }): { loss: tf.Scalar; terms: LossTerms } {
    const xT = tf.transpose(x);
    const hT = denseChainT(xT, this.encoder.layers.filter((l) => l.name.startsWith("encoder_dense")));
    const mu = tf.transpose(denseChainT(hT, [this.encoder.getLayer("encoder_mu")], false));
    const logVar = tf.transpose(denseChainT(hT, [this.encoder.getLayer("encoder_logvar")], false));
    const z = sampleLatent(mu, logVar, options.seed);
    const logitsT = denseChainT(tf.transpose(z), this.decoder.layers, false);
    const reconstruction = bernoulliLogLikelihoodT(xT, logitsT).neg() as tf.Tensor1D;
    const kl = klTerm(mu, logVar);
    const negElbo = reconstruction.add(kl) as tf.Tensor1D;
    const loss = (options.beta === 1 ? negElbo : reconstruction.add(kl.mul(options.beta))).mean() as tf.Scalar;
    return { loss, terms: { reconstruction, kl, negElbo } };
  }

  /** Release the weights. */
  dispose(): void {
    this.encoder.dispose();
    this.decoder.dispose();
  }
}

/** The encoder: a dense ReLU trunk, then two linear heads for mu and logVar. */
function gaussianEncoder(inputDim: number, hiddenSizes: readonly number[], latentDim: number, rng: Rng): tf.LayersModel {
  checkSizes("encoder: layer sizes", [inputDim, ...hiddenSizes, latentDim]);
  const input = tf.input({ shape: [inputDim], name: "x" });
  let h = input as tf.SymbolicTensor;
  hiddenSizes.forEach((units, i) => {
    h = denseLayer(`encoder_dense${i + 1}`, units, "relu", rng).apply(h) as tf.SymbolicTensor;
  });
  const mu = denseLayer("encoder_mu", latentDim, "linear", rng).apply(h) as tf.SymbolicTensor;
  const logVar = denseLayer("encoder_logvar", latentDim, "linear", rng).apply(h) as tf.SymbolicTensor;
  return tf.model({ name: "encoder", inputs: input, outputs: [mu, logVar] });
}
