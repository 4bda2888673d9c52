import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { Classifier, ResolvedClassifierConfig } from "../models/classifier";
import { recoverableFolder } from "./atomic";
import { loadLayersModelFromDir } from "./fs-io";
import { CheckpointManifest, MANIFEST_JSON, ModelKind, readManifest } from "./manifest";
import { loadOptimizerFromDir, OPTIMIZER_JSON } from "./optimizer-state";
import { checkArchitecture, verifyFiles } from "./verify";
import { LatentModel, ModelOfKind, NAMED_ONLY_KINDS, SavedModel, withArticle, wrapNetworks } from "./model-kinds";

/** Options of `loadCheckpoint`. */
export interface LoadCheckpointOptions {
  /** Also load the Adam optimizer state (needed to resume training exactly); default false. */
  optimizer?: boolean;
  /** The kind of model expected; loading fails when the checkpoint holds the other kind. */
  kind?: ModelKind;
}

/** A model loaded from a checkpoint. The caller disposes `model` (and `optimizer`). */
export interface LoadedCheckpoint<M extends SavedModel = LatentModel> {
  /** The model, with the saved weights. */
  model: M;
  /** The checkpoint's manifest: configuration, data, training, test metrics, history. */
  manifest: CheckpointManifest;
  /** The folder actually read (differs from the argument only after an interrupted save). */
  dir: string;
  /** The restored Adam optimizer, when `options.optimizer` was true. */
  optimizer?: tf.Optimizer;
}

/**
 * Load a checkpoint folder written by `saveCheckpoint`.
 *
 * Checks, in order: `manifest.json` is present and valid; every file it lists exists with
 * the recorded size and SHA-256; the networks load; their layer sizes match the manifest's
 * kind and configuration; with `optimizer`, the saved moments match the model's variables.
 * When `dir` is missing because a save was interrupted between its two renames, the
 * complete checkpoint next to it (`<dir>.partial` or `<dir>.previous`) is loaded instead,
 * with a warning.
 *
 * @param dir the checkpoint folder.
 * @param options `optimizer` (default false), `kind` (required for a classifier and a
 *   conditional VAE, so that a call without it always gives a model with a VAE's methods:
 *   an autoencoder, a VAE or a conv VAE).
 * @returns `{ model, manifest, dir, optimizer? }`.
 * @throws Error naming the file and the problem: missing folder or manifest, missing,
 *   truncated or changed file, mismatched configuration, wrong kind, no optimizer state.
 *
 * @example
 * const { model, manifest } = await loadCheckpoint("runs/vae/checkpoint", { kind: "vae" });
 * evaluate(model, test, { seed: manifest.metrics!.seed }); // == manifest.metrics!.test
 */
export async function loadCheckpoint<K extends ModelKind>(dir: string, options: LoadCheckpointOptions & { kind: K }): Promise<LoadedCheckpoint<ModelOfKind[K]>>;
export async function loadCheckpoint(dir: string, options?: LoadCheckpointOptions): Promise<LoadedCheckpoint>;
export async function loadCheckpoint(dir: string, options: LoadCheckpointOptions = {}): Promise<LoadedCheckpoint<SavedModel>> {
  await tf.ready(); // the backend must be initialized before weights become tensors
  const folder = checkpointFolder(dir);
  const manifest = readManifest(folder);
  if (options.kind !== undefined && manifest.kind !== options.kind) {
    throw new Error(`loadCheckpoint: ${path.join(folder, MANIFEST_JSON)} holds ${withArticle(manifest.kind)}, but ${withArticle(options.kind)} was asked for.`);
  }
  if (NAMED_ONLY_KINDS.includes(manifest.kind) && options.kind === undefined) {
    throw new Error(`loadCheckpoint: ${path.join(folder, MANIFEST_JSON)} holds ${withArticle(manifest.kind)}; load it with { kind: "${manifest.kind}" }.`);
  }
  verifyFiles(folder, manifest);
  const model = await loadModel(folder, manifest);
  if (!options.optimizer) return { model, manifest, dir: folder };
  try {
    if (!(`optimizer/${OPTIMIZER_JSON}` in manifest.files)) {
      throw new Error(
        `loadCheckpoint: ${folder} has no optimizer state (it was saved without it, e.g. a pretrained model), ` +
          `so training cannot resume exactly from it.`,
      );
    }
    const optimizer = await loadOptimizerFromDir(path.join(folder, "optimizer"), model.trainableVariables());
    return { model, manifest, dir: folder, optimizer };
  } catch (err) {
    model.dispose();
    throw err;
  }
}

/**
 * The kind of model the checkpoint folder `dir` holds (read from its manifest), e.g. to load
 * any kind with `loadCheckpoint(dir, { kind: checkpointKind(dir) })`.
 * @throws Error as `loadCheckpoint` when there is no checkpoint or its manifest is not valid.
 */
export function checkpointKind(dir: string): ModelKind {
  return readManifest(checkpointFolder(dir)).kind;
}

/** The folder to read: `dir`, or the complete checkpoint an interrupted save left next to it. */
function checkpointFolder(dir: string): string {
  if (fs.existsSync(dir)) return dir;
  const recovered = recoverableFolder(dir, MANIFEST_JSON);
  if (recovered === undefined) throw new Error(`loadCheckpoint: there is no checkpoint at ${dir} (no such folder).`);
  console.warn(`loadCheckpoint: ${dir} is missing because a save was interrupted; loading the complete checkpoint ${recovered}.`);
  return recovered;
}

/** Load the networks, check them against the manifest and wrap them in the model class. */
async function loadModel(dir: string, manifest: CheckpointManifest): Promise<SavedModel> {
  if (manifest.kind === "classifier") return loadClassifier(dir, manifest);
  const nets: tf.LayersModel[] = [];
  try {
    for (const part of ["encoder", "decoder"]) nets.push(await loadLayersModelFromDir(path.join(dir, part)));
    const [encoder, decoder] = nets;
    checkArchitecture(dir, manifest.kind, manifest.config, { encoder, decoder });
    return wrapNetworks(manifest.kind, manifest.config, manifest.likelihood, { encoder, decoder });
  } catch (err) {
    for (const net of nets) net.dispose();
    throw err;
  }
}

/** The classifier of a checkpoint folder, its layer sizes checked against the manifest. */
async function loadClassifier(dir: string, manifest: CheckpointManifest): Promise<Classifier> {
  const network = await loadLayersModelFromDir(path.join(dir, "classifier"));
  try {
    if (!(network instanceof tf.Sequential)) throw new Error(`a Sequential model, but it is a ${network.getClassName()}`);
    return new Classifier(manifest.config as ResolvedClassifierConfig, network);
  } catch (err) {
    network.dispose();
    throw new Error(`loadCheckpoint: ${path.join(dir, "classifier", "model.json")} does not match ${MANIFEST_JSON}: ${(err as Error).message}`);
  }
}
