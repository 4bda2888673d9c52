import * as tf from "@tensorflow/tfjs";
import { MnistSplit } from "../data/mnist";
import { batches } from "../data/batches";
import { checkSplit, markChecked } from "../data/pixels";
import { Trainable } from "../models/trainable";
import { argumentError } from "../runtime/checks";
import { Rng } from "../runtime/seed";

/** Mean per-example loss terms, in nats per image, keyed by term name. */
export type TermMeans = Record<string, number>;

/**
 * Mean loss terms of a model over a whole split, without gradients, in large batches.
 * For a VAE: `negElbo`, `reconstruction`, `kl` (one posterior sample per image); for an
 * autoencoder: `reconstruction`.
 *
 * The split's images are checked once, at the start: finite, and in [0, 1] for a model whose
 * `dataRange` is `"unit"` (the kit's models, whose decoders are Bernoulli).
 *
 * @param options.batchSize images per forward pass (default 1000).
 * @param options.seed seed of the posterior samples and of dynamic binarization (default 0),
 *   so that repeated evaluations of the same model agree.
 * @param options.beta KL weight passed to the model (default 1; does not change the terms).
 * @returns means over the split, nats per image.
 * @throws Error when the split is empty, or its images hold a NaN, an infinity or (for the
 *   kit's models) a value outside [0, 1]: the message names the value, its
 *   `[image, pixel]` and the usual cause (e.g. "divide by 255").
 */
export function evaluate(
  model: Trainable,
  split: MnistSplit,
  options: { batchSize?: number; seed?: number; beta?: number } = {},
): TermMeans {
  checkSplit("evaluate", "split", split, model.dataRange ?? "finite");
  return evaluateChecked(model, split, options);
}

/** @internal `evaluate` of a split whose images were checked already (`fit` checks its test split once, not every epoch). */
export function evaluateChecked(
  model: Trainable,
  split: MnistSplit,
  options: { batchSize?: number; seed?: number; beta?: number } = {},
): TermMeans {
  const { batchSize = 1000, seed = 0, beta = 1 } = options;
  if (split.count === 0) throw argumentError("evaluate", "split", "non-empty", "a split of 0 examples");
  const rng = new Rng(seed);
  const sums: Record<string, number> = {};
  for (const batch of batches(split, { batchSize, rng, shuffle: false })) {
    const batchSums = tf.tidy(() => {
      const x = markChecked(batch.x, model.dataRange ?? "finite");
      const { terms } = model.lossTerms(x, { beta, seed: rng.nextSeed(), labels: batch.labels });
      return Object.fromEntries(Object.entries(terms).map(([name, t]) => [name, t.sum()]));
    });
    for (const [name, value] of Object.entries(batchSums)) {
      sums[name] = (sums[name] ?? 0) + value.dataSync()[0];
      value.dispose();
    }
    batch.x.dispose();
  }
  return Object.fromEntries(Object.entries(sums).map(([name, s]) => [name, s / split.count]));
}
