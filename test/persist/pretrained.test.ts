import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadMnistSplit } from "../../lib/data/mnist";
import { estimateNll } from "../../lib/eval/nll";
import { Classifier } from "../../lib/models/classifier";
import { VAE } from "../../lib/models/vae";
import { listPretrained, loadPretrained, pretrainedDir, PretrainedEntry } from "../../lib/persist/pretrained";
import { initBackend } from "../../lib/runtime/backend";
import { evaluate } from "../../lib/train/evaluate";
import { classifierMetrics } from "../../lib/train/train-classifier";
import { removeTempDirs, tempDir } from "./helpers";

const root = path.resolve(__dirname, "../..");
const repoPretrained = path.join(root, "pretrained");
let trial: string;

/** Load each listed model and evaluate it as its manifest says; the largest gap in nats per image. */
async function reproduce(entries: PretrainedEntry[], dir: string): Promise<Array<{ name: string; kind: string; gap: number }>> {
  const gaps = [];
  for (const entry of entries) {
    const { model, manifest } = await loadPretrained(entry.name, { dir, kind: entry.kind });
    const m = manifest.metrics!;
    expect(m).not.toBeNull();
    expect(entry.metrics).toEqual(m);
    const test = loadMnistSplit("test", { limit: m.images, binarize: m.binarize });
    const again = model instanceof Classifier ? classifierMetrics(model, test) : evaluate(model, test, { seed: m.seed, beta: m.beta });
    model.dispose();
    const gap = Math.max(...Object.keys(m.test).map((k) => Math.abs(again[k] - m.test[k])));
    gaps.push({ name: entry.name, kind: entry.kind, gap });
  }
  return gaps;
}

/** A trial run of the real script: the models `only`, 300 images, 1 epoch, into `out`, with `extraFlags`. */
function pretrainTrial(only: string, out: string, extraFlags: string[] = []) {
  const args = ["--import", "tsx", "scripts/pretrain.ts", "--only", only, "--limit", "300", "--epochs", "1", "--out", out, "--backend", "wasm", ...extraFlags];
  return spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
}

