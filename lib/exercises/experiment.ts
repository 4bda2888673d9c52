import { describe } from "../runtime/checks";
import { type Exercise, type ExerciseInfo, answerOutcome } from "./exercise";
import type { CaseOutcome } from "./result";
import { formatNumber, readValue } from "./values";

/** The numbers a learner reports from an experiment, by name, e.g. `{ reconstruction20: 98.4 }`. */
export type Measurements = Record<string, unknown>;

/** One number an experiment must land in a range, measured by the learner or derived from what they measured. */
export interface Quantity {
  /** The name in the learner's answer object, e.g. `"reconstruction20"`. */
  key: string;
  /** What it is, as the report shows it, e.g. `"test reconstruction loss, 20-D code (nats)"`. */
  label: string;
  /** The inclusive range it must lie in, with the default (quick) settings of the exercise. */
  range: [number, number];
  /**
   * Derive the number from the whole answer instead of reading `answer[key]`, e.g. the gap
   * between two losses: `(m) => m.loss2 - m.loss20` (missing or non-numbers give NaN).
   */
  derive?: (measured: Record<string, number>) => number;
  /** What usually puts it outside the range. */
  hint?: string;
}

/** The definition of an experiment with a stated expected outcome. */
export interface ExperimentSpec extends ExerciseInfo {
  /** The numbers to report and their expected ranges. */
  quantities: Quantity[];
}

function asNumber(value: unknown): number | undefined {
  const read = readValue(value);
  return read !== undefined && read.values.length === 1 ? read.values[0] : undefined;
}

/**
 * An experiment: the learner runs it (usually with the quick settings of the starter cell)
 * and passes the numbers it gave to {@link check}, which tests that each lies in its stated
 * range. A single quantity can also be passed as a plain number.
 *
 * @throws Error when the spec has no quantities or a range is empty.
 */
export function experimentExercise(spec: ExperimentSpec): Exercise {
  if (spec.quantities.length === 0) throw new Error(`Error in experimentExercise: quantities of ${spec.id} must be a non-empty array, but got an empty array.`);
  for (const q of spec.quantities) {
    if (!(q.range[0] <= q.range[1])) throw new Error(`Error in experimentExercise: range of ${spec.id}'s "${q.key}" must be [low, high] with low <= high, but got [${q.range.join(", ")}].`);
  }
  const keys = spec.quantities.filter((q) => !q.derive).map((q) => q.key);
  return {
    id: spec.id,
    notebook: spec.notebook,
    title: spec.title,
    kind: "experiment",
    task: spec.task,
    hint: spec.hint,
    lookFor: spec.lookFor,
    run(answer: unknown): CaseOutcome[] {
      const object = keys.length === 1 && asNumber(answer) !== undefined ? { [keys[0]]: answer } : answer;
      if (object === null || typeof object !== "object" || Array.isArray(object) || ArrayBuffer.isView(object)) {
        return [answerOutcome(`an object { ${keys.join(", ")} } of numbers`, describe(answer), `Pass what you measured by name, e.g. check("${spec.id}", { ${keys.map((k) => `${k}: ...`).join(", ")} }).`)];
      }
      const measured: Record<string, number> = {};
      for (const [k, v] of Object.entries(object as Measurements)) measured[k] = asNumber(v) ?? NaN;
      return spec.quantities.map((q) => {
        const value = q.derive ? q.derive(measured) : measured[q.key];
        const expected = `${formatNumber(q.range[0])} to ${formatNumber(q.range[1])}`;
        if (value === undefined) return { name: q.label, passed: false, expected: expected, actual: "missing", detail: `add ${q.key} to the object you pass`, hint: q.hint };
        const passed = Number.isFinite(value) && value >= q.range[0] && value <= q.range[1];
        const detail = passed ? undefined : Number.isFinite(value) ? (value < q.range[0] ? "below the range" : "above the range") : "not a finite number";
        return { name: q.label, passed: passed, expected: expected, actual: formatNumber(value), detail: detail, hint: q.hint };
      });
    },
  };
}
