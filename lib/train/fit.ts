import * as tf from "@tensorflow/tfjs";
import { batches, numBatches } from "../data/batches";
import { MnistSplit } from "../data/mnist";
import { checkSplit, markChecked } from "../data/pixels";
import { Trainable } from "../models/trainable";
import { VAE } from "../models/vae";
import { kernel } from "../runtime/display";
import { nextTurn } from "../runtime/next-turn";
import { argumentError, checkFinite, checkInteger, checkPositive, checkPositiveInteger, describe } from "../runtime/checks";
import { Rng } from "../runtime/seed";
import { Adam } from "../fast/adam";
import { fastLoss, LossFunction } from "../fast/fast-loss";
import { evaluateChecked, TermMeans } from "./evaluate";
import { warmupBeta } from "./kl-warmup";
import { nonFiniteLossError } from "./non-finite";
import { createProgress, ProgressMode } from "./progress";

/** Settings of `fit`. */
export interface FitOptions {
  /** Passes over the training split (default 10). */
  epochs?: number;
  /** Images per gradient step (default 128). */
  batchSize?: number;
  /** Adam step size (default 1e-3). */
  learningRate?: number;
  /** Weight of the KL term in the loss (default 1: the plain VAE); with `warmupEpochs`, the weight reached after the warm-up. */
  beta?: number;
  /**
   * Epochs of linear KL warm-up (default 0: none): the KL weight rises from 0 to `beta` over
   * the first `warmupEpochs` epochs, step by step, and stays at `beta` after that
   * (`warmupBeta`; Bowman et al. 2016, Sec. 3.1; Sønderby et al. 2016, Sec. 2.3). The weight
   * depends only on the global step, so a resumed run continues the schedule exactly.
   */
  warmupEpochs?: number;
  /**
   * Free bits, nats per latent dimension (default 0: none): the KL term of the loss is
   * sum_j max(freeBits, batch-mean KL of dimension j) (`freeBitsKl`; Kingma et al. 2016,
   * Appendix C.8), so a dimension below `freeBits` nats is not pushed further onto the prior.
   * For a `VAE` only; it trains with the model's readable `lossTerms` (the fast path has
   * no per-dimension KL). The reported terms stay the true reconstruction and KL.
   */
  freeBits?: number;
  /** Seed of shuffling, sampling noise and dynamic binarization (default 0). */
  seed?: number;
  /** Stops training after the current step when aborted; `fit` then returns normally. */
  signal?: AbortSignal;
  /**
   * Also stop after the current step on an interrupt (SIGINT: Ctrl-C in a terminal, the
   * interrupt button of a notebook). `"auto"` (default): in a notebook kernel yes, so an
   * interrupted cell does not go on training in the background; elsewhere no, so Ctrl-C
   * still ends a script (which can pass its own `signal` instead).
   */
  stopOnInterrupt?: boolean | "auto";
  /**
   * Epochs already done, when continuing a run (default 0): trains epochs
   * `initialEpoch + 1` ... `epochs`, numbered so, with the same batches as an uninterrupted
   * run (each epoch's randomness comes from `epochSeed(seed, epoch)`). Pass the optimizer
   * of the earlier epochs too (`optimizer`), e.g. restored from a checkpoint.
   */
  initialEpoch?: number;
  /**
   * The optimizer to use; default a new `Adam(learningRate)` (see `adam.ts`) that `fit` disposes at
   * the end. A given optimizer is not disposed (the caller owns it, e.g. to save its state
   * or to continue training) and `learningRate` is ignored.
   */
  optimizer?: tf.Optimizer;
  /** `"auto"` (default): live display in a notebook, progress bar in a terminal; `"none"`. */
  progress?: ProgressMode;
  /** Called after each epoch with its record, e.g. to save a checkpoint. */
  onEpochEnd?: (record: EpochRecord) => void | Promise<void>;
}

/** The training settings `fit` uses, with its defaults filled in (as recorded in checkpoints). */
export function fitSettings(options: FitOptions): { epochs: number; batchSize: number; learningRate: number; beta: number; seed: number; warmupEpochs: number; freeBits: number } {
  return {
    epochs: options.epochs ?? 10,
    batchSize: options.batchSize ?? 128,
    learningRate: options.learningRate ?? 1e-3,
    beta: options.beta ?? 1,
    seed: options.seed ?? 0,
    warmupEpochs: options.warmupEpochs ?? 0,
    freeBits: options.freeBits ?? 0,
  };
}

