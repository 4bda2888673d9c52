/**
 * Train a VAE (dense, convolutional or conditional) or an autoencoder on MNIST from the command line.
 *
 *   npm run train -- --model vae --latent 20 --epochs 10 --out runs/vae20
 *   npm run train -- --resume --out runs/vae20 --epochs 20
 *   npm run train -- --help
 *
 * Writes, in the run folder (--out):
 *   checkpoint/    after every epoch: encoder/ and decoder/ (TensorFlow.js layers format),
 *                  optimizer/ (Adam state, for --resume) and manifest.json (see lib/persist)
 *   metrics.json   after every epoch: settings and the per-epoch history, nats per image
 *   report.html    at the end: loss curves, reconstructions, samples, latent space (offline)
 * Exit codes: 0 done, 1 failed, 2 bad flags, 130 stopped by Ctrl-C.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Binarize, BINARIZE_MODES, loadMnistSplit, MnistSplit } from "../lib/data/mnist";
import { Autoencoder } from "../lib/models/autoencoder";
import { LikelihoodConfig, LIKELIHOODS, LikelihoodName } from "../lib/models/likelihood";
import { VAE } from "../lib/models/vae";
import { ConditionalVAE } from "../lib/models/conditional-vae";
import { ConvVAE } from "../lib/models/conv-vae";
import { recoverableFolder, writeJsonAtomically } from "../lib/persist/atomic";
import { CheckpointManifest, MANIFEST_JSON, ModelKind, readManifest } from "../lib/persist/manifest";
import { describeArchitecture, EncoderDecoderModel } from "../lib/persist/model-kinds";
import { modelReport, writeReport } from "../lib/plots/report";
import { BACKENDS, initBackend } from "../lib/runtime/backend";
import { MAX_WASM_THREADS } from "../lib/runtime/wasm-threads";
import { CheckpointFitResult, fitWithCheckpoints, resumeFit } from "../lib/train/checkpoint";
import type { EpochRecord } from "../lib/train/fit";
import { formatTerms } from "../lib/train/progress";
import { backendFlag, integerFlag, parseFlags, runCommand, UsageError } from "./command-line";

const USAGE = `Usage: npm run train -- [flags]        (or: npx tsx scripts/train.ts [flags])

Trains a VAE (dense, convolutional or conditional on the digit label) or an
autoencoder on MNIST with a progress bar. After every epoch it
writes <out>/checkpoint/ (model, optimizer state, manifest.json) and <out>/metrics.json;
at the end <out>/report.html (loss curves, reconstructions, samples, latent space).
Ctrl-C stops after the current step and keeps the checkpoint of the last completed
epoch; press it again to quit at once.

Model
  --model vae|autoencoder|conv-vae|cvae
                            model kind (default vae): a dense VAE, an autoencoder, a
                            convolutional VAE, or a conditional VAE (encoder and decoder
                            see the digit label)
  --hidden 400              hidden layer sizes, comma-separated, e.g. 512,256 (default 400;
                            not for conv-vae)
  --filters 32,64           conv-vae only: filters of the two stride-2 convolutions
                            (default 32,64)
  --latent 20               latent dimensions (default 20)
  --likelihood ${LIKELIHOODS.join("|")}
                            decoder distribution p(x|z), vae only (default bernoulli;
                            conv-vae and cvae decoders are Bernoulli)
  --sigma 1|learned|learned-per-pixel
                            gaussian only: a fixed sigma > 0, one learned sigma, or one
                            learned sigma per pixel (default 1)
Training
  --epochs 10               total epochs (default 10; with --resume the run's planned epochs)
  --batch-size 128          images per step (default 128)
  --lr 0.001                Adam learning rate (default 0.001)
  --beta 1                  weight of the KL term, vae only (default 1)
  --warmup 0                KL warm-up: beta rises linearly from 0 to --beta over the
                            first EPOCHS epochs, step by step, vae only (default 0: none)
  --free-bits 0             free bits: nats per latent dimension below which the KL of a
                            dimension (batch mean) is not pushed lower, dense vae only
                            (default 0)
  --seed 0                  seed of the weights, shuffling and sampling noise (default 0)
Data
  --binarize none|static|dynamic   pixels as grey levels, thresholded once, or sampled
                            afresh in every batch (default none)
  --limit N                 the first N training and first N test images (default all:
                            60,000 and 10,000)
Run
  --out DIR                 run folder (default runs/<model>-<hidden>-<latent>d-seed<seed>)
  --resume                  continue the run in --out from its checkpoint
  --force                   start from scratch even if --out holds a checkpoint
  --backend ${BACKENDS.join("|")}   TensorFlow.js backend (default $VAE_BACKEND, else the fastest)
  --threads 1               threads of the wasm backend, 1 to ${MAX_WASM_THREADS}, Node only (default
                            $VAE_WASM_THREADS, else 1); 2 pays when the run has the machine to itself
  --help                    show this help
`;

/** The parsed command line, every default filled in. */
interface TrainArgs {
  kind: ModelKind;
  hidden: number[];
  /** Filters of a conv VAE's two convolutions. */
  filters: [number, number];
  latent: number;
  likelihood: LikelihoodConfig;
  epochs: number;
  batchSize: number;
  lr: number;
  beta: number;
  warmup: number;
  freeBits: number;
  seed: number;
  binarize: Binarize;
  limit: number | undefined;
  out: string;
  resume: boolean;
  force: boolean;
  backend: string | undefined;
  /** Threads of the wasm backend in Node (undefined: `VAE_WASM_THREADS`, else 1). */
  threads: number | undefined;
  /** The flags given explicitly (to check them against a checkpoint when resuming). */
  given: Set<string>;
}

