import * as tf from "@tensorflow/tfjs";
import { MNIST_CLASSES, MNIST_PIXELS } from "../data/mnist";
import { checkPixels } from "../data/pixels";
import { layerSizes } from "../persist/layer-sizes";
import { argumentError, checkPositiveInteger, describe } from "../runtime/checks";
import { Rng } from "../runtime/seed";
import { checkSizes, mlp } from "./mlp";
import { variablesOf } from "./trainable";

/** Architecture of a dense `Classifier`. */
export interface ClassifierConfig {
  /** Pixels per image (default 784 = 28 x 28). */
  inputDim?: number;
  /** Hidden layer sizes, ReLU after each (default [128]). */
  hiddenSizes?: number[];
  /** Number of classes (default 10, the digits 0..9). */
  classes?: number;
  /** Seed of the weight initialization (default 0). */
  seed?: number;
}

/** A `ClassifierConfig` with every default filled in. */
export type ResolvedClassifierConfig = Required<ClassifierConfig>;

/** Fill in the defaults of a `ClassifierConfig`. */
export function resolveClassifierConfig(config: ClassifierConfig = {}): ResolvedClassifierConfig {
  return { inputDim: MNIST_PIXELS, hiddenSizes: [128], classes: MNIST_CLASSES, seed: 0, ...config };
}

/** What `Classifier.classify` returns: plain arrays, nothing to dispose. */
export interface Classification {
  /** The most probable class of each image, `[n]`. */
  labels: Int32Array;
  /** Class probabilities, row-major `[n, classes]`: row i sums to 1. */
  probabilities: Float32Array;
  /** The probability of the chosen label, `[n]`, in (0, 1]. */
  confidence: Float32Array;
}

/**
 * A small dense classifier of MNIST digits, `inputDim -> hiddenSizes... -> classes`
 * (ReLU hidden layers, linear output: logits), trained with `trainClassifier` on the
 * softmax cross-entropy. It is the measuring instrument of sample quality
 * (`sampleQuality`): it labels images that a decoder generated.
 *
 * Images are `[n, 784]` pixel values in [0, 1], grey levels as in `loadMnist()` with the
 * default `binarize: "none"`, so decoder means (pixel probabilities) can be labelled as they are.
 *
 * @example
 * const classifier = new Classifier({ hiddenSizes: [128], seed: 1 });
 * await trainClassifier(classifier, { train, test }, { epochs: 3, seed: 1 });
 * const { labels, confidence } = classifier.classify(x); // x [n, 784] -> [n], [n]
 */
export class Classifier {
  readonly config: ResolvedClassifierConfig;
  /** x `[batch, inputDim]` -> logits `[batch, classes]`. */
  readonly network: tf.Sequential;

  /**
   * @param config the architecture (see `ClassifierConfig`).
   * @param network an existing network to wrap (e.g. loaded from a checkpoint) instead of
   *   new seeded weights; its layer sizes must match `config`.
   * @throws Error when a size in `config` is not a positive integer, `classes` < 2, or
   *   `network` does not match `config`.
   */
  constructor(config: ClassifierConfig = {}, network?: tf.Sequential) {
    this.config = resolveClassifierConfig(config);
    const { inputDim, hiddenSizes, classes, seed } = this.config;
    checkSizes("Classifier", "config [inputDim, ...hiddenSizes, classes]", [inputDim, ...hiddenSizes, classes]);
    if (classes < 2) throw argumentError("Classifier", "config.classes", "an integer >= 2", describe(classes));
    if (network) checkNetwork(network, this.config);
    this.network = network ?? mlp("classifier", inputDim, hiddenSizes, classes, new Rng(seed));
  }

  /**
   * Unnormalized log-probabilities of the classes.
   * @param x `[batch, inputDim]` pixel values in [0, 1].
   * @returns logits `[batch, classes]`.
   * @throws Error when `x` is not `[batch, inputDim]` or holds values outside [0, 1].
   */
  logits(x: tf.Tensor2D): tf.Tensor2D {
    this.checkImages("Classifier.logits", x);
    return this.network.apply(x) as tf.Tensor2D;
  }

