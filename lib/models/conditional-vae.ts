import * as tf from "@tensorflow/tfjs";
import { checkPixels } from "../data/pixels";
import { negElboTerms } from "../objectives/elbo";
import { reparameterize } from "../objectives/gaussian";
import { argumentError, describe } from "../runtime/checks";
import { Rng } from "../runtime/seed";
import { DenseConfig, resolveDenseConfig, ResolvedDenseConfig } from "./encoder-decoder";
import { checkSizes, denseLayer } from "./mlp";
import { LossTerms, Trainable, variablesOf } from "./trainable";
import { Posterior } from "./vae";

/** Architecture of a `ConditionalVAE`: a dense one, and the number of classes of the label. */
export interface CvaeConfig extends DenseConfig {
  /** Number of classes y can take (default 10, the digits). */
  classes?: number;
}

/** A `CvaeConfig` with every default filled in. */
export type ResolvedCvaeConfig = ResolvedDenseConfig & { classes: number };

/** Labels of a batch: one class index per row (`Int32Array`, number array), or one class for every row. */
export type Labels = ArrayLike<number> | number;

/**
 * A conditional VAE (Sohn, Lee & Yan, "Learning Structured Output Representation using Deep
 * Conditional Generative Models", NeurIPS 2015, section 4; the "M2"-style conditioning of
 * Kingma et al. 2014 without the classifier): the encoder q(z | x, y) and the decoder
 * p(x | z, y) both see the label y as a one-hot vector concatenated to their input, and the
 * prior stays p(z) = N(0, I). The ELBO of log p(x | y) is
 *
 *   log p(x | y) >= E_q(z|x,y)[log p(x | z, y)] - KL(q(z | x, y) || p(z)),
 *
 * the VAE's (Kingma & Welling 2014, eq. 3) with y added to every conditional. Because the
 * decoder is told the class, z need not encode it: z keeps what the label does not say
 * (slant, stroke width, style), so one z decoded under ten labels draws ten digits in
 * one style.
 *
 * - encoder: [x `[batch, inputDim]`, y `[batch, classes]`] -> concatenate -> dense ReLU
 *   `hiddenSizes` -> two linear heads mu, logVar `[batch, latentDim]`;
 * - decoder: [z `[batch, latentDim]`, y `[batch, classes]`] -> concatenate -> dense ReLU
 *   `hiddenSizes` reversed -> Bernoulli logits `[batch, inputDim]`.
 *
 * `fit` and `evaluate` pass each batch's labels to `lossTerms` (`options.labels`).
 *
 * @example
 * const cvae = new ConditionalVAE({ hiddenSizes: [256], latentDim: 20, seed: 1 });
 * const sevens = cvae.sample(16, 7, 3);                 // [16, 784]: z ~ N(0, I), y = 7
 * const z = tf.randomNormal([1, 20]).tile([10, 1]);
 * const digits = cvae.decode(z, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]); // one style, ten classes
 */
export class ConditionalVAE implements Trainable {
  readonly config: ResolvedCvaeConfig;
  /** [x `[batch, inputDim]`, y `[batch, classes]`] -> [mu, logVar], each `[batch, latentDim]`. */
  readonly encoder: tf.LayersModel;
  /** [z `[batch, latentDim]`, y `[batch, classes]`] -> logits `[batch, inputDim]`. */
  readonly decoder: tf.LayersModel;
  /** Pixel values in [0, 1]: the decoder is Bernoulli. */
  readonly dataRange = "unit" as const;

