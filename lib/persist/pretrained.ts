import * as fs from "fs";
import * as path from "path";
import type { LikelihoodConfig } from "../models/likelihood";
import { argumentError, describe } from "../runtime/checks";
import { findUpward, searchStarts } from "../runtime/package-file";
import { writeJsonAtomically } from "./atomic";
import { digestOfFile } from "./checksum";
import { loadCheckpoint, LoadedCheckpoint } from "./load";
import type { Binarize } from "../data/mnist";
import { CheckpointManifest, DataInfo, MANIFEST_JSON, ModelKind, readManifest, TestMetrics } from "./manifest";
import type { ModelOfKind, SavedModel } from "./model-kinds";

/**
 * The pretrained models of the kit: `pretrained/<name>/` checkpoint folders (see
 * `saveCheckpoint`, without optimizer state) made by `npm run train:pretrained`, and the index
 * `pretrained/manifest.json` listing them. The folder lives at the root of the kit's
 * checkout, next to `lib/` and `notebooks/`.
 */

/** Value of `format` in `pretrained/manifest.json`. */
export const PRETRAINED_FORMAT = "vae-kit-pretrained";

/** One model in `pretrained/manifest.json`. */
export interface PretrainedEntry {
  /** Folder name under pretrained/, e.g. `"vae-20d"`. */
  name: string;
/** `"autoencoder"`, `"vae"`, `"classifier"` or `"conv-vae"`. */
  kind: ModelKind;
  /** What the model is, in one line. */
  description: string;
  /** The notebooks that use it, e.g. `["02-variational-autoencoder"]`. */
  notebooks: string[];
  /** Architecture and training summary, copied from the model's manifest. */
  config: CheckpointManifest["config"];
  /** A VAE's decoder distribution, without the values of a learned sigma (absent: Bernoulli). */
  likelihood?: LikelihoodConfig;
  data: DataInfo | null;
  epochs: number;
  metrics: TestMetrics | null;
  /** Total size of the model's files, manifest included, in bytes. */
  bytes: number;
  /** SHA-256 of the model's `manifest.json` (which holds the checksums of its other files). */
  manifestSha256: string;
  /** The test NLL estimate of this model's weights, when `npm run train:pretrained` made one. */
  nll?: StoredNll;
}

/**
 * A test NLL estimate stored with a pretrained model: `estimateNll` (the importance-weighted
 * bound -L_k, Burda et al. 2016, section 5) on the first `images` test images, binarized as
 * `binarize` with `seed`, all values in nats per image.
 */
export interface StoredNll {
  k: number;
  images: number;
  seed: number;
  binarize: Binarize;
  /** -L_k, the NLL estimate, and its standard error over images. */
  nll: number;
  standardError: number;
  /** -ELBO from the same samples (-L_1). */
  negElbo: number;
  /** Wall-clock seconds the estimate took. */
  seconds: number;
  /** Processes that computed it at once, each on a contiguous part of the images, part p
   *  seeded with `seed + p` (absent: one, `estimateNll` itself). */
  processes?: number;
}

/** Contents of `pretrained/manifest.json`. */
export interface PretrainedIndex {
  format: typeof PRETRAINED_FORMAT;
  formatVersion: 1;
  /** The models, by name. */
  models: PretrainedEntry[];
}

/** Options of the pretrained-model functions. */
export interface PretrainedOptions {
  /** The pretrained folder; default the environment variable `VAE_PRETRAINED_DIR`, else
   *  the `pretrained/` folder of the kit (see `pretrainedDir`). */
  dir?: string;
}

/** How to point the kit at the models, for the errors of `pretrainedDir`. */
const HOW_TO_FIND =
  "The models are not in the npm package: they are the pretrained/ folder of a checkout of the kit. " +
  "Set the environment variable VAE_PRETRAINED_DIR to that folder (e.g. VAE_PRETRAINED_DIR=/path/to/kit/pretrained) " +
  "or pass { dir } to this function.";

