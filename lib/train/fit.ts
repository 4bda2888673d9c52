import * as tf from "@tensorflow/tfjs";
import { batches, numBatches } from "../data/batches";
import { MnistSplit } from "../data/mnist";
import { Trainable } from "../models/trainable";
import { Rng } from "../runtime/seed";
import { evaluate, TermMeans } from "./evaluate";
import { createProgress, ProgressMode } from "./progress";

/** Settings of `fit`. */
export interface FitOptions {
  /** Passes over the training split (default 10). */
  epochs?: number;
  /** Images per gradient step (default 128). */
  batchSize?: number;
  /** Adam step size (default 1e-3). */
  learningRate?: number;
  /** Weight of the KL term in the loss (default 1: the plain VAE). */
  beta?: number;
  /** Seed of shuffling, sampling noise and dynamic binarization (default 0). */
  seed?: number;
  /** Stops training after the current step when aborted; `fit` then returns normally. */
  signal?: AbortSignal;
  /** `"auto"` (default): live display in a notebook, progress bar in a terminal; `"none"`. */
  progress?: ProgressMode;
  /** Called after each epoch with its record, e.g. to save a checkpoint. */
  onEpochEnd?: (record: EpochRecord) => void | Promise<void>;
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
  /** One record per completed epoch. */
  history: EpochRecord[];
  /** True when `signal` stopped training before the last epoch. */
  stopped: boolean;
}

/**
 * Train a model with Adam on mini-batches of a training split, and evaluate it on a test
 * split after every epoch.
 *
 * Each step draws a seeded, reshuffled mini-batch, computes the model's loss (for a VAE the
 * beta-weighted negative ELBO, nats per image) and applies one Adam update (Kingma & Ba,
 * 2015). Nothing leaks: the tensor count after `fit` equals the count before plus the
 * optimizer's own state, which is disposed too.
 *
 * @param model an `Autoencoder`, a `VAE`, or anything `Trainable`.
 * @param data `train` split (required) and optional `test` split.
 * @returns the per-epoch history, and whether the run was stopped early.
 * @throws Error when an option is out of range (epochs, batchSize, learningRate, beta).
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
  const { epochs = 10, batchSize = 128, learningRate = 1e-3, beta = 1, seed = 0 } = options;
  checkOptions({ epochs, batchSize, learningRate, beta });
  const rng = new Rng(seed);
  const optimizer = tf.train.adam(learningRate);
  const steps = numBatches(data.train.count, batchSize, false);
  const progress = createProgress(options.progress ?? "auto", { epochs, steps });
  const history: EpochRecord[] = [];
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const start = Date.now();
      const train = await trainEpoch(model, optimizer, data.train, { batchSize, beta, rng, epoch, progress, signal: options.signal });
      if (train === undefined) break;
      const record: EpochRecord = { epoch, seconds: (Date.now() - start) / 1000, train };
      if (data.test) record.test = evaluate(model, data.test, { seed, beta });
      history.push(record);
      progress.epochEnd(record);
      await options.onEpochEnd?.(record);
    }
  } finally {
    progress.close();
    optimizer.dispose();
  }
  return { history, stopped: history.length < epochs };
}

/** One pass over the training split; undefined when stopped before the pass completed. */
async function trainEpoch(
  model: Trainable,
  optimizer: tf.Optimizer,
  train: MnistSplit,
  run: { batchSize: number; beta: number; rng: Rng; epoch: number; progress: ReturnType<typeof createProgress>; signal?: AbortSignal },
): Promise<TermMeans | undefined> {
  const sums = new Map<string, tf.Scalar>();
  let count = 0;
  const variables = model.trainableVariables();
  const pause = new EventLoopPause(100);
  try {
    for (const batch of batches(train, { batchSize: run.batchSize, rng: run.rng })) {
      if (run.signal?.aborted) {
        batch.x.dispose();
        return undefined;
      }
      const seed = run.rng.nextSeed();
      const loss = optimizer.minimize(() => {
        const { loss, terms } = model.lossTerms(batch.x, { beta: run.beta, seed });
        for (const [name, t] of Object.entries(terms)) accumulate(sums, name, t.sum());
        return loss;
      }, true, variables) as tf.Scalar;
      count += batch.x.shape[0];
      batch.x.dispose();
      run.progress.step(run.epoch, batch.index + 1, () => loss.dataSync()[0]);
      loss.dispose();
      await pause.maybe();
    }
    return Object.fromEntries([...sums].map(([name, s]) => [name, s.dataSync()[0] / count]));
  } finally {
    for (const s of sums.values()) s.dispose();
  }
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
    await new Promise((resolve) => (typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0)));
    this.last = Date.now();
  }
}

function checkOptions(o: { epochs: number; batchSize: number; learningRate: number; beta: number }): void {
  if (!Number.isInteger(o.epochs) || o.epochs < 1) throw new Error(`fit: epochs must be a positive integer, but got ${o.epochs}.`);
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) throw new Error(`fit: batchSize must be a positive integer, but got ${o.batchSize}.`);
  if (!(o.learningRate > 0)) throw new Error(`fit: learningRate must be positive, but got ${o.learningRate}.`);
  if (!(o.beta >= 0)) throw new Error(`fit: beta must be >= 0, but got ${o.beta}.`);
}
