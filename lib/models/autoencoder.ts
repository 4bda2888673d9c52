import * as tf from "@tensorflow/tfjs";
import { checkPixels } from "../data/pixels";
import { bernoulliLogLikelihood } from "../objectives/bernoulli";
import { DenseConfig, EncoderDecoder, EncoderSpec } from "./encoder-decoder";
import { mlp } from "./mlp";
import { LossTerms } from "./trainable";

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
export class Autoencoder extends EncoderDecoder {
  /** x `[batch, inputDim]` -> code `[batch, latentDim]`. */
  declare readonly encoder: tf.Sequential;

  /**
   * A new autoencoder with seeded random weights, or (with `layers`) one around existing
   * networks, e.g. loaded from a checkpoint; see `Autoencoder.fromLayers`.
   *
   * @throws Error when a size in the configuration is not a positive integer, or `layers`
   *   do not fit the configuration.
   */
  constructor(config: DenseConfig = {}, layers?: { encoder: tf.LayersModel; decoder: tf.LayersModel }) {
    super(AUTOENCODER_ENCODER, config, layers);
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
    return this.encoder.apply(x) as tf.Tensor2D;
  }

  /** Reconstructions (pixel probabilities) of images, `[batch, inputDim]`. */
  reconstruct(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.decode(this.encode(x)));
  }

  /**
   * The autoencoder's loss for a batch x `[batch, inputDim]`: the mean over the batch of
   * `reconstruction` = -log p(x | code), nats per image. `fit` trains with a faster
   * computation of the same numbers (`lib/fast/`), checked against this one in the tests.
   *
   * @throws Error when x holds a NaN, an infinity or a value outside [0, 1], naming the
   *   value, its `[row, column]` and the usual cause (e.g. "divide by 255").
   */
  lossTerms(x: tf.Tensor2D): { loss: tf.Scalar; terms: LossTerms } {
    checkPixels("Autoencoder.lossTerms", "x", x);
    const logits = this.decoder.apply(this.encode(x)) as tf.Tensor2D;
    const reconstruction = bernoulliLogLikelihood(x, logits).neg() as tf.Tensor1D;
    return { loss: reconstruction.mean() as tf.Scalar, terms: { reconstruction } };
  }
}

const AUTOENCODER_ENCODER: EncoderSpec = {
  model: "Autoencoder",
  outputs: ({ latentDim }) => [latentDim],
  sequential: true,
  build: ({ inputDim, hiddenSizes, latentDim }, rng) => mlp("encoder", inputDim, hiddenSizes, latentDim, rng),
};