beforeAll(async () => {
  await initBackend("wasm", { quiet: true });
  trial = path.join(tempDir(), "pretrained");
  const run = pretrainTrial("ae-2d,vae-2d", trial);
  if (run.status !== 0) throw new Error(`pretrain failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
}, 120_000);

afterEach(() => {
  delete process.env.VAE_PRETRAINED_DIR;
});

describe("npm run train:pretrained (trial: --only ae-2d,vae-2d --limit 300 --epochs 1)", () => {
  it("writes pretrained/<name>/ checkpoints without optimizer state and an index listing them", () => {
    const entries = listPretrained({ dir: trial });
    expect(entries.map((e) => e.name)).toEqual(["ae-2d", "vae-2d"]);
    expect(entries[1]).toMatchObject({ kind: "vae", notebooks: ["02-variational-autoencoder", "05-latent-space"], epochs: 1, config: { hiddenSizes: [400], latentDim: 2, seed: 1 } });
    expect(entries[1].data).toEqual({ dataset: "mnist", binarize: "none", train: 300, test: 300 });
    expect(fs.readdirSync(path.join(trial, "vae-2d")).sort()).toEqual(["decoder", "encoder", "manifest.json"]);
    const bytes = entries.reduce((n, e) => n + e.bytes, 0);
    expect(bytes).toBeLessThan(6e6); // two 784-400-2 models, ~2.5 MB each
  });

  // Tolerance 1e-3 nats per image: same backend, same weights, same seeded noise.
  it("reproduces each model's test metrics from its manifest within 1e-3 nats per image", async () => {
    const gaps = await reproduce(listPretrained({ dir: trial }), trial);
    for (const { gap } of gaps) expect(gap).toBeLessThan(1e-3);
  });

  it("types and checks the kind asked for", async () => {
    const { model } = await loadPretrained("vae-2d", { dir: trial, kind: "vae" });
    expect(model).toBeInstanceOf(VAE);
    expect(tf.tidy(() => model.sample(3, 1).shape)).toEqual([3, 784]);
    model.dispose();
    await expect(loadPretrained("ae-2d", { dir: trial, kind: "vae" })).rejects.toThrow(/holds an autoencoder, but a vae was asked for/);
  });

  it("rejects bad flags with the usage and exit code 2", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/pretrain.ts", "--only", "nope"], { cwd: root, encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/pretrain: --only: unknown model nope; the models are ae-2d, vae-20d, vae-2d, vae-2d-no-kl, vae-20d-dynamic/);
    expect(run.stderr).toMatch(/Usage: npm run train:pretrained/);
  });
});

describe("a pretrained model with another decoder distribution (trial: --only decoder-gaussian-learned)", () => {
  it("records the likelihood in its manifest (with the learned sigma) and in the index (without it), and loads with it", async () => {
    const dir = path.join(tempDir(), "pretrained");
    const run = pretrainTrial("decoder-gaussian-learned", dir);
    expect(run.status, run.stderr).toBe(0);
    const [entry] = listPretrained({ dir });
    expect(entry.likelihood).toEqual({ name: "gaussian", sigma: "learned" });
    expect(entry.config).toMatchObject({ hiddenSizes: [128], latentDim: 20 });
    const { model, manifest } = await loadPretrained("decoder-gaussian-learned", { dir, kind: "vae" });
    expect(manifest.likelihood).toMatchObject({ name: "gaussian", sigma: "learned", logSigma: [expect.any(Number)] });
    expect(model.likelihood).toEqual({ name: "gaussian", sigma: "learned" });
    expect(model.logSigma!.dataSync()[0]).toBeCloseTo(manifest.likelihood!.logSigma![0], 6);
    expect(manifest.likelihood!.logSigma![0]).not.toBe(0); // trained away from sigma = 1
    model.dispose();
    const [plain] = listPretrained({ dir: trial }).filter((e) => e.kind === "vae");
    expect(plain.likelihood).toBeUndefined(); // the default, Bernoulli, is not spelled out
  }, 120_000);
});

describe("a stored test NLL estimate (trial: --only vae-20d-dynamic, 5 test images)", () => {
  it("is written into the index with --nll-images, below the -ELBO, and --nll-only makes the same one again", () => {
    const dir = path.join(tempDir(), "pretrained");
    const run = pretrainTrial("vae-20d-dynamic", dir, ["--nll-images", "5"]);
    expect(run.status, run.stderr).toBe(0);
    const [entry] = listPretrained({ dir });
    const nll = entry.nll!;
    expect(nll).toMatchObject({ k: 5000, images: 5, seed: 1, binarize: "dynamic" });
    expect(Number.isFinite(nll.nll) && nll.standardError > 0).toBe(true);
    expect(nll.nll).toBeLessThan(nll.negElbo); // -L_5000 <= -L_1 for the same samples
    const again = pretrainTrial("vae-20d-dynamic", dir, ["--nll-only", "--nll-images", "5"]);
    expect(again.status, again.stderr).toBe(0);
    expect(listPretrained({ dir })[0]).toEqual({ ...entry, nll: { ...nll, seconds: expect.any(Number) } });
  }, 120_000);
});

describe("the pretrained classifier (trial: --only classifier)", () => {
  it("records its test accuracy in its manifest and the index, prints it, and loads as a Classifier", async () => {
    const dir = path.join(tempDir(), "pretrained");
    const run = pretrainTrial("classifier", dir);
    expect(run.status, run.stderr).toBe(0);
    const [entry] = listPretrained({ dir });
    expect(entry).toMatchObject({ name: "classifier", kind: "classifier", config: { inputDim: 784, hiddenSizes: [128], classes: 10, seed: 1 } });
    const accuracy = entry.metrics!.test.accuracy;
    expect(accuracy).toBeGreaterThan(0.1);
    expect(run.stdout).toContain(`test accuracy ${(100 * accuracy).toFixed(2)}%`);
    expect(entry.bytes).toBeLessThan(1e6);
    const { model } = await loadPretrained("classifier", { dir, kind: "classifier" });
    expect(model).toBeInstanceOf(Classifier);
    model.dispose();
  }, 120_000);
});

describe("the repository's pretrained models", () => {
  // Tolerance 0.05 nats per image (relative ~5e-4): the models may have been made on another
  // backend (tensorflow, wasm, cpu), whose float32 sums over 10,000 images differ slightly.
  // The classifier's accuracy and cross-entropy: 2e-3 (20 of 10,000 labels).
  const present = fs.existsSync(path.join(repoPretrained, "manifest.json"));
  it.skipIf(!present)("each reproduces the test metrics in its manifest within 0.05 nats per image", async () => {
    const gaps = await reproduce(listPretrained({ dir: repoPretrained }), repoPretrained);
    expect(gaps.length).toBeGreaterThan(0);
    for (const { name, kind, gap } of gaps) expect(gap, name).toBeLessThan(kind === "classifier" ? 2e-3 : 0.05);
  }, 300_000);
});

describe("the repository's stored test NLL estimate", () => {
  // A fresh estimate on the first 20 test images (same k, seed and binarization) must lie
  // within three standard errors of the stored one; the standard errors of both add.
  const entry = fs.existsSync(path.join(repoPretrained, "manifest.json")) ? listPretrained({ dir: repoPretrained }).find((m) => m.nll) : undefined;
  it.skipIf(!entry)("agrees with a fresh estimate on a subset of its test images", async () => {
    const stored = entry!.nll!;
    const { model } = await loadPretrained(entry!.name, { dir: repoPretrained, kind: "vae" });
    const test = loadMnistSplit("test", { binarize: stored.binarize, limit: 20 });
    const fresh = await estimateNll(model, test, { k: stored.k, seed: stored.seed });
    model.dispose();
    const se = Math.hypot(stored.standardError, fresh.nllStandardError);
    expect(Math.abs(fresh.nll - stored.nll)).toBeLessThan(3 * se);
  }, 300_000);
});

describe("loadPretrained errors tell the user what to do", () => {
  it("when there are no pretrained models", async () => {
    const empty = tempDir();
    await expect(loadPretrained("vae-20d", { dir: empty })).rejects.toThrow(/has no manifest\.json, so it holds no pretrained models\. .*VAE_PRETRAINED_DIR.* Run `npm run train:pretrained`/);
  });

  it("when the name is unknown: lists the available ones", async () => {
    await expect(loadPretrained("vae-99d", { dir: trial })).rejects.toThrow(/no pretrained model "vae-99d" in .*manifest\.json; available: ae-2d, vae-2d\. Run `npm run train:pretrained`/);
    await expect(loadPretrained("../x", { dir: trial })).rejects.toThrow('Error in loadPretrained: name must be a model name like "vae-20d", but got "../x".');
  });

  it("when a model's folder is missing, changed or damaged", async () => {
    const copy = path.join(tempDir(), "pretrained");
    fs.cpSync(trial, copy, { recursive: true });
    fs.rmSync(path.join(copy, "ae-2d"), { recursive: true });
    await expect(loadPretrained("ae-2d", { dir: copy })).rejects.toThrow(/the pretrained model "ae-2d" is missing: .*ae-2d\/manifest\.json does not exist\. Run `npm run train:pretrained`/);
    fs.appendFileSync(path.join(copy, "vae-2d", "manifest.json"), "\n");
    await expect(loadPretrained("vae-2d", { dir: copy })).rejects.toThrow(/vae-2d\/manifest\.json does not match its checksum in .*Run `npm run train:pretrained -- --only vae-2d`/);
    fs.cpSync(path.join(trial, "vae-2d"), path.join(copy, "vae-2d"), { recursive: true });
    fs.truncateSync(path.join(copy, "vae-2d", "decoder", "weights.bin"), 1000);
    await expect(loadPretrained("vae-2d", { dir: copy })).rejects.toThrow(/"vae-2d" cannot be loaded: .*decoder\/weights\.bin has 1000 bytes, .*truncated.*Run `npm run train:pretrained -- --only vae-2d`/);
  });
});

describe("pretrainedDir finds pretrained/ next to the library", () => {
  it("from $VAE_PRETRAINED_DIR", () => {
    process.env.VAE_PRETRAINED_DIR = trial;
    expect(pretrainedDir()).toBe(trial);
  });

  it("names the setting when $VAE_PRETRAINED_DIR or options.dir holds no models", () => {
    const empty = tempDir();
    process.env.VAE_PRETRAINED_DIR = empty;
    expect(() => pretrainedDir()).toThrow(`pretrainedDir: VAE_PRETRAINED_DIR is ${empty}, which has no manifest.json, so it holds no pretrained models.`);
    expect(() => pretrainedDir({ dir: empty })).toThrow(`pretrainedDir: options.dir is ${empty}, which has no manifest.json`);
  });

  /** A copy of the kit's layout: kit/lib/dist (compiled), kit/node_modules, kit/pretrained. */
  let built = false;
  function scratchKit(withModels: boolean): string {
    if (!built) execFileSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", path.join(root, "lib/tsconfig.json")], { cwd: root });
    built = true;
    const kit = path.join(tempDir(), "kit");
    fs.cpSync(path.join(root, "lib", "dist"), path.join(kit, "lib", "dist"), { recursive: true });
    fs.copyFileSync(path.join(root, "lib", "package.json"), path.join(kit, "lib", "package.json"));
    fs.symlinkSync(path.join(root, "node_modules"), path.join(kit, "node_modules"), "dir");
    if (withModels) fs.cpSync(trial, path.join(kit, "pretrained"), { recursive: true });
    return kit;
  }

  const script = (kit: string) =>
    `const kit = require(${JSON.stringify(path.join(kit, "lib", "dist", "index.js"))});` +
    `kit.loadPretrained("vae-2d").then(({ model, manifest, dir }) => { console.log(JSON.stringify({ dir, name: manifest.name })); model.dispose(); },` +
    ` (e) => console.log(JSON.stringify({ error: e.message })));`;

  it("from the compiled library in Node (as under tslab), whatever the working directory", () => {
    const kit = scratchKit(true);
    const out = execFileSync(process.execPath, ["-e", script(kit)], { cwd: path.dirname(kit), encoding: "utf8", env: { ...process.env, VAE_BACKEND: "cpu" } });
    expect(JSON.parse(out.trim().split("\n").pop()!)).toEqual({ dir: path.join(kit, "pretrained", "vae-2d"), name: "vae-2d" });
    fs.rmSync(path.join(kit, "pretrained"), { recursive: true });
    const missing = execFileSync(process.execPath, ["-e", script(kit)], { cwd: path.dirname(kit), encoding: "utf8" });
    expect(JSON.parse(missing.trim().split("\n").pop()!).error).toMatch(
      new RegExp(`no pretrained models found: there is no pretrained/manifest\\.json in ${path.join(kit, "lib", "dist", "persist")}, .* Set the environment variable VAE_PRETRAINED_DIR to that folder .* Run \`npm run train:pretrained\``),
    );
  }, 120_000);

  it("from the compiled library in Deno", () => {
    const deno = path.join(root, "node_modules", ".bin", "deno");
    const kit = scratchKit(true);
    const code = `import { createRequire } from "node:module"; const require = createRequire(import.meta.url); ${script(kit)}`;
    const out = execFileSync(deno, ["eval", code], { cwd: path.dirname(kit), encoding: "utf8", env: { ...process.env, VAE_BACKEND: "cpu", NO_COLOR: "1" } });
    expect(JSON.parse(out.trim().split("\n").pop()!)).toEqual({ dir: path.join(kit, "pretrained", "vae-2d"), name: "vae-2d" });
  }, 120_000);
});

afterAll(removeTempDirs);