const HOW_TO_MAKE =
  "Run `npm run train:pretrained` in the kit's folder to train them (about half an hour on 2 CPU cores), " +
  "or train the model in the notebook instead (set RETRAIN = true at its top, or VAE_RETRAIN=1).";

/**
 * The folder of the pretrained models: `options.dir`, else `$VAE_PRETRAINED_DIR`, else the
 * first `pretrained/` holding a `manifest.json` found by `findUpward` in the folder of this
 * library file or any folder above it (lib/persist/ from the TypeScript sources,
 * lib/dist/persist/ from the compiled package, as under tslab and Deno), then in the working
 * directory or above it.
 *
 * @throws Error saying where it looked, naming `VAE_PRETRAINED_DIR`, and how to get the models
 *   (a checkout's `pretrained/` folder, or `npm run train:pretrained`).
 */
export function pretrainedDir(options: PretrainedOptions = {}): string {
  const given = options.dir ?? (process.env.VAE_PRETRAINED_DIR || undefined);
  if (given !== undefined) {
    if (!fs.existsSync(path.join(given, MANIFEST_JSON))) {
      const setting = options.dir !== undefined ? "options.dir" : "VAE_PRETRAINED_DIR";
      throw new Error(`pretrainedDir: ${setting} is ${path.resolve(given)}, which has no ${MANIFEST_JSON}, so it holds no pretrained models. ${HOW_TO_FIND} ${HOW_TO_MAKE}`);
    }
    return path.resolve(given);
  }
  const starts = searchStarts(typeof __dirname === "string" ? __dirname : undefined);
  const manifest = findUpward(path.join("pretrained", MANIFEST_JSON), starts);
  if (manifest !== undefined) return path.dirname(manifest);
  const [libraryDir, cwd] = starts;
  throw new Error(
    `pretrainedDir: no pretrained models found: there is no pretrained/${MANIFEST_JSON} in ${libraryDir}, ` +
      `${cwd} or any folder above them. ${HOW_TO_FIND} ${HOW_TO_MAKE}`,
  );
}

/**
 * The models listed in `pretrained/manifest.json`.
 * @throws Error when the folder or its index is missing or malformed.
 */
export function listPretrained(options: PretrainedOptions = {}): PretrainedEntry[] {
  return readPretrainedIndex(pretrainedDir(options)).models;
}

/**
 * Load a pretrained model by name, e.g. `"vae-20d"`, with its manifest. The model's files
 * are verified like any checkpoint (`loadCheckpoint`: sizes, SHA-256, configuration) and
 * its manifest against the checksum in the index. The caller disposes `model`.
 *
 * @param name a model listed by `listPretrained()`.
 * @param options `kind` (`"vae"`, `"autoencoder"`, `"classifier"` or `"conv-vae"`: fail on another kind;
 *   also types the result), `dir`.
 * @returns `{ model, manifest, dir }`; `manifest.metrics.test` holds its test metrics.
 * @throws Error telling the user to run `npm run train:pretrained` when the models or this one are
 *   missing; naming the damaged file when a check fails.
 *
 * @example
 * const { model: vae, manifest } = await loadPretrained("vae-20d", { kind: "vae" });
 * manifest.metrics!.test.negElbo; // nats per image on the test split
 * const { model: classifier } = await loadPretrained("classifier", { kind: "classifier" });
 */
