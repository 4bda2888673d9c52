import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { digestOfFile } from "./checksum";
import { staysInside } from "./fs-io";
import { CheckpointManifest, MANIFEST_JSON } from "./manifest";
import { layerSizes } from "./layer-sizes";
import { describeConfig, encoderOutputs, expectedLayerSizes, LatentKind, ModelConfig, withArticle } from "./model-kinds";


/**
 * Checks run when a checkpoint is loaded: every file against its size and SHA-256 in the
 * manifest, and the loaded networks against the manifest's configuration.
 */

/** Files every checkpoint of an autoencoder or a VAE has, relative to its folder. */
export const REQUIRED_FILES = ["encoder/model.json", "encoder/weights.bin", "decoder/model.json", "decoder/weights.bin"];
/** Files every checkpoint of a classifier has. */
export const CLASSIFIER_FILES = ["classifier/model.json", "classifier/weights.bin"];

/**
 * Check every file listed in the manifest: present, of the recorded size, with the
 * recorded SHA-256; and that the manifest lists the required files.
 *
 * @throws Error naming the file and what is wrong: missing, truncated or grown (size), or
 *   changed (checksum).
 */
export function verifyFiles(dir: string, manifest: CheckpointManifest, fn = "loadCheckpoint"): void {
  const where = path.join(dir, MANIFEST_JSON);
  const required = manifest.kind === "classifier" ? CLASSIFIER_FILES : REQUIRED_FILES;
  for (const name of required) {
    if (!(name in manifest.files)) throw new Error(`${fn}: ${where} lists no '${name}'; every checkpoint of ${withArticle(manifest.kind)} has ${required.join(", ")}.`);
  }
  for (const [name, want] of Object.entries(manifest.files)) {
    const file = path.resolve(dir, name);
    if (!staysInside(dir, name)) {
      throw new Error(`${fn}: ${where} lists '${name}', a path outside the checkpoint folder.`);
    }
    if (!fs.existsSync(file)) throw new Error(`${fn}: ${file} is missing (listed in ${where}).`);
    const size = fs.statSync(file).size;
    if (size !== want.bytes) {
      const how = size < want.bytes ? "truncated" : "longer than saved";
      throw new Error(`${fn}: ${file} has ${size} bytes, but ${MANIFEST_JSON} records ${want.bytes} (${how}; the file is damaged or from another save).`);
    }
    const got = digestOfFile(file).sha256;
    if (got !== want.sha256) {
      throw new Error(`${fn}: ${file} has SHA-256 ${got}, but ${MANIFEST_JSON} records ${want.sha256} (the file is corrupted or was changed after saving).`);
    }
  }
}

/**
 * Check loaded networks against the manifest's kind and configuration.
 *
 * @throws Error naming the network's model.json, its layer sizes and the sizes the
 *   configuration gives.
 */
export function checkArchitecture(
  dir: string,
  kind: LatentKind,
  config: ModelConfig,
  nets: { encoder: tf.LayersModel; decoder: tf.LayersModel },
  fn = "loadCheckpoint",
): void {
  const expected = expectedLayerSizes(kind, config);
  for (const part of ["encoder", "decoder"] as const) {
    const got = layerSizes(nets[part]);
    const want = expected[part];
    if (got.length !== want.length || got.some((s, i) => s !== want[i])) {
      throw new Error(
        `${fn}: ${path.join(dir, part, "model.json")} does not match ${MANIFEST_JSON}: its layer sizes are [${got.join(", ")}], ` +
          `but ${withArticle(kind)} ${describeConfig(kind, config)} ` +
          `has [${want.join(", ")}].`,
      );
    }
  }
  const outputs = nets.encoder.outputs.length;
  if (outputs !== encoderOutputs(kind)) {
    throw new Error(`${fn}: ${path.join(dir, "encoder", "model.json")} has ${outputs} outputs, but ${withArticle(kind)} encoder has ${encoderOutputs(kind)}.`);
  }
}