const FLAGS = {
  model: { type: "string" },
  hidden: { type: "string" },
  filters: { type: "string" },
  latent: { type: "string" },
  likelihood: { type: "string" },
  sigma: { type: "string" },
  epochs: { type: "string" },
  "batch-size": { type: "string" },
  lr: { type: "string" },
  beta: { type: "string" },
  warmup: { type: "string" },
  "free-bits": { type: "string" },
  seed: { type: "string" },
  binarize: { type: "string" },
  limit: { type: "string" },
  out: { type: "string" },
  resume: { type: "boolean" },
  force: { type: "boolean" },
  backend: { type: "string" },
  threads: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Parse and check the flags. @throws UsageError naming the flag and the bad value. */
function parseTrainArgs(argv: string[]): TrainArgs | "help" {
  const values = parseFlags(argv, FLAGS);
  if (values.help) return "help";
  const str = (name: string) => values[name] as string | undefined;
  const kindFlag = str("model") ?? "vae";
  const kinds: Record<string, ModelKind> = { vae: "vae", autoencoder: "autoencoder", ae: "autoencoder", "conv-vae": "conv-vae", cvae: "cvae" };
  if (!(kindFlag in kinds)) throw new UsageError(`--model must be vae, autoencoder, conv-vae or cvae, but got '${kindFlag}'.`);
  const kind = kinds[kindFlag];
  const binarize = str("binarize") ?? "none";
  if (!BINARIZE_MODES.includes(binarize as Binarize)) {
    throw new UsageError(`--binarize must be one of ${BINARIZE_MODES.join(", ")}, but got '${binarize}'.`);
  }
  const backend = backendFlag(str("backend"));
  for (const flag of ["beta", "warmup", "free-bits"]) {
    if (kind === "autoencoder" && str(flag) !== undefined) throw new UsageError(`--${flag} applies to --model vae only (an autoencoder has no KL term).`);
  }
  if (kind === "conv-vae" && str("hidden") !== undefined) throw new UsageError(`--hidden does not apply to --model conv-vae (its layers are set by --filters).`);
  if (kind !== "conv-vae" && str("filters") !== undefined) throw new UsageError(`--filters applies to --model conv-vae only.`);
  if ((kind === "conv-vae" || kind === "cvae") && str("free-bits") !== undefined) throw new UsageError(`--free-bits applies to --model vae only.`);
  const hidden = parseSizes(str("hidden") ?? "400");
  const filters = parseFilters(str("filters") ?? "32,64");
  const latent = integerFlag("latent", str("latent") ?? "20", 1);
  const seed = integerFlag("seed", str("seed") ?? "0", Number.MIN_SAFE_INTEGER);
  const args: TrainArgs = {
    kind,
    hidden,
    filters,
    latent,
    likelihood: parseLikelihood(kind, str("likelihood"), str("sigma")),
    epochs: integerFlag("epochs", str("epochs") ?? "10", 1),
    batchSize: integerFlag("batch-size", str("batch-size") ?? "128", 1),
    lr: positive("lr", str("lr") ?? "0.001"),
    beta: nonNegative("beta", str("beta") ?? "1"),
    warmup: nonNegative("warmup", str("warmup") ?? "0"),
    freeBits: nonNegative("free-bits", str("free-bits") ?? "0"),
    seed,
    binarize: binarize as Binarize,
    limit: str("limit") === undefined ? undefined : integerFlag("limit", str("limit") as string, 1),
    out: str("out") ?? path.join("runs", `${kind}-${(kind === "conv-vae" ? filters : hidden).join("-") || "linear"}-${latent}d-seed${seed}`),
    resume: values.resume === true,
    force: values.force === true,
    backend,
    threads: str("threads") === undefined ? undefined : threadsFlag(str("threads") as string),
    given: new Set(Object.keys(values).filter((k) => values[k] !== undefined)),
  };
  if (args.resume && args.force) throw new UsageError(`--resume and --force cannot be used together.`);
  if (args.resume && str("out") === undefined) throw new UsageError(`--resume needs --out, the run folder to continue.`);
  return args;
}

/** --threads, from 1 to MAX_WASM_THREADS. @throws UsageError naming the value. */
function threadsFlag(text: string): number {
  const n = integerFlag("threads", text, 1);
  if (n > MAX_WASM_THREADS) throw new UsageError(`--threads must be at most ${MAX_WASM_THREADS} (the wasm backend's pool), but got '${text}'.`);
  return n;
}

/** The decoder distribution from --likelihood and --sigma. @throws UsageError. */
function parseLikelihood(kind: ModelKind, name: string | undefined, sigma: string | undefined): LikelihoodConfig {
  if (kind !== "vae" && name !== undefined) throw new UsageError(`--likelihood applies to --model vae only (${kind === "autoencoder" ? "an autoencoder has no decoder distribution" : `the ${kind} decoder is Bernoulli`}).`);
  const likelihood = name ?? "bernoulli";
  if (!LIKELIHOODS.includes(likelihood as LikelihoodName)) {
    throw new UsageError(`--likelihood must be one of ${LIKELIHOODS.join(", ")}, but got '${likelihood}'.`);
  }
  if (likelihood !== "gaussian") {
    if (sigma !== undefined) throw new UsageError(`--sigma applies to --likelihood gaussian only, but the likelihood is ${likelihood}.`);
    return { name: likelihood as LikelihoodName };
  }
  if (sigma === "learned" || sigma === "learned-per-pixel") return { name: "gaussian", sigma };
  const value = Number(sigma ?? "1");
  if (sigma?.trim() === "" || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(`--sigma must be a positive number, 'learned' or 'learned-per-pixel', but got '${sigma}'.`);
  }
  return { name: "gaussian", sigma: value };
}

function positive(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n <= 0) throw new UsageError(`--${flag} must be a positive number, but got '${text}'.`);
  return n;
}

