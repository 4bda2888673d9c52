import type { CaseOutcome, ExerciseKind } from "./result";

/**
 * One exercise that can check itself: what {@link functionExercise} and
 * {@link experimentExercise} build, and what {@link register} and {@link check} take.
 */
export interface Exercise {
  /** `"NN.k"`: the notebook's number and the exercise's number in its list, e.g. `"04.2"`. */
  readonly id: string;
  /** The notebook it belongs to, e.g. `"04-kl-divergence"`. */
  readonly notebook: string;
  /** A short title, e.g. `"The KL term against N(0, I)"`. */
  readonly title: string;
  readonly kind: ExerciseKind;
  /** What the learner writes or runs, in a sentence or two. */
  readonly task: string;
  /** The general hint, shown whenever a case fails. */
  readonly hint: string;
  /** For experiments: what the learner's figure must show. */
  readonly lookFor?: string;
  /**
   * Run the learner's answer on every case. Never throws for any answer (a throwing or
   * wrong answer is a failed case) and leaves no tensors behind.
   */
  run(answer: unknown): CaseOutcome[];
}

/** The fields every exercise definition has. */
export interface ExerciseInfo {
  /** `"NN.k"`, e.g. `"04.2"`. */
  id: string;
  /** The notebook's file name without `.ipynb`, e.g. `"04-kl-divergence"`. */
  notebook: string;
  title: string;
  task: string;
  hint: string;
  /** What the learner's figure must show, if the exercise draws one. */
  lookFor?: string;
}

/** A message for an answer that failed before any case could run, e.g. not a function. */
export function answerOutcome(expected: string, actual: string, hint: string): CaseOutcome {
  return { name: "your answer", passed: false, expected: expected, actual: actual, hint: hint };
}
