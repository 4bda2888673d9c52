import { argumentError, describe } from "../runtime/checks";
import { BUILT_IN } from "./catalog";
import type { Exercise } from "./exercise";

const exercises = new Map<string, Exercise>(BUILT_IN.map((e) => [e.id, e]));

const ID = /^\d{2}\.\d+$/;

/**
 * Add an exercise to the ones {@link check} knows, or replace the one with the same id (so
 * that rerunning a notebook cell that registers it works).
 *
 * @param exercise made by {@link functionExercise} or {@link experimentExercise}.
 * @returns the exercise.
 * @throws Error when its id is not of the form `"NN.k"` (e.g. `"06.1"`).
 */
export function register(exercise: Exercise): Exercise {
  if (typeof exercise?.id !== "string" || !ID.test(exercise.id)) {
    throw argumentError("exercises.register", "exercise.id", 'of the form "NN.k", e.g. "06.1"', describe(exercise?.id));
  }
  exercises.set(exercise.id, exercise);
  return exercise;
}

/**
 * The exercise with this id.
 * @throws Error naming the known ids when there is none.
 */
export function exercise(id: string): Exercise {
  const found = exercises.get(id);
  if (!found) throw argumentError("exercises.check", "id", `one of ${[...exercises.keys()].sort().map((k) => JSON.stringify(k)).join(", ")}`, describe(id));
  return found;
}

/** Every exercise known, sorted by id, optionally only those of one notebook (e.g. `"04-kl-divergence"`). */
export function list(notebook?: string): Exercise[] {
  return [...exercises.values()]
    .filter((e) => notebook === undefined || e.notebook === notebook)
    .sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }));
}
