/**
 * What a solutions file exports: for every exercise id, a function that gives the answer a
 * learner passes to `kit.exercises.check` (their function, or the object of numbers an
 * experiment measured). It may be async, e.g. when the experiment trains a model.
 */
export type Answers = Record<string, () => unknown>;
