import * as tf from "@tensorflow/tfjs";
import { bernoulliLogLikelihoodT } from "../objectives/bernoulli";
import { Rng } from "../runtime/seed";
import { denseChainT } from "./dense-forward";
import { mlp } from "./mlp";
import { LossTerms, Trainable, variablesOf } from "./trainable";

/** Architecture of a dense autoencoder or VAE. */
export interface DenseConfig {
  /** Pixels per image (default 784 = 28 x 28). */
  inputDim?: number;
  /** Hidden layer sizes of the encoder; the decoder mirrors them (default [400]). */
  hiddenSizes?: number[];
  /** Size of the code / latent vector z (default 20). */
  latentDim?: number;
  /** Seed of the weight initialization (default 0). */
  seed?: number;
}

/** A `DenseConfig` with every default filled in. */
export type ResolvedDenseConfig = Required<DenseConfig>;

/** Fill in the defaults of a `DenseConfig`. */
export function resolveDenseConfig(config: DenseConfig = {}): ResolvedDenseConfig {
  return { inputDim: 784, hiddenSizes: [400], latentDim: 20, seed: 0, ...config };
}

/**
 * A plain dense autoencoder: a deterministic encoder x -> code and a decoder
 * code -> Bernoulli logits over pixels, trained to reconstruct its input through the
 * bottleneck. Its loss is the reconstruction term alone, -log p(x | code) in nats (binary
 * cross-entropy summed over pixels), so its numbers compare directly with a VAE's.
 *
 * @example
 * const ae = new Autoencoder({ latentDim: 2 });
 * const codes = ae.encode(x);          // [batch, 2]
 * const images = ae.decode(codes);     // [batch, 784], pixel probabilities
 */
export class Autoencoder implements Trainable {
  readonly config: ResolvedDenseConfig;
  /** x `[batch, inputDim]` -> code `[batch, latentDim]`. */
  readonly encoder: tf.Sequential;
  /** code `[batch, latentDim]` -> logits `[batch, inputDim]`. */
  readonly decoder: tf.Sequential;

  /**
   * A new autoencoder with seeded random weights, or (with `layers`) one around existing
   * networks, e.g. loaded from a checkpoint; see `Autoencoder.fromLayers`.
   *
   * @throws Error when a size in the configuration is not a positive integer, or `layers`
   *   do not fit the configuration.
   */
  constructor(config: DenseConfig = {}, layers?: { encoder: tf.LayersModel; decoder: tf.LayersModel }) {
    this.config = resolveDenseConfig(config);
    const { inputDim, hiddenSizes, latentDim, seed } = this.config;
    if (layers) {
      this.encoder = checkNetwork("Autoencoder", "encoder", layers.encoder, inputDim, [latentDim], true) as tf.Sequential;
      this.decoder = checkNetwork("Autoencoder", "decoder", layers.decoder, latentDim, [inputDim], true) as tf.Sequential;
      return;
    }
    const rng = new Rng(seed);
    this.encoder = mlp("encoder", inputDim, hiddenSizes, latentDim, rng);
    this.decoder = mlp("decoder", latentDim, [...hiddenSizes].reverse(), inputDim, rng);
  }

  /**
   * An autoencoder around existing networks (no new weights are made), e.g. networks loaded
   * with `tf.loadLayersModel`. The model takes ownership: `dispose()` disposes them.
   *
   * @param config the architecture the networks have (its `seed` is only recorded).
   * @param encoder a `tf.Sequential`, `[batch, inputDim]` -> `[batch, latentDim]`.
   * @param decoder a `tf.Sequential`, `[batch, latentDim]` -> logits `[batch, inputDim]`.
   * @throws Error naming the network when it is not a `tf.Sequential` or its input or
   *   output width differs from the configuration.
   */
  static fromLayers(config: DenseConfig, encoder: tf.LayersModel, decoder: tf.LayersModel): Autoencoder {
    return new Autoencoder(config, { encoder, decoder });
  }

  /** Codes of images: `[batch, inputDim]` -> `[batch, latentDim]`. */
  encode(x: tf.Tensor2D): tf.Tensor2D {
    return this.encoder.predict(x) as tf.Tensor2D;
  }

  /** Pixel probabilities decoded from codes: `[batch, latentDim]` -> `[batch, inputDim]`. */
  decode(codes: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(this.decoder.predict(codes) as tf.Tensor2D));
  }

  /** Reconstructions (pixel probabilities) of images, `[batch, inputDim]`. */
  reconstruct(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.decode(this.encode(x)));
  }

  trainableVariables(): tf.Variable[] {
    return variablesOf(this.encoder, this.decoder);
  }

  /** Loss: mean over the batch of `reconstruction` = -log p(x | code), nats per image. */
  lossTerms(x: tf.Tensor2D): { loss: tf.Scalar; terms: LossTerms } {
    const xT = tf.transpose(x);
    const logitsT = denseChainT(xT, [...this.encoder.layers, ...this.decoder.layers]);
    const reconstruction = bernoulliLogLikelihoodT(xT, logitsT).neg() as tf.Tensor1D;
    return { loss: reconstruction.mean(), terms: { reconstruction } };
  }

  /** Release the weights. */
  dispose(): void {
    this.encoder.dispose();
    this.decoder.dispose();
  }
}

/**
 * @internal Check that a network maps `[batch, inputDim]` to outputs of widths `outputDims`
 * (and is a `tf.Sequential` when `sequential`); returns it.
 * @throws Error naming `fn`, the network, the expected and the actual shapes.
 */
export function checkNetwork(
  fn: string,
  name: string,
  model: tf.LayersModel,
  inputDim: number,
  outputDims: number[],
  sequential: boolean,
): tf.LayersModel {
  if (!(model instanceof tf.LayersModel)) throw new Error(`${fn}: ${name} must be a tf.LayersModel, but got ${String(model)}.`);
  if (sequential && !(model instanceof tf.Sequential)) {
    throw new Error(`${fn}: ${name} must be a tf.Sequential, but got a ${model.getClassName()}.`);
  }
  const input = model.inputs.map((t) => `[${t.shape.join(", ")}]`).join(", ");
  const outputs = model.outputs.map((t) => `[${t.shape.join(", ")}]`).join(", ");
  const wantOutputs = outputDims.map((d) => `[, ${d}]`).join(", ");
  const ok =
    model.inputs.length === 1 &&
    model.inputs[0].shape.length === 2 &&
    model.inputs[0].shape[1] === inputDim &&
    model.outputs.length === outputDims.length &&
    model.outputs.every((t, i) => t.shape.length === 2 && t.shape[1] === outputDims[i]);
  if (!ok) {
    throw new Error(`${fn}: ${name} must map [, ${inputDim}] to ${wantOutputs}, but maps ${input} to ${outputs}.`);
  }
  return model;
}
