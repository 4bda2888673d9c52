import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMnistSplit, MNIST_PIXELS } from "../../lib/data/mnist";
import { histogramEntropy, inceptionScore, labelHistogram, sampleQuality } from "../../lib/eval/sample-quality";
import { Classifier } from "../../lib/models/classifier";
import { initBackend } from "../../lib/runtime/backend";
import { classifierMetrics, trainClassifier } from "../../lib/train/train-classifier";

describe("labelHistogram and histogramEntropy", () => {
  it("counts labels per class", () => {
    expect(labelHistogram([0, 2, 2, 9])).toEqual([1, 0, 2, 0, 0, 0, 0, 0, 0, 1]);
    expect(labelHistogram([1, 1], 3)).toEqual([0, 2, 0]);
  });

  it("gives ln 10 for a uniform histogram, 0 for one class, and the hand value in between", () => {
    expect(histogramEntropy(new Array(10).fill(7))).toBeCloseTo(Math.log(10), 12);
    expect(histogramEntropy([0, 0, 0, 40, 0, 0, 0, 0, 0, 0])).toBe(0);
    expect(histogramEntropy([1, 3])).toBeCloseTo(-(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)), 12);
    // more classes used, more entropy
    expect(histogramEntropy([5, 5, 0, 0])).toBeLessThan(histogramEntropy([5, 5, 5, 0]));
  });

  it("rejects bad labels and counts, naming the entry", () => {
    expect(() => labelHistogram([0, 10])).toThrow("Error in labelHistogram: labels[1] must be an integer in 0..9, but got 10.");
    expect(() => labelHistogram([0.5])).toThrow(/labels\[0\] must be an integer in 0..9, but got 0.5/);
    expect(() => histogramEntropy([])).toThrow(/counts must be a non-empty array/);
    expect(() => histogramEntropy([1, -1])).toThrow(/counts\[1\] must be a finite number >= 0, but got -1/);
    expect(() => histogramEntropy([0, 0])).toThrow(/counts must be counts with a positive sum, but got all zeros/);
  });
});

describe("inceptionScore", () => {
  it("is the number of classes for balanced one-hot rows and 1 for identical rows", () => {
    expect(inceptionScore([1, 0, 0, 0, 1, 0, 0, 0, 1], 3)).toBeCloseTo(3, 12);
    expect(inceptionScore([0.2, 0.8, 0.2, 0.8], 2)).toBeCloseTo(1, 12);
  });

  it("equals exp of the mean KL(p(y|x) || p(y)), computed directly", () => {
    const rows = [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.3, 0.6, 0.1], [0.5, 0.25, 0.25]];
    const marginal = [0, 1, 2].map((k) => rows.reduce((s, r) => s + r[k], 0) / rows.length);
    const meanKl = rows.reduce((s, r) => s + r.reduce((t, p, k) => t + p * Math.log(p / marginal[k]), 0), 0) / rows.length;
    expect(inceptionScore(rows.flat(), 3)).toBeCloseTo(Math.exp(meanKl), 12);
    expect(() => inceptionScore([0.5, 0.5, 1], 2)).toThrow(/probabilities must be n \* 2 values \(n >= 1\), but got 3 values/);
  });
});

describe("sampleQuality with a trained classifier", () => {
  let classifier: Classifier;
  const test = loadMnistSplit("test", { limit: 1000 });

  beforeAll(async () => {
    await initBackend("wasm", { quiet: true });
    classifier = new Classifier({ hiddenSizes: [64], seed: 2 });
    await trainClassifier(classifier, { train: loadMnistSplit("train", { limit: 3000 }) }, { epochs: 2, batchSize: 32, seed: 1, progress: "none" });
  });

  afterAll(() => classifier.dispose());

  it("on real test digits: near-uniform labels, fraction as asked = the test accuracy, nothing leaked", () => {
    const { x } = test.tensors();
    const before = tf.memory().numTensors;
    const q = sampleQuality(classifier, x, { targets: test.labels });
    expect(tf.memory().numTensors).toBe(before);
    expect(q.count).toBe(1000);
    expect(q.histogram.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(q.fractionAsAsked).toBeCloseTo(classifierMetrics(classifier, test).accuracy, 12);
    expect(q.labelEntropy).toBeGreaterThan(Math.log(10) - 0.05);
    expect(q.meanConfidence).toBeGreaterThan(0.5);
    expect(q.inceptionScore).toBeGreaterThan(4); // 1 for a classifier that says the same for every image
    expect(q.inceptionScore).toBeLessThanOrEqual(10);
    x.dispose();
  });

  it("on copies of one digit: one label, entropy 0, Inception score 1, fraction as asked 1 for that digit and 0 for another", () => {
    const seven = test.labels.indexOf(7);
    const images = new Float32Array(50 * MNIST_PIXELS);
    for (let i = 0; i < 50; i++) images.set(test.image(seven), i * MNIST_PIXELS);
    const label = classifier.classify(test.image(seven).slice()).labels[0];
    const q = sampleQuality(classifier, images, { targets: label });
    expect(q.histogram[label]).toBe(50);
    expect(q.labelEntropy).toBe(0);
    expect(q.inceptionScore).toBeCloseTo(1, 5);
    expect(q.fractionAsAsked).toBe(1);
    expect(sampleQuality(classifier, images, { targets: (label + 1) % 10 }).fractionAsAsked).toBe(0);
    expect(sampleQuality(classifier, images).fractionAsAsked).toBeUndefined();
  });

  it("rejects bad images and targets, naming the argument", () => {
    const x = tf.fill([3, MNIST_PIXELS], 0.5) as tf.Tensor2D;
    expect(() => sampleQuality(classifier, x, { targets: [1, 2] })).toThrow(/sampleQuality: options.targets must be of length 3 \(one per image\), but got length 2/);
    expect(() => sampleQuality(classifier, x, { targets: [1, 2, 12] })).toThrow(/options.targets\[2\] must be a class index in 0..9, but got 12/);
    expect(() => sampleQuality(classifier, x, { targets: 10 })).toThrow(/options.targets must be a class index in 0..9, but got 10/);
    expect(() => sampleQuality(classifier, new Float32Array(0))).toThrow(/images must be at least one image, but got 0 images/);
    expect(() => sampleQuality({} as Classifier, x)).toThrow(/classifier must be a Classifier, but got an object/);
    const bright = tf.fill([2, MNIST_PIXELS], 255) as tf.Tensor2D;
    expect(() => sampleQuality(classifier, bright)).toThrow(/x must hold pixel values in \[0, 1\]/);
    tf.dispose([x, bright]);
  });
});