export async function loadPretrained<K extends ModelKind>(name: string, options: PretrainedOptions & { kind: K }): Promise<LoadedCheckpoint<ModelOfKind[K]>>;
export async function loadPretrained(name: string, options?: PretrainedOptions & { kind?: ModelKind }): Promise<LoadedCheckpoint>;
export async function loadPretrained(name: string, options: PretrainedOptions & { kind?: ModelKind } = {}): Promise<LoadedCheckpoint<SavedModel>> {
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name)) {
    throw argumentError("loadPretrained", "name", 'a model name like "vae-20d"', describe(name));
  }
  const root = pretrainedDir(options);
  const index = readPretrainedIndex(root);
  const entry = index.models.find((m) => m.name === name);
  if (!entry) {
    const names = index.models.map((m) => m.name).join(", ") || "(none)";
    throw new Error(`loadPretrained: there is no pretrained model "${name}" in ${path.join(root, MANIFEST_JSON)}; available: ${names}. ${HOW_TO_MAKE}`);
  }
  const dir = path.join(root, name);
  const manifestFile = path.join(dir, MANIFEST_JSON);
  if (!fs.existsSync(manifestFile)) {
    throw new Error(`loadPretrained: the pretrained model "${name}" is missing: ${manifestFile} does not exist. ${HOW_TO_MAKE}`);
  }
  if (digestOfFile(manifestFile).sha256 !== entry.manifestSha256) {
    throw new Error(
      `loadPretrained: ${manifestFile} does not match its checksum in ${path.join(root, MANIFEST_JSON)} ` +
        `(changed or from another run). Run \`npm run train:pretrained -- --only ${name}\` to make it again.`,
    );
  }
  try {
    return await loadCheckpoint(dir, { kind: options.kind });
  } catch (err) {
    const reason = (err as Error).message.replace(/\.?$/, ".");
    throw new Error(`loadPretrained: the pretrained model "${name}" cannot be loaded: ${reason} Run \`npm run train:pretrained -- --only ${name}\` to make it again.`);
  }
}

/**
 * The index entry of a checkpoint folder `root/<name>`, for `writePretrainedIndex`.
 * @throws Error when the folder has no manifest.
 */
export function pretrainedEntry(root: string, name: string, extra: { description: string; notebooks: string[] }): PretrainedEntry {
  const dir = path.join(root, name);
  const manifestFile = path.join(dir, MANIFEST_JSON);
  const manifest = readManifest(dir, "pretrainedEntry");
  const digest = digestOfFile(manifestFile);
  const bytes = Object.values(manifest.files).reduce((n, f) => n + f.bytes, digest.bytes);
  return {
    name,
    kind: manifest.kind,
    description: extra.description,
    notebooks: extra.notebooks,
    config: manifest.config,
    ...likelihoodSummary(manifest.likelihood),
    data: manifest.data,
    epochs: manifest.history.length,
    metrics: manifest.metrics,
    bytes,
    manifestSha256: digest.sha256,
  };
}

/** `{ likelihood }` without a learned sigma's values, or nothing for the default (Bernoulli). */
function likelihoodSummary(likelihood: LikelihoodConfig | undefined): { likelihood?: LikelihoodConfig } {
  if (!likelihood || likelihood.name === "bernoulli") return {};
  const { logSigma: _values, ...summary } = likelihood;
  return { likelihood: summary };
}

/**
 * Write `root/manifest.json` atomically, listing `entries` sorted by name.
 * @returns the index written.
 */
export async function writePretrainedIndex(root: string, entries: PretrainedEntry[]): Promise<PretrainedIndex> {
  const index: PretrainedIndex = { format: PRETRAINED_FORMAT, formatVersion: 1, models: [...entries].sort((a, b) => a.name.localeCompare(b.name)) };
  await writeJsonAtomically(path.join(root, MANIFEST_JSON), index);
  return index;
}

/**
 * Read `root/manifest.json`; an empty index when it does not exist.
 * @throws Error naming the file when it is not a valid index.
 */
export function readPretrainedIndex(root: string): PretrainedIndex {
  const file = path.join(root, MANIFEST_JSON);
  if (!fs.existsSync(file)) return { format: PRETRAINED_FORMAT, formatVersion: 1, models: [] };
  let index: PretrainedIndex;
  try {
    index = JSON.parse(fs.readFileSync(file, "utf8")) as PretrainedIndex;
  } catch (err) {
    throw new Error(`readPretrainedIndex: ${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (index?.format !== PRETRAINED_FORMAT || !Array.isArray(index.models)) {
    throw new Error(`readPretrainedIndex: ${file} must have format "${PRETRAINED_FORMAT}" and a models array.`);
  }
  return index;
}
