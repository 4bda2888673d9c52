import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMnist, MnistSplit } from "../../lib/data/mnist";
import { Autoencoder } from "../../lib/models/autoencoder";
import { VAE } from "../../lib/models/vae";
import { loadCheckpoint } from "../../lib/persist/load";
import { loadOptimizerFromDir, saveOptimizerToDir } from "../../lib/persist/optimizer-state";
import { initBackend } from "../../lib/runtime/backend";
import { fitWithCheckpoints, resumeFit } from "../../lib/train/checkpoint";
import { epochSeed, fit } from "../../lib/train/fit";
import { JUPYTER_PATH, KERNELS, ROOT, writeKernelspecs } from "../../scripts/kernelspecs";
import { jupyterPython } from "../../scripts/notebook-runner";

const config = { hiddenSizes: [32], latentDim: 3, seed: 1 };
const training = { batchSize: 50, seed: 9, progress: "none" as const };
let data: { train: MnistSplit; test: MnistSplit };
const made: string[] = [];
const tempDir = () => {
  made.push(fs.mkdtempSync(path.join(os.tmpdir(), "vae-kit-ck-")));
  return path.join(made[made.length - 1], "checkpoint");
};

function maxAbsDiff(a: tf.Tensor[], b: tf.Tensor[]): number {
  return Math.max(...a.map((t, i) => tf.tidy(() => t.sub(b[i]).abs().max().dataSync()[0])));
}

/** Weights after `epochs` epochs trained in one go. */
async function straightRun<M extends VAE | Autoencoder>(make: () => M, epochs: number, split = data): Promise<{ model: M; history: unknown[] }> {
  const model = make();
  const { history } = await fit(model, split, { ...training, epochs });
  return { model, history };
}

beforeAll(async () => {
  await initBackend("wasm", { quiet: true });
  data = loadMnist({ limit: 500 });
});

