import * as tf from "@tensorflow/tfjs";
import { Rng } from "../runtime/seed";
import { argumentError, describe } from "../runtime/checks";
import { checkSizes, mlp } from "./mlp";
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

/** @internal What a subclass tells `EncoderDecoder` about its encoder. */
export interface EncoderSpec {
  /** The class name, for error messages. */
  model: string;
  /** Widths of the encoder's outputs (one code, or mu and logVar). */
  outputs(config: ResolvedDenseConfig): number[];
  /** Whether the encoder must be a `tf.Sequential`. */
  sequential: boolean;
  /** A new encoder with seeded weights. */
  build(config: ResolvedDenseConfig, rng: Rng): tf.LayersModel;
}

/**
 * What the autoencoder and the VAE share: an encoder network, a dense decoder from codes to
 * Bernoulli logits over pixels, construction with seeded weights or around existing
 * networks, decoding to pixel probabilities, the trainable variables and `dispose`.
 */
export abstract class EncoderDecoder implements Trainable {
  readonly config: ResolvedDenseConfig;
  /** x `[batch, inputDim]` -> the encoder's outputs. */
  readonly encoder: tf.LayersModel;
  /** code z `[batch, latentDim]` -> logits `[batch, inputDim]`. */
  readonly decoder: tf.Sequential;
  /** Pixel values in [0, 1]: the decoder is Bernoulli, so `fit` and `evaluate` check that range. */
  readonly dataRange = "unit" as const;

  /**
   * @throws Error when a size in the configuration is not a positive integer, or `layers`
   *   do not fit the configuration (see `checkNetwork`).
   */
  protected constructor(spec: EncoderSpec, config: DenseConfig, layers?: { encoder: tf.LayersModel; decoder: tf.LayersModel }) {
    this.config = resolveDenseConfig(config);
    const { inputDim, hiddenSizes, latentDim, seed } = this.config;
    if (layers) {
      this.encoder = checkNetwork(spec.model, "encoder", layers.encoder, inputDim, spec.outputs(this.config), spec.sequential);
      this.decoder = checkNetwork(spec.model, "decoder", layers.decoder, latentDim, [inputDim], true) as tf.Sequential;
      return;
    }
    checkSizes(spec.model, "the layer sizes [inputDim, ...hiddenSizes, latentDim]", [inputDim, ...hiddenSizes, latentDim]);
    const rng = new Rng(seed);
    this.encoder = spec.build(this.config, rng);
    this.decoder = mlp("decoder", latentDim, [...hiddenSizes].reverse(), inputDim, rng);
  }

  /** Pixel probabilities decoded from codes: `[batch, latentDim]` -> `[batch, inputDim]`. */
  decode(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(this.decoder.apply(z) as tf.Tensor2D));
  }

  trainableVariables(): tf.Variable[] {
    return variablesOf(this.encoder, this.decoder);
  }

  abstract lossTerms(x: tf.Tensor2D, options: { beta: number; seed: number }): { loss: tf.Scalar; terms: LossTerms };

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
  if (!(model instanceof tf.LayersModel)) throw argumentError(fn, name, "a tf.LayersModel", describe(model));
  if (sequential && !(model instanceof tf.Sequential)) throw argumentError(fn, name, "a tf.Sequential", `a ${model.getClassName()}`);
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
    throw argumentError(fn, name, `a network that maps [, ${inputDim}] to ${wantOutputs}`, `a network that maps ${input} to ${outputs}`);
  }
  return model;
}
