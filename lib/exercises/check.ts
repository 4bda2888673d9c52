import { displayBundle } from "../runtime/display";
import { exercise } from "./registry";
import { reportBundle } from "./report";
import { CheckResult } from "./result";

/** Options of {@link check}. */
export interface CheckOptions {
  /** Show the report in the notebook (or print it outside one); default true. */
  show?: boolean;
}

/**
 * Check a learner's answer to exercise `id` and show what passed, what failed (expected and
 * actual values) and a hint, in either kernel (tslab, Deno) or as text outside a notebook.
 *
 * - A "fill in this function" exercise takes the function itself: `check("04.2", myKl)`.
 *   It is called on every case the exercise knows the answer to (edge cases included);
 *   a case that throws or returns the wrong value or shape fails without stopping the others.
 * - An experiment takes the numbers measured, by name: `check("01.1", { reconstruction20: 98.4 })`,
 *   or a plain number when it asks for one.
 *
 * A wrong or unfinished answer never makes the cell fail: the check only reports it. No
 * tensors are left behind.
 *
 * @param id the exercise, e.g. `"04.2"` (see {@link list}).
 * @param answer the learner's function, or their measurements.
 * @returns the {@link CheckResult}; `result.passed` is true when every case passed.
 * @throws Error when no exercise has this id (the message lists the ids).
 * @example
 * const result = kit.exercises.check("04.2", (mu, logVar) => tf.zeros([mu.shape[0]]));
 * result.passed   // false: only the case at the prior (mu = 0, log σ² = 0) passes
 */
export function check(id: string, answer: unknown, options: CheckOptions = {}): CheckResult {
  const ex = exercise(id);
  const result = new CheckResult(ex.id, ex.title, ex.kind, ex.run(answer), ex.hint, ex.lookFor);
  if (options.show ?? true) void displayBundle(reportBundle(result));
  return result;
}
