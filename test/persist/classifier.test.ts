import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMnistSplit } from "../../lib/data/mnist";
import { Classifier } from "../../lib/models/classifier";
import { loadCheckpoint } from "../../lib/persist/load";
import { readManifest } from "../../lib/persist/manifest";
import { loadPretrained, pretrainedEntry, writePretrainedIndex } from "../../lib/persist/pretrained";
import { saveCheckpoint } from "../../lib/persist/save";
import { initBackend } from "../../lib/runtime/backend";
import { describeData } from "../../lib/train/checkpoint";
import { classifierMetrics, trainClassifier } from "../../lib/train/train-classifier";
import { listFiles, removeTempDirs, tempDir } from "./helpers";

const train = loadMnistSplit("train", { limit: 1000 });
const test = loadMnistSplit("test", { limit: 500 });
let root: string;
let classifier: Classifier;

beforeAll(async () => {
  await initBackend("wasm", { quiet: true });
  root = tempDir();
  classifier = new Classifier({ hiddenSizes: [32], seed: 5 });
  const history = await trainClassifier(classifier, { train, test }, { epochs: 2, batchSize: 32, seed: 3, progress: "none" });
  await saveCheckpoint(path.join(root, "classifier"), classifier, {
    name: "classifier",
    history,
    data: describeData({ train, test }),
    training: { batchSize: 32, learningRate: 1e-3, beta: 1, seed: 3 },
  });
  await writePretrainedIndex(root, [pretrainedEntry(root, "classifier", { description: "a test classifier", notebooks: [] })]);
});

afterAll(() => {
  classifier.dispose();
  removeTempDirs();
});

describe("a Classifier checkpoint", () => {
  it("holds classifier/ and a manifest of kind classifier with its test accuracy", () => {
    const dir = path.join(root, "classifier");
    expect(listFiles(dir)).toEqual(["classifier/model.json", "classifier/weights.bin", "manifest.json"]);
    const manifest = readManifest(dir);
    expect(manifest.kind).toBe("classifier");
    expect(manifest.config).toEqual({ inputDim: 784, hiddenSizes: [32], classes: 10, seed: 5 });
    expect(manifest.metrics!.test).toEqual(classifierMetrics(classifier, test));
    expect(manifest.metrics!.test.accuracy).toBeGreaterThan(0.5);
    expect(manifest.metrics!.images).toBe(500);
  });

  it("loads back with the same weights and labels, through loadCheckpoint and loadPretrained", async () => {
    const x = test.tensors().x;
    const want = classifier.classify(x);
    for (const load of [() => loadCheckpoint(path.join(root, "classifier"), { kind: "classifier" }), () => loadPretrained("classifier", { dir: root, kind: "classifier" })]) {
      const { model, manifest } = await load();
      expect(model).toBeInstanceOf(Classifier);
      const got = model.classify(x);
      expect(Array.from(got.labels)).toEqual(Array.from(want.labels));
      expect(Math.max(...got.probabilities.map((p, i) => Math.abs(p - want.probabilities[i])))).toBeLessThan(1e-6);
      expect(classifierMetrics(model, test)).toEqual(manifest.metrics!.test);
      model.dispose();
    }
    x.dispose();
  });

  it("is refused when asked for as another kind or without a kind, and when its network does not match", async () => {
    const dir = path.join(root, "classifier");
    await expect(loadCheckpoint(dir, { kind: "vae" })).rejects.toThrow(/holds a classifier, but a vae was asked for/);
    await expect(loadCheckpoint(dir)).rejects.toThrow(/holds a classifier; load it with \{ kind: "classifier" \}/);
    const copy = path.join(tempDir(), "classifier");
    fs.cpSync(dir, copy, { recursive: true });
    const manifestFile = path.join(copy, "manifest.json");
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
    fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, config: { ...manifest.config, hiddenSizes: [64] } }));
    await expect(loadCheckpoint(copy, { kind: "classifier" })).rejects.toThrow(/classifier\/model\.json does not match manifest\.json: .*layer sizes \[784, 64, 10\].*\[784, 32, 10\]/);
    fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, config: { ...manifest.config, classes: "ten" } }));
    await expect(loadCheckpoint(copy, { kind: "classifier" })).rejects.toThrow(/config must have integer inputDim, classes, seed and an array hiddenSizes/);
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    fs.truncateSync(path.join(copy, "classifier", "weights.bin"), 100);
    await expect(loadCheckpoint(copy, { kind: "classifier" })).rejects.toThrow(/classifier\/weights\.bin has 100 bytes.*truncated/);
  });

  it("is not written when a weight is not finite", async () => {
    const bad = new Classifier({ hiddenSizes: [4] });
    const [w] = bad.trainableVariables();
    w.assign(tf.fill(w.shape, NaN));
    const dir = path.join(tempDir(), "bad");
    await expect(saveCheckpoint(dir, bad)).rejects.toThrow(/model must be a model with finite weights/);
    expect(fs.existsSync(dir)).toBe(false);
    bad.dispose();
  });
});
