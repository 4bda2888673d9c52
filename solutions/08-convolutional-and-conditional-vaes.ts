// Solutions to the exercises of notebooks/08-convolutional-and-conditional-vaes.ipynb, and a
// typical mistake for each (which its check must catch). The checks: lib/exercises/08-convolutional-and-conditional-vaes.ts.
import type { Answers } from "./answers";

/** 08.1: 9 weights per input channel per filter, plus a bias per filter. */
const convParams = (inChannels: number, filters: number) => 9 * inChannels * filters + filters;

/** 08.2: the entropy of the normalized counts, in nats, empty bins skipped. */
function labelEntropy(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.filter((n) => n > 0).reduce((h, n) => h - (n / total) * Math.log(n / total), 0);
}

export const solutions: Answers = {
  "08.1": () => convParams,
  "08.2": () => labelEntropy,
};

export const mistakes: Answers = {
  // Forgetting the biases.
  "08.1": () => (inChannels: number, filters: number) => 9 * inChannels * filters,
  // Logarithms of the raw counts, not of probabilities.
  "08.2": () => (counts: number[]) => counts.filter((n) => n > 0).reduce((h, n) => h - n * Math.log(n), 0),
};
