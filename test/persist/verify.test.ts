import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { VAE } from "../../lib/models/vae";
import { Autoencoder } from "../../lib/models/autoencoder";
import { loadLayersModelFromDir } from "../../lib/persist/fs-io";
import { loadCheckpoint } from "../../lib/persist/load";
import { saveCheckpoint } from "../../lib/persist/save";
import { layerSizes } from "../../lib/persist/layer-sizes";
import { expectedLayerSizes } from "../../lib/persist/model-kinds";
import { initBackend } from "../../lib/runtime/backend";
import { removeTempDirs, tempDir } from "./helpers";

let dir: string;
const file = (name: string) => path.join(dir, name);
const editManifest = (edit: (m: Record<string, any>) => void) => {
  const m = JSON.parse(fs.readFileSync(file("manifest.json"), "utf8"));
  edit(m);
  fs.writeFileSync(file("manifest.json"), JSON.stringify(m));
};
/** loadCheckpoint must fail with `pattern` and leave no tensors behind. */
async function expectLoadError(pattern: RegExp, options = {}): Promise<void> {
  const before = tf.memory().numTensors;
  await expect(loadCheckpoint(dir, options)).rejects.toThrow(pattern);
  expect(tf.memory().numTensors).toBe(before);
}

beforeAll(async () => {
  await initBackend("wasm", { quiet: true });
});

beforeEach(async () => {
  dir = path.join(tempDir(), "ck");
  const vae = new VAE({ hiddenSizes: [16], latentDim: 2, seed: 1 });
  await saveCheckpoint(dir, vae, { optimizer: undefined });
  vae.dispose();
});