function nonNegative(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n < 0) throw new UsageError(`--${flag} must be a number >= 0, but got '${text}'.`);
  return n;
}

function parseFilters(text: string): [number, number] {
  const parts = text.split(",");
  if (parts.length !== 2 || parts.some((p) => !/^\s*\d+\s*$/.test(p) || Number(p) < 1)) {
    throw new UsageError(`--filters must be two positive integers separated by a comma (e.g. 16,32), but got '${text}'.`);
  }
  return [Number(parts[0]), Number(parts[1])];
}

function parseSizes(text: string): number[] {
  if (text === "none") return [];
  const parts = text.split(",");
  if (parts.some((p) => !/^\s*\d+\s*$/.test(p) || Number(p) < 1)) {
    throw new UsageError(`--hidden must be positive integers separated by commas (e.g. 512,256) or 'none', but got '${text}'.`);
  }
  return parts.map(Number);
}

/** An AbortController fired by the first Ctrl-C; a second one (a second later or more) quits at once. */
function interruptController(): AbortController {
  const controller = new AbortController();
  let first = 0;
  process.on("SIGINT", () => {
    if (!controller.signal.aborted) {
      first = Date.now();
      controller.abort();
      process.stderr.write("\nStopping after the current step; the checkpoint of the last completed epoch stays valid. Press Ctrl-C again to quit now.\n");
      return;
    }
    // npm and the terminal may both deliver the same Ctrl-C: ignore repeats within a second.
    if (Date.now() - first < 1000) return;
    process.stderr.write("Quitting now.\n");
    process.exit(130);
  });
  return controller;
}

