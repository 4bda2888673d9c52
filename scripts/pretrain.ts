/**
 * Train, with fixed seeds on full MNIST, every model the notebooks load, and write them
 * under pretrained/<name>/ (checkpoint folders without optimizer state, see lib/persist)
 * plus pretrained/manifest.json listing them. About 40 minutes on 2 CPU cores (the decoders
 * other than the Bernoulli train without the fast path and take most of it).
 *
 *   npm run train:pretrained                              every model in MODELS
 *   npm run train:pretrained -- --only vae-20d,vae-2d     some of them
 *   npm run train:pretrained -- --list                    show the table
 *   npm run train:pretrained -- --limit 1000 --epochs 1 --out /tmp/pre   a quick trial (not for committing)
 *
 * Exit codes: 0 done, 1 failed (or the folder grew over the size budget), 2 bad flags.
 *
 * The npm script is `train:pretrained`, not `pretrain`: npm runs a script named
 * `pre<name>` before `<name>` (and passes it no flags), so a `pretrain` script would start
 * the half-hour pretraining before every `npm run train`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as cliProgress from "cli-progress";
import { Binarize, loadMnist, MnistSplit } from "../lib/data/mnist";
import { Autoencoder } from "../lib/models/autoencoder";
import { Classifier, ResolvedClassifierConfig } from "../lib/models/classifier";
import { DenseConfig } from "../lib/models/encoder-decoder";
import { LikelihoodConfig } from "../lib/models/likelihood";
import { VAE } from "../lib/models/vae";
import { ConditionalVAE, ResolvedCvaeConfig } from "../lib/models/conditional-vae";
import { ConvVAE, ResolvedConvConfig } from "../lib/models/conv-vae";
import type { SavedModel } from "../lib/persist/model-kinds";
import { MANIFEST_JSON, ModelKind } from "../lib/persist/manifest";
import { PretrainedEntry, pretrainedEntry, readPretrainedIndex, StoredNll, writePretrainedIndex } from "../lib/persist/pretrained";
import { saveCheckpoint } from "../lib/persist/save";
import { BACKENDS, initBackend } from "../lib/runtime/backend";
import { describeData } from "../lib/train/checkpoint";
import { EpochRecord, fit } from "../lib/train/fit";
import { formatTerms } from "../lib/train/progress";
import { trainClassifier } from "../lib/train/train-classifier";
import { backendFlag, integerFlag, parseFlags, runCommand, UsageError } from "./command-line";
import { estimateNllInProcesses } from "./nll-processes";

/** One pretrained model: what it is, and exactly how it is trained. */
interface PretrainSpec {
  /** Folder name under pretrained/, and the name for `loadPretrained`. */
  name: string;
  kind: ModelKind;
  description: string;
  /** Notebooks that load it. */
  notebooks: string[];
  /** Architecture; `seed` seeds the initial weights. */
  config: Required<Pick<DenseConfig, "hiddenSizes" | "latentDim" | "seed">> | ResolvedClassifierConfig | ResolvedConvConfig | ResolvedCvaeConfig;
  binarize: Binarize;
  epochs: number;
  /** `fit` settings: seed of shuffling and noise, KL weight. */
  seed: number;
  beta: number;
  /** Epochs of linear KL warm-up (`fit`'s `warmupEpochs`; default 0: none). */
  warmupEpochs?: number;
  /** Free nats per latent dimension (`fit`'s `freeBits`; default 0: none). */
  freeBits?: number;
  /** A VAE's decoder distribution p(x | z) (default Bernoulli); recorded in its manifest. */
  likelihood?: LikelihoodConfig;
  /** Store a test NLL estimate in the index: k importance samples on the first `images` test images. */
  nll?: { k: number; images: number };
}

/**
 * The models the notebooks use, with the settings of the notebooks' own training cells
 * (batch 128, Adam 1e-3). Add a row to add a model.
 */
