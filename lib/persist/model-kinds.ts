import * as tf from "@tensorflow/tfjs";
import { Autoencoder } from "../models/autoencoder";
import { Classifier, ResolvedClassifierConfig } from "../models/classifier";
import { ConditionalVAE, ResolvedCvaeConfig } from "../models/conditional-vae";
import { ConvVAE, ResolvedConvConfig } from "../models/conv-vae";
import type { ResolvedDenseConfig } from "../models/encoder-decoder";
import type { LikelihoodConfig } from "../models/likelihood";
import { VAE } from "../models/vae";
import { argumentError, describe } from "../runtime/checks";

/**
 * What a checkpoint knows about each model class it can hold: the kind's name in the
 * manifest, the shape of its configuration, the layer sizes its networks have, and how to
 * wrap loaded networks into the class again.
 */

/** Which model class a checkpoint holds. */
export type ModelKind = "autoencoder" | "vae" | "classifier" | "conv-vae" | "cvae";

/** Every kind, in the order error messages list them. */
export const MODEL_KINDS: readonly ModelKind[] = ["autoencoder", "vae", "classifier", "conv-vae", "cvae"];

/** The models a checkpoint can hold. */
export type SavedModel = Autoencoder | VAE | Classifier | ConvVAE | ConditionalVAE;

/** The kinds whose checkpoints hold an encoder and a decoder (all but the classifier). */
export type LatentKind = Exclude<ModelKind, "classifier">;

/** The models `loadCheckpoint` gives without a `kind` (a classifier or a conditional VAE needs its kind named). */
export type LatentModel = Autoencoder | VAE | ConvVAE;

/** The models with an encoder and a decoder. */
export type EncoderDecoderModel = LatentModel | ConditionalVAE;

/** The kinds `loadCheckpoint` loads only when asked for by name. */
export const NAMED_ONLY_KINDS: readonly ModelKind[] = ["classifier", "cvae"];

/** The model class of each kind. */
export interface ModelOfKind {
  autoencoder: Autoencoder;
  vae: VAE;
  classifier: Classifier;
  "conv-vae": ConvVAE;
  cvae: ConditionalVAE;
}

/** A checkpoint's architecture: dense (autoencoder, VAE; a conditional VAE's adds `classes`), a classifier's or a conv VAE's. */
export type ModelConfig = ResolvedDenseConfig | ResolvedCvaeConfig | ResolvedClassifierConfig | ResolvedConvConfig;

/** The kind of a model. @throws Error naming `fn` for a model no checkpoint can hold. */
export function modelKind(model: unknown, fn: string): ModelKind {
  if (model instanceof VAE) return "vae";
  if (model instanceof Autoencoder) return "autoencoder";
  if (model instanceof Classifier) return "classifier";
  if (model instanceof ConvVAE) return "conv-vae";
  if (model instanceof ConditionalVAE) return "cvae";
  throw argumentError(fn, "model", "an Autoencoder, a VAE, a Classifier, a ConvVAE or a ConditionalVAE", describe(model));
}

/** "a vae" / "an autoencoder" / "a classifier" / "a conv-vae". */
export function withArticle(kind: ModelKind): string {
  return `${kind === "autoencoder" ? "an" : "a"} ${kind}`;
}

/** The configuration as plain JSON data (a copy), for the manifest. */
export function configOf(model: SavedModel): ModelConfig {
  return JSON.parse(JSON.stringify(model.config)) as ModelConfig;
}

/**
 * Why `config` is not a configuration of `kind`, or undefined when it is one.
 * Dense kinds: integer `inputDim`, `latentDim`, `seed` and an array `hiddenSizes`; a
 * classifier: integer `inputDim`, `classes`, `seed` and an array `hiddenSizes`; a conv VAE:
 * two integer `filters`, integer `latentDim` and `seed`; a conditional VAE: a dense
 * configuration and integer `classes`.
 */