/** Check that flags given with --resume agree with the checkpoint. @throws UsageError. */
function checkAgainstCheckpoint(args: TrainArgs, manifest: CheckpointManifest, dir: string): void {
  const t = manifest.training;
  const d = manifest.data;
  const checks: Array<[string, unknown, unknown]> = [
    ["model", args.kind, manifest.kind],
    ["hidden", args.hidden.join(","), "hiddenSizes" in manifest.config ? manifest.config.hiddenSizes.join(",") : undefined],
    ["filters", args.filters.join(","), "filters" in manifest.config ? manifest.config.filters.join(",") : undefined],
    ["latent", args.latent, "latentDim" in manifest.config ? manifest.config.latentDim : undefined],
    ["likelihood", args.likelihood.name, manifest.likelihood?.name ?? "bernoulli"],
    ["sigma", args.likelihood.sigma, manifest.likelihood?.sigma],
    ["seed", args.seed, t?.seed],
    ["batch-size", args.batchSize, t?.batchSize],
    ["lr", args.lr, t?.learningRate],
    ["beta", args.beta, t?.beta],
    ["warmup", args.warmup, t ? (t.warmupEpochs ?? 0) : undefined],
    ["free-bits", args.freeBits, t ? (t.freeBits ?? 0) : undefined],
    ["binarize", args.binarize, d?.binarize],
    ["limit", args.limit, d?.train],
  ];
  for (const [flag, mine, saved] of checks) {
    if (args.given.has(flag) && saved !== undefined && mine !== saved) {
      throw new UsageError(
        `--${flag} ${String(mine)} disagrees with the checkpoint in ${dir} (${String(saved)}). Leave it out to resume, ` +
          `or start a new run with another --out (or --force to overwrite this one).`,
      );
    }
  }
}

/** The training and test splits a run uses. */
function loadData(binarize: Binarize, trainCount: number | undefined, testCount: number | undefined, seed: number): { train: MnistSplit; test: MnistSplit } {
  return {
    train: loadMnistSplit("train", { binarize, limit: trainCount, seed }),
    test: loadMnistSplit("test", { binarize, limit: testCount, seed }),
  };
}