  /**
   * A new conditional VAE with seeded weights, or (with `layers`) one around existing
   * networks, e.g. loaded from a checkpoint; the model then owns them.
   *
   * @throws Error when a size is not a positive integer, `classes` < 2, or `layers` map
   *   other shapes than the configuration's (naming the network, expected and actual shapes).
   */
  constructor(config: CvaeConfig = {}, layers?: { encoder: tf.LayersModel; decoder: tf.LayersModel }) {
    const { classes = 10, ...dense } = config;
    this.config = { ...resolveDenseConfig(dense), classes };
    const { inputDim, hiddenSizes, latentDim, seed } = this.config;
    checkSizes("ConditionalVAE", "the layer sizes [inputDim, ...hiddenSizes, latentDim, classes]", [inputDim, ...hiddenSizes, latentDim, classes]);
    if (classes < 2) throw argumentError("ConditionalVAE", "config.classes", "an integer >= 2", describe(classes));
    if (layers) {
      checkInputs("encoder", layers.encoder, [inputDim, classes]);
      checkInputs("decoder", layers.decoder, [latentDim, classes]);
      this.encoder = layers.encoder;
      this.decoder = layers.decoder;
      return;
    }
    const rng = new Rng(seed);
    this.encoder = conditionalEncoder(this.config, rng);
    this.decoder = conditionalDecoder(this.config, rng);
  }

  /**
   * One-hot label vectors `[n, classes]` float32.
   * @throws Error when a label is not an integer in [0, classes) or their number is not `n`.
   */
  oneHot(labels: Labels, n: number, fn = "ConditionalVAE"): tf.Tensor2D {
    const { classes } = this.config;
    const values = typeof labels === "number" ? new Array<number>(n).fill(labels) : Array.from(labels);
    if (values.length !== n) throw argumentError(fn, "labels", `${n} labels, one per row`, `${values.length}`);
    const bad = values.findIndex((v) => !Number.isInteger(v) || v < 0 || v >= classes);
    if (bad >= 0) throw argumentError(fn, "labels", `integers in [0, ${classes - 1}]`, `${describe(values[bad])} at position ${bad}`);
    return tf.tidy(() => tf.oneHot(tf.tensor1d(values, "int32"), classes).toFloat() as tf.Tensor2D);
  }

  /** Parameters of q(z | x, y): x `[batch, inputDim]` and labels -> mu, logVar `[batch, latentDim]`. */
  encode(x: tf.Tensor2D, labels: Labels): Posterior {
    return tf.tidy(() => {
      const [mu, logVar] = this.encoder.apply([x, this.oneHot(labels, x.shape[0], "ConditionalVAE.encode")]) as tf.Tensor2D[];
      return { mu, logVar };
    });
  }

