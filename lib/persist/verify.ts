import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import type { ResolvedDenseConfig } from "../models/encoder-decoder";
import { digestOfFile } from "./checksum";
import { staysInside } from "./fs-io";
import { CheckpointManifest, MANIFEST_JSON, ModelKind } from "./manifest";

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
 * The sizes along a dense network: its input width, then the `units` of each layer that has
 * them (Dense layers), in order. E.g. `[784, 400, 20, 20]` for a VAE encoder (trunk, mu
 * head, logVar head).
 */
export function layerSizes(model: tf.LayersModel): number[] {
  const input = model.inputs[0].shape[1] as number;
  const dense = model.layers.map((l) => l.getConfig().units).filter((u): u is number => typeof u === "number");
  return [input, ...dense];
}

/** The sizes `layerSizes` gives for the encoder and decoder of a model of this kind and configuration. */
export function expectedLayerSizes(kind: ModelKind, config: ResolvedDenseConfig): { encoder: number[]; decoder: number[] } {
  const { inputDim, hiddenSizes, latentDim } = config;
  const heads = kind === "vae" ? [latentDim, latentDim] : [latentDim];
  return {
    encoder: [inputDim, ...hiddenSizes, ...heads],
    decoder: [latentDim, ...[...hiddenSizes].reverse(), inputDim],
  };
}

/**
 * Check loaded networks against the manifest's kind and configuration.
 *
 * @throws Error naming the network's model.json, its layer sizes and the sizes the
 *   configuration gives.
 */
export function checkArchitecture(
  dir: string,
  kind: ModelKind,
  config: ResolvedDenseConfig,
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
          `but ${withArticle(kind)} with inputDim ${config.inputDim}, hiddenSizes [${config.hiddenSizes.join(", ")}], latentDim ${config.latentDim} ` +
          `has [${want.join(", ")}].`,
      );
    }
  }
  const outputs = nets.encoder.outputs.length;
  if (outputs !== (kind === "vae" ? 2 : 1)) {
    throw new Error(`${fn}: ${path.join(dir, "encoder", "model.json")} has ${outputs} outputs, but ${withArticle(kind)} encoder has ${kind === "vae" ? 2 : 1}.`);
  }
}

/** "a vae" / "an autoencoder" / "a classifier". */
export function withArticle(kind: ModelKind): string {
  return `${kind === "autoencoder" ? "an" : "a"} ${kind}`;
}