/** metrics.json: settings and history of the run, written atomically. */
async function writeMetrics(out: string, manifest: CheckpointManifest, stopped: boolean): Promise<string> {
  const file = path.join(out, "metrics.json");
  const last = manifest.history[manifest.history.length - 1];
  await writeJsonAtomically(file, {
    units: "nats per image (sum over pixels, mean over images)",
    kind: manifest.kind,
    config: manifest.config,
    data: manifest.data,
    training: manifest.training,
    test: last?.test ?? null,
    stopped,
    history: manifest.history,
    checkpoint: "checkpoint",
    updated: new Date().toISOString(),
  });
  return file;
}

function reportFacts(manifest: CheckpointManifest): Array<[string, string]> {
  const c = manifest.config;
  const t = manifest.training;
  const d = manifest.data;
  const last = manifest.history[manifest.history.length - 1];
  const facts: Array<[string, string]> = [
    ["model", `${manifest.kind}, ${describeArchitecture(manifest.kind, c)} (decoder mirrored), seed ${c.seed}`],
  ];
  if (manifest.kind === "vae") facts.push(["decoder", describeLikelihood(manifest.likelihood)]);
  if (d) facts.push(["data", `${d.dataset}: ${d.train} training and ${d.test} test images, binarize "${d.binarize}"`]);
  if (t) facts.push(["training", `${t.epochs} of ${t.plannedEpochs} epochs, batch ${t.batchSize}, Adam lr ${t.learningRate}, beta ${t.beta}${klSchedule(t)}, seed ${t.seed}`]);
  if (last?.test) facts.push(["test (last epoch)", `${formatTerms(last.test)} nats per image`]);
  facts.push(["library", `${manifest.library.name} ${manifest.library.version}, TensorFlow.js ${manifest.library.tfjs}`]);
  return facts;
}

/** KL warm-up and free bits in words (empty when neither is used), e.g. ", warm-up 5 epochs, free bits 0.5 nats". */
function klSchedule(t: { warmupEpochs?: number; freeBits?: number }): string {
  const warmup = t.warmupEpochs ? `, warm-up ${t.warmupEpochs} epochs` : "";
  return warmup + (t.freeBits ? `, free bits ${t.freeBits} nats per dimension` : "");
}

/** The decoder distribution in words, e.g. "gaussian, sigma 0.1". */
function describeLikelihood(likelihood: LikelihoodConfig | undefined): string {
  const name = likelihood?.name ?? "bernoulli";
  return likelihood?.sigma === undefined ? name : `${name}, sigma ${likelihood.sigma}`;
}

async function run(args: TrainArgs): Promise<number> {
  const out = path.resolve(args.out);
  const dir = path.join(out, "checkpoint");
  const exists = fs.existsSync(path.join(checkpointFolder(dir), MANIFEST_JSON));
  if (args.resume && !exists) throw new UsageError(`--resume: there is no checkpoint in ${dir} to continue.`);
  if (!args.resume && exists && !args.force) {
    throw new UsageError(`${out} already holds a checkpoint: add --resume to continue it, or --force to start again from scratch.`);
  }
  await initBackend(args.backend, { threads: args.threads });
  const controller = interruptController();
  const common = { signal: controller.signal, stopOnInterrupt: false as const };
  let result: CheckpointFitResult;
  let model: EncoderDecoderModel;
  let test: MnistSplit;
  const onCheckpoint = (m: CheckpointManifest) => writeMetrics(out, m, false).then(() => undefined);
  if (args.resume) {
    const manifest = readManifest(checkpointFolder(dir), "train");
    checkAgainstCheckpoint(args, manifest, dir);
    const d = manifest.data;
    if (!d || !manifest.training) throw new Error(`train: ${dir} records no data or training settings; it cannot be resumed.`);
    const epochs = args.given.has("epochs") ? args.epochs : manifest.training.plannedEpochs;
    if (epochs <= manifest.history.length) {
      console.log(`${dir} already has ${manifest.history.length} epochs (asked for ${epochs}): nothing to do. Use --epochs to train longer.`);
      return 0;
    }
    const data = loadData(d.binarize, d.train, d.test, manifest.training.seed);
    test = data.test;
    console.log(`Resuming ${dir} at epoch ${manifest.history.length + 1} of ${epochs}.`);
    ({ model, ...result } = await resumeFit(dir, data, { ...common, epochs, onCheckpoint }));
  } else {
    const data = loadData(args.binarize, args.limit, args.limit, args.seed);
    test = data.test;
    model = newModel(args);
    const what = {
      vae: `a VAE (${describeLikelihood(args.likelihood)} decoder)`,
      autoencoder: "an autoencoder",
      "conv-vae": "a convolutional VAE",
      cvae: "a conditional VAE",
      classifier: "a classifier",
    }[args.kind];
    console.log(
      `Training ${what} ${describeArchitecture(args.kind, model.config)} on ${data.train.count} MNIST images ` +
        `(binarize "${args.binarize}") for ${args.epochs} epoch${args.epochs === 1 ? "" : "s"}; checkpoints in ${dir}`,
    );
    result = await fitWithCheckpoints(model, data, {
      ...common,
      dir,
      epochs: args.epochs,
      batchSize: args.batchSize,
      learningRate: args.lr,
      beta: args.beta,
      warmupEpochs: args.warmup,
      freeBits: args.freeBits,
      seed: args.seed,
      onCheckpoint,
    });
  }
  try {
    return await finish(out, dir, model, test, result);
  } finally {
    model.dispose();
  }
}