  /** Pixel probabilities of p(x | z, y): z `[batch, latentDim]` and labels -> `[batch, inputDim]`. */
  decode(z: tf.Tensor2D, labels: Labels): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(this.decoder.apply([z, this.oneHot(labels, z.shape[0], "ConditionalVAE.decode")]) as tf.Tensor2D));
  }

  /** Reconstructions `[batch, inputDim]`: decoded (with the same labels) from the posterior mean, or a sample with `seed`. */
  reconstruct(x: tf.Tensor2D, labels: Labels, seed?: number): tf.Tensor2D {
    return tf.tidy(() => {
      const { mu, logVar } = this.encode(x, labels);
      const z = seed === undefined ? mu : (reparameterize(mu, logVar, tf.randomNormal(mu.shape, 0, 1, "float32", seed)) as tf.Tensor2D);
      return this.decode(z, labels);
    });
  }

  /**
   * `n` new images `[n, inputDim]` of the asked classes: z ~ N(0, I) (seeded), then the
   * pixel probabilities of p(x | z, y).
   * @param labels one class for all, or one per image.
   */
  sample(n: number, labels: Labels, seed?: number): tf.Tensor2D {
    return tf.tidy(() => this.decode(tf.randomNormal([n, this.config.latentDim], 0, 1, "float32", seed), labels));
  }

  /**
   * The beta-weighted negative conditional ELBO of a batch, -log p(x | z, y) + beta KL(q(z | x, y) || p(z)),
   * mean over the batch in nats per image, with the per-image terms `reconstruction`, `kl`,
   * `negElbo` (each `[batch]`), as `VAE.lossTerms` with the label added (Sohn et al. 2015, eq. 4).
   *
   * @param options.labels the digit labels of the rows of x, `[batch]` (required).
   * @throws Error when `labels` is missing or not one valid class per row, or x holds a NaN,
   *   an infinity or a value outside [0, 1].
   */
  lossTerms(x: tf.Tensor2D, { beta, seed, labels }: { beta: number; seed: number; labels?: Int32Array }): { loss: tf.Scalar; terms: LossTerms } {
    checkPixels("ConditionalVAE.lossTerms", "x", x);
    if (labels === undefined) throw argumentError("ConditionalVAE.lossTerms", "options.labels", "the digit labels of the batch (fit and evaluate pass them)", "undefined");
    const y = this.oneHot(labels, x.shape[0], "ConditionalVAE.lossTerms");
    const [mu, logVar] = this.encoder.apply([x, y]) as tf.Tensor2D[]; //  q(z | x, y)
    const z = reparameterize(mu, logVar, tf.randomNormal(mu.shape, 0, 1, "float32", seed));
    const logits = this.decoder.apply([z, y]) as tf.Tensor2D; //          p(x | z, y)
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

/** A dense ReLU trunk over the concatenation of the given inputs. */
function trunk(inputs: tf.SymbolicTensor[], sizes: number[], prefix: string, rng: Rng): tf.SymbolicTensor {
  let h = tf.layers.concatenate({ name: `${prefix}_concat` }).apply(inputs) as tf.SymbolicTensor;
  sizes.forEach((units, i) => {
    h = denseLayer(`${prefix}_dense${i + 1}`, units, "relu", rng).apply(h) as tf.SymbolicTensor;
  });
  return h;
}

/** [x, y] -> concatenate -> dense trunk -> mu, logVar. */
function conditionalEncoder({ inputDim, hiddenSizes, latentDim, classes }: ResolvedCvaeConfig, rng: Rng): tf.LayersModel {
  const x = tf.input({ shape: [inputDim], name: "x" });
  const y = tf.input({ shape: [classes], name: "y" });
  const h = trunk([x, y], hiddenSizes, "encoder", rng);
  const mu = denseLayer("encoder_mu", latentDim, "linear", rng).apply(h) as tf.SymbolicTensor;
  const logVar = denseLayer("encoder_logvar", latentDim, "linear", rng).apply(h) as tf.SymbolicTensor;
  return tf.model({ name: "encoder", inputs: [x, y], outputs: [mu, logVar] });
}

/** [z, y] -> concatenate -> dense trunk (mirrored) -> logits. */
function conditionalDecoder({ inputDim, hiddenSizes, latentDim, classes }: ResolvedCvaeConfig, rng: Rng): tf.LayersModel {
  const z = tf.input({ shape: [latentDim], name: "z" });
  const y = tf.input({ shape: [classes], name: "y" });
  const h = trunk([z, y], [...hiddenSizes].reverse(), "decoder", rng);
  const logits = denseLayer("decoder_out", inputDim, "linear", rng).apply(h) as tf.SymbolicTensor;
  return tf.model({ name: "decoder", inputs: [z, y], outputs: logits });
}

/** @throws Error naming the network when it does not take exactly these two input widths. */
function checkInputs(name: string, model: tf.LayersModel, widths: [number, number]): void {
  if (!(model instanceof tf.LayersModel)) throw argumentError("ConditionalVAE", name, "a tf.LayersModel", describe(model));
  const got = model.inputs.map((t) => `[, ${t.shape.slice(1).join(", ")}]`).join(" and ");
  const ok = model.inputs.length === 2 && model.inputs.every((t, i) => t.shape.length === 2 && t.shape[1] === widths[i]);
  if (!ok) throw argumentError("ConditionalVAE", name, `a network with the inputs [, ${widths[0]}] and [, ${widths[1]}]`, `one with ${got}`);
}