const MODELS: PretrainSpec[] = [
  {
    name: "ae-2d",
    kind: "autoencoder",
    description: "Dense autoencoder 784-400-2, grey-level MNIST",
    notebooks: ["01-autoencoder"],
    config: { hiddenSizes: [400], latentDim: 2, seed: 1 },
    binarize: "none",
    epochs: 10,
    seed: 1,
    beta: 1,
  },
  {
    name: "vae-20d",
    kind: "vae",
    description: "VAE 784-400-20, grey-level MNIST",
    notebooks: ["02-variational-autoencoder", "05-latent-space"],
    config: { hiddenSizes: [400], latentDim: 20, seed: 1 },
    binarize: "none",
    epochs: 10,
    seed: 1,
    beta: 1,
  },
  {
    name: "vae-2d",
    kind: "vae",
    description: "VAE 784-400-2, grey-level MNIST",
    notebooks: ["02-variational-autoencoder", "05-latent-space"],
    config: { hiddenSizes: [400], latentDim: 2, seed: 1 },
    binarize: "none",
    epochs: 10,
    seed: 1,
    beta: 1,
  },
  {
    name: "vae-2d-no-kl",
    kind: "vae",
    description: "VAE 784-400-2 trained without the KL term (beta = 0), grey-level MNIST",
    notebooks: ["02-variational-autoencoder"],
    config: { hiddenSizes: [400], latentDim: 2, seed: 1 },
    binarize: "none",
    epochs: 10,
    seed: 1,
    beta: 0,
  },
  {
    name: "vae-20d-dynamic",
    kind: "vae",
    description: "VAE 784-400-20, dynamically binarized MNIST",
    notebooks: ["03-elbo", "08-convolutional-and-conditional-vaes"],
    config: { hiddenSizes: [400], latentDim: 20, seed: 1 },
    binarize: "dynamic",
    epochs: 10,
    seed: 1,
    beta: 1,
    nll: { k: 5000, images: 10000 },
  },
  {
    name: "conv-vae-20d-dynamic",
    kind: "conv-vae",
    description: "Conv VAE, filters 16-32, 20-D latent, dynamically binarized MNIST",
    notebooks: ["08-convolutional-and-conditional-vaes"],
    config: { filters: [16, 32], latentDim: 20, seed: 1 },
    binarize: "dynamic",
    epochs: 5,
    seed: 1,
    beta: 1,
  },
  {
    name: "cvae-2d-dynamic",
    kind: "cvae",
    description: "Conditional VAE 784+10-256-2, dynamically binarized MNIST",
    notebooks: ["08-convolutional-and-conditional-vaes"],
    config: { hiddenSizes: [256], latentDim: 2, classes: 10, seed: 1 },
    binarize: "dynamic",
    epochs: 3,
    seed: 1,
    beta: 1,
  },
  ...decoderModels(),
  {
    name: "classifier",
    kind: "classifier",
    description: "Digit classifier 784-128-10 (softmax), grey-level MNIST, that labels generated samples",
    notebooks: ["08-convolutional-and-conditional-vaes"],
    config: { inputDim: 784, hiddenSizes: [128], classes: 10, seed: 1 },
    binarize: "none",
    epochs: 10,
    seed: 1,
    beta: 1,
  },
  ...collapseModels(),
  ...betaModels(),
];

/**
 * The models of notebook 07: one small architecture (784-128-20) with each decoder
 * distribution p(x | z), so that only the decoder differs.
 */
function decoderModels(): PretrainSpec[] {
  const rows: Array<[string, string, Binarize, LikelihoodConfig]> = [
    ["decoder-bernoulli-binary", "Bernoulli decoder, dynamically binarized MNIST", "dynamic", { name: "bernoulli" }],
    ["decoder-bernoulli-grey", "Bernoulli decoder (cross-entropy) on grey-level MNIST", "none", { name: "bernoulli" }],
    ["decoder-continuous-bernoulli", "continuous Bernoulli decoder, grey-level MNIST", "none", { name: "continuous-bernoulli" }],
    ["decoder-gaussian-0.1", "Gaussian decoder with fixed sigma 0.1, grey-level MNIST", "none", { name: "gaussian", sigma: 0.1 }],
    ["decoder-gaussian-1", "Gaussian decoder with fixed sigma 1, grey-level MNIST", "none", { name: "gaussian", sigma: 1 }],
    ["decoder-gaussian-learned", "Gaussian decoder with one learned sigma, grey-level MNIST", "none", { name: "gaussian", sigma: "learned" }],
    ["decoder-gaussian-per-pixel", "Gaussian decoder with a learned sigma per pixel, grey-level MNIST", "none", { name: "gaussian", sigma: "learned-per-pixel" }],
  ];
  return rows.map(([name, what, binarize, likelihood]) => ({
    name,
    kind: "vae",
    description: `VAE 784-128-20, ${what}`,
    notebooks: ["07-decoders-and-likelihoods"],
    config: { hiddenSizes: [128], latentDim: 20, seed: 1 },
    binarize,
    epochs: 10,
    seed: 1,
    beta: 1,
    likelihood,
  }));
}