/** What one epoch did: means over the epoch's training batches and over the test split. */
export interface EpochRecord {
  /** 1-based epoch number. */
  epoch: number;
  /** Wall-clock seconds of the epoch's training steps. */
  seconds: number;
  /** Mean loss terms over the training batches, nats per image. */
  train: TermMeans;
  /** Mean loss terms over the test split, nats per image (when a test split is given). */
  test?: TermMeans;
}

/** The result of `fit`. */
export interface FitResult {
  /** One record per epoch completed by this call (epochs `initialEpoch + 1` ...). */
  history: EpochRecord[];
  /** True when `signal` or an interrupt stopped training before the last epoch. */
  stopped: boolean;
}

/**
 * Train a model with Adam on mini-batches of a training split, and evaluate it on a test
 * split after every epoch.
 *
 * Each step draws a seeded, reshuffled mini-batch, computes the model's loss (for a VAE the
 * beta-weighted negative ELBO, nats per image) and applies one Adam update (Kingma & Ba,
 * 2015). The loss is the model's `lossTerms`, computed by its fast path (`fastLoss`,
 * the same numbers and gradients) when it has one and free bits are off. With
 * `warmupEpochs`, step t of the run weights the KL term by `warmupBeta(t, steps, warmupEpochs, beta)`. Epoch `e` takes its shuffling order, sampling-noise seeds and dynamic binarization
 * from `new Rng(epochSeed(seed, e))`, so a run continued from a checkpoint after epoch k
 * (`initialEpoch: k` with the saved optimizer) gives the same result as an uninterrupted one.
 * Nothing leaks: the tensor count after `fit` equals the count before (the default
 * optimizer's state is disposed too; a given `optimizer` keeps its state).
 *
 * Two checks catch a learner's usual mistakes where they happen, at no measurable cost
 * (`npm run bench`, record `checks-overhead`). The images of both splits are checked once,
 * at the start: finite, and in [0, 1] for a model whose `dataRange` is `"unit"` (the kit's
 * models, whose decoders are Bernoulli). And every step reads its loss before applying the
 * update (`optimizer.computeGradients`, then `applyGradients`): on the first loss that is
 * not finite, `fit` stops without applying it, so the model keeps its last finite weights
 * and no later `onEpochEnd` (no checkpoint) sees NaN weights.
 *
 * @param model an `Autoencoder`, a `VAE`, or anything `Trainable`.
 * @param data `train` split (required) and optional `test` split.
 * @returns the per-epoch history, and whether the run was stopped early.
 * @throws Error when an option is out of range (epochs, batchSize, learningRate, beta,
 *   initialEpoch, warmupEpochs, freeBits) or `freeBits` > 0 is given for a model that is not a `VAE`; when a split's images hold a NaN, an infinity or (for the kit's models) a
 *   value outside [0, 1], naming the value, its `[image, pixel]` and the usual cause (e.g.
 *   "divide by 255"); when a step's loss is not finite, naming the epoch, the step, the
 *   loss terms that went non-finite, the largest |log sigma^2| of the batch for a VAE when
 *   it is outside the range where float32 computes exp(log sigma^2) exactly (see
 *   `lib/objectives/gaussian.ts`), and the usual causes (a learning rate too high, unscaled
 *   data, log sigma^2 overflow).
 *
 * @example
 * const { history } = await fit(vae, { train, test }, { epochs: 5, seed: 1 });
 * history[4].test.negElbo; // nats per image
 */
