import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { Classifier } from "../models/classifier";
import { firstNonFiniteVariable } from "../models/trainable";
import { VAE } from "../models/vae";
import { argumentError } from "../runtime/checks";
import type { EpochRecord } from "../train/fit";
import { replaceFolder, stagingFolders, writeJsonAtomically } from "./atomic";
import type { FileDigest } from "./checksum";
import { saveLayersModelToDir } from "./fs-io";
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_FORMAT_VERSION,
  CheckpointManifest,
  DataInfo,
  MANIFEST_JSON,
  TestMetrics,
  TrainingInfo,
} from "./manifest";
import { configOf, ModelKind, modelKind, SavedModel } from "./model-kinds";
import { saveOptimizerToDir } from "./optimizer-state";
import { libraryVersion } from "./version";

/** What `saveCheckpoint` records besides the weights; every field is optional. */
export interface SaveCheckpointOptions {
  /** Short name for the manifest, e.g. `"vae-20d"`. */
  name?: string;
  /** One line saying what the model is for. */
  description?: string;
  /** The completed epochs (default none); the last record's `test` terms become the test metrics. */
  history?: EpochRecord[];
  /** The training data (see `describeData`). */
  data?: DataInfo;
  /** Training settings; `epochs` is taken from `history`. */
  training?: Omit<TrainingInfo, "epochs" | "optimizer" | "plannedEpochs"> & { plannedEpochs?: number };
  /** Test metrics; default from the last history record when `data` and `training` are given. */
  metrics?: TestMetrics | null;
  /** An Adam optimizer whose state to save too, so that training can resume exactly. */
  optimizer?: tf.Optimizer;
}

/**
 * Save a model as a checkpoint folder `dir`: `encoder/` and `decoder/` (a classifier:
 * `classifier/`) in the TensorFlow.js layers format (`model.json` + `weights.bin`, loadable
 * in a browser with `tf.loadLayersModel`), optionally `optimizer/`, and last `manifest.json`
 * (see `CheckpointManifest`) with the size and SHA-256 of every file.
 *
 * Crash-safe: everything is written (each file atomically, manifest last) into the sibling
 * folder `<dir>.partial`, which then replaces `dir` by renames (`replaceFolder`). If the
 * process dies at any point, either `dir` still holds the previous checkpoint or the new
 * one, or (between the two renames) `dir` is missing and `loadCheckpoint` finds the
 * complete checkpoint next to it.
 *
 * @param dir the checkpoint folder; created or replaced, parents created.
 * @param model an `Autoencoder`, a `VAE`, a `Classifier` (whose history comes from
 *   `trainClassifier`; its test metrics are then `crossEntropy` and `accuracy`) or a
 *   `ConvVAE` (see `ModelKind`).
 * @returns the manifest written.
 * @throws Error when `model` is none of these, when a weight is NaN or infinite (no checkpoint of
 *   a diverged model is written; `dir` is left as it was), or from the file system (the
 *   partial folder is removed; `dir` is left as it was).
 *
 * @example
 * await saveCheckpoint("runs/vae/checkpoint", vae, { history, data: describeData(data), training: { batchSize: 128, learningRate: 1e-3, beta: 1, seed: 1 } });
 */
export async function saveCheckpoint(dir: string, model: SavedModel, options: SaveCheckpointOptions = {}): Promise<CheckpointManifest> {
  const kind = modelKind(model, "saveCheckpoint");
  checkFiniteWeights("saveCheckpoint", model);
  const { partial } = stagingFolders(dir);
  fs.rmSync(partial, { recursive: true, force: true });
  try {
    const files: Record<string, FileDigest> = {};
    for (const [folder, network] of Object.entries(networksOf(model))) {
      await addFiles(files, folder, saveLayersModelToDir(network, path.join(partial, folder)));
    }
    if (options.optimizer) await addFiles(files, "optimizer", saveOptimizerToDir(options.optimizer, path.join(partial, "optimizer")));
    const manifest = buildManifest(kind, model, options, files);
    await writeJsonAtomically(path.join(partial, MANIFEST_JSON), manifest);
    replaceFolder(partial, dir);
    return manifest;
  } catch (err) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw err;
  }
}

/** The networks of a model by checkpoint folder: `encoder` and `decoder`, or `classifier`. */
function networksOf(model: SavedModel): Record<string, tf.LayersModel> {
  return model instanceof Classifier ? { classifier: model.network } : { encoder: model.encoder, decoder: model.decoder };
}

/** @throws Error in the kit's form naming the first weight tensor with a NaN or an infinity. */
function checkFiniteWeights(fn: string, model: SavedModel): void {
  const variables = model.trainableVariables();
  const bad = firstNonFiniteVariable(variables);
  if (bad >= 0) throw argumentError(fn, "model", "a model with finite weights", `NaN or infinite values in ${variables[bad].name}`);
}

async function addFiles(files: Record<string, FileDigest>, folder: string, written: Promise<Record<string, FileDigest>>): Promise<void> {
  for (const [name, digest] of Object.entries(await written)) files[`${folder}/${name}`] = digest;
}

function buildManifest(
  kind: ModelKind,
  model: SavedModel,
  options: SaveCheckpointOptions,
  files: Record<string, FileDigest>,
): CheckpointManifest {
  const history = options.history ?? [];
  const t = options.training;
  const training: TrainingInfo | null = t
    ? {
        epochs: history.length,
        plannedEpochs: t.plannedEpochs ?? history.length,
        batchSize: t.batchSize,
        learningRate: t.learningRate,
        beta: t.beta,
        seed: t.seed,
        warmupEpochs: t.warmupEpochs ?? 0,
        freeBits: t.freeBits ?? 0,
        optimizer: "adam",
      }
    : null;
  return {
    format: CHECKPOINT_FORMAT,
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    kind,
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.description !== undefined ? { description: options.description } : {}),
    config: configOf(model),
    ...(model instanceof VAE ? { likelihood: model.likelihoodWithValues() } : {}),
    data: options.data ?? null,
    training,
    metrics: options.metrics !== undefined ? options.metrics : defaultMetrics(history, options.data, training),
    history,
    library: libraryVersion(),
    created: new Date().toISOString(),
    files,
  };
}

/** The last epoch's test terms, which `fit` computed with `evaluate(model, test, { seed, beta })`. */
function defaultMetrics(history: EpochRecord[], data: DataInfo | undefined, training: TrainingInfo | null): TestMetrics | null {
  const last = history[history.length - 1];
  if (!last?.test || !data || !training) return null;
  return { test: { ...last.test }, seed: training.seed, beta: training.beta, images: data.test, binarize: data.binarize };
}
