import * as tf from "@tensorflow/tfjs";
import { checkPixels } from "../data/pixels";
import { negElboTerms } from "../objectives/elbo";
import { reparameterize } from "../objectives/gaussian";
import { Rng } from "../runtime/seed";
import { checkSizes } from "./mlp";
import { LossTerms, Trainable, variablesOf } from "./trainable";
import { Posterior } from "./vae";

/** Architecture of a `ConvVAE` on 28 x 28 single-channel images. */
export interface ConvConfig {
  /** Filters of the encoder's two stride-2 convolutions; the decoder mirrors them (default [32, 64]). */
  filters?: [number, number];
  /** Size of the latent vector z (default 20). */
  latentDim?: number;
  /** Seed of the weight initialization (default 0). */
  seed?: number;
}

/** A `ConvConfig` with every default filled in. */
export type ResolvedConvConfig = Required<ConvConfig>;

/** Image side and pixels per image (MNIST). */
const SIDE = 28;
const PIXELS = SIDE * SIDE;

/**
 * A convolutional VAE (Kingma & Welling 2014, with the networks of the TensorFlow "Convolutional
 * Variational Autoencoder" tutorial and the Keras "Variational AutoEncoder" example): the
 * same prior N(0, I), Gaussian posterior and Bernoulli decoder as `VAE`, but
 *
 * - encoder: x `[batch, 784]` -> `[batch, 28, 28, 1]` -> conv 3x3 stride 2 'same' (filters[0], ReLU)
 *   `[batch, 14, 14, f0]` -> conv 3x3 stride 2 'same' (filters[1], ReLU) `[batch, 7, 7, f1]` ->
 *   flatten -> two linear heads mu, logVar `[batch, latentDim]`;
 * - decoder: z `[batch, latentDim]` -> dense (ReLU) `[batch, 7 * 7 * f1]` -> reshape
 *   `[batch, 7, 7, f1]` -> transposed conv 3x3 stride 2 (filters[1], ReLU) `[batch, 14, 14, f1]` ->
 *   transposed conv 3x3 stride 2 (filters[0], ReLU) `[batch, 28, 28, f0]` -> transposed conv 3x3
 *   stride 1 (1 filter, linear) -> flatten: Bernoulli logits `[batch, 784]`.
 *
 * A convolution shares one small filter across all image positions, so it has
 * 3 * 3 * inChannels * outChannels + outChannels weights whatever the image size.
 * Images go in and out flat, `[batch, 784]`, as for the dense models, so `fit`, `evaluate`
 * and the IWAE estimate take it unchanged. On the wasm backend training needs the kit's
 * `Conv2DBackpropFilter` kernel, which `initBackend` registers.
 *
 * @example
 * const vae = new ConvVAE({ filters: [16, 32], latentDim: 20, seed: 1 });
 * const { mu, logVar } = vae.encode(x);   // x [batch, 784] -> [batch, 20] each
 * const samples = vae.sample(16, 7);      // [16, 784] pixel probabilities
 */
export class ConvVAE implements Trainable {
  readonly config: ResolvedConvConfig;
  /** x `[batch, 784]` -> [mu, logVar], each `[batch, latentDim]`. */
  readonly encoder: tf.LayersModel;
  /** z `[batch, latentDim]` -> logits `[batch, 784]`. */
  readonly decoder: tf.LayersModel;
  /** Pixel values in [0, 1]: the decoder is Bernoulli. */
  readonly dataRange = "unit" as const;

  /**
   * A new conv VAE with seeded weights, or (with `layers`) one around existing networks.
   *
   * @throws Error when a filter count or `latentDim` is not a positive integer, or when
   *   `layers` map other shapes than the configuration's.
   */
  constructor(config: ConvConfig = {}, layers?: { encoder: tf.LayersModel; decoder: tf.LayersModel }) {
    this.config = { filters: [32, 64], latentDim: 20, seed: 0, ...config };
    const { filters, latentDim } = this.config;
    checkSizes("ConvVAE", "[...filters, latentDim]", [...filters, latentDim]);
    if (layers) {
      checkShapes("encoder", layers.encoder, [PIXELS], [[latentDim], [latentDim]]);
      checkShapes("decoder", layers.decoder, [latentDim], [[PIXELS]]);
      this.encoder = layers.encoder;
      this.decoder = layers.decoder;
      return;
    }
    const rng = new Rng(this.config.seed);
    this.encoder = convEncoder(this.config, rng);
    this.decoder = deconvDecoder(this.config, rng);
  }

  /** Parameters of q(z | x): `[batch, 784]` -> mu, logVar `[batch, latentDim]`. */
  encode(x: tf.Tensor2D): Posterior {
    const [mu, logVar] = this.encoder.apply(x) as tf.Tensor2D[];
    return { mu, logVar };
  }

