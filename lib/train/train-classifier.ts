import * as tf from "@tensorflow/tfjs";
import { batches } from "../data/batches";
import { MNIST_PIXELS, MnistSplit } from "../data/mnist";
import { checkSplit, markChecked } from "../data/pixels";
import { Adam } from "../fast/adam";
import { Classifier, softmaxCrossEntropy } from "../models/classifier";
import { argumentError, checkPositive, checkPositiveInteger, describe } from "../runtime/checks";
import { Rng } from "../runtime/seed";
import type { TermMeans } from "./evaluate";
import { EpochRecord, epochSeed } from "./fit";
import { createProgress, ProgressMode } from "./progress";

/** Settings of `trainClassifier`. */
export interface ClassifierTrainOptions {
  /** Passes over the training split (default 3). */
  epochs?: number;
  /** Images per gradient step (default 128). */
  batchSize?: number;
  /** Adam step size (default 1e-3). */
  learningRate?: number;
  /** Seed of the shuffling order (default 0). */
  seed?: number;
  /** `"auto"` (default): live display in a notebook, progress bar in a terminal; `"none"`. */
  progress?: ProgressMode;
}

/** The settings `trainClassifier` uses, with its defaults filled in (as recorded in checkpoints). */
export function classifierTrainSettings(options: ClassifierTrainOptions = {}): Required<Omit<ClassifierTrainOptions, "progress">> {
  return { epochs: options.epochs ?? 3, batchSize: options.batchSize ?? 128, learningRate: options.learningRate ?? 1e-3, seed: options.seed ?? 0 };
}

/**
 * Train a `Classifier` with Adam (Kingma & Ba 2015, the kit's `Adam`) on the mean softmax
 * cross-entropy -log p(label | x) of seeded, reshuffled mini-batches (`batches`), and measure
 * it on a test split after every epoch. Epoch `e` shuffles with `new Rng(epochSeed(seed, e))`,
 * as `fit` does, so one seed gives the same weights. Nothing leaks: the tensor count after
 * training equals the count before (the optimizer's state is disposed).
 *
 * Each record's `train` and `test` hold `crossEntropy` (nats per image) and `accuracy`
 * (fraction of images labelled right, in [0, 1]); `train` is the mean over the epoch's
 * batches, taken before each step's update.
 *
 * @param classifier the model to train (its weights change).
 * @param data `train` split (required) and optional `test` split, grey levels in [0, 1].
 * @param options `epochs` (3), `batchSize` (128), `learningRate` (1e-3), `seed` (0), `progress`.
 * @returns one `EpochRecord` per epoch.
 * @throws Error naming the option that is out of range, a split whose images hold values
 *   outside [0, 1] or whose images have the wrong width, or a loss that is not finite.
 *
 * @example
 * const { train, test } = loadMnist();
 * const classifier = new Classifier({ seed: 1 });
 * const history = await trainClassifier(classifier, { train, test }, { epochs: 3, seed: 1 });
 * history[2].test!.accuracy; // about 0.97
 */