export function configProblem(kind: ModelKind, config: unknown): string | undefined {
  const c = config as Record<string, unknown> | null;
  const integer = (v: unknown) => Number.isInteger(v);
  if (kind === "conv-vae") {
    const ok = !!c && Array.isArray(c.filters) && c.filters.length === 2 && c.filters.every(integer) && integer(c.latentDim) && integer(c.seed);
    return ok ? undefined : `config must have two integer filters and integer latentDim and seed, but is ${JSON.stringify(c)}.`;
  }
  const sizes = kind === "classifier" ? ["inputDim", "classes", "seed"] : kind === "cvae" ? ["inputDim", "latentDim", "classes", "seed"] : ["inputDim", "latentDim", "seed"];
  const ok = !!c && sizes.every((key) => integer(c[key])) && Array.isArray(c.hiddenSizes);
  return ok ? undefined : `config must have integer ${sizes.join(", ")} and an array hiddenSizes, but is ${JSON.stringify(c)}.`;
}

/** The configuration in words, e.g. "with inputDim 784, hiddenSizes [400], latentDim 20" or "with filters [16, 32], latentDim 20". */
export function describeConfig(kind: LatentKind, config: ModelConfig): string {
  if (kind === "conv-vae") {
    const c = config as ResolvedConvConfig;
    return `with filters [${c.filters.join(", ")}], latentDim ${c.latentDim}`;
  }
  const c = config as ResolvedDenseConfig;
  const classes = kind === "cvae" ? `, classes ${(config as ResolvedCvaeConfig).classes}` : "";
  return `with inputDim ${c.inputDim}, hiddenSizes [${c.hiddenSizes.join(", ")}], latentDim ${c.latentDim}${classes}`;
}

/** The layer sizes in one line, e.g. "784-400-20" or "conv filters 16-32, latent 20" (an encoder's, which the decoder mirrors; a classifier's). */
export function describeArchitecture(kind: ModelKind, config: ModelConfig): string {
  if (kind === "conv-vae") {
    const c = config as ResolvedConvConfig;
    return `conv filters ${c.filters.join("-")}, latent ${c.latentDim}`;
  }
  if (kind === "classifier") {
    const c = config as ResolvedClassifierConfig;
    return [c.inputDim, ...c.hiddenSizes, c.classes].join("-");
  }
  const c = config as ResolvedDenseConfig;
  const input = kind === "cvae" ? `${c.inputDim}+${(config as ResolvedCvaeConfig).classes}` : c.inputDim;
  return [input, ...c.hiddenSizes, c.latentDim].join("-");
}

/** The sizes `layerSizes` gives for the encoder and decoder of a model of this kind and configuration. */
export function expectedLayerSizes(kind: LatentKind, config: ModelConfig): { encoder: number[]; decoder: number[] } {
  if (kind === "conv-vae") {
    const { filters, latentDim } = config as ResolvedConvConfig;
    return { encoder: [784, ...filters, latentDim, latentDim], decoder: [latentDim, 7 * 7 * filters[1], filters[1], filters[0], 1] };
  }
  const { inputDim, hiddenSizes, latentDim } = config as ResolvedDenseConfig;
  const heads = kind === "autoencoder" ? [latentDim] : [latentDim, latentDim];
  return { encoder: [inputDim, ...hiddenSizes, ...heads], decoder: [latentDim, ...[...hiddenSizes].reverse(), inputDim] };
}

/** Number of encoder outputs of a kind: the code, or mu and logVar. */
export function encoderOutputs(kind: LatentKind): number {
  return kind === "autoencoder" ? 1 : 2;
}

/** The model of `kind` around loaded networks (checked by `checkArchitecture` before). */
export function wrapNetworks(
  kind: LatentKind,
  config: ModelConfig,
  likelihood: LikelihoodConfig | undefined,
  nets: { encoder: tf.LayersModel; decoder: tf.LayersModel },
): EncoderDecoderModel {
  if (kind === "conv-vae") return new ConvVAE(config as ResolvedConvConfig, nets);
  if (kind === "cvae") return new ConditionalVAE(config as ResolvedCvaeConfig, nets);
  const dense = config as ResolvedDenseConfig;
  return kind === "vae" ? VAE.fromLayers({ ...dense, likelihood }, nets.encoder, nets.decoder) : Autoencoder.fromLayers(dense, nets.encoder, nets.decoder);
}
