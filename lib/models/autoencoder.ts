import * as tf from "@tensorflow/tfjs";
import { bernoulliLogLikelihood } from "../objectives/bernoulli";
import { Rng } from "../runtime/seed";
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

  /** @throws Error when a size in the configuration is not a positive integer. */
  constructor(config: DenseConfig = {}) {
    this.config = resolveDenseConfig(config);
    const { inputDim, hiddenSizes, latentDim, seed } = this.config;
    const rng = new Rng(seed);
    this.encoder = mlp("encoder", inputDim, hiddenSizes, latentDim, rng);
    this.decoder = mlp("decoder", latentDim, [...hiddenSizes].reverse(), inputDim, rng);
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
    const logits = this.decoder.apply(this.encoder.apply(x)) as tf.Tensor2D;
    const reconstruction = bernoulliLogLikelihood(x, logits).neg() as tf.Tensor1D;
    return { loss: reconstruction.mean(), terms: { reconstruction } };
  }

  /** Release the weights. */
  dispose(): void {
    this.encoder.dispose();
    this.decoder.dispose();
  }
}
