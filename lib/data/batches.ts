import * as tf from "@tensorflow/tfjs";
import { argumentError, checkInteger, checkPositiveInteger } from "../runtime/checks";
import { Rng } from "../runtime/seed";
import { MNIST_PIXELS, MnistSplit, sampleBernoulli } from "./mnist";

/**
 * Seeded mini-batches over an `MnistSplit`: one call of `batches` is one epoch, in a fresh
 * random order drawn from the `Rng`; because the `Rng` advances, the next call (the next
 * epoch) gets a different order, and the same seed replays the same sequence of epochs.
 */

/** One mini-batch. The caller owns `x` and must dispose it (`batch.x.dispose()`). */
export interface Batch {
  /** Images, `[batch, 784]` float32 in [0, 1] (0/1 for `"static"` and `"dynamic"` splits). */
  x: tf.Tensor2D;
  /** Digit labels 0..9 of the rows of `x`, `[batch]`. A plain array: nothing to dispose. */
  labels: Int32Array;
  /** Positions in the split of the rows of `x`, `[batch]`. */
  indices: Int32Array;
  /** Number of this batch within the epoch: 0, 1, ..., `numBatches(...) - 1`. */
  index: number;
}

/** Options of `batches`. */
export interface BatchOptions {
  /** Examples per batch, a positive integer. The last batch of an epoch may be smaller
   *  (see `dropLast`). */
  batchSize: number;
  /** Source of the shuffling order and of the dynamic-binarization noise. Required when
   *  `shuffle` is true or the split is `"dynamic"`. */
  rng?: Rng;
  /** Visit the examples in a new random order (default true); false: in stored order. */
  shuffle?: boolean;
  /** Skip the last batch of an epoch when it has fewer than `batchSize` examples
   *  (default false). */
  dropLast?: boolean;
}

/**
 * Number of batches in one epoch of `count` examples.
 *
 * @param count number of examples, an integer >= 0.
 * @param batchSize examples per batch, a positive integer.
 * @param dropLast when true, a final partial batch is not counted (default false).
 * @returns `floor(count / batchSize)` with `dropLast`, else `ceil(count / batchSize)`.
 * @throws Error when `count` is not an integer >= 0 or `batchSize` not a positive integer.
 *
 * @example
 * numBatches(60000, 128);       // 469 (the last one holds 96 examples)
 * numBatches(60000, 128, true); // 468
 */
export function numBatches(count: number, batchSize: number, dropLast = false): number {
  checkInteger("numBatches", "count", count, 0);
  checkPositiveInteger("numBatches", "batchSize", batchSize);
  return dropLast ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
}

/**
 * One epoch of mini-batches over `split`, as a generator.
 *
 * With `shuffle` (the default) the order is `rng.permutation(split.count)`, drawn when
 * iteration starts; every example appears exactly once per epoch (once at most with
 * `dropLast`). For a `"dynamic"` split each pixel of each batch is sampled afresh as
 * Bernoulli(grey level) with `rng.uniform()`, so a seed fixes the binary images too.
 * Each batch's pixels are gathered into one new `Float32Array`, then wrapped by one
 * `tf.tensor2d`.
 *
 * **The caller disposes `batch.x`** (labels and indices are plain arrays). Batches are
 * made lazily, one per step of the iteration.
 *
 * @param split the data, e.g. `loadMnist().train`.
 * @param options `batchSize` (required), `rng`, `shuffle` (default true), `dropLast`
 *   (default false); see `BatchOptions`.
 * @yields `{ x: [batch, 784], labels: [batch], indices: [batch], index }`.
 * @throws Error when `batchSize` is not a positive integer, or `rng` is missing while
 *   needed (shuffling, or a `"dynamic"` split). Thrown when the function is called.
 *
 * @example
 * const rng = new Rng(42);
 * for (let epoch = 0; epoch < 5; epoch++) {
 *   for (const batch of batches(train, { batchSize: 128, rng })) {
 *     const loss = trainStep(batch.x);
 *     batch.x.dispose();
 *   }
 * }
 */
export function batches(split: MnistSplit, options: BatchOptions): Generator<Batch> {
  const { batchSize, rng, shuffle = true, dropLast = false } = options;
  checkPositiveInteger("batches", "options.batchSize", batchSize);
  const dynamic = split.binarize === "dynamic";
  if (rng === undefined && (shuffle || dynamic)) {
    const why = shuffle ? "shuffle is true" : 'the split uses binarize "dynamic"';
    throw argumentError("batches", "options.rng", `an Rng, which is required because ${why}`, "undefined");
  }
  return epoch(split, batchSize, shuffle ? rng : undefined, dynamic ? rng : undefined, dropLast);
}

function* epoch(
  split: MnistSplit,
  batchSize: number,
  shuffleRng: Rng | undefined,
  noiseRng: Rng | undefined,
  dropLast: boolean,
): Generator<Batch> {
  const order = shuffleRng ? shuffleRng.permutation(split.count) : identity(split.count);
  const total = numBatches(split.count, batchSize, dropLast);
  for (let index = 0; index < total; index++) {
    const indices = order.slice(index * batchSize, (index + 1) * batchSize);
    yield makeBatch(split, indices, index, noiseRng);
  }
}

/** Gather the rows `indices` of `split` into one new Float32Array and one tensor. */
function makeBatch(
  split: MnistSplit,
  indices: Int32Array,
  index: number,
  noiseRng: Rng | undefined,
): Batch {
  const n = indices.length;
  // A new array per batch: the cpu backend keeps a reference to it inside the tensor.
  const pixels = new Float32Array(n * MNIST_PIXELS);
  const labels = new Int32Array(n);
  for (let row = 0; row < n; row++) {
    const i = indices[row];
    pixels.set(split.images.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS), row * MNIST_PIXELS);
    labels[row] = split.labels[i];
  }
  if (noiseRng) sampleBernoulli(pixels, noiseRng, pixels);
  const x = tf.tensor2d(pixels, [n, MNIST_PIXELS], "float32");
  return { x, labels, indices, index };
}

function identity(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}