  /** Pixel probabilities decoded from latents: `[batch, latentDim]` -> `[batch, 784]`. */
  decode(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(this.decoder.apply(z) as tf.Tensor2D));
  }

  /** Reconstructions `[batch, 784]`: decoded from the posterior mean, or a sample with `seed`. */
  reconstruct(x: tf.Tensor2D, seed?: number): tf.Tensor2D {
    return tf.tidy(() => {
      const { mu, logVar } = this.encode(x);
      const z = seed === undefined ? mu : (reparameterize(mu, logVar, tf.randomNormal(mu.shape, 0, 1, "float32", seed)) as tf.Tensor2D);
      return this.decode(z);
    });
  }

  /** `n` new images `[n, 784]`: z ~ N(0, I) (seeded), then the pixel probabilities of p(x | z). */
  sample(n: number, seed?: number): tf.Tensor2D {
    return tf.tidy(() => this.decode(tf.randomNormal([n, this.config.latentDim], 0, 1, "float32", seed)));
  }

  /**
   * The beta-weighted negative ELBO of a batch x `[batch, 784]`, mean over the batch in nats
   * per image, and the per-image terms `reconstruction`, `kl`, `negElbo` (each `[batch]`), as
   * `VAE.lossTerms` (Kingma & Welling 2014, eq. 10; Higgins et al. 2017 for beta != 1).
   *
   * @throws Error when x holds a NaN, an infinity or a value outside [0, 1].
   */
  lossTerms(x: tf.Tensor2D, { beta, seed }: { beta: number; seed: number }): { loss: tf.Scalar; terms: LossTerms } {
    checkPixels("ConvVAE.lossTerms", "x", x);
    const { mu, logVar } = this.encode(x);
    const z = reparameterize(mu, logVar, tf.randomNormal(mu.shape, 0, 1, "float32", seed));
    const logits = this.decoder.apply(z) as tf.Tensor2D;
    const { reconstruction, kl, negElbo } = negElboTerms(x, logits, mu, logVar);
    const loss = reconstruction.add(kl.mul(beta)).mean() as tf.Scalar;
    return { loss, terms: { reconstruction, kl, negElbo } };
  }

  trainableVariables(): tf.Variable[] {
    return variablesOf(this.encoder, this.decoder);
  }

  /** Number of trainable weights (encoder and decoder). */
  countParams(): number {
    return this.encoder.countParams() + this.decoder.countParams();
  }

  /** Release the weights. */
  dispose(): void {
    this.encoder.dispose();
    this.decoder.dispose();
  }
}

function conv(name: string, filters: number, strides: number, rng: Rng, activation: "relu" | "linear" = "relu"): tf.layers.Layer {
  return tf.layers.conv2d({ name, filters, kernelSize: 3, strides, padding: "same", activation, kernelInitializer: tf.initializers.glorotUniform({ seed: rng.nextSeed() }) });
}

function deconv(name: string, filters: number, strides: number, rng: Rng, activation: "relu" | "linear" = "relu"): tf.layers.Layer {
  return tf.layers.conv2dTranspose({ name, filters, kernelSize: 3, strides, padding: "same", activation, kernelInitializer: tf.initializers.glorotUniform({ seed: rng.nextSeed() }) });
}

function dense(name: string, units: number, rng: Rng, activation: "relu" | "linear" = "linear"): tf.layers.Layer {
  return tf.layers.dense({ name, units, activation, kernelInitializer: tf.initializers.glorotUniform({ seed: rng.nextSeed() }) });
}

/** x `[batch, 784]` -> two stride-2 convolutions -> mu, logVar `[batch, latentDim]`. */
function convEncoder({ filters, latentDim }: ResolvedConvConfig, rng: Rng): tf.LayersModel {
  const input = tf.input({ shape: [PIXELS], name: "x" });
  let h = tf.layers.reshape({ targetShape: [SIDE, SIDE, 1] }).apply(input) as tf.SymbolicTensor;
  h = conv("encoder_conv1", filters[0], 2, rng).apply(h) as tf.SymbolicTensor;
  h = conv("encoder_conv2", filters[1], 2, rng).apply(h) as tf.SymbolicTensor;
  h = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
  const mu = dense("encoder_mu", latentDim, rng).apply(h) as tf.SymbolicTensor;
  const logVar = dense("encoder_logvar", latentDim, rng).apply(h) as tf.SymbolicTensor;
  return tf.model({ name: "encoder", inputs: input, outputs: [mu, logVar] });
}

/** z `[batch, latentDim]` -> dense -> two stride-2 transposed convolutions -> logits `[batch, 784]`. */
function deconvDecoder({ filters, latentDim }: ResolvedConvConfig, rng: Rng): tf.LayersModel {
  const quarter = SIDE / 4;
  const input = tf.input({ shape: [latentDim], name: "z" });
  let h = dense("decoder_dense", quarter * quarter * filters[1], rng, "relu").apply(input) as tf.SymbolicTensor;
  h = tf.layers.reshape({ targetShape: [quarter, quarter, filters[1]] }).apply(h) as tf.SymbolicTensor;
  h = deconv("decoder_deconv1", filters[1], 2, rng).apply(h) as tf.SymbolicTensor;
  h = deconv("decoder_deconv2", filters[0], 2, rng).apply(h) as tf.SymbolicTensor;
  h = deconv("decoder_out", 1, 1, rng, "linear").apply(h) as tf.SymbolicTensor;
  const logits = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
  return tf.model({ name: "decoder", inputs: input, outputs: logits });
}

/** @throws Error naming the network when its input or output shapes differ from the expected ones. */
function checkShapes(name: string, model: tf.LayersModel, input: number[], outputs: number[][]): void {
  const shape = (s: (number | null)[]) => `[${s.slice(1).join(", ")}]`;
  const actual = `${model.inputs.map((t) => shape(t.shape)).join(", ")} -> ${model.outputs.map((t) => shape(t.shape)).join(", ")}`;
  const expected = `[${input.join(", ")}] -> ${outputs.map((o) => `[${o.join(", ")}]`).join(", ")}`;
  if (actual !== expected) throw new Error(`Error in ConvVAE: ${name} must map ${expected}, but got a network that maps ${actual}.`);
}
