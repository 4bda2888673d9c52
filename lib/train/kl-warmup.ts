import { checkFinite, checkInteger } from "../runtime/checks";

/**
 * The KL weight under linear KL warm-up (Bowman et al. 2016, "Generating Sentences from a
 * Continuous Space", Sec. 3.1; Sønderby et al. 2016, "Ladder Variational Autoencoders",
 * Sec. 2.3): beta rises linearly from 0 to `beta` over the first `warmupEpochs` epochs,
 * step by step, and stays at `beta` after that,
 *
 *   beta_t = beta * min(1, t / (warmupEpochs * stepsPerEpoch)),   t = 0, 1, 2, ...
 *
 * The weight depends only on the global step `t`, so a run resumed at epoch e continues
 * the schedule where it stopped (t = e * stepsPerEpoch at the start of epoch e).
 *
 * @param step global optimizer step t, an integer >= 0 (0 is the first update).
 * @param stepsPerEpoch updates per epoch, an integer >= 1.
 * @param warmupEpochs epochs of warm-up, finite and >= 0; 0 turns warm-up off.
 * @param beta the final KL weight (default 1), finite and >= 0.
 * @returns the KL weight for update `step`, in [0, beta].
 * @throws Error naming the argument when one is out of range.
 *
 * @example
 * warmupBeta(50, 100, 2) // 0.25: a quarter of the way through two epochs of 100 steps
 */
export function warmupBeta(step: number, stepsPerEpoch: number, warmupEpochs: number, beta = 1): number {
  const fn = "warmupBeta";
  checkInteger(fn, "step", step, 0);
  checkInteger(fn, "stepsPerEpoch", stepsPerEpoch, 1);
  checkFinite(fn, "warmupEpochs", warmupEpochs, 0);
  checkFinite(fn, "beta", beta, 0);
  if (warmupEpochs === 0) return beta;
  return beta * Math.min(1, step / (warmupEpochs * stepsPerEpoch));
}