  /**
   * Class probabilities, softmax of the logits.
   * @param x `[batch, inputDim]` pixel values in [0, 1].
   * @returns `[batch, classes]`, rows summing to 1. The caller disposes it.
   * @throws Error as `logits`.
   */
  predict(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.softmax(this.logits(x)));
  }

  /**
   * Label images: the most probable class, its probability and all class probabilities,
   * computed in batches of `batchSize` (default 1000) and returned as plain arrays.
   *
   * @param x `[n, inputDim]` pixel values in [0, 1], a tensor or a flat `Float32Array` of `n * inputDim`.
   * @returns `{ labels [n], probabilities [n * classes], confidence [n] }`; no tensors are left.
   * @throws Error when `x` has the wrong shape or length, or values outside [0, 1].
   *
   * @example
   * const images = vae.sample(100, 7);                       // [100, 784] decoder means
   * const { labels, confidence } = classifier.classify(images);
   * images.dispose();
   */
  classify(x: tf.Tensor2D | Float32Array, options: { batchSize?: number } = {}): Classification {
    const batchSize = checkPositiveInteger("Classifier.classify", "options.batchSize", options.batchSize ?? 1000);
    const { inputDim, classes } = this.config;
    const images = this.asTensor("Classifier.classify", x);
    const n = images.shape[0];
    const probabilities = new Float32Array(n * classes);
    try {
      for (let start = 0; start < n; start += batchSize) {
        const size = Math.min(batchSize, n - start);
        const p = tf.tidy(() => tf.softmax(this.network.apply(images.slice([start, 0], [size, inputDim])) as tf.Tensor2D));
        probabilities.set(p.dataSync(), start * classes);
        p.dispose();
      }
    } finally {
      if (images !== x) images.dispose();
    }
    const labels = new Int32Array(n);
    const confidence = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let k = 1; k < classes; k++) if (probabilities[i * classes + k] > probabilities[i * classes + best]) best = k;
      labels[i] = best;
      confidence[i] = probabilities[i * classes + best];
    }
    return { labels, probabilities, confidence };
  }

  /**
   * Softmax cross-entropy of each image, -log p(label | x), in nats.
   * @param x `[batch, inputDim]` pixel values in [0, 1].
   * @param labels `[batch]` int32 class indices in 0..classes-1.
   * @returns `[batch]`, nats.
   * @throws Error as `logits`, or when `labels` is not `[batch]`.
   */
  crossEntropy(x: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
    if (labels.rank !== 1 || labels.shape[0] !== x.shape[0]) {
      throw argumentError("Classifier.crossEntropy", "labels", `a tensor of shape [${x.shape[0]}] (one label per image)`, describe(labels));
    }
    return tf.tidy(() => softmaxCrossEntropy(this.logits(x), labels));
  }

  /** The variables the optimizer updates. */
  trainableVariables(): tf.Variable[] {
    return variablesOf(this.network);
  }

  /** Number of weights and biases. */
  countParams(): number {
    return this.network.countParams();
  }

  /** Free the weights. */
  dispose(): void {
    this.network.dispose();
  }

  private checkImages(fn: string, x: tf.Tensor): void {
    const { inputDim } = this.config;
    if (!(x instanceof tf.Tensor) || x.rank !== 2 || x.shape[1] !== inputDim) {
      throw argumentError(fn, "x", `a tensor of shape [batch, ${inputDim}]`, describe(x));
    }
    checkPixels(fn, "x", x);
  }

  /** `x` checked, as a tensor (a new one for an array, which the caller disposes). */
  private asTensor(fn: string, x: tf.Tensor2D | Float32Array): tf.Tensor2D {
    const { inputDim } = this.config;
    if (x instanceof Float32Array) {
      if (x.length % inputDim !== 0) throw argumentError(fn, "x", `a Float32Array of n * ${inputDim} values`, describe(x));
      checkPixels(fn, "x", x, { shape: [x.length / inputDim, inputDim] });
      return tf.tensor2d(x, [x.length / inputDim, inputDim]);
    }
    this.checkImages(fn, x);
    return x;
  }
}

/**
 * Softmax cross-entropy of each row, -log softmax(logits)[label] = logSumExp(logits) - logits[label], in nats.
 * @param logits `[batch, classes]`.
 * @param labels `[batch]` class indices.
 * @returns `[batch]`, nats.
 */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const picked = tf.sum(tf.mul(logits, tf.oneHot(labels.toInt(), logits.shape[1])), 1);
    return tf.sub(tf.logSumExp(logits, 1), picked) as tf.Tensor1D;
  });
}

/** @throws Error when the network's layer sizes are not `[inputDim, ...hiddenSizes, classes]`. */
function checkNetwork(network: tf.LayersModel, config: ResolvedClassifierConfig): void {
  const got = layerSizes(network);
  const want = [config.inputDim, ...config.hiddenSizes, config.classes];
  if (got.length !== want.length || got.some((s, i) => s !== want[i])) {
    throw argumentError("Classifier", "network", `a network with layer sizes [${want.join(", ")}] (from config)`, `layer sizes [${got.join(", ")}]`);
  }
}