describe("loadCheckpoint fails with a clear message naming the file", () => {
  it("when the folder does not exist", async () => {
    dir = path.join(tempDir(), "nothing-here");
    await expectLoadError(/loadCheckpoint: there is no checkpoint at .*nothing-here \(no such folder\)/);
  });

  it("when manifest.json is missing (a save that did not finish)", async () => {
    fs.rmSync(file("manifest.json"));
    await expectLoadError(/is not a checkpoint: .*ck\/manifest\.json is missing/);
  });

  it("when manifest.json is truncated", async () => {
    const text = fs.readFileSync(file("manifest.json"), "utf8");
    fs.writeFileSync(file("manifest.json"), text.slice(0, text.length / 2));
    await expectLoadError(/ck\/manifest\.json is not valid JSON \(truncated or corrupted\?\)/);
  });

  it("when a weights file is missing", async () => {
    fs.rmSync(file("decoder/weights.bin"));
    await expectLoadError(/ck\/decoder\/weights\.bin is missing \(listed in .*manifest\.json\)/);
  });

  it("when a weights file is truncated", async () => {
    const bytes = fs.readFileSync(file("encoder/weights.bin"));
    fs.writeFileSync(file("encoder/weights.bin"), bytes.subarray(0, bytes.length - 100));
    await expectLoadError(new RegExp(`ck/encoder/weights\\.bin has ${bytes.length - 100} bytes, but manifest\\.json records ${bytes.length} \\(truncated`));
  });

  it("when a weights file has a changed byte (same size)", async () => {
    const bytes = fs.readFileSync(file("encoder/weights.bin"));
    bytes[1000] ^= 0xff;
    fs.writeFileSync(file("encoder/weights.bin"), bytes);
    await expectLoadError(/ck\/encoder\/weights\.bin has SHA-256 [0-9a-f]{64}, but manifest\.json records [0-9a-f]{64} \(the file is corrupted/);
  });

  it("when model.json was edited", async () => {
    fs.appendFileSync(file("decoder/model.json"), " ");
    await expectLoadError(/ck\/decoder\/model\.json has \d+ bytes, but manifest\.json records \d+ \(longer than saved/);
  });

  it("when the manifest's configuration does not match the networks (layer sizes)", async () => {
    editManifest((m) => (m.config.hiddenSizes = [32]));
    await expectLoadError(
      /ck\/encoder\/model\.json does not match manifest\.json: its layer sizes are \[784, 16, 2, 2\], but a vae with inputDim 784, hiddenSizes \[32\], latentDim 2 has \[784, 32, 2, 2\]/,
    );
  });

  it("when the manifest's latent size does not match", async () => {
    editManifest((m) => (m.config.latentDim = 20));
    await expectLoadError(/its layer sizes are \[784, 16, 2, 2\], but a vae .* latentDim 20 has \[784, 16, 20, 20\]/);
  });

  it("when the manifest says autoencoder but the networks are a VAE's", async () => {
    editManifest((m) => (m.kind = "autoencoder"));
    await expectLoadError(/encoder\/model\.json does not match manifest\.json: its layer sizes are \[784, 16, 2, 2\], but an autoencoder with/);
  });

  it("when another kind is asked for", async () => {
    await expectLoadError(/holds a vae, but an autoencoder was asked for/, { kind: "autoencoder" });
  });

  it("when the manifest lacks a required file or is of another format", async () => {
    editManifest((m) => delete m.files["decoder/model.json"]);
    await expectLoadError(/lists no 'decoder\/model\.json'/);
    editManifest((m) => (m.format = "something-else"));
    await expectLoadError(/format must be "vae-kit-checkpoint", but is "something-else"/);
  });

  it("when the manifest lists a path outside the folder", async () => {
    editManifest((m) => (m.files["../escape.bin"] = { bytes: 1, sha256: "0".repeat(64) }));
    await expectLoadError(/lists '\.\.\/escape\.bin', a path outside the checkpoint folder/);
  });

  it("when optimizer state is asked for but was not saved", async () => {
    await expectLoadError(/has no optimizer state .* cannot resume exactly/, { optimizer: true });
  });
});

describe("loadLayersModelFromDir (no manifest) checks sizes against model.json", () => {
  it("names a truncated weights.bin", async () => {
    const bytes = fs.readFileSync(file("decoder/weights.bin"));
    fs.writeFileSync(file("decoder/weights.bin"), bytes.subarray(0, 64));
    await expect(loadLayersModelFromDir(file("decoder"))).rejects.toThrow(
      new RegExp(`decoder/weights\\.bin holds 64 bytes, but its weights manifest in model\\.json needs ${bytes.length} bytes \\(truncated`),
    );
  });

  it("names a missing model.json", async () => {
    fs.rmSync(file("decoder/model.json"));
    await expect(loadLayersModelFromDir(file("decoder"))).rejects.toThrow(/cannot read .*decoder\/model\.json/);
  });
});

describe("fromLayers", () => {
  it("rejects networks that do not fit the configuration, naming both shapes", () => {
    const vae = new VAE({ hiddenSizes: [16], latentDim: 2 });
    expect(() => VAE.fromLayers({ hiddenSizes: [16], latentDim: 3 }, vae.encoder, vae.decoder)).toThrow(
      "Error in VAE: encoder must be a network that maps [, 784] to [, 3], [, 3], but got a network that maps [, 784] to [, 2], [, 2].",
    );
    expect(() => Autoencoder.fromLayers({ hiddenSizes: [16], latentDim: 2 }, vae.encoder, vae.decoder)).toThrow(
      "Error in Autoencoder: encoder must be a tf.Sequential, but got a Model.",
    );
    vae.dispose();
  });

  it("layerSizes reads the sizes expectedLayerSizes predicts", () => {
    const vae = new VAE({ hiddenSizes: [16, 8], latentDim: 2 });
    expect(layerSizes(vae.encoder)).toEqual(expectedLayerSizes("vae", vae.config).encoder);
    expect(layerSizes(vae.decoder)).toEqual([2, 8, 16, 784]);
    vae.dispose();
  });
});

afterAll(removeTempDirs);
