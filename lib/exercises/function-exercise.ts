import * as tf from "@tensorflow/tfjs";
import { describe } from "../runtime/checks";
import { type Exercise, type ExerciseInfo, answerOutcome } from "./exercise";
import type { CaseOutcome } from "./result";
import { type Expected, type ReadValue, type Tolerance, difference, formatValue, readValue } from "./values";

/** A property the answer must have when there is no single right value (e.g. a random sample). */
export interface Property {
  /** What the answer must satisfy, as the report shows it, e.g. `"mean within 0.02 of mu"`. */
  describe: string;
  /**
   * @param actual the learner's result, read into numbers.
   * @param args the case's arguments (the same tensors the answer received).
   * @returns undefined when it holds, else what is wrong, e.g. `"mean 0.3 instead of 0"`.
   */
  test(actual: ReadValue, args: unknown[]): string | undefined;
}

/** One case of a {@link functionExercise}: arguments, and the known answer or a property. */
export interface FunctionCase {
  /** What the case tries, e.g. `"zero mean, unit variance"` or `"large log σ² (±30)"`. */
  name: string;
  /** The arguments to call the learner's function with (tensors or numbers), made fresh for each case. */
  args: () => unknown[];
  /** The known answer, e.g. from the kit's own function or a hand value. Give this or `property`. */
  expected?: (...args: unknown[]) => Expected;
  /** What the answer must satisfy instead of one value. */
  property?: Property;
  /** Overrides the exercise's tolerance. */
  tolerance?: Tolerance;
  /** What usually makes this case fail, e.g. `"exp(logVar) is σ², not σ."`. */
  hint?: string;
}

/** The definition of a "fill in this function" exercise. */
export interface FunctionExerciseSpec extends ExerciseInfo {
  /** The function's signature as the starter cell declares it, e.g. `"(mu: tf.Tensor2D, logVar: tf.Tensor2D) => tf.Tensor1D"`. */
  signature: string;
  cases: FunctionCase[];
  /** Default for every case: abs 1e-4, rel 1e-4. */
  tolerance?: Tolerance;
}

function isThenable(value: unknown): boolean {
  return value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function";
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** Run `body` in a `tf.tidy` (which disposes every tensor made in it) and return its plain result. */
function tidyValue<T>(body: () => T): T {
  let value: T | undefined;
  tf.tidy(() => {
    value = body();
  });
  return value as T;
}

function runCase(spec: FunctionExerciseSpec, c: FunctionCase, answer: (...args: unknown[]) => unknown): CaseOutcome {
  return tidyValue(() => {
    const args = c.args();
    const expected = c.expected ? readValue(c.expected(...args)) : undefined;
    const expectedText = c.property ? c.property.describe : formatValue(expected);
    const outcome = (passed: boolean, actual: string, detail?: string): CaseOutcome => ({ name: c.name, passed: passed, expected: expectedText, actual: actual, detail: detail, hint: c.hint });
    let out: unknown;
    try {
      out = answer(...args);
    } catch (err) {
      return outcome(false, `threw ${errorText(err)}`);
    }
    if (isThenable(out)) return outcome(false, "a Promise", "write a synchronous function (no async, no await)");
    const actual = readValue(out);
    if (actual === undefined) return outcome(false, describe(out), "return a tensor, a number or an array of numbers");
    const wrong = c.property ? c.property.test(actual, args) : difference(actual, expected!, c.tolerance ?? spec.tolerance);
    return outcome(wrong === undefined, formatValue(actual), wrong);
  });
}

/**
 * A "fill in this function" exercise: {@link check} calls the learner's function on every
 * case and compares its result with the known answer (shape first, then every number within
 * the tolerance), or tests a property of it.
 *
 * The learner's function may take and return tensors or plain numbers (whatever the cases
 * pass), must be synchronous, and may leave its tensors to the check: each case runs in its
 * own `tf.tidy`, so nothing the answer makes outlives the case.
 *
 * @throws Error when the spec has no cases, or a case gives neither `expected` nor `property`.
 */
export function functionExercise(spec: FunctionExerciseSpec): Exercise {
  if (spec.cases.length === 0) throw new Error(`Error in functionExercise: cases of ${spec.id} must be a non-empty array, but got an empty array.`);
  for (const c of spec.cases) {
    if (!c.expected === !c.property) throw new Error(`Error in functionExercise: case "${c.name}" of ${spec.id} must give exactly one of expected and property, but got ${c.expected ? "both" : "neither"}.`);
  }
  return {
    id: spec.id,
    notebook: spec.notebook,
    title: spec.title,
    kind: "function",
    task: spec.task,
    hint: spec.hint,
    lookFor: spec.lookFor,
    run(answer: unknown): CaseOutcome[] {
      if (typeof answer !== "function") {
        return [answerOutcome(`a function ${spec.signature}`, describe(answer), `Pass the function itself, without calling it: check("${spec.id}", myFunction).`)];
      }
      return spec.cases.map((c) => runCase(spec, c, answer as (...args: unknown[]) => unknown));
    },
  };
}
