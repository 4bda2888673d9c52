import seedrandom from "seedrandom";
import { checkInteger } from "./checks";

/**
 * A seeded source of randomness for everything in a run that is random: weight
 * initialization, shuffling and the noise of the reparameterization trick.
 *
 * One seed gives one stream; `nextSeed()` hands out integer seeds for TensorFlow.js
 * initializers and random ops, so a whole run is reproducible from a single number.
 *
 * @example
 * const rng = new Rng(42);
 * rng.uniform();        // a number in [0, 1), the same every time for seed 42
 * rng.nextSeed();       // an integer in [0, 2^31) for tf.randomNormal(..., seed)
 */
export class Rng {
  private readonly next: () => number;

  /** @throws Error when `seed` is not a finite integer. */
  constructor(readonly seed: number) {
    checkInteger("Rng", "seed", seed);
    this.next = seedrandom.alea(String(seed));
  }

  /** A uniform number in [0, 1). */
  uniform(): number {
    return this.next();
  }

  /** An integer seed in [0, 2^31) for a TensorFlow.js initializer or random op. */
  nextSeed(): number {
    return Math.floor(this.next() * 2 ** 31);
  }

  /** A new array holding a uniformly random permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): Int32Array {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
