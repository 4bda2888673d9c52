import * as tf from "@tensorflow/tfjs";
import { formatValue } from "../data/pixels";
import type { LossFunction } from "../fast/fast-loss";
import { firstNonFiniteVariable, type Trainable } from "../models/trainable";
import { VAE } from "../models/vae";
import { FLOAT32_EXP_MAX, FLOAT32_EXP_MIN_NORMAL, FLOAT32_EXP_MIN_SUBNORMAL } from "../objectives/gaussian";
import { requirementError } from "../runtime/checks";

/** Where in a run the loss went non-finite, and the run's learning rate when known. */
export interface NonFiniteStep {
  epoch: number;
  /** 1-based step within the epoch, of `steps`. */
  step: number;
  steps: number;
  /** The loss `fit` read: NaN or an infinity. */
  loss: number;
  learningRate?: number;
  /** `fit`'s default learning rate, for the message. */
  defaultLearningRate: number;
}

/**
 * The error `fit` throws on the first step whose loss is not finite, before it applies
 * that step's update. It recomputes the step's loss terms (same batch, same noise seed,
 * the weights from before the update) to say which terms went non-finite in how many
 * images, reads log σ² of the batch for a VAE, and lists the usual causes:
 *
 *   Error in fit: the loss must stay finite, but got NaN at epoch 1, step 2 of 16 (...; kl is
 *   infinite in 109 of 128 images; ...). In this batch log σ² runs from -306.9 to 259.2 ...:
 *   exp(259.2) overflows to Infinity, and the KL term with it. Usual causes: a learning rate
 *   too high (this run's is 0.1; ...) or log σ² past the float32 range of exp, as here; ...
 *
 * Runs only when training has already failed, so it may take a forward pass.
 */
export function nonFiniteLossError(
  model: Trainable,
  lossTerms: LossFunction,
  x: tf.Tensor2D,
  options: { beta: number; seed: number; labels?: Int32Array },
  at: NonFiniteStep,
): Error {
  const terms = tf.tidy(() => Object.entries(lossTerms(x, options).terms).map(([name, t]) => describeTerm(name, t.dataSync())));
  const broken = terms.filter((t) => t !== undefined);
  const where = `${formatValue(at.loss)} at epoch ${at.epoch}, step ${at.step} of ${at.steps}`;
  const which = broken.length ? ` (${broken.join("; ")})` : "";
  const logVar = model instanceof VAE ? logVarReport(model, x) : undefined;
  const rate = at.learningRate === undefined ? "" : ` (this run's is ${formatValue(at.learningRate)}; fit's default is ${formatValue(at.defaultLearningRate)})`;
  const causes = [`a learning rate too high${rate}`];
  if (model.dataRange !== "unit") causes.push("data far from the scale the model expects (fit checked only that it is finite)");
  if (logVar?.overflow) causes.push("log σ² past the float32 range of exp, as here");
  const last = causes.pop();
  const checked = model.dataRange === "unit" ? "; the data passed fit's check at the start (finite, in [0, 1])" : "";
  const sentences = [
    ...(logVar ? [logVar.sentence] : []),
    `Usual causes: ${causes.length ? `${causes.join(", ")} or ${last}` : last}${checked}`,
    firstNonFiniteVariable(model.trainableVariables()) < 0
      ? "Training stopped before applying this step's update, so the model keeps its last finite weights"
      : "Training stopped before applying this step's update, but some weights were NaN or infinite already (an earlier update from an infinite gradient, or weights set outside fit)",
  ];
  return requirementError("fit", "the loss", "stay finite", `${where}${which}. ${sentences.join(". ")}`);
}

/** "kl is infinite in 3 of 128 images", or undefined when every value is finite. */
function describeTerm(name: string, values: ArrayLike<number>): string | undefined {
  let nan = 0;
  let infinite = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) nan++;
    else if (!Number.isFinite(values[i])) infinite++;
  }
  const parts = [nan ? `NaN in ${nan}` : "", infinite ? `infinite in ${infinite}` : ""].filter(Boolean);
  return parts.length ? `${name} is ${parts.join(" and ")} of ${values.length} images` : undefined;
}

/**
 * A sentence about log σ² of the batch when a value lies outside
 * [FLOAT32_EXP_MIN_NORMAL, FLOAT32_EXP_MAX] = [-87.34, 88.72], where exp(log σ²) is an exact
 * float32 (derived in `lib/objectives/gaussian.ts`), and whether exp(log σ²) overflowed
 * (which makes the KL term infinite); undefined inside the range.
 */
function logVarReport(model: VAE, x: tf.Tensor2D): { sentence: string; overflow: boolean } | undefined {
  const values = tf.tidy(() => model.encode(x).logVar.dataSync());
  const at = (i: number) => `[image ${Math.floor(i / model.config.latentDim)}, dimension ${i % model.config.latentDim}]`;
  let nan = -1;
  let largest = -1;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) {
      if (nan < 0) nan = i;
      continue;
    }
    if (largest < 0 || Math.abs(v) > Math.abs(values[largest])) largest = i;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  if (nan >= 0) return { sentence: `The encoder gives log σ² = NaN at ${at(nan)} of this batch: its activations overflowed float32`, overflow: false };
  if (largest < 0 || (min >= FLOAT32_EXP_MIN_NORMAL && max <= FLOAT32_EXP_MAX)) return undefined;
  const overflow = max > FLOAT32_EXP_MAX;
  const effect = overflow
    ? `exp(${short(max)}) overflows to Infinity, and the KL term with it`
    : `exp(log σ²) underflows toward 0 (it is 0 below ${FLOAT32_EXP_MIN_SUBNORMAL.toFixed(2)}), which the KL term survives`;
  return {
    sentence:
      `In this batch log σ² runs from ${short(min)} to ${short(max)} (largest |log σ²| ${short(Math.abs(values[largest]))}, at ${at(largest)}), ` +
      `outside [${FLOAT32_EXP_MIN_NORMAL.toFixed(2)}, ${FLOAT32_EXP_MAX.toFixed(2)}], where float32 computes exp(log σ²) exactly: ${effect}`,
    overflow,
  };
}

/** Four significant digits, e.g. 259.2. */
function short(v: number): string {
  return String(Number(v.toPrecision(4)));
}
