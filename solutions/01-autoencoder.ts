// Solutions to the exercises of notebooks/01-autoencoder.ipynb, and a typical mistake for
// each (which its check must catch). The checks: lib/exercises/01-autoencoder.ts.
import * as tf from "@tensorflow/tfjs";
import * as kit from "../lib/index";
import type { Answers } from "./answers";

/** Train an autoencoder with the quick settings (3 epochs on 5,000 training images) and return it with its test images. */
async function trainQuick(latentDim: number, seed: number, test: kit.MnistSplit): Promise<kit.Autoencoder> {
  const train = kit.loadMnistSplit("train", { limit: 5000 });
  const ae = new kit.Autoencoder({ hiddenSizes: [400], latentDim: latentDim, seed: seed });
  await kit.fit(ae, { train: train, test: test }, { epochs: 3, seed: seed, progress: "none" });
  return ae;
}

/** 01.1: the test reconstruction loss of a 2-D and of a 20-D code, quick settings, seed 1. */
async function codeSizes() {
  const test = kit.loadMnistSplit("test", { limit: 1000 });
  const losses: number[] = [];
  for (const latentDim of [2, 20]) {
    const ae = await trainQuick(latentDim, 1, test);
    losses.push(kit.evaluate(ae, test).reconstruction);
    ae.dispose();
  }
  return { loss2: losses[0], loss20: losses[1] };
}

/** 01.2: the mean code of each class 0 .. classes − 1. codes `[n, d]`, labels `[n]` (int32) -> `[classes, d]`. */
function centroids(codes: tf.Tensor2D, labels: tf.Tensor1D, classes: number): tf.Tensor2D {
  return tf.tidy(() => {
    const oneHot = tf.oneHot(labels.toInt(), classes).toFloat();       // [n, classes]
    const sums = tf.matMul(oneHot, codes, true, false);                // [classes, d]: sum of each class's codes
    return sums.div(oneHot.sum(0).expandDims(1)) as tf.Tensor2D;       // divided by each class's count
  });
}

/** 01.3: the same 2-D autoencoder trained from seed 1 and from seed 2: both losses and how far the codes of the same images moved. */
async function twoSeeds() {
  const test = kit.loadMnistSplit("test", { limit: 1000 });
  const { x, labels } = test.tensors();
  labels.dispose();
  const runs: { loss: number; codes: tf.Tensor2D }[] = [];
  for (const seed of [1, 2]) {
    const ae = await trainQuick(2, seed, test);
    runs.push({ loss: kit.evaluate(ae, test).reconstruction, codes: ae.encode(x) });
    ae.dispose();
  }
  const shift = tf.tidy(() => {
    const [a, b] = runs.map((r) => r.codes.sub(r.codes.mean(0)));     // centred, so that a mere translation does not count
    return tf.squaredDifference(a, b).sum(1).mean().sqrt().div(a.square().sum(1).mean().sqrt()).dataSync()[0];
  });
  tf.dispose([x, ...runs.map((r) => r.codes)]);
  return { lossSeed1: runs[0].loss, lossSeed2: runs[1].loss, codeShift: shift };
}

export const solutions: Answers = {
  "01.1": codeSizes,
  "01.2": () => centroids,
  "01.3": twoSeeds,
};

export const mistakes: Answers = {
  // The two codes swapped: the 20-D code reported as the worse one.
  "01.1": () => ({ loss2: 145, loss20: 190 }),
  // Divided by the number of all codes instead of each class's count.
  "01.2": () => (codes: tf.Tensor2D, labels: tf.Tensor1D, classes: number) =>
    tf.matMul(tf.oneHot(labels.toInt(), classes).toFloat(), codes, true, false).div(codes.shape[0]),
  // The codes of one run compared with themselves: no shift at all.
  "01.3": () => ({ lossSeed1: 170, lossSeed2: 170, codeShift: 0 }),
};
