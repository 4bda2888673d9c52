import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { writeFileAtomically } from "./atomic";
import { digestOf, FileDigest } from "./checksum";

/**
 * A `tf.io.IOHandler` over the local file system (node:fs), for saving and loading layers
 * models without `@tensorflow/tfjs-node`.
 *
 * A model folder holds the standard TensorFlow.js layers format, as `model.save()` writes
 * it with tfjs-node's `file://` handler or the browser's downloads:
 * - `model.json`: `{ modelTopology, weightsManifest: [{ paths: ["weights.bin"], weights }],
 *   format: "layers-model", generatedBy, convertedBy }`;
 * - `weights.bin`: all weights as little-endian binary, in the order of `weights`.
 * So the same folder loads in a browser with `tf.loadLayersModel(".../model.json")`.
 * See https://www.tensorflow.org/js/guide/save_load.
 */

/** File name of the topology and weights manifest in a model folder. */
export const MODEL_JSON = "model.json";
/** File name of the binary weights in a model folder. */
export const WEIGHTS_BIN = "weights.bin";

/**
 * An IOHandler that saves to and loads from the folder `dir`.
 *
 * Saving writes `weights.bin`, then `model.json`, each atomically (temporary file, fsync,
 * rename), creating the folder if needed; `onWrite` receives each file name with its size
 * and SHA-256. Loading checks that the weight files exist, stay inside `dir` and have the
 * sizes the manifest implies.
 *
 * @example
 * await model.save(fileSystemIO("runs/x/encoder"));
 * const again = await tf.loadLayersModel(fileSystemIO("runs/x/encoder"));
 */
export function fileSystemIO(dir: string, onWrite?: (name: string, digest: FileDigest) => void): tf.io.IOHandler {
  return {
    save: async (artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> => {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new Error(`fileSystemIO: saving a binary (graph) model topology is not supported; expected a layers model.`);
      }
      const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? []));
      const json = JSON.stringify(modelJson(artifacts));
      await writeFileAtomically(path.join(dir, WEIGHTS_BIN), weights);
      await writeFileAtomically(path.join(dir, MODEL_JSON), json);
      onWrite?.(WEIGHTS_BIN, digestOf(weights));
      onWrite?.(MODEL_JSON, digestOf(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    load: async (): Promise<tf.io.ModelArtifacts> => {
      const json = readModelJson(dir);
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => [tf.io.getWeightSpecs(manifest), readWeights(dir, manifest)]);
    },
  };
}

/**
 * Save a layers model into the folder `dir` as `model.json` + `weights.bin`.
 *
 * @returns size and SHA-256 of each written file, keyed by file name.
 * @throws Error from the file system.
 */
export async function saveLayersModelToDir(model: tf.LayersModel, dir: string): Promise<Record<string, FileDigest>> {
  const written: Record<string, FileDigest> = {};
  await model.save(fileSystemIO(dir, (name, digest) => (written[name] = digest)));
  return written;
}

/**
 * Load a layers model saved by `saveLayersModelToDir` (or by any TensorFlow.js layers
 * `save()`) from the folder `dir`.
 *
 * @throws Error naming the file when `model.json` or a weight file is missing, unreadable,
 *   not valid JSON, or shorter/longer than its weights manifest says.
 */
export async function loadLayersModelFromDir(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(fileSystemIO(dir));
}

/** The model.json object for some artifacts, with the weights in one `weights.bin`. */
function modelJson(artifacts: tf.io.ModelArtifacts): tf.io.ModelJSON {
  const json: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as {},
    format: artifacts.format ?? "layers-model",
    generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
  };
  if (artifacts.trainingConfig != null) json.trainingConfig = artifacts.trainingConfig;
  if (artifacts.signature != null) json.signature = artifacts.signature;
  if (artifacts.userDefinedMetadata != null) json.userDefinedMetadata = artifacts.userDefinedMetadata;
  return json;
}

/** Read and parse `dir/model.json`, checking the fields a layers model needs. */
function readModelJson(dir: string): tf.io.ModelJSON {
  const file = path.join(dir, MODEL_JSON);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`loadLayersModel: cannot read ${file}: ${(err as Error).message}`);
  }
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(text) as tf.io.ModelJSON;
  } catch (err) {
    throw new Error(`loadLayersModel: ${file} is not valid JSON (truncated or corrupted?): ${(err as Error).message}`);
  }
  if (!json || typeof json !== "object" || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new Error(`loadLayersModel: ${file} must hold an object with modelTopology and a weightsManifest array.`);
  }
  return json;
}

/** Read the weight files of a manifest, in order, checking their sizes. */
function readWeights(dir: string, manifest: tf.io.WeightsManifestConfig): ArrayBuffer {
  const parts: Buffer[] = [];
  for (const group of manifest) {
    for (const relative of group.paths) {
      const file = path.resolve(dir, relative);
      if (!staysInside(dir, relative)) {
        throw new Error(`loadLayersModel: weight path '${relative}' in ${path.join(dir, MODEL_JSON)} must stay inside ${dir}.`);
      }
      try {
        parts.push(fs.readFileSync(file));
      } catch (err) {
        throw new Error(`loadLayersModel: cannot read weight file ${file}: ${(err as Error).message}`);
      }
    }
    const expected = groupBytes(group.weights);
    const actual = parts.slice(-group.paths.length).reduce((n, b) => n + b.length, 0);
    if (expected !== undefined && actual !== expected) {
      throw new Error(
        `loadLayersModel: ${group.paths.map((p) => path.join(dir, p)).join(", ")} holds ${actual} bytes, but its ` +
          `weights manifest in ${MODEL_JSON} needs ${expected} bytes (truncated or mismatched file).`,
      );
    }
  }
  const all = Buffer.concat(parts);
  return all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
}

/** @internal Whether the relative path `relative` names something inside folder `dir` (no "..", not absolute). */
export function staysInside(dir: string, relative: string): boolean {
  return !path.isAbsolute(relative) && !path.relative(path.resolve(dir), path.resolve(dir, relative)).startsWith("..");
}

/** @internal Bytes a list of weight specs occupies; undefined when it cannot be known (strings). */
export function groupBytes(specs: tf.io.WeightsManifestEntry[]): number | undefined {
  let total = 0;
  for (const spec of specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const q = spec.quantization?.dtype;
    const perValue = q ? { uint8: 1, uint16: 2, float16: 2 }[q] : { float32: 4, int32: 4, bool: 1, complex64: 8 }[spec.dtype as string];
    if (perValue === undefined) return undefined;
    total += size * perValue;
  }
  return total;
}
