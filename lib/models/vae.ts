import * as tf from "@tensorflow/tfjs";
import { checkPixels } from "../data/pixels";
import { reparameterize } from "../objectives/gaussian";
import { freeBitsKl } from "../objectives/free-bits";
import { klStandardNormal } from "../objectives/kl";
import { Rng } from "../runtime/seed";
import { DenseConfig, EncoderDecoder, EncoderSpec, ResolvedDenseConfig } from "./encoder-decoder";
import { BERNOULLI, decoderLogLikelihood, learnedLogSigma, LikelihoodConfig, resolveLikelihood } from "./likelihood";
import { denseLayer } from "./mlp";
import { LossTerms } from "./trainable";

/** The parameters of the Gaussian posterior q(z | x) for a batch. */
export interface Posterior {
  /** Means, `[batch, latentDim]`. */
  mu: tf.Tensor2D;
  /** Log-variances log sigma^2, `[batch, latentDim]`. */
  logVar: tf.Tensor2D;
}

/** Architecture and decoder distribution of a `VAE`. */
export interface VaeConfig extends DenseConfig {
  /** The decoder distribution p(x | z) (default Bernoulli); see `LikelihoodConfig`. */
  likelihood?: LikelihoodConfig;
}

/**
 * A dense variational autoencoder (Kingma & Welling, "Auto-Encoding Variational Bayes",
 * ICLR 2014) with a standard normal prior p(z) = N(0, I), a Gaussian encoder
 * q(z | x) = N(mu(x), diag(sigma^2(x))) and a Bernoulli decoder p(x | z) (or, with
 * `likelihood`, a continuous Bernoulli or a Gaussian one; `LikelihoodConfig`).
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
export class VAE extends EncoderDecoder {
  /** x `[batch, inputDim]` -> [mu, logVar], each `[batch, latentDim]`. */
  declare readonly encoder: tf.LayersModel;
  /** The decoder distribution p(x | z), defaults filled in (a learned sigma without its values). */
  readonly likelihood: LikelihoodConfig;
  /** log sigma of a Gaussian decoder with a learned sigma, `[1]` or `[inputDim]`; else undefined. */
  readonly logSigma: tf.Variable | undefined;

  /**
   * A new VAE with seeded random weights, or (with `layers`) one around existing networks,
   * e.g. loaded from a checkpoint; see `VAE.fromLayers`.
   *
   * @throws Error when a size in the configuration is not a positive integer, or `layers`
   *   do not fit the configuration.
   */
  constructor(config: VaeConfig = {}, layers?: { encoder: tf.LayersModel; decoder: tf.LayersModel }) {
    const { likelihood, ...dense } = config;
    super(VAE_ENCODER, dense, layers);
    const resolved = resolveLikelihood("VAE", likelihood ?? BERNOULLI, this.config.inputDim);
    this.logSigma = learnedLogSigma(resolved, this.config.inputDim);
    const { logSigma: _values, ...withoutValues } = resolved;
    this.likelihood = withoutValues;
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
  static fromLayers(config: VaeConfig, encoder: tf.LayersModel, decoder: tf.LayersModel): VAE {
    return new VAE(config, { encoder, decoder });
  }

  /** Parameters of q(z | x): `[batch, inputDim]` -> mu, logVar `[batch, latentDim]`. */
  encode(x: tf.Tensor2D): Posterior {
    const [mu, logVar] = this.encoder.apply(x) as tf.Tensor2D[];
    return { mu, logVar };
  }

  /**
   * Reparameterized samples z = mu + exp(logVar / 2) * eps, eps ~ N(0, I) (`reparameterize`).
   *
   * @param seed seed of eps; the same seed gives the same z.
   * @returns `[batch, latentDim]`.
   */
  reparameterize({ mu, logVar }: Posterior, seed?: number): tf.Tensor2D {
    return tf.tidy(() => reparameterize(mu, logVar, tf.randomNormal(mu.shape, 0, 1, "float32", seed)));
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

  /**
   * The VAE's loss for a batch x `[batch, inputDim]`: the beta-weighted negative ELBO,
   * reconstruction + beta * KL, as a mean over the batch in nats per image (beta = 1 is the
   * VAE; Higgins et al. 2017 for beta != 1). The terms are per image, each `[batch]`:
   * `reconstruction` = -log p(x | z) for one z ~ q(z | x), `kl` = KL(q(z | x) || p(z)), and
   * `negElbo` = their sum (beta = 1). `fit` trains with a faster computation of the same
   * numbers (`lib/fast/`), checked against this one in the tests, for the Bernoulli
   * decoder; other decoders train with this one.
   *
   * With `freeBits` lambda > 0 the loss's KL term is the free-bits KL (Kingma et al. 2016,
   * Appendix C.8; `freeBitsKl`): reconstruction mean + beta * sum_j max(lambda, batch-mean
   * KL of dimension j). The terms stay the true per-image values.
   *
   * @param options.freeBits free nats per latent dimension, finite and >= 0 (default 0: none).
   * @throws Error when x holds a NaN, an infinity or a value outside [0, 1], naming the
   *   value, its `[row, column]` and the usual cause (e.g. "divide by 255"); or as
   *   `freeBitsKl` when `freeBits` is negative or not finite.
   */
  lossTerms(x: tf.Tensor2D, { beta, seed, freeBits = 0 }: { beta: number; seed: number; freeBits?: number }): { loss: tf.Scalar; terms: LossTerms } {
    checkPixels("VAE.lossTerms", "x", x); //                   x: finite pixel values in [0, 1]
    const { mu, logVar } = this.encode(x); //                  q(z | x) = N(mu, diag(exp(logVar)))
    const z = this.reparameterize({ mu, logVar }, seed); //    z = mu + sigma * eps
    const logits = this.decoder.apply(z) as tf.Tensor2D; //    p(x | z): the decoder's logits
    const reconstruction = decoderLogLikelihood(this.likelihood, x, logits, this.logSigma).neg() as tf.Tensor1D; // -log p(x | z)
    const kl = klStandardNormal(mu, logVar); //                 KL(q(z | x) || p(z))
    const negElbo = reconstruction.add(kl) as tf.Tensor1D;
    const loss = (freeBits === 0 ? reconstruction.add(kl.mul(beta)).mean() : reconstruction.mean().add(freeBitsKl(mu, logVar, freeBits).mul(beta))) as tf.Scalar;
    return { loss, terms: { reconstruction, kl, negElbo } };
  }

  /** The networks' variables and, when sigma is learned, log sigma. */
  override trainableVariables(): tf.Variable[] {
    return this.logSigma ? [...super.trainableVariables(), this.logSigma] : super.trainableVariables();
  }

  /** The likelihood with the current values of a learned log sigma, as a checkpoint saves it. */
  likelihoodWithValues(): LikelihoodConfig {
    return this.logSigma ? { ...this.likelihood, logSigma: Array.from(this.logSigma.dataSync()) } : { ...this.likelihood };
  }

  override dispose(): void {
    super.dispose();
    this.logSigma?.dispose();
  }
}

const VAE_ENCODER: EncoderSpec = {
  model: "VAE",
  outputs: ({ latentDim }) => [latentDim, latentDim],
  sequential: false,
  build: gaussianEncoder,
};

/** The encoder: a dense ReLU trunk, then two linear heads for mu and logVar. */
function gaussianEncoder({ inputDim, hiddenSizes, latentDim }: ResolvedDenseConfig, rng: Rng): tf.LayersModel {
  const input = tf.input({ shape: [inputDim], name: "x" });
  let h = input as tf.SymbolicTensor;
  hiddenSizes.forEach((units, i) => {
    h = denseLayer(`encoder_dense${i + 1}`, units, "relu", rng).apply(h) as tf.SymbolicTensor;
  });
  const mu = denseLayer("encoder_mu", latentDim, "linear", rng).apply(h) as tf.SymbolicTensor;
  const logVar = denseLayer("encoder_logvar", latentDim, "linear", rng).apply(h) as tf.SymbolicTensor;
  return tf.model({ name: "encoder", inputs: input, outputs: [mu, logVar] });
}
