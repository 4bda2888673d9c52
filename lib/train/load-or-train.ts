import { MnistSplit } from "../data/mnist";
import { Autoencoder } from "../models/autoencoder";
import { VAE } from "../models/vae";
import { loadPretrained } from "../persist/pretrained";
import { EpochRecord, fit, FitOptions } from "./fit";
import { formatTerms } from "./progress";

/** A model ready for a notebook, with its training history. */
export interface ReadyModel<M extends Autoencoder | VAE> {
  model: M;
  /** One record per training epoch: from this run, or from the pretrained model's manifest. */
  history: EpochRecord[];
  /** `"pretrained"` when loaded from `pretrained/<name>`, `"trained"` when trained here. */
  source: "pretrained" | "trained";
  /** Number of training images the model was trained on. */
  trainImages: number;
}

/**
 * The notebooks' way to get a model: load the pretrained model `name` (seconds), or, when
 * `retrain` is true, build a fresh one with `make` and train it with `fit` on `data`.
 * Prints one line saying which happened and the model's test metrics.
 *
 * @param name a model in `pretrained/manifest.json`, e.g. `"vae-20d"`.
 * @param options.retrain train instead of loading (the notebooks' `RETRAIN` setting).
 * @param options.make builds the untrained model, e.g. `() => new VAE({ latentDim: 20, seed: 1 })`.
 * @param options.data the splits to train and evaluate on, when retraining.
 * @param options.fit `fit` settings, when retraining.
 * @throws Error from `loadPretrained` (telling how to make the models) when a pretrained
 *   model is missing or damaged, or from `fit`.
 *
 * @example
 * const { model: vae, history } = await loadOrTrain("vae-20d", {
 *   retrain: RETRAIN, make: () => new VAE({ latentDim: 20, seed: 1 }), data: data, fit: { epochs: 10, seed: 1 } });
 */
export async function loadOrTrain<M extends Autoencoder | VAE>(
  name: string,
  options: { retrain: boolean; make: () => M; data: { train: MnistSplit; test?: MnistSplit }; fit?: FitOptions },
): Promise<ReadyModel<M>> {
  if (options.retrain) {
    const model = options.make();
    const { history } = await fit(model, options.data, options.fit);
    console.log(`Trained ${name} here: ${describeLast(history)}`);
    return { model, history, source: "trained", trainImages: options.data.train.count };
  }
  const { model, manifest } = await loadPretrained(name);
  const data = manifest.data ? `${manifest.data.train} ${manifest.data.binarize === "none" ? "grey-level" : manifest.data.binarize + "ally binarized"} MNIST images` : "unrecorded data";
  console.log(`Loaded the pretrained model ${name} (${manifest.history.length} epochs on ${data}): ${describeLast(manifest.history)}`);
  return { model: model as M, history: manifest.history, source: "pretrained", trainImages: manifest.data?.train ?? 0 };
}

function describeLast(history: EpochRecord[]): string {
  const test = history[history.length - 1]?.test;
  if (!test) return "no test metrics.";
  return `test ${formatTerms(test)} nats/image.`;
}
