import * as tf from "@tensorflow/tfjs";

/** Per-example loss terms of a batch, each `[batch]`, in nats. */
export type LossTerms = Record<string, tf.Tensor1D>;

/** What the training loop needs from a model. */
export interface Trainable {
  /** The variables the optimizer updates. */
  trainableVariables(): tf.Variable[];
  /**
   * The scalar loss to minimize for a batch (mean over examples, nats per image) and the
   * per-example terms to report. Called inside `tf.tidy` / `optimizer.minimize`.
   *
   * @param x `[batch, inputDim]` in [0, 1].
   * @param options.beta weight of the KL term (ignored by models without one).
   * @param options.seed seed of the sampling noise for this batch.
   * @param options.labels digit labels 0..9 of the rows of x, `[batch]`, which `fit` and
   *   `evaluate` pass from the split; a model conditioned on the label (`ConditionalVAE`)
   *   needs them, the others ignore them.
   */
  lossTerms(x: tf.Tensor2D, options: { beta: number; seed: number; labels?: Int32Array }): { loss: tf.Scalar; terms: LossTerms };
  /**
   * The values the model's likelihood takes, which `fit` and `evaluate` check once at the
   * start: `"unit"` pixel values in [0, 1] (a Bernoulli decoder, as the kit's models have),
   * or `"finite"` any finite numbers (the default, for models that do not say).
   */
  readonly dataRange?: "unit" | "finite";
}

/** The `tf.Variable`s behind the trainable weights of some layers models. */
export function variablesOf(...models: tf.LayersModel[]): tf.Variable[] {
  return models.flatMap((m) => m.trainableWeights.map((w) => w.read() as tf.Variable));
}

/**
 * The position of the first variable that holds a NaN or an infinity, or -1 when all are
 * finite; one read for all of them.
 */
export function firstNonFiniteVariable(variables: tf.Variable[]): number {
  if (variables.length === 0) return -1;
  const finite = tf.tidy(() => tf.stack(variables.map((v) => tf.all(tf.isFinite(v)))).dataSync());
  return finite.findIndex((ok) => !ok);
}
