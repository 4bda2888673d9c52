import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMnist, MnistSplit } from "../../lib/data/mnist";
import { Autoencoder } from "../../lib/models/autoencoder";
import { VAE } from "../../lib/models/vae";
import { digestOf } from "../../lib/persist/checksum";
import { loadLayersModelFromDir, saveLayersModelToDir } from "../../lib/persist/fs-io";
import { loadCheckpoint } from "../../lib/persist/load";
import { CheckpointManifest } from "../../lib/persist/manifest";
import { saveCheckpoint } from "../../lib/persist/save";
import { initBackend } from "../../lib/runtime/backend";
import { describeData, fitWithCheckpoints } from "../../lib/train/checkpoint";
import { evaluate } from "../../lib/train/evaluate";
import { listFiles, maxAbsDiff, removeTempDirs, tempDir } from "./helpers";

const small = { hiddenSizes: [32], latentDim: 3 };
let data: { train: MnistSplit; test: MnistSplit };

beforeAll(async () => {
  await initBackend("wasm", { quiet: true });
  data = loadMnist({ limit: 600 });
});

describe("checksum", () => {
  it("gives the SHA-256 of the FIPS 180-4 example 'abc' and the size in bytes", () => {
    expect(digestOf("abc")).toEqual({ bytes: 3, sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" });
    expect(digestOf(new Uint8Array(0)).sha256).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
});

describe("saveLayersModelToDir / loadLayersModelFromDir", () => {
  it("write the standard TensorFlow.js layers format and read it back exactly", async () => {
    const dir = tempDir();
    const vae = new VAE({ ...small, seed: 1 });
    const written = await saveLayersModelToDir(vae.encoder, dir);
    expect(Object.keys(written).sort()).toEqual(["model.json", "weights.bin"]);
    const json = JSON.parse(fs.readFileSync(path.join(dir, "model.json"), "utf8"));
    expect(json.format).toBe("layers-model");
    expect(json.modelTopology.class_name).toBe("Model");
    expect(json.weightsManifest).toHaveLength(1);
    expect(json.weightsManifest[0].paths).toEqual(["weights.bin"]);
    const floats = json.weightsManifest[0].weights.reduce((n: number, w: { shape: number[] }) => n + w.shape.reduce((a, b) => a * b, 1), 0);
    expect(fs.statSync(path.join(dir, "weights.bin")).size).toBe(4 * floats);
    const loaded = await loadLayersModelFromDir(dir);
    expect(maxAbsDiff(loaded.getWeights(), vae.encoder.getWeights())).toBe(0);
    loaded.dispose();
    vae.dispose();
  });

  it("load over HTTP with tf.loadLayersModel(url), as a browser does", async () => {
    const dir = tempDir();
    const vae = new VAE({ ...small, seed: 2 });
    await saveLayersModelToDir(vae.decoder, dir);
    const server = http.createServer((req, res) => {
      const file = path.join(dir, path.basename(req.url ?? ""));
      if (!fs.existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { "content-type": file.endsWith(".json") ? "application/json" : "application/octet-stream" });
      res.end(fs.readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const loaded = await tf.loadLayersModel(`http://127.0.0.1:${port}/model.json`);
      expect(maxAbsDiff(loaded.getWeights(), vae.decoder.getWeights())).toBe(0);
      loaded.dispose();
    } finally {
      server.close();
      vae.dispose();
    }
  });
});

describe("saveCheckpoint / loadCheckpoint", () => {
  for (const kind of ["vae", "autoencoder"] as const) {
    it(`round-trip a ${kind}: same weights, same outputs, manifest with every file's size and SHA-256`, async () => {
      const dir = path.join(tempDir(), "ck");
      const model = kind === "vae" ? new VAE({ ...small, seed: 3 }) : new Autoencoder({ ...small, seed: 3 });
      const before = tf.memory().numTensors;
      const manifest = await saveCheckpoint(dir, model, { name: "tiny", description: "a test model" });
      expect(listFiles(path.dirname(dir))).toEqual([
        "ck/decoder/model.json",
        "ck/decoder/weights.bin",
        "ck/encoder/model.json",
        "ck/encoder/weights.bin",
        "ck/manifest.json",
      ]);
      expect(manifest).toMatchObject({ format: "vae-kit-checkpoint", formatVersion: 1, kind, name: "tiny", config: { inputDim: 784, hiddenSizes: [32], latentDim: 3, seed: 3 } });
      expect(manifest.library).toMatchObject({ name: "vae-kit", tfjs: tf.version.tfjs });
      expect(manifest.library.version).toBe(JSON.parse(fs.readFileSync(path.join(__dirname, "../../lib/package.json"), "utf8")).version);
      for (const [name, d] of Object.entries(manifest.files)) expect(digestOf(fs.readFileSync(path.join(dir, name)))).toEqual(d);
      expect(tf.memory().numTensors).toBe(before);

      const loaded = await loadCheckpoint(dir);
      expect(loaded.model).toBeInstanceOf(kind === "vae" ? VAE : Autoencoder);
      expect(loaded.model.config).toEqual(model.config);
      expect(maxAbsDiff(loaded.model.trainableVariables(), model.trainableVariables())).toBe(0);
      const x = data.test.tensors().x;
      expect(maxAbsDiff([loaded.model.reconstruct(x)], [model.reconstruct(x)])).toBe(0);
      tf.dispose(x);
      loaded.model.dispose();
      model.dispose();
    });
  }

  it("leaves no tensors behind when loading", async () => {
    const dir = path.join(tempDir(), "ck");
    const vae = new VAE({ ...small, seed: 4 });
    await saveCheckpoint(dir, vae);
    vae.dispose();
    const before = tf.memory().numTensors;
    const { model } = await loadCheckpoint(dir, { kind: "vae" });
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("rejects what no checkpoint can hold, naming the function", async () => {
    await expect(saveCheckpoint(tempDir(), {} as VAE)).rejects.toThrow("Error in saveCheckpoint: model must be an Autoencoder, a VAE, a Classifier, a ConvVAE or a ConditionalVAE, but got an object.");
  });
});

describe("the test metrics in a manifest", () => {
  // Tolerance: 1e-3 nats per image on the backend that trained the model (in practice the
  // numbers agree exactly: same weights, same data, same seeded noise), 0.05 nats per image
  // on another backend (float32 sums over 600 images in another order).
  it("are reproduced by evaluating the loaded model on the data the manifest describes", async () => {
    const dir = path.join(tempDir(), "ck");
    const vae = new VAE({ ...small, seed: 5 });
    const { manifest } = await fitWithCheckpoints(vae, data, { dir, epochs: 2, seed: 7, progress: "none" });
    vae.dispose();
    const m = (manifest as CheckpointManifest).metrics!;
    expect(m).toMatchObject({ seed: 7, beta: 1, images: 600, binarize: "none" });
    expect(manifest!.data).toEqual(describeData(data));

    const { model } = await loadCheckpoint(dir, { kind: "vae" });
    const test = loadMnist({ limit: manifest!.data!.test, binarize: m.binarize }).test;
    const again = evaluate(model, test, { seed: m.seed, beta: m.beta });
    for (const key of ["negElbo", "reconstruction", "kl"]) expect(Math.abs(again[key] - m.test[key])).toBeLessThan(1e-3);

    await initBackend("cpu", { quiet: true });
    try {
      const onCpu = evaluate(model, test, { seed: m.seed, beta: m.beta });
      expect(Math.abs(onCpu.negElbo - m.test.negElbo)).toBeLessThan(0.05);
    } finally {
      await initBackend("wasm", { quiet: true });
    }
    model.dispose();
  });
});

afterAll(() => {
  expect(tf.getBackend()).toBe("wasm");
});

afterAll(removeTempDirs);
