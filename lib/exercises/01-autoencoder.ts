import * as tf from "@tensorflow/tfjs";
import type { Exercise } from "./exercise";
import { experimentExercise } from "./experiment";
import { functionExercise } from "./function-exercise";

// The exercises at the end of notebooks/01-autoencoder.ipynb. Solutions: solutions/01-autoencoder.ts.

const notebook = "01-autoencoder";

/** The mean code of each class, by plain loops over the rows: the reference answer of 01.2. */
function centroidsReference(codes: unknown, labels: unknown, classes: unknown): number[][] {
  const rows = (codes as tf.Tensor2D).arraySync();
  const label = Array.from((labels as tf.Tensor1D).dataSync());
  return Array.from({ length: classes as number }, (_, k) => {
    const members = rows.filter((_, i) => label[i] === k);
    return rows[0].map((_, j) => members.reduce((s, row) => s + row[j], 0) / members.length);
  });
}

const codeSize = experimentExercise({
  id: "01.1",
  notebook: notebook,
  title: "A 20-D code against a 2-D code",
  task: "Train two autoencoders with kit.fit and the quick settings (3 epochs on 5,000 training images, seed 1; about 10 s for both on 2 cores), one with latentDim: 2 and one with latentDim: 20, and report their test reconstruction losses on 1,000 test images.",
  hint: "new kit.Autoencoder({ hiddenSizes: [400], latentDim: 20, seed: SEED }), kit.fit(ae, { train: exTrain, test: exTest }, { epochs: 3, seed: SEED }), then kit.evaluate(ae, exTest).reconstruction.",
  quantities: [
    { key: "loss2", label: "test reconstruction loss, 2-D code (nats per image)", range: [170, 200] },
    { key: "loss20", label: "test reconstruction loss, 20-D code (nats per image)", range: [115, 140], hint: "Same training as the 2-D model: 3 epochs on 5,000 images, seed 1, hiddenSizes [400]." },
    { key: "gain", label: "what the 18 extra numbers buy: loss2 − loss20 (nats)", range: [40, 75], derive: (m) => m.loss2 - m.loss20, hint: "A wider bottleneck keeps more of each image, so the 20-D loss is the smaller one." },
  ],
});

const centroids = functionExercise({
  id: "01.2",
  notebook: notebook,
  title: "The centre of each digit's cluster",
  task: "Write the mean code of each class 0 … classes − 1 from codes [n, d] and their labels [n] (int32), one row per class, [classes, d]. The cell then decodes codes on the line between two digits' centres.",
  signature: "(codes: tf.Tensor2D, labels: tf.Tensor1D, classes: number) => tf.Tensor2D",
  hint: "tf.oneHot(labels, classes) is [n, classes]; its transpose times the codes sums each class's codes, and its column sums count them. Divide each row by its own class's count, not by n.",
  cases: [
    { name: "two classes, one of them a single code", args: () => [tf.tensor2d([[0, 0], [2, 4], [4, -1]]), tf.tensor1d([0, 0, 1], "int32"), 2], expected: centroidsReference },
    { name: "two classes of different sizes", args: () => [tf.tensor2d([[1, 1], [3, 5], [-2, 0], [0, 0], [2, 4]]), tf.tensor1d([0, 0, 1, 0, 1], "int32"), 2], expected: centroidsReference, hint: "Class 0 has 3 codes and class 1 has 2: each mean divides by its own count." },
    { name: "labels in no particular order, a class with a single code", args: () => [tf.tensor2d([[5, -5], [1, 2], [3, 4], [-1, 0]]), tf.tensor1d([2, 0, 0, 1], "int32"), 3], expected: centroidsReference },
    { name: "20-D codes (the shape is [classes, d] for any d)", args: () => [tf.randomNormal([40, 20], 0, 1, "float32", 3), tf.tensor1d(Array.from({ length: 40 }, (_, i) => i % 10), "int32"), 10], expected: centroidsReference, hint: "One row per class and one column per code dimension: [classes, d]." },
    { name: "codes far from the origin (1e4)", args: () => [tf.tensor2d([[1e4, -1e4], [1e4 + 2, -1e4 + 2], [-1e4, 1e4]]), tf.tensor1d([0, 0, 1], "int32"), 2], expected: centroidsReference, tolerance: { rel: 1e-5 } },
  ],
});

const seeds = experimentExercise({
  id: "01.3",
  notebook: notebook,
  title: "Another seed, another layout",
  task: "Train the 2-D autoencoder with the quick settings (3 epochs on 5,000 training images; about 10 s for both on 2 cores) from seed 1 and from seed 2, and report both test reconstruction losses and how far the codes of the same 1,000 test images moved: the root-mean-square distance between the two runs' centred codes divided by the root-mean-square length of seed 1's centred codes.",
  hint: "Centre each run's codes (subtract their mean over the images), then sqrt(mean |h₁ − h₂|²) / sqrt(mean |h₁|²). A value near 0 would mean the same layout; near 1 or above, the layout is unrelated.",
  lookFor: "two scatter plots whose clusters sit in different places, rotated or mirrored, while the losses are close.",
  quantities: [
    { key: "lossSeed1", label: "test reconstruction loss from seed 1 (nats per image)", range: [170, 200] },
    { key: "lossSeed2", label: "test reconstruction loss from seed 2 (nats per image)", range: [170, 200] },
    { key: "lossDifference", label: "|lossSeed1 − lossSeed2| (nats)", range: [0, 8], derive: (m) => Math.abs(m.lossSeed1 - m.lossSeed2) },
    { key: "codeShift", label: "how far the codes moved, relative to their spread", range: [0.5, 3], hint: "Compare the codes of the same test images under the two models, each centred on its own mean." },
  ],
});

/** The exercises of notebook 01, in order. */
export const EXERCISES_01: Exercise[] = [codeSize, centroids, seeds];