export async function trainClassifier(
  classifier: Classifier,
  data: { train: MnistSplit; test?: MnistSplit },
  options: ClassifierTrainOptions = {},
): Promise<EpochRecord[]> {
  const fn = "trainClassifier";
  if (!(classifier instanceof Classifier)) throw argumentError(fn, "classifier", "a Classifier", describe(classifier));
  const { epochs, batchSize, learningRate, seed } = classifierTrainSettings(options);
  checkPositiveInteger(fn, "options.epochs", epochs);
  checkPositiveInteger(fn, "options.batchSize", batchSize);
  checkPositive(fn, "options.learningRate", learningRate);
  checkData(fn, classifier, [["data.train", data.train], ["data.test", data.test]]);
  const optimizer = new Adam(learningRate);
  const steps = Math.ceil(data.train.count / batchSize);
  const progress = createProgress(options.progress ?? "auto", { epochs, steps });
  const variables = classifier.trainableVariables();
  const history: EpochRecord[] = [];
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const start = Date.now();
      const rng = new Rng(epochSeed(seed, epoch));
      let loss = 0;
      let correct = 0;
      for (const batch of batches(data.train, { batchSize, rng })) {
        const step = tf.tidy(() => {
          const x = markChecked(batch.x, "unit");
          const labels = tf.tensor1d(batch.labels, "int32");
          let right: tf.Scalar | undefined;
          const { value, grads } = optimizer.computeGradients(() => {
            const logits = classifier.network.apply(x) as tf.Tensor2D;
            right = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), "float32"))) as tf.Scalar;
            return tf.mean(softmaxCrossEntropy(logits, labels)) as tf.Scalar;
          }, variables);
          const mean = value.dataSync()[0];
          if (!Number.isFinite(mean)) {
            throw new Error(`${fn}: the cross-entropy of epoch ${epoch}, step ${batch.index + 1} is ${mean}; try a smaller options.learningRate (now ${learningRate}).`);
          }
          optimizer.applyGradients(variables.map((v) => ({ name: v.name, tensor: grads[v.name] })));
          const count = right!.dataSync()[0];
          right!.dispose();
          return { mean, count };
        });
        batch.x.dispose();
        loss += step.mean * batch.labels.length;
        correct += step.count;
        progress.step(epoch, batch.index + 1, () => step.mean);
      }
      const record: EpochRecord = {
        epoch,
        seconds: (Date.now() - start) / 1000,
        train: { crossEntropy: loss / data.train.count, accuracy: correct / data.train.count },
      };
      if (data.test) record.test = classifierMetrics(classifier, data.test);
      history.push(record);
      progress.epochEnd(record);
    }
  } finally {
    progress.close();
    optimizer.dispose();
  }
  return history;
}

/**
 * A classifier's mean cross-entropy (nats per image) and accuracy (fraction in [0, 1]) on a
 * labelled split, in batches of 1000 images.
 *
 * @returns `{ crossEntropy, accuracy }`.
 * @throws Error when the split is empty, or its images are outside [0, 1] or of the wrong width.
 *
 * @example
 * classifierMetrics(classifier, test).accuracy; // e.g. 0.975
 */
export function classifierMetrics(classifier: Classifier, split: MnistSplit): TermMeans {
  checkData("classifierMetrics", classifier, [["split", split]]);
  if (split.count === 0) throw argumentError("classifierMetrics", "split", "non-empty", "a split of 0 examples");
  let loss = 0;
  let correct = 0;
  for (const batch of batches(split, { batchSize: 1000, shuffle: false, rng: new Rng(0) })) {
    const [sum, right] = tf.tidy(() => {
      const labels = tf.tensor1d(batch.labels, "int32");
      const logits = classifier.network.apply(markChecked(batch.x, "unit")) as tf.Tensor2D;
      const right = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), "float32"));
      return [tf.sum(softmaxCrossEntropy(logits, labels)).dataSync()[0], right.dataSync()[0]];
    });
    batch.x.dispose();
    loss += sum;
    correct += right;
  }
  return { crossEntropy: loss / split.count, accuracy: correct / split.count };
}

/** @throws Error when the classifier does not take MNIST's 784 pixels, or a split is not an `MnistSplit` of pixel values in [0, 1]. */
function checkData(fn: string, classifier: Classifier, splits: [string, MnistSplit | undefined][]): void {
  if (classifier.config.inputDim !== MNIST_PIXELS) {
    throw argumentError(fn, "classifier", `a Classifier of MNIST images (inputDim ${MNIST_PIXELS})`, `inputDim ${classifier.config.inputDim}`);
  }
  for (const [arg, split] of splits) {
    if (split === undefined && arg !== "data.train") continue;
    if (!(split instanceof MnistSplit)) throw argumentError(fn, arg, "an MnistSplit (from loadMnist)", describe(split));
    checkSplit(fn, arg, split, "unit");
  }
}
