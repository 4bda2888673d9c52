import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMnist, MnistSplit } from "../../lib/data/mnist";
import { ConvVAE } from "../../lib/models/conv-vae";
import { loadCheckpoint } from "../../lib/persist/load";
import { pretrainedEntry, loadPretrained, writePretrainedIndex } from "../../lib/persist/pretrained";
import { saveCheckpoint } from "../../lib/persist/save";
import { initBackend } from "../../lib/runtime/backend";
import { fitWithCheckpoints, resumeFit } from "../../lib/train/checkpoint";
import { evaluate } from "../../lib/train/evaluate";
import { loadOrTrain } from "../../lib/train/load-or-train";
import { maxAbsDiff, removeTempDirs, tempDir } from "./helpers";

const small = { filters: [4, 8] as [number, number], latentDim: 3 };
let data: { train: MnistSplit; test: MnistSplit };

beforeAll(async () => {
  await initBackend("wasm", { quiet: true });
  data = loadMnist({ limit: 300, binarize: "dynamic" });
});
afterAll(removeTempDirs);

describe("a ConvVAE checkpoint (kind conv-vae)", () => {
  it("round-trips: same configuration, weights and reconstructions, no tensors left behind", async () => {
    const dir = path.join(tempDir(), "ck");
    const vae = new ConvVAE({ ...small, seed: 3 });
    const manifest = await saveCheckpoint(dir, vae, { name: "tiny-conv" });
    expect(manifest).toMatchObject({ kind: "conv-vae", config: { filters: [4, 8], latentDim: 3, seed: 3 } });
    expect(manifest.likelihood).toBeUndefined();
    const before = tf.memory().numTensors;
    const loaded = await loadCheckpoint(dir, { kind: "conv-vae" });
    expect(loaded.model).toBeInstanceOf(ConvVAE);
    expect(loaded.model.config).toEqual(vae.config);
    expect(maxAbsDiff(loaded.model.trainableVariables(), vae.trainableVariables())).toBe(0);
    const { x, labels } = data.test.tensors();
    const [a, b] = [loaded.model.reconstruct(x), vae.reconstruct(x)];
    expect(maxAbsDiff([a], [b])).toBe(0);
    tf.dispose([x, labels, a, b]);
    loaded.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    vae.dispose();
  });

  it("fails to load when the networks' filters differ from the manifest's, naming both", async () => {
    const dir = path.join(tempDir(), "ck");
    const vae = new ConvVAE({ ...small, seed: 1 });
    await saveCheckpoint(dir, vae);
    vae.dispose();
    const file = path.join(dir, "manifest.json");
    const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
    manifest.config.filters = [4, 16];
    fs.writeFileSync(file, JSON.stringify(manifest));
    await expect(loadCheckpoint(dir)).rejects.toThrow(/its layer sizes are \[784, 4, 8, 3, 3\], but a conv-vae with filters \[4, 16\], latentDim 3 has \[784, 4, 16, 3, 3\]/);
    manifest.config = { latentDim: 3, seed: 1 };
    fs.writeFileSync(file, JSON.stringify(manifest));
    await expect(loadCheckpoint(dir)).rejects.toThrow(/config must have two integer filters/);
  });

  it("refuses the wrong kind", async () => {
    const dir = path.join(tempDir(), "ck");
    const vae = new ConvVAE({ ...small, seed: 1 });
    await saveCheckpoint(dir, vae);
    vae.dispose();
    await expect(loadCheckpoint(dir, { kind: "vae" })).rejects.toThrow("holds a conv-vae, but a vae was asked for");
  });

  it("resumes training to the same weights as an uninterrupted run", async () => {
    const [once, twice] = [path.join(tempDir(), "ck"), path.join(tempDir(), "ck")];
    const a = new ConvVAE({ ...small, seed: 2 });
    await fitWithCheckpoints(a, data, { dir: once, epochs: 2, seed: 5, progress: "none" });
    const b = new ConvVAE({ ...small, seed: 2 });
    await fitWithCheckpoints(b, data, { dir: twice, epochs: 1, seed: 5, progress: "none" });
    b.dispose();
    const { model, fullHistory } = await resumeFit(twice, data, { epochs: 2, progress: "none" });
    expect(fullHistory.map((r) => r.epoch)).toEqual([1, 2]);
    expect(maxAbsDiff(model.trainableVariables(), a.trainableVariables())).toBeLessThan(1e-5);
    model.dispose();
    a.dispose();
  });

  it("loads as a pretrained model, and loadOrTrain copies its weights into a declared model", async () => {
    const root = tempDir();
    const vae = new ConvVAE({ ...small, seed: 4 });
    await saveCheckpoint(path.join(root, "conv-tiny"), vae, { name: "conv-tiny" });
    await writePretrainedIndex(root, [pretrainedEntry(root, "conv-tiny", { description: "a test model", notebooks: [] })]);
    const { model } = await loadPretrained("conv-tiny", { kind: "conv-vae", dir: root });
    expect(maxAbsDiff(model.trainableVariables(), vae.trainableVariables())).toBe(0);
    model.dispose();
    const previous = process.env.VAE_PRETRAINED_DIR;
    process.env.VAE_PRETRAINED_DIR = root;
    try {
      const into = new ConvVAE({ ...small, seed: 9 });
      const ready = await loadOrTrain("conv-tiny", { retrain: false, into, data });
      expect(ready.model).toBe(into);
      expect(evaluate(into, data.test, { seed: 1 })).toEqual(evaluate(vae, data.test, { seed: 1 }));
      into.dispose();
    } finally {
      if (previous === undefined) delete process.env.VAE_PRETRAINED_DIR;
      else process.env.VAE_PRETRAINED_DIR = previous;
    }
    vae.dispose();
  });
});