describe("resuming from a checkpoint", () => {
  // Tolerance: 1e-5 on every weight. Resuming restores the weights and Adam's moments bit for
  // bit; only Adam's bias-correction factor beta^t is recomputed (pow instead of a running
  // product), a float32 rounding difference at most.
  it("after 2 epochs, to 4, gives the weights and history of 4 straight epochs", async () => {
    const dir = tempDir();
    const first = new VAE(config);
    const part = await fitWithCheckpoints(first, data, { ...training, dir, epochs: 2 });
    expect(part.history.map((r) => r.epoch)).toEqual([1, 2]);
    expect(part.manifest!.training).toMatchObject({ epochs: 2, plannedEpochs: 2, batchSize: 50, seed: 9, learningRate: 1e-3, beta: 1 });
    first.dispose();

    const before = tf.memory().numTensors;
    const resumed = await resumeFit(dir, data, { epochs: 4, progress: "none" });
    expect(resumed.history.map((r) => r.epoch)).toEqual([3, 4]);
    expect(resumed.fullHistory.map((r) => r.epoch)).toEqual([1, 2, 3, 4]);
    expect(resumed.manifest!.training).toMatchObject({ epochs: 4, plannedEpochs: 4 });

    const straight = await straightRun(() => new VAE(config), 4);
    expect(maxAbsDiff(resumed.model.trainableVariables(), straight.model.trainableVariables())).toBeLessThan(1e-5);
    const tests = (h: unknown[]) => h.map((r) => (r as { test: Record<string, number> }).test.negElbo);
    tests(resumed.fullHistory).forEach((v, i) => expect(v).toBeCloseTo(tests(straight.history)[i], 3));

    // The checkpoint on disk holds the same 4-epoch weights.
    const onDisk = await loadCheckpoint(dir, { kind: "vae" });
    expect(maxAbsDiff(onDisk.model.trainableVariables(), resumed.model.trainableVariables())).toBe(0);
    onDisk.model.dispose();
    resumed.model.dispose();
    straight.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("continues KL warm-up and free bits where they stopped: resumed after 1 epoch equals 3 straight epochs", async () => {
    const schedule = { warmupEpochs: 2, freeBits: 0.1, beta: 2 };
    const dir = tempDir();
    const first = new VAE(config);
    await fitWithCheckpoints(first, data, { ...training, ...schedule, dir, epochs: 1, seed: 9 });
    first.dispose();
    const resumed = await resumeFit(dir, data, { epochs: 3, progress: "none" });
    expect(resumed.manifest!.training).toMatchObject({ epochs: 3, ...schedule });
    const straight = new VAE(config);
    await fit(straight, data, { ...training, ...schedule, epochs: 3 });
    const plain = new VAE(config);
    await fit(plain, data, { ...training, beta: 2, epochs: 3 });
    const toStraight = maxAbsDiff(resumed.model.trainableVariables(), straight.trainableVariables());
    expect(toStraight).toBeLessThan(1e-5);
    // Without the schedule the weights differ: the check above could fail.
    expect(maxAbsDiff(resumed.model.trainableVariables(), plain.trainableVariables())).toBeGreaterThan(1e-3);
    for (const m of [resumed.model, straight, plain]) m.dispose();
  });

  it("after a run stopped by its signal: the last completed epoch's checkpoint is valid and resumes to the same result (autoencoder, dynamic binarization)", async () => {
    const dynamic = loadMnist({ limit: 300, binarize: "dynamic" });
    const dir = tempDir();
    const controller = new AbortController();
    const ae = new Autoencoder(config);
    const stopped = await fitWithCheckpoints(ae, dynamic, {
      ...training,
      dir,
      epochs: 3,
      signal: controller.signal,
      onEpochEnd: (r) => {
        if (r.epoch === 1) controller.abort();
      },
    });
    ae.dispose();
    expect(stopped.stopped).toBe(true);
    expect(stopped.fullHistory).toHaveLength(1);
    const saved = await loadCheckpoint(dir, { optimizer: true });
    expect(saved.manifest.training).toMatchObject({ epochs: 1, plannedEpochs: 3 });
    expect(saved.manifest.data).toEqual({ dataset: "mnist", binarize: "dynamic", train: 300, test: 300 });
    saved.model.dispose();
    saved.optimizer!.dispose();

    const resumed = await resumeFit(dir, dynamic, { progress: "none" }); // to the planned 3 epochs
    expect(resumed.fullHistory.map((r) => r.epoch)).toEqual([1, 2, 3]);
    const straight = await straightRun(() => new Autoencoder(config), 3, dynamic);
    expect(maxAbsDiff(resumed.model.trainableVariables(), straight.model.trainableVariables())).toBeLessThan(1e-5);
    resumed.model.dispose();
    straight.model.dispose();
  });

  it("refuses data that differs from the checkpoint's, naming the difference", async () => {
    const dir = tempDir();
    const vae = new VAE(config);
    await fitWithCheckpoints(vae, data, { ...training, dir, epochs: 1 });
    vae.dispose();
    const before = tf.memory().numTensors;
    await expect(resumeFit(dir, loadMnist({ limit: 400 }), { epochs: 2, progress: "none" })).rejects.toThrow(
      /resumeFit: the data differs from the checkpoint's: train is 400, but .* was trained with 500/,
    );
    await expect(resumeFit(dir, loadMnist({ limit: 500, binarize: "static" }), { epochs: 2, progress: "none" })).rejects.toThrow(/binarize is "static", but .* "none"/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("optimizer state", () => {
  it("round-trips Adam's step count and moments", async () => {
    const dir = tempDir();
    const vae = new VAE(config);
    const optimizer = tf.train.adam(0.01);
    await fit(vae, data, { ...training, epochs: 1, optimizer });
    await saveOptimizerToDir(optimizer, dir);
    const restored = await loadOptimizerFromDir(dir, vae.trainableVariables());
    const [a, b] = [await optimizer.getWeights(), await restored.getWeights()];
    expect(b.map((w) => w.name)).toEqual(a.map((w) => w.name));
    expect(b[0].tensor.dataSync()[0]).toBe(10); // 500 images / 50 per step
    // The kit's Adam keeps the moments divided by (1 - beta): equal up to float32 rounding.
    expect(maxAbsDiff(b.map((w) => w.tensor), a.map((w) => w.tensor))).toBeLessThan(1e-6);
    expect(restored.getConfig()).toEqual(optimizer.getConfig());
    tf.dispose([a[0].tensor, b[0].tensor]);
    const other = new VAE({ ...config, latentDim: 4 });
    await expect(loadOptimizerFromDir(dir, other.trainableVariables())).rejects.toThrow(/moment '.*' has shape \[32,3\], but its variable has shape \[32,4\]/);
    await expect(loadOptimizerFromDir(dir, other.trainableVariables().slice(2))).rejects.toThrow(/holds moments of 10 variables, but the model has 8/);
    for (const t of [optimizer, restored, vae, other]) t.dispose();
  });
});

describe("fit for resuming", () => {
  it("epochSeed is deterministic and distinct across seeds and epochs", () => {
    expect(epochSeed(1, 2)).toBe(epochSeed(1, 2));
    const seeds = new Set<number>();
    for (let s = 0; s < 20; s++) for (let e = 1; e <= 20; e++) seeds.add(epochSeed(s, e));
    expect(seeds.size).toBe(400);
    expect(epochSeed(12, 3)).not.toBe(epochSeed(1, 23));
  });

  it("initialEpoch numbers the epochs on and trains nothing when the run is complete", async () => {
    const vae = new VAE(config);
    const optimizer = tf.train.adam(1e-3);
    const { history } = await fit(vae, data, { ...training, epochs: 3, initialEpoch: 2, optimizer });
    expect(history.map((r) => r.epoch)).toEqual([3]);
    expect(await fit(vae, data, { ...training, epochs: 3, initialEpoch: 3 })).toEqual({ history: [], stopped: false });
    await expect(fit(vae, data, { initialEpoch: -1 })).rejects.toThrow("Error in fit: options.initialEpoch must be an integer >= 0, but got -1.");
    optimizer.dispose();
    vae.dispose();
  });

  it("stops on SIGINT when stopOnInterrupt is true, and removes its listener", async () => {
    const vae = new VAE(config);
    const listeners = process.listenerCount("SIGINT");
    const run = fit(vae, data, { ...training, epochs: 50, stopOnInterrupt: true, onEpochEnd: () => void process.emit("SIGINT") });
    const { history, stopped } = await run;
    expect(stopped).toBe(true);
    expect(history).toHaveLength(1);
    expect(process.listenerCount("SIGINT")).toBe(listeners);
    vae.dispose();
  });
});

/**
 * Interrupting a notebook cell that runs `fit` (the kernel gets SIGINT, as from the
 * interrupt button): training must stop and the kernel must survive. Before
 * `stopOnInterrupt`, tslab went on training in the background and Deno's kernel died.
 */
const INTERRUPT_PY = String.raw`
import json, os, sys, time
from jupyter_client.manager import KernelManager
kernel, cwd, mark = sys.argv[1], sys.argv[2], sys.argv[3]
km = KernelManager(kernel_name=kernel)
km.start_kernel(cwd=cwd)
kc = km.client(); kc.start_channels(); kc.wait_for_ready(timeout=120)
def done():
    try: return int(open(mark).read() or 0)
    except Exception: return 0
kc.execute('import * as fs from "node:fs";\nimport * as kit from "vae-kit";\nawait kit.initBackend("wasm", { quiet: true });\n'
    'const data = kit.loadMnist({ limit: 2000 });\nconst vae = new kit.VAE({ hiddenSizes: [32], latentDim: 2, seed: 1 });\n'
    'await kit.fit(vae, data, { epochs: 500, progress: "none", onEpochEnd: (r) => fs.writeFileSync(' + json.dumps(mark) + ', String(r.epoch)) });')
end = time.time() + 180
while done() < 2 and time.time() < end: time.sleep(0.2)
km.interrupt_kernel()
time.sleep(3); a = done()
time.sleep(4); b = done()
print(json.dumps({"alive": km.is_alive(), "a": a, "b": b}))
km.shutdown_kernel(now=True)
`;

describe("interrupting fit in a notebook kernel", () => {
  const python = jupyterPython();
  const hasJupyter = spawnSync(python, ["-c", "import jupyter_client"]).status === 0;
  beforeAll(() => {
    if (!hasJupyter) return;
    writeKernelspecs();
    execFileSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", path.join(ROOT, "lib/tsconfig.json")], { cwd: ROOT });
  }, 120_000);

  for (const kernelName of KERNELS) {
    it.skipIf(!hasJupyter)(`${kernelName}: stops training and the kernel survives`, () => {
      const mark = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vae-kit-ck-")), "epochs.txt");
      made.push(path.dirname(mark));
      const run = spawnSync(python, ["-c", INTERRUPT_PY, kernelName, path.join(ROOT, "notebooks"), mark], {
        encoding: "utf8",
        env: { ...process.env, JUPYTER_PATH: JUPYTER_PATH },
        timeout: 240_000,
      });
      const last = run.stdout.trim().split("\n").pop() ?? "";
      expect(last.startsWith("{"), `${run.stdout}\n${run.stderr}`).toBe(true);
      const result = JSON.parse(last);
      expect(result.alive, run.stderr).toBe(true);
      expect(result.a).toBeGreaterThanOrEqual(2); // it trained some epochs ...
      expect(result.b).toBe(result.a); // ... and none after the interrupt
    }, 300_000);
  }
});

afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});
