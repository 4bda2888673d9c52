import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { Adam } from "../fast/adam";
import { argumentError } from "../runtime/checks";
import { writeFileAtomically } from "./atomic";
import { digestOf, FileDigest } from "./checksum";
import { groupBytes } from "./fs-io";

/**
 * The state of an Adam optimizer (Kingma & Ba, "Adam: A Method for Stochastic
 * Optimization", ICLR 2015, Algorithm 1) in a folder, so that training can resume where it
 * stopped:
 * - `optimizer.json`: `{ format: "vae-kit-optimizer", formatVersion: 1, className: "Adam",
 *   config: { learningRate, beta1, beta2, epsilon }, weightsManifest: [{ paths:
 *   ["weights.bin"], weights }] }`;
 * - `weights.bin`: the step count `iter` (int32), then the first moments m and the second
 *   moments v of every trainable variable, in the order of `trainableVariables()` (the
 *   order of `AdamOptimizer.getWeights()`).
 */

/** File name of the optimizer description. */
export const OPTIMIZER_JSON = "optimizer.json";
/** File name of the optimizer's binary state. */
export const OPTIMIZER_BIN = "weights.bin";

/** Contents of `optimizer.json`. */
export interface OptimizerJson {
  format: "vae-kit-optimizer";
  formatVersion: 1;
  className: "Adam";
  config: { learningRate: number; beta1: number; beta2: number; epsilon: number };
  weightsManifest: tf.io.WeightsManifestConfig;
}

/**
 * Save an Adam optimizer's state into `dir` (`weights.bin`, then `optimizer.json`, each
 * atomically).
 *
 * @returns size and SHA-256 of each written file, keyed by file name.
 * @throws Error when the optimizer is not Adam.
 */
export async function saveOptimizerToDir(optimizer: tf.Optimizer, dir: string): Promise<Record<string, FileDigest>> {
  if (optimizer.getClassName() !== "Adam") {
    throw argumentError("saveOptimizer", "optimizer", "an Adam optimizer (only Adam optimizers can be saved)", optimizer.getClassName());
  }
  const named = await optimizer.getWeights();
  let encoded: { data: ArrayBuffer; specs: tf.io.WeightsManifestEntry[] };
  try {
    encoded = await tf.io.encodeWeights(named);
  } finally {
    named[0].tensor.dispose(); // the step count is a fresh scalar; the moments belong to the optimizer
  }
  const config = optimizer.getConfig() as OptimizerJson["config"];
  const json: OptimizerJson = {
    format: "vae-kit-optimizer",
    formatVersion: 1,
    className: "Adam",
    config: { learningRate: config.learningRate, beta1: config.beta1, beta2: config.beta2, epsilon: config.epsilon },
    weightsManifest: [{ paths: [OPTIMIZER_BIN], weights: encoded.specs }],
  };
  const bytes = new Uint8Array(encoded.data);
  const text = JSON.stringify(json, null, 2) + "\n";
  await writeFileAtomically(path.join(dir, OPTIMIZER_BIN), bytes);
  await writeFileAtomically(path.join(dir, OPTIMIZER_JSON), text);
  return { [OPTIMIZER_BIN]: digestOf(bytes), [OPTIMIZER_JSON]: digestOf(text) };
}

/**
 * A new Adam optimizer with the state saved in `dir`, for the model whose trainable
 * variables are `variables` (in `trainableVariables()` order). The caller disposes it.
 *
 * @throws Error naming the file when a file is missing or malformed, and when the saved
 *   moments do not match `variables` in number or shapes.
 */
export async function loadOptimizerFromDir(dir: string, variables: tf.Variable[]): Promise<tf.Optimizer> {
  const json = readOptimizerJson(dir);
  const specs = json.weightsManifest[0].weights;
  checkMoments(dir, specs, variables);
  const bin = path.join(dir, OPTIMIZER_BIN);
  const data = readBytes(bin);
  const expected = groupBytes(specs);
  if (data.byteLength !== expected) {
    throw new Error(`loadOptimizer: ${bin} holds ${data.byteLength} bytes, but ${OPTIMIZER_JSON} needs ${expected} (truncated or mismatched file).`);
  }
  const tensors = tf.io.decodeWeights(data, specs);
  const { learningRate, beta1, beta2, epsilon } = json.config;
  const optimizer = new Adam(learningRate, beta1, beta2, epsilon);
  try {
    await optimizer.setWeights(specs.map((s) => ({ name: s.name, tensor: tensors[s.name] })));
  } finally {
    tf.dispose(Object.values(tensors)); // setWeights made its own variables from them
  }
  return optimizer;
}

function readOptimizerJson(dir: string): OptimizerJson {
  const file = path.join(dir, OPTIMIZER_JSON);
  let json: OptimizerJson;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8")) as OptimizerJson;
  } catch (err) {
    throw new Error(`loadOptimizer: cannot read ${file}: ${(err as Error).message}`);
  }
  const specs = json?.weightsManifest?.[0]?.weights;
  if (json?.format !== "vae-kit-optimizer" || json.className !== "Adam" || !Array.isArray(specs) || specs.length === 0) {
    throw new Error(`loadOptimizer: ${file} must describe an Adam optimizer (format "vae-kit-optimizer", className "Adam", weightsManifest).`);
  }
  return json;
}

/** The saved moments must be m and v of each variable, with the variables' shapes. */
function checkMoments(dir: string, specs: tf.io.WeightsManifestEntry[], variables: tf.Variable[]): void {
  const moments = specs.length - 1;
  if (moments === 0) return; // saved before the first step: no moments yet
  const file = path.join(dir, OPTIMIZER_JSON);
  if (moments !== 2 * variables.length) {
    throw new Error(
      `loadOptimizer: ${file} holds moments of ${moments / 2} variables, but the model has ${variables.length} ` +
        `trainable variables (was it saved with another model?).`,
    );
  }
  for (let i = 0; i < moments; i++) {
    const want = variables[i % variables.length].shape;
    const got = specs[i + 1].shape;
    if (want.length !== got.length || want.some((d, k) => d !== got[k])) {
      throw new Error(`loadOptimizer: ${file}: moment '${specs[i + 1].name}' has shape [${got}], but its variable has shape [${want}].`);
    }
  }
}

function readBytes(file: string): ArrayBuffer {
  try {
    const b = fs.readFileSync(file);
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  } catch (err) {
    throw new Error(`loadOptimizer: cannot read ${file}: ${(err as Error).message}`);
  }
}