/**
 * The models of notebook 06 on one small architecture, dynamically binarized as in 03:
 * a 50-D latent space, where posterior collapse happens, trained plainly, with KL warm-up
 * and with free bits; and a beta sweep of 784-128-20 models for the rate-distortion curve.
 */
function collapseModels(): PretrainSpec[] {
  const rows: Array<[string, string, Partial<PretrainSpec>]> = [
    ["collapse-50d", "beta = 1", {}],
    ["collapse-50d-warmup", "KL warm-up over the first 5 epochs (beta from 0 to 1)", { warmupEpochs: 5 }],
    ["collapse-50d-free-bits", "free bits, 0.5 nats per latent dimension", { freeBits: 0.5 }],
  ];
  return rows.map(([name, what, schedule]) => ({
    name,
    kind: "vae",
    description: `VAE 784-128-50, ${what}, dynamically binarized MNIST`,
    notebooks: ["06-beta-and-posterior-collapse"],
    config: { hiddenSizes: [128], latentDim: 50, seed: 1 },
    binarize: "dynamic",
    epochs: 10,
    seed: 1,
    beta: 1,
    ...schedule,
  }));
}

/** The beta sweep of notebook 06: 784-128-20, dynamically binarized, beta from 0.25 to 8. */
function betaModels(): PretrainSpec[] {
  return [0.25, 0.5, 1, 2, 4, 8].map((beta) => ({
    name: `beta-${beta}`,
    kind: "vae",
    description: `VAE 784-128-20 trained with beta = ${beta}, dynamically binarized MNIST`,
    notebooks: ["06-beta-and-posterior-collapse"],
    config: { hiddenSizes: [128], latentDim: 20, seed: 1 },
    binarize: "dynamic",
    epochs: 10,
    seed: 1,
    beta,
  }));
}

const BATCH_SIZE = 128;
const LEARNING_RATE = 1e-3;
/** Size budget of the whole pretrained/ folder. */
const MAX_BYTES = 40 * 1024 * 1024;

const USAGE = `Usage: npm run train:pretrained -- [flags]        (or: npx tsx scripts/pretrain.ts [flags])

Trains every model the notebooks load (see --list) with fixed seeds on full MNIST and
writes pretrained/<name>/ and pretrained/manifest.json.

  --only a,b         only these models (names from --list)
  --list             print the models and exit
  --epochs N         override every model's epochs (for trials; not for committed models)
  --limit N          the first N training and test images (for trials)
  --out DIR          output folder (default pretrained/ at the top of the kit)
  --nll-only         do not train: (re)compute the stored test NLL estimate of the saved models
                     that have one (vae-20d-dynamic: k = 5000, all 10,000 test images)
  --nll-images N     the estimate on the first N test images only (recorded in the index)
  --nll-processes N  processes that compute the estimate at once, one per core (default 2)
  --backend ${BACKENDS.join("|")}   TensorFlow.js backend (default $VAE_BACKEND, else the fastest)
  --help             show this help
`;

interface PretrainArgs {
  models: PretrainSpec[];
  nllOnly: boolean;
  nllImages: number | undefined;
  nllProcesses: number;
  epochs: number | undefined;
  limit: number | undefined;
  out: string;
  backend: string | undefined;
}

