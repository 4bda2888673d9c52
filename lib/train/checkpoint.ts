import type { MnistSplit } from "../data/mnist";
import type { EncoderDecoderModel } from "../persist/model-kinds";
import { checkpointKind, loadCheckpoint } from "../persist/load";
import type { CheckpointManifest, DataInfo } from "../persist/manifest";
import { saveCheckpoint } from "../persist/save";
import { Adam } from "../fast/adam";
import { EpochRecord, fit, FitOptions, FitResult, fitSettings } from "./fit";

/**
 * Training with a checkpoint after every epoch, and resuming from one.
 *
 * After each epoch the model, the Adam state, the whole history and the test metrics go to
 * a checkpoint folder (see `saveCheckpoint`: crash-safe, manifest written last), so stopping
 * a run at any moment (Ctrl-C, a notebook interrupt, a crash) leaves the checkpoint of the
 * last completed epoch valid. `resumeFit` continues such a run; because every epoch's
 * randomness depends only on the seed and the epoch number (`epochSeed`), the resumed run
 * ends with the same weights as an uninterrupted one (up to float rounding).
 */

/** Settings of `fitWithCheckpoints`: those of `fit`, plus where and what to save. */
export interface CheckpointFitOptions extends FitOptions {
  /** The checkpoint folder, replaced after every epoch. */
  dir: string;
  /** Records of the epochs done before (resuming); they start the saved history, and
   *  `initialEpoch` defaults to their number. Default none. */
  previousHistory?: EpochRecord[];
  /** The training data for the manifest; default `describeData(data)`. */
  dataInfo?: DataInfo;
  /** Save the optimizer state (needed to resume exactly; triples the size); default true. */
  saveOptimizer?: boolean;
  /** Name and description for the manifest. */
  name?: string;
  description?: string;
  /** Called after each checkpoint is written, with its manifest. */
  onCheckpoint?: (manifest: CheckpointManifest) => void | Promise<void>;
}

/** The result of `fitWithCheckpoints` and `resumeFit`. */
export interface CheckpointFitResult extends FitResult {
  /** Every completed epoch of the run, the earlier ones (`previousHistory`) included. */
  fullHistory: EpochRecord[];
  /** The manifest of the last checkpoint written, or undefined when no epoch completed. */
  manifest?: CheckpointManifest;
}

/**
 * Describe the data of a run for a manifest: data set name, binarization and split sizes.
 * @param dataset default `"mnist"`.
 */
export function describeData(data: { train: MnistSplit; test?: MnistSplit }, dataset = "mnist"): DataInfo {
  return { dataset, binarize: data.train.binarize, train: data.train.count, test: data.test?.count ?? 0 };
}

/**
 * `fit`, saving a checkpoint into `options.dir` after every epoch.
 *
 * Uses `options.optimizer` or a new Adam optimizer (disposed at the end) whose state is
 * saved with the weights. Stopping (`signal`, an interrupt) ends training after the current
 * step; the checkpoint of the last completed epoch stays as it was.
 *
 * @param model an `Autoencoder`, a `VAE` or a `ConvVAE` (any `EncoderDecoderModel`).
 * @param data `train` and (for test metrics in the manifest) `test` splits.
 * @param options those of `fit`, plus `dir` (required), `previousHistory`, `dataInfo`,
 *   `saveOptimizer` (default true), `name`, `description`, `onCheckpoint`.
 * @returns `fit`'s result plus the full history and the last manifest written.
 * @throws Error from `fit` (bad options, bad data, a loss that stops being finite: `fit`
 *   throws before that epoch ends, so the checkpoint of the last completed epoch stays as it
 *   was) or from saving (file system, or weights that are not finite: `saveCheckpoint`
 *   refuses them).
 *
 * @example
 * const run = await fitWithCheckpoints(vae, { train, test }, { dir: "runs/vae/checkpoint", epochs: 10, seed: 1 });
 */
