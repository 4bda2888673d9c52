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
   */
  lossTerms(x: tf.Tensor2D, options: { beta: number; seed: number }): { loss: tf.Scalar; terms: LossTerms };
}

/** The `tf.Variable`s behind the trainable weights of some layers models. */
export function variablesOf(...models: tf.LayersModel[]): tf.Variable[] {
  return models.flatMap((m) => m.trainableWeights.map((w) => w.read() as tf.Variable));
}