export async function fit(
  model: Trainable,
  data: { train: MnistSplit; test?: MnistSplit },
  options: FitOptions = {},
): Promise<FitResult> {
  const { epochs, batchSize, learningRate, beta, seed, warmupEpochs, freeBits } = fitSettings(options);
  const initialEpoch = options.initialEpoch ?? 0;
  checkOptions({ epochs, batchSize, learningRate, beta, initialEpoch, warmupEpochs, freeBits });
  const lossTerms = trainingLoss(model, freeBits);
  const range = model.dataRange ?? "finite";
  checkSplit("fit", "data.train", data.train, range);
  if (data.test) checkSplit("fit", "data.test", data.test, range);
  if (initialEpoch >= epochs) return { history: [], stopped: false };
  const steps = numBatches(data.train.count, batchSize, false);
  const interrupt = await interruptListener(options.stopOnInterrupt ?? "auto");
  const signals = [options.signal, interrupt?.signal];
  const optimizer = options.optimizer ?? new Adam(learningRate);
  const progress = createProgress(options.progress ?? "auto", { epochs, steps });
  const history: EpochRecord[] = [];
  // One for the whole run: epochs shorter than its period must still let signals through.
  const pause = new EventLoopPause(100);
  try {
    for (let epoch = initialEpoch + 1; epoch <= epochs; epoch++) {
      const start = Date.now();
      const rng = new Rng(epochSeed(seed, epoch));
      const train = await trainEpoch(model, optimizer, data.train, lossTerms, { batchSize, beta, warmupEpochs, rng, epoch, steps, progress, signals, pause });
      if (train === undefined) break;
      const record: EpochRecord = { epoch, seconds: (Date.now() - start) / 1000, train };
      if (data.test) record.test = evaluateChecked(model, data.test, { seed, beta });
      history.push(record);
      progress.epochEnd(record);
      await options.onEpochEnd?.(record);
    }
  } finally {
    progress.close();
    interrupt?.dispose();
    if (options.optimizer === undefined) optimizer.dispose();
  }
  const stopped = initialEpoch + history.length < epochs;
  if (stopped && interrupt?.signal.aborted) {
    console.log(`Interrupted: stopped during epoch ${initialEpoch + history.length + 1}; ${initialEpoch + history.length} of ${epochs} epochs are complete.`);
  }
  return { history, stopped };
}

/**
 * The seed of epoch `epoch`'s randomness in a run with seed `seed`: a 32-bit FNV-1a hash of
 * the text `"<seed>/<epoch>"`. Distinct (seed, epoch) pairs give unrelated streams, and an
 * epoch's batches do not depend on the epochs before it.
 *
 * @returns an integer in [0, 2^32).
 * @example
 * epochSeed(1, 3); // the same number in every run
 */
