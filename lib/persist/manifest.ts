import * as fs from "fs";
import * as path from "path";
import type { Binarize } from "../data/mnist";
import type { ResolvedDenseConfig } from "../models/encoder-decoder";
import { LikelihoodConfig, resolveLikelihood } from "../models/likelihood";
import { configProblem, MODEL_KINDS, ModelConfig, ModelKind, withArticle } from "./model-kinds";
import type { TermMeans } from "../train/evaluate";
import type { EpochRecord } from "../train/fit";
import type { FileDigest } from "./checksum";
import type { LibraryVersion } from "./version";

/**
 * The manifest of a checkpoint folder, `manifest.json`: what the model is, how it was
 * trained and on what, how well it does on the test split, and the size and SHA-256 of every
 * other file in the folder. It is written last, so a folder without a valid manifest is
 * never taken for a checkpoint.
 *
 * A checkpoint folder:
 * ```
 * manifest.json
 * encoder/model.json  encoder/weights.bin    TensorFlow.js layers format
 * decoder/model.json  decoder/weights.bin
 * optimizer/optimizer.json  optimizer/weights.bin   (optional: Adam state, for resuming)
 * ```
 * A classifier's folder holds `classifier/model.json  classifier/weights.bin` instead of
 * the encoder and decoder.
 */

/** File name of the manifest in a checkpoint folder. */
export const MANIFEST_JSON = "manifest.json";
/** Value of `format` in every checkpoint manifest. */
export const CHECKPOINT_FORMAT = "vae-kit-checkpoint";
/** The manifest layout version this code writes and reads. */
export const CHECKPOINT_FORMAT_VERSION = 1;

export type { ModelConfig, ModelKind } from "./model-kinds";

/** The data a model was trained on. */
export interface DataInfo {
  /** Name of the data set, e.g. `"mnist"`. */
  dataset: string;
  /** Pixel binarization of both splits (see `Binarize`). */
  binarize: Binarize;
  /** Number of training images: the first `train` of the data set's training split. */
  train: number;
  /** Number of test images: the first `test` of the test split; 0 when none was used. */
  test: number;
}

/** How a model was trained. */
export interface TrainingInfo {
  /** Epochs completed (the length of `history`). */
  epochs: number;
  /** Epochs the run was started for (`epochs` < `plannedEpochs` when it was stopped). */
  plannedEpochs: number;
  /** Images per gradient step. */
  batchSize: number;
  /** Adam step size. */
  learningRate: number;
  /** Weight of the KL term (1 for a plain VAE; unused by an autoencoder or a classifier). */
  beta: number;
  /** Seed of shuffling, sampling noise and dynamic binarization (`fit`'s `seed`). */
  seed: number;
  /** Epochs of linear KL warm-up (`fit`'s `warmupEpochs`); absent in older checkpoints: 0. */
  warmupEpochs?: number;
  /** Free nats per latent dimension (`fit`'s `freeBits`); absent in older checkpoints: 0. */
  freeBits?: number;
  /** Always `"adam"`. */
  optimizer: "adam";
}

/** Test metrics of the saved weights, and how to reproduce them. */
export interface TestMetrics {
  /** Mean loss terms over the test split, nats per image (e.g. `negElbo`, `reconstruction`, `kl`);
   *  for a classifier `crossEntropy` (nats per image) and `accuracy` (fraction in [0, 1]). */
  test: TermMeans;
  /** Reproduce with `evaluate(model, test, { seed, beta })` on the test split of `data`
   *  (a classifier: `classifierMetrics(model, test)`). */
  seed: number;
  /** KL weight passed to `evaluate` (does not change the terms). */
  beta: number;
  /** Number of test images evaluated. */
  images: number;
  /** Binarization of the test images. */
  binarize: Binarize;
}

