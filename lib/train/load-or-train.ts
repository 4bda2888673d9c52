import { MnistSplit } from "../data/mnist";
import { VAE } from "../models/vae";
import { EncoderDecoderModel, modelKind } from "../persist/model-kinds";
import { loadPretrained } from "../persist/pretrained";
import { argumentError } from "../runtime/checks";
import { EpochRecord, fit, FitOptions } from "./fit";
import { formatTerms } from "./progress";

/** A model ready for a notebook, with its training history. */
export interface ReadyModel<M extends EncoderDecoderModel> {
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
 * `retrain` is true, train a fresh one with `fit` on `data`. The fresh model is `into`, a
 * model declared in an earlier notebook cell, or else one built by `make`. With `into`, the
 * model is that very object either way: a pretrained model's weights are copied into it.
 * That is what a notebook wants in tslab, where interrupting a cell forgets the names the
 * cell declared: a model declared one cell earlier keeps the weights training gave it.
 * Prints one line saying which happened and the model's test metrics.
 *
 * @param name a model in `pretrained/manifest.json`, e.g. `"vae-20d"`.
 * @param options.retrain train instead of loading (the notebooks' `RETRAIN` setting).
 * @param options.into the untrained model to train or to load the weights into, e.g.
 *   `kit.hold("vae", new VAE({ latentDim: 20, seed: 1 }))` in an earlier cell; it must have
 *   the pretrained model's architecture.
 * @param options.make builds the untrained model, e.g. `() => new VAE({ latentDim: 20, seed: 1 })`;
 *   used when `into` is not given.
 * @param options.data the splits to train and evaluate on, when retraining.
 * @param options.fit `fit` settings, when retraining.
 * @throws Error from `loadPretrained` (telling how to make the models) when a pretrained
 *   model is missing or damaged, or from `fit`; Error when neither `into` nor `make` is
 *   given, or when `into` does not have the pretrained model's architecture (names both).
 *
 * @example
 * const { model: vae, history } = await loadOrTrain("vae-20d", {
 *   retrain: RETRAIN, make: () => new VAE({ latentDim: 20, seed: 1 }), data: data, fit: { epochs: 10, seed: 1 } });
 */
export async function loadOrTrain<M extends EncoderDecoderModel>(
  name: string,
  options: { retrain: boolean; into?: M; make?: () => M; data: { train: MnistSplit; test?: MnistSplit }; fit?: FitOptions },
): Promise<ReadyModel<M>> {
  if (!options.into && !options.make) {
    throw argumentError("loadOrTrain", "options", "an object with into (a model) or make (a function that builds one)", "neither", TypeError);
  }
  if (options.retrain) {
    const model = options.into ?? options.make!();
    const { history } = await fit(model, options.data, options.fit);
    console.log(`Trained ${name} here: ${describeLast(history)}`);
    return { model, history, source: "trained", trainImages: options.data.train.count };
  }
  const { model: loaded, manifest } = await loadPretrained(name, { kind: options.into ? modelKind(options.into, "loadOrTrain") : undefined });
  const model = options.into ? copyWeightsInto(name, loaded as M, options.into) : (loaded as M);
  const data = manifest.data ? `${manifest.data.train} ${manifest.data.binarize === "none" ? "grey-level" : manifest.data.binarize + "ally binarized"} MNIST images` : "unrecorded data";
  console.log(`Loaded the pretrained model ${name} (${manifest.history.length} epochs on ${data}): ${describeLast(manifest.history)}`);
  return { model, history: manifest.history, source: "pretrained", trainImages: manifest.data?.train ?? 0 };
}

/**
 * Copy the weights of `loaded` into `target` (same architecture and, for a VAE, the same
 * decoder distribution, whose learned log sigma is copied too), dispose `loaded`, return `target`.
 */
function copyWeightsInto<M extends EncoderDecoderModel>(name: string, loaded: M, target: M): M {
  try {
    if (loaded instanceof VAE && target instanceof VAE) {
      const [from, to] = [loaded.likelihood, target.likelihood].map((l) => JSON.stringify(l));
      if (from !== to) throw argumentError("loadOrTrain", "options.into", `a model with the decoder distribution of the pretrained ${name} (likelihood ${from})`, `likelihood ${to}`);
      if (loaded.logSigma && target.logSigma) target.logSigma.assign(loaded.logSigma);
    }
    for (const part of ["encoder", "decoder"] as const) {
      const from = loaded[part].getWeights();
      const to = target[part].getWeights();
      const shapes = (ws: { shape: number[] }[]) => ws.map((w) => `[${w.shape.join(", ")}]`).join(" ");
      if (from.length !== to.length || from.some((w, i) => w.shape.join() !== to[i].shape.join())) {
        throw argumentError("loadOrTrain", "options.into", `a model with the architecture of the pretrained ${name} (${part} weights ${shapes(from)})`, `${part} weights ${shapes(to)}`);
      }
      target[part].setWeights(from);
    }
  } finally {
    loaded.dispose();
  }
  return target;
}

function describeLast(history: EpochRecord[]): string {
  const test = history[history.length - 1]?.test;
  if (!test) return "no test metrics.";
  return `test ${formatTerms(test)} nats/image.`;
}
