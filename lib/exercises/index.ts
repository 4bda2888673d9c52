/**
 * Exercises that check themselves: `kit.exercises`.
 *
 * **In a notebook (the learner).** An exercise cell declares a starter and ends with one
 * check call, which runs the learner's code on cases whose answers the kit knows (edge cases
 * included) and shows what passed, what failed with the expected and the actual value, and
 * a hint. A wrong or unfinished answer never makes the cell fail.
 *
 * ```ts
 * function myKl(muQ: tf.Tensor2D, logVarQ: tf.Tensor2D, muP: tf.Tensor2D, logVarP: tf.Tensor2D): tf.Tensor1D {
 *   return tf.zeros([muQ.shape[0]]);   // placeholder: write the formula here
 * }
 * kit.exercises.check("04.1", myKl);                            // "fill in this function"
 * kit.exercises.check("04.4", { se0: 0, se1: 0.0101, se3: 0.0298 });   // an experiment's numbers
 * ```
 *
 * **For a notebook author: adding the checks of notebook NN.**
 * 1. Write `lib/exercises/NN-topic.ts` (see `04-kl-divergence.ts`) exporting
 *    `EXERCISES_NN: Exercise[]`, made with
 *    - {@link functionExercise} for "fill in this function": `signature`, and `cases`, each
 *      with `args: () => [...]` (tensors or numbers, made fresh per case inside a `tf.tidy`)
 *      and either `expected: (...args) => value` (from the kit's own function, or a hand
 *      value) or a `property` (e.g. for random samples); a case's `hint` says what usually
 *      makes it fail. Cover the edge cases: large |log σ²|, σ → 0, zero mean, batch shapes.
 *    - {@link experimentExercise} for an experiment: `quantities`, each a `key` of the
 *      object the learner passes and the `range` it must land in with the starter's (quick)
 *      settings, measured, not guessed; `derive` computes one from the others (e.g. a gap);
 *      `lookFor` says what the figure must show.
 *    Ids are `"NN.k"`: k is the exercise's number in the notebook's list.
 * 2. Add `...EXERCISES_NN` to `BUILT_IN` in `lib/exercises/catalog.ts`.
 * 3. Write `solutions/NN-topic.ts` exporting `solutions` and `mistakes`, each mapping every
 *    id to a function that gives an answer (the learner's function, or the measured object;
 *    it may be async and train a model). `test/exercises/solutions.test.ts` runs every
 *    solution through its check (it must pass) and every mistake (it must fail and show its
 *    hint), and fails for an exercise that has either missing.
 * 4. In the notebook, the exercise cell holds the starter with a placeholder that the check
 *    reports as failing (not one that throws), then `kit.exercises.check("NN.k", answer)`.
 *    An exercise that retrains says how long that takes on 2 cores, with quick settings by default.
 *
 * A notebook can also register its own check at run time: `kit.exercises.register(kit.exercises.functionExercise({...}))`.
 *
 * @packageDocumentation
 */

export { check, type CheckOptions } from "./check";
export { register, exercise, list } from "./registry";
export { type Exercise, type ExerciseInfo } from "./exercise";
export { functionExercise, type FunctionExerciseSpec, type FunctionCase, type Property } from "./function-exercise";
export { experimentExercise, type ExperimentSpec, type Quantity, type Measurements } from "./experiment";
export { CheckResult, type CaseOutcome, type ExerciseKind } from "./result";
export { type Expected, type ReadValue, type Tolerance } from "./values";