/** The untrained model the flags describe, its weights seeded by --seed. */
function newModel(args: TrainArgs): EncoderDecoderModel {
  const config = { hiddenSizes: args.hidden, latentDim: args.latent, seed: args.seed };
  switch (args.kind) {
    case "conv-vae":
      return new ConvVAE({ filters: args.filters, latentDim: args.latent, seed: args.seed });
    case "cvae":
      return new ConditionalVAE(config);
    case "vae":
      return new VAE({ ...config, likelihood: args.likelihood });
    default:
      return new Autoencoder(config);
  }
}

/** The checkpoint folder, or the complete copy an interrupted save left next to it. */
function checkpointFolder(dir: string): string {
  return recoverableFolder(dir, MANIFEST_JSON) ?? dir;
}

/** Write the final metrics and the report, print where they are; the exit code. */
async function finish(out: string, dir: string, model: EncoderDecoderModel, test: MnistSplit, result: CheckpointFitResult): Promise<number> {
  const manifest = result.manifest;
  if (!manifest) {
    console.log("Stopped before the first epoch completed: no checkpoint was written.");
    return result.stopped ? 130 : 0;
  }
  const metrics = await writeMetrics(out, manifest, result.stopped);
  const report = path.join(out, "report.html");
  const title = `${manifest.kind === "autoencoder" ? "Autoencoder" : "VAE"} ${describeArchitecture(manifest.kind, manifest.config)}: ${path.basename(out)}`;
  await writeReport(report, modelReport(model, test, manifest.history, { title, facts: reportFacts(manifest), seed: manifest.training?.seed ?? 0 }));
  const last: EpochRecord | undefined = manifest.history[manifest.history.length - 1];
  const done = `${manifest.history.length} of ${manifest.training?.plannedEpochs ?? "?"} epochs`;
  const score = last?.test ? formatTerms(last.test) : "";
  console.log(`${result.stopped ? "Stopped" : "Done"}: ${done}${score ? `; test ${score} nats per image (binarize "${manifest.data?.binarize}")` : ""}.`);
  console.log(`checkpoint: ${dir}\nmetrics:    ${metrics}\nreport:     ${report}`);
  if (result.stopped) console.log(`Continue with: npm run train -- --resume --out ${path.relative(process.cwd(), out) || "."}`);
  return result.stopped ? 130 : 0;
}

void runCommand("train", USAGE, async () => {
  const args = parseTrainArgs(process.argv.slice(2));
  if (args !== "help") return run(args);
  process.stdout.write(USAGE);
  return 0;
});