export async function fitWithCheckpoints(
  model: EncoderDecoderModel,
  data: { train: MnistSplit; test?: MnistSplit },
  options: CheckpointFitOptions,
): Promise<CheckpointFitResult> {
  const { dir, previousHistory = [], saveOptimizer = true } = options;
  const { epochs, batchSize, learningRate, beta, seed, warmupEpochs, freeBits } = fitSettings(options);
  const optimizer = options.optimizer ?? new Adam(learningRate);
  const fullHistory = [...previousHistory];
  let manifest: CheckpointManifest | undefined;
  try {
    const result = await fit(model, data, {
      ...options,
      initialEpoch: options.initialEpoch ?? previousHistory.length,
      optimizer,
      onEpochEnd: async (record) => {
        fullHistory.push(record);
        manifest = await saveCheckpoint(dir, model, {
          name: options.name,
          description: options.description,
          history: fullHistory,
          data: options.dataInfo ?? describeData(data),
          training: { plannedEpochs: epochs, batchSize, learningRate, beta, seed, warmupEpochs, freeBits },
          optimizer: saveOptimizer ? optimizer : undefined,
        });
        await options.onCheckpoint?.(manifest);
        await options.onEpochEnd?.(record);
      },
    });
    return { ...result, fullHistory, manifest };
  } finally {
    if (options.optimizer === undefined) optimizer.dispose();
  }
}

/** Settings of `resumeFit`. */
export interface ResumeOptions extends Pick<FitOptions, "signal" | "stopOnInterrupt" | "progress" | "onEpochEnd"> {
  /** Total epochs to reach; default the `plannedEpochs` of the checkpoint. */
  epochs?: number;
  /** Called after each checkpoint is written, with its manifest. */
  onCheckpoint?: (manifest: CheckpointManifest) => void | Promise<void>;
}

/**
 * Continue a run from its checkpoint folder `dir` (written by `fitWithCheckpoints`) up to
 * `epochs` epochs in total, with the checkpoint's model, Adam state, history and training
 * settings, saving a new checkpoint after every epoch.
 *
 * @param dir the checkpoint folder.
 * @param data the same data as the run used (checked against the manifest).
 * @returns the result, and the model (the caller disposes it).
 * @throws Error when the checkpoint cannot be loaded (see `loadCheckpoint`), has no
 *   optimizer state or training settings, or `data` differs from the manifest's data.
 *
 * @example
 * const { model, fullHistory } = await resumeFit("runs/vae/checkpoint", { train, test }, { epochs: 20 });
 */
export async function resumeFit(
  dir: string,
  data: { train: MnistSplit; test?: MnistSplit },
  options: ResumeOptions = {},
): Promise<CheckpointFitResult & { model: EncoderDecoderModel }> {
  const kind = checkpointKind(dir);
  if (kind === "classifier") throw new Error(`resumeFit: ${dir} holds a classifier, which fit does not train.`);
  const loaded = await loadCheckpoint(dir, { optimizer: true, kind });
  const { model, manifest, optimizer } = loaded;
  try {
    const training = manifest.training;
    if (!training) throw new Error(`resumeFit: ${loaded.dir} records no training settings, so the run cannot be continued.`);
    checkSameData(loaded.dir, manifest.data, describeData(data, manifest.data?.dataset));
    const result = await fitWithCheckpoints(model, data, {
      ...options,
      dir,
      epochs: options.epochs ?? training.plannedEpochs,
      batchSize: training.batchSize,
      learningRate: training.learningRate,
      beta: training.beta,
      seed: training.seed,
      warmupEpochs: training.warmupEpochs ?? 0,
      freeBits: training.freeBits ?? 0,
      optimizer,
      previousHistory: manifest.history,
      dataInfo: manifest.data ?? undefined,
      name: manifest.name,
      description: manifest.description,
    });
    return { ...result, manifest: result.manifest ?? manifest, model };
  } catch (err) {
    model.dispose();
    throw err;
  } finally {
    optimizer?.dispose();
  }
}

function checkSameData(dir: string, saved: DataInfo | null, given: DataInfo): void {
  if (!saved) return;
  for (const key of ["binarize", "train", "test"] as const) {
    if (saved[key] !== given[key]) {
      throw new Error(
        `resumeFit: the data differs from the checkpoint's: ${key} is ${JSON.stringify(given[key])}, but ${dir} was trained with ` +
          `${JSON.stringify(saved[key])} (${saved.train} training and ${saved.test} test images, binarize "${saved.binarize}").`,
      );
    }
  }
}