function parsePretrainArgs(argv: string[]): PretrainArgs | "help" | "list" {
  const values = parseFlags(argv, {
    only: { type: "string" },
    list: { type: "boolean" },
    epochs: { type: "string" },
    limit: { type: "string" },
    out: { type: "string" },
    backend: { type: "string" },
    "nll-only": { type: "boolean" },
    "nll-images": { type: "string" },
    "nll-processes": { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return "help";
  if (values.list) return "list";
  const names = typeof values.only === "string" ? values.only.split(",").map((s) => s.trim()) : MODELS.map((m) => m.name);
  const unknown = names.filter((n) => !MODELS.some((m) => m.name === n));
  if (unknown.length) throw new UsageError(`--only: unknown model ${unknown.join(", ")}; the models are ${MODELS.map((m) => m.name).join(", ")}.`);
  const backend = backendFlag(values.backend as string | undefined);
  return {
    models: MODELS.filter((m) => names.includes(m.name)),
    nllOnly: values["nll-only"] === true,
    nllImages: positiveInt("nll-images", values["nll-images"] as string | undefined),
    nllProcesses: positiveInt("nll-processes", values["nll-processes"] as string | undefined) ?? 2,
    epochs: positiveInt("epochs", values.epochs as string | undefined),
    limit: positiveInt("limit", values.limit as string | undefined),
    out: path.resolve((values.out as string | undefined) ?? path.join(__dirname, "..", "pretrained")),
    backend,
  };
}

function positiveInt(flag: string, text: string | undefined): number | undefined {
  return text === undefined ? undefined : integerFlag(flag, text, 1);
}

/** MNIST splits, loaded once per binarization. */
function dataFor(binarize: Binarize, limit: number | undefined, cache: Map<string, { train: MnistSplit; test: MnistSplit }>) {
  let data = cache.get(binarize);
  if (!data) {
    data = loadMnist({ binarize, limit });
    cache.set(binarize, data);
  }
  return data;
}

/** Train one model and save it as out/<name>; returns its index entry. */
async function pretrainOne(spec: PretrainSpec, args: PretrainArgs, cache: Map<string, { train: MnistSplit; test: MnistSplit }>): Promise<PretrainedEntry> {
  const data = dataFor(spec.binarize, args.limit, cache);
  const epochs = args.epochs ?? spec.epochs;
  console.log(`\n${spec.name}: ${spec.description} (${data.train.count} training images, ${epochs} epochs)`);
  const model = makeModel(spec);
  try {
    const schedule = { warmupEpochs: spec.warmupEpochs ?? 0, freeBits: spec.freeBits ?? 0 };
    const settings = { epochs, batchSize: BATCH_SIZE, learningRate: LEARNING_RATE, seed: spec.seed };
    const history: EpochRecord[] =
      model instanceof Classifier
        ? await trainClassifier(model, data, settings)
        : (await fit(model, data, { ...settings, beta: spec.beta, ...schedule, stopOnInterrupt: false })).history;
    await saveCheckpoint(path.join(args.out, spec.name), model, {
      name: spec.name,
      description: `${spec.description}, ${epochs} epochs`,
      history,
      data: describeData(data),
      training: { plannedEpochs: epochs, batchSize: BATCH_SIZE, learningRate: LEARNING_RATE, beta: spec.beta, ...schedule, seed: spec.seed },
    });
  } finally {
    model.dispose();
  }
  return pretrainedEntry(args.out, spec.name, { description: `${spec.description}, ${epochs} epochs`, notebooks: spec.notebooks });
}

/** The index entry of a model saved earlier. @throws UsageError when it is not in `out`. */
function savedEntry(spec: PretrainSpec, out: string): PretrainedEntry {
  const entry = readPretrainedIndex(out).models.find((m) => m.name === spec.name);
  if (!entry) throw new UsageError(`--nll-only: ${spec.name} is not in ${out}; train it first (without --nll-only).`);
  return entry;
}

/**
 * The test NLL estimate of the saved model `out/<name>` that its spec asks for (`estimateNll`,
 * seeded with the spec's seed), on the first `spec.nll.images` test images or `--nll-images`,
 * in `--nll-processes` processes at once (`estimateNllInProcesses`).
 */
async function testNll(spec: PretrainSpec, args: PretrainArgs): Promise<StoredNll> {
  const { k } = spec.nll!;
  const images = Math.min(args.nllImages ?? spec.nll!.images, args.limit ?? spec.nll!.images);
  const processes = Math.min(args.nllProcesses, images);
  console.log(`${spec.name}: test NLL estimate, k = ${k} on ${images} test images, ${processes} processes`);
  const bar = new cliProgress.SingleBar({ format: "  importance sampling [{bar}] {value}/{total} images, {eta_formatted} left" }, cliProgress.Presets.legacy);
  bar.start(images, 0);
  try {
    const options = { modelDir: path.join(args.out, spec.name), binarize: spec.binarize, images, k, seed: spec.seed, processes, backend: args.backend };
    const est = await estimateNllInProcesses(options, (done) => bar.update(done));
    bar.stop();
    console.log(`${spec.name}: -L_${k} = ${est.nll.toFixed(2)} ± ${est.standardError.toFixed(2)} nats, -ELBO ${est.negElbo.toFixed(2)} (${est.seconds.toFixed(0)} s)`);
    const stored: StoredNll = { k, images: est.count, seed: spec.seed, binarize: spec.binarize, nll: est.nll, standardError: est.standardError, negElbo: est.negElbo, seconds: est.seconds };
    return processes > 1 ? { ...stored, processes } : stored;
  } finally {
    bar.stop();
  }
}

/** The untrained model of a spec, its weights seeded by `spec.config.seed`. */
function makeModel(spec: PretrainSpec): SavedModel {
  switch (spec.kind) {
    case "classifier":
      return new Classifier(spec.config as ResolvedClassifierConfig);
    case "conv-vae":
      return new ConvVAE(spec.config as ResolvedConvConfig);
    case "cvae":
      return new ConditionalVAE(spec.config as ResolvedCvaeConfig);
    case "vae":
      return new VAE({ ...(spec.config as DenseConfig), likelihood: spec.likelihood });
    case "autoencoder":
      return new Autoencoder(spec.config as DenseConfig);
  }
}

/** The test metrics of an index entry, with their units. */
function describeMetrics(entry: PretrainedEntry): string {
  const test = entry.metrics?.test;
  if (!test) return "no test split";
  if (entry.kind === "classifier") return `accuracy ${(100 * test.accuracy).toFixed(2)}%, cross-entropy ${test.crossEntropy.toFixed(4)} nats per image`;
  return `${formatTerms(test)} nats per image`;
}

async function run(args: PretrainArgs): Promise<number> {
  await initBackend(args.backend);
  if (args.epochs !== undefined || args.limit !== undefined) {
    console.log("Note: --epochs/--limit make trial models, not the full-quality ones the notebooks expect.");
  }
  fs.mkdirSync(args.out, { recursive: true });
  const cache = new Map<string, { train: MnistSplit; test: MnistSplit }>();
  for (const spec of args.nllOnly ? args.models.filter((m) => m.nll) : args.models) {
    const entry = args.nllOnly ? savedEntry(spec, args.out) : await pretrainOne(spec, args, cache);
    if (spec.nll) entry.nll = await testNll(spec, args);
    // Update the index after every model, so finished models are usable even if a later one fails.
    const kept = readPretrainedIndex(args.out).models.filter((m) => m.name !== spec.name && fs.existsSync(path.join(args.out, m.name, MANIFEST_JSON)));
    await writePretrainedIndex(args.out, [...kept, entry]);
    console.log(`${spec.name}: saved ${(entry.bytes / 1e6).toFixed(2)} MB; test ${describeMetrics(entry)} (binarize "${spec.binarize}")`);
  }
  const index = readPretrainedIndex(args.out);
  const total = index.models.reduce((n, m) => n + m.bytes, 0);
  console.log(`\n${index.models.length} models in ${args.out}, ${(total / 1e6).toFixed(2)} MB in all.`);
  if (total > MAX_BYTES) {
    console.error(`pretrain: ${args.out} holds ${(total / 1e6).toFixed(2)} MB, over the budget of ${(MAX_BYTES / 1e6).toFixed(2)} MB.`);
    return 1;
  }
  return 0;
}

void runCommand("pretrain", USAGE, async () => {
  const args = parsePretrainArgs(process.argv.slice(2));
  if (args === "help") process.stdout.write(USAGE);
  if (args === "list") {
    for (const m of MODELS) {
      console.log(`${m.name.padEnd(28)} ${m.kind.padEnd(12)} ${m.description}  [${m.notebooks.join(", ")}]`);
    }
  }
  return typeof args === "string" ? 0 : run(args);
});