export function epochSeed(seed: number, epoch: number): number {
  let hash = 0x811c9dc5;
  for (const ch of `${seed}/${epoch}`) {
    hash ^= ch.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * An AbortSignal that fires on SIGINT while training runs, or undefined when not wanted or
 * not possible here. `dispose()` removes the listener.
 *
 * The listener is added only after a turn of the event loop. tslab runs a cell's
 * synchronous part with `vm` `breakOnSigint`, and a SIGINT listener added inside that window
 * leaves the process with the default SIGINT action when the window closes (Node restores
 * the old signal handler), so the next interrupt would kill the kernel (observed with
 * tslab 1.0.22 on Node 20).
 */
async function interruptListener(mode: boolean | "auto"): Promise<{ signal: AbortSignal; dispose(): void } | undefined> {
  const wanted = mode === "auto" ? kernel() !== "none" : mode;
  if (!wanted || typeof process === "undefined" || typeof process.on !== "function") return undefined;
  await nextTurn();
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  try {
    process.on("SIGINT", onSigint);
  } catch {
    return undefined; // signals not supported here
  }
  return { signal: controller.signal, dispose: () => process.off("SIGINT", onSigint) };
}

/**
 * The loss `fit` trains with: the fast path when there is one and free bits are off, else
 * the model's readable `lossTerms` (with `freeBits` for a VAE).
 * @throws Error when `freeBits` > 0 and the model is not a `VAE`.
 */
function trainingLoss(model: Trainable, freeBits: number): LossFunction {
  if (freeBits === 0) return fastLoss(model) ?? ((x, options) => model.lossTerms(x, options));
  if (!(model instanceof VAE)) {
    throw argumentError("fit", "options.freeBits", "0 for a model other than a VAE (free bits act on a VAE's KL term per latent dimension)", `${freeBits} for a model of class ${model.constructor?.name ?? "unknown"}`);
  }
  return (x, options) => model.lossTerms(x, { ...options, freeBits });
}

/** One pass over the training split; undefined when stopped before the pass completed. */
async function trainEpoch(
  model: Trainable,
  optimizer: tf.Optimizer,
  train: MnistSplit,
  lossTerms: LossFunction,
  run: { batchSize: number; beta: number; warmupEpochs: number; rng: Rng; epoch: number; steps: number; progress: ReturnType<typeof createProgress>; signals: (AbortSignal | undefined)[]; pause: EventLoopPause },
): Promise<TermMeans | undefined> {
  const sums = new Map<string, tf.Scalar>();
  let count = 0;
  const variables = model.trainableVariables();
  try {
    for (const batch of batches(train, { batchSize: run.batchSize, rng: run.rng })) {
      try {
        if (run.signals.some((s) => s?.aborted)) return undefined;
        const x = markChecked(batch.x, model.dataRange ?? "finite"); // fit checked the split
        const step = (run.epoch - 1) * run.steps + batch.index; // global step, 0 first
        const options = { beta: warmupBeta(step, run.steps, run.warmupEpochs, run.beta), seed: run.rng.nextSeed(), labels: batch.labels };
        const at = { epoch: run.epoch, step: batch.index + 1, steps: run.steps };
        const loss = trainStep(model, optimizer, variables, lossTerms, x, options, sums, at);
        count += x.shape[0];
        run.progress.step(run.epoch, batch.index + 1, () => loss);
      } finally {
        batch.x.dispose();
      }
      await run.pause.maybe();
    }
    return Object.fromEntries([...sums].map(([name, s]) => [name, s.dataSync()[0] / count]));
  } finally {
    for (const s of sums.values()) s.dispose();
  }
}

/**
 * One step: the gradients of the loss (adding its terms to `sums`), the loss checked, then
 * the update. The loss is read before the update, a scalar read that costs microseconds on
 * the cpu and wasm backends, whose operations run synchronously; so a loss that is not
 * finite stops training with the weights from before the step.
 *
 * @returns the step's loss, nats per image.
 * @throws Error from `nonFiniteLossError` when the loss is NaN or infinite.
 */
function trainStep(
  model: Trainable,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  lossTerms: LossFunction,
  x: tf.Tensor2D,
  options: { beta: number; seed: number; labels: Int32Array },
  sums: Map<string, tf.Scalar>,
  at: { epoch: number; step: number; steps: number },
): number {
  const { value: loss, grads } = optimizer.computeGradients(() => {
    const { loss, terms } = lossTerms(x, options);
    for (const [name, t] of Object.entries(terms)) accumulate(sums, name, t.sum());
    return loss;
  }, variables);
  const value = loss.dataSync()[0];
  loss.dispose();
  if (!Number.isFinite(value)) {
    tf.dispose(grads);
    const run = { ...at, loss: value, learningRate: learningRateOf(optimizer), defaultLearningRate: fitSettings({}).learningRate };
    throw nonFiniteLossError(model, lossTerms, x, options, run);
  }
  optimizer.applyGradients(variables.map((v) => ({ name: v.name, tensor: grads[v.name] })));
  tf.dispose(grads);
  return value;
}

/** The optimizer's learning rate when it has one (the kit's `Adam` and TensorFlow.js's optimizers do). */
function learningRateOf(optimizer: tf.Optimizer): number | undefined {
  const rate = (optimizer as { learningRate?: unknown }).learningRate;
  return typeof rate === "number" ? rate : undefined;
}

/** Add `value` to the running sum `name`, keeping the sum alive across tidy scopes. */
function accumulate(sums: Map<string, tf.Scalar>, name: string, value: tf.Scalar): void {
  const previous = sums.get(name);
  sums.set(name, tf.keep(previous ? previous.add(value) : value.clone()));
  previous?.dispose();
}

/** Lets timers, abort signals and display messages through, at most every `ms` milliseconds. */
class EventLoopPause {
  private last = Date.now();
  constructor(private readonly ms: number) {}

  async maybe(): Promise<void> {
    if (Date.now() - this.last < this.ms) return;
    await nextTurn();
    this.last = Date.now();
  }
}

function checkOptions(o: { epochs: number; batchSize: number; learningRate: number; beta: number; initialEpoch: number; warmupEpochs: number; freeBits: number }): void {
  checkPositiveInteger("fit", "options.epochs", o.epochs);
  checkPositiveInteger("fit", "options.batchSize", o.batchSize);
  checkPositive("fit", "options.learningRate", o.learningRate);
  if (!(o.beta >= 0)) throw argumentError("fit", "options.beta", "a number >= 0", describe(o.beta));
  checkInteger("fit", "options.initialEpoch", o.initialEpoch, 0);
  checkFinite("fit", "options.warmupEpochs", o.warmupEpochs, 0);
  checkFinite("fit", "options.freeBits", o.freeBits, 0);
}