/** Contents of `manifest.json`. */
export interface CheckpointManifest {
  format: typeof CHECKPOINT_FORMAT;
  formatVersion: typeof CHECKPOINT_FORMAT_VERSION;
/** `"autoencoder"`, `"vae"`, `"classifier"` or `"conv-vae"` (see `ModelKind`). */
  kind: ModelKind;
  /** Short name, e.g. `"vae-20d"` (optional). */
  name?: string;
  /** One line saying what the model is for (optional). */
  description?: string;
  /** The architecture, every default filled in (a `ResolvedConvConfig` for a conv VAE); `config.seed` seeded the initial weights. */
  config: ModelConfig;
  /** A VAE's decoder distribution, with the values of a learned log sigma (absent: Bernoulli). */
  likelihood?: LikelihoodConfig;
  /** Training data, or null when not recorded. */
  data: DataInfo | null;
  /** Training settings, or null when not recorded. */
  training: TrainingInfo | null;
  /** Test metrics of these weights, or null when there was no test split. */
  metrics: TestMetrics | null;
  /** One record per completed epoch, as returned by `fit`. */
  history: EpochRecord[];
  /** The library that wrote the checkpoint. */
  library: LibraryVersion;
  /** When the checkpoint was written, ISO 8601 (UTC). */
  created: string;
  /** Size and SHA-256 of every file of the checkpoint except the manifest, keyed by path
   *  relative to the folder with "/" separators, e.g. `"encoder/weights.bin"`. */
  files: Record<string, FileDigest>;
}

/**
 * The dense architecture of an autoencoder's or a VAE's manifest.
 * @throws Error naming `fn` when the manifest holds a classifier.
 */
export function denseConfig(manifest: CheckpointManifest, fn: string): ResolvedDenseConfig {
  if (manifest.kind !== "autoencoder" && manifest.kind !== "vae") throw new Error(`${fn}: the checkpoint holds ${withArticle(manifest.kind)}, not an autoencoder or a VAE.`);
  return manifest.config as ResolvedDenseConfig;
}

/**
 * Read and check the manifest of the checkpoint folder `dir`.
 *
 * @throws Error naming the file when it is missing ("not a checkpoint"), not valid JSON,
 *   of another format or version, or lacks a required field.
 */
export function readManifest(dir: string, fn = "loadCheckpoint"): CheckpointManifest {
  const file = path.join(dir, MANIFEST_JSON);
  if (!fs.existsSync(file)) {
    throw new Error(`${fn}: ${dir} is not a checkpoint: ${file} is missing (a save that did not finish leaves no manifest).`);
  }
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`${fn}: ${file} is not valid JSON (truncated or corrupted?): ${(err as Error).message}`);
  }
  return checkManifest(value, file, fn);
}

/**
 * Check that a parsed value is a manifest this code can read.
 * @throws Error naming `file` and the first field that is wrong.
 */
export function checkManifest(value: unknown, file: string, fn = "loadCheckpoint"): CheckpointManifest {
  const m = value as Partial<CheckpointManifest> | null;
  const fail = (what: string): never => {
    throw new Error(`${fn}: ${file}: ${what}`);
  };
  if (!m || typeof m !== "object") return fail("must hold a JSON object.");
  if (m.format !== CHECKPOINT_FORMAT) fail(`format must be "${CHECKPOINT_FORMAT}", but is ${JSON.stringify(m.format)}.`);
  if (m.formatVersion !== CHECKPOINT_FORMAT_VERSION) {
    fail(`formatVersion ${JSON.stringify(m.formatVersion)} is not supported (this library reads ${CHECKPOINT_FORMAT_VERSION}).`);
  }
  if (!MODEL_KINDS.includes(m.kind as ModelKind)) fail(`kind must be one of ${MODEL_KINDS.map((k) => `"${k}"`).join(", ")}, but is ${JSON.stringify(m.kind)}.`);
  const c = m.config;
  const problem = configProblem(m.kind as ModelKind, c);
  if (problem !== undefined) fail(problem);
  if (m.likelihood !== undefined) {
    try {
      resolveLikelihood(fn, m.likelihood, (c as ResolvedDenseConfig).inputDim);
    } catch (err) {
      fail(`likelihood ${JSON.stringify(m.likelihood).slice(0, 120)} is not valid: ${(err as Error).message}`);
    }
  }
  if (!m.files || typeof m.files !== "object") fail("files must map file paths to { bytes, sha256 }.");
  for (const [name, d] of Object.entries(m.files as Record<string, FileDigest>)) {
    if (!d || !Number.isInteger(d.bytes) || typeof d.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(d.sha256)) {
      fail(`files["${name}"] must be { bytes: integer, sha256: 64 hex digits }, but is ${JSON.stringify(d)}.`);
    }
  }
  if (!Array.isArray(m.history)) fail("history must be an array of epoch records.");
  return m as CheckpointManifest;
}
