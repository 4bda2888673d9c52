import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMnistSplit } from "../../lib/data/mnist";
import { VAE } from "../../lib/models/vae";
import { loadCheckpoint } from "../../lib/persist/load";
import { modelReport, reportHtml } from "../../lib/plots/report";
import { initBackend } from "../../lib/runtime/backend";

const root = path.resolve(__dirname, "../..");
const made: string[] = [];
const tmp = () => {
  made.push(fs.mkdtempSync(path.join(os.tmpdir(), "vae-kit-train-")));
  return made[made.length - 1];
};
/** Run the CLI through node + tsx (the same as `npx tsx scripts/train.ts`, one process). */
const train = (...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "scripts/train.ts", ...args], { cwd: root, encoding: "utf8", env: { ...process.env, VAE_BACKEND: "wasm" } });
const tiny = ["--hidden", "32", "--latent", "2", "--limit", "300", "--batch-size", "50"];

beforeAll(async () => {
  await initBackend("wasm", { quiet: true });
});

describe("scripts/train.ts rejects bad command lines with a clear message, the usage and exit code 2", () => {
  it("an unknown flag (through npx tsx, as npm run train does)", () => {
    const run = spawnSync("npx", ["tsx", "scripts/train.ts", "--bogus"], { cwd: root, encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^train: unknown flag --bogus\.\n/);
    expect(run.stderr).toMatch(/Usage: npm run train -- \[flags\]/);
    expect(run.stderr).toMatch(/--latent 20 +latent dimensions/);
  }, 60_000);

  const cases: Array<[string[], RegExp]> = [
    [["--latent", "abc"], /train: --latent must be a positive integer, but got 'abc'\./],
    [["--latent", "0"], /train: --latent must be a positive integer, but got '0'\./],
    [["--epochs", "2.5"], /train: --epochs must be a positive integer, but got '2\.5'\./],
    [["--hidden", "512,x"], /train: --hidden must be positive integers separated by commas \(e\.g\. 512,256\) or 'none', but got '512,x'\./],
    [["--lr=-1"], /train: --lr must be a positive number, but got '-1'\./],
    [["--lr", "-1"], /train: bad value for --lr: argument is ambiguous\. .* use '--lr=-XYZ'/],
    [["--beta=-0.5"], /train: --beta must be a number >= 0, but got '-0\.5'\./],
    [["--binarize", "maybe"], /train: --binarize must be one of none, static, dynamic, but got 'maybe'\./],
    [["--model", "gan"], /train: --model must be vae, autoencoder, conv-vae or cvae, but got 'gan'\./],
    [["--model", "conv-vae", "--hidden", "400"], /train: --hidden does not apply to --model conv-vae/],
    [["--filters", "16,32"], /train: --filters applies to --model conv-vae only/],
    [["--model", "conv-vae", "--filters", "16"], /train: --filters must be two positive integers separated by a comma/],
    [["--model", "cvae", "--free-bits", "0.5"], /train: --free-bits applies to --model vae only/],
    [["--model", "cvae", "--likelihood", "gaussian"], /train: --likelihood applies to --model vae only \(the cvae decoder is Bernoulli\)/],
    [["--backend", "gpu"], /train: --backend must be one of tensorflow, wasm, cpu, but got 'gpu'\./],
    [["--threads", "0"], /train: --threads must be a positive integer, but got '0'\./],
    [["--threads", "8"], /train: --threads must be at most 4 \(the wasm backend's pool\), but got '8'\./],
    [["--model", "autoencoder", "--beta", "2"], /train: --beta applies to --model vae only/],
    [["--warmup", "soon"], /train: --warmup must be a number >= 0, but got 'soon'\./],
    [["--free-bits=-1"], /train: --free-bits must be a number >= 0, but got '-1'\./],
    [["--model", "autoencoder", "--warmup", "2"], /train: --warmup applies to --model vae only/],
    [["--model", "autoencoder", "--free-bits", "0.5"], /train: --free-bits applies to --model vae only/],
    [["--latent"], /train: bad value for --latent: argument missing\./],
    [["extra"], /train: unexpected argument extra: every setting is a flag/],
    [["--resume"], /train: --resume needs --out/],
    [["--likelihood", "poisson"], /train: --likelihood must be one of bernoulli, continuous-bernoulli, gaussian, but got 'poisson'\./],
    [["--model", "autoencoder", "--likelihood", "gaussian"], /train: --likelihood applies to --model vae only/],
    [["--sigma", "0.1"], /train: --sigma applies to --likelihood gaussian only, but the likelihood is bernoulli\./],
    [["--likelihood", "continuous-bernoulli", "--sigma", "learned"], /train: --sigma applies to --likelihood gaussian only, but the likelihood is continuous-bernoulli\./],
    [["--likelihood", "gaussian", "--sigma", "0"], /train: --sigma must be a positive number, 'learned' or 'learned-per-pixel', but got '0'\./],
    [["--likelihood", "gaussian", "--sigma", "wide"], /train: --sigma must be a positive number, 'learned' or 'learned-per-pixel', but got 'wide'\./],
  ];
  for (const [args, message] of cases) {
    it(args.join(" "), () => {
      const run = train(...args);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(/Usage: npm run train/);
      expect(run.stdout).toBe("");
    });
  }

  it("--help prints the usage on stdout, exit code 0", () => {
    const run = train("--help");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: npm run train/);
    expect(run.stdout).toMatch(/--likelihood bernoulli\|continuous-bernoulli\|gaussian\n +decoder distribution/);
    expect(run.stdout).toMatch(/--sigma 1\|learned\|learned-per-pixel/);
    expect(run.stdout).toMatch(/--warmup 0 +KL warm-up/);
    expect(run.stdout).toMatch(/--free-bits 0 +free bits/);
  });
});

describe("a training run", () => {
  const out = path.join(tmp(), "run");

  it("writes the checkpoint, metrics.json and an offline HTML report", async () => {
    const run = train("--model", "vae", ...tiny, "--epochs", "2", "--seed", "3", "--out", out);
    expect(run.stderr).not.toMatch(/train:/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Done: 2 of 2 epochs; test .*negElbo \d+\.\d\d nats per image \(binarize "none"\)/);
    expect(fs.readdirSync(out).sort()).toEqual(["checkpoint", "metrics.json", "report.html"]);
    const { model, manifest } = await loadCheckpoint(path.join(out, "checkpoint"), { kind: "vae", optimizer: true }).then((c) => {
      c.optimizer!.dispose();
      return c;
    });
    model.dispose();
    expect(manifest.config).toEqual({ inputDim: 784, hiddenSizes: [32], latentDim: 2, seed: 3 });
    expect(manifest.training).toMatchObject({ epochs: 2, plannedEpochs: 2, batchSize: 50, learningRate: 0.001, beta: 1, seed: 3 });
    const metrics = JSON.parse(fs.readFileSync(path.join(out, "metrics.json"), "utf8"));
    expect(metrics.history).toEqual(manifest.history);
    expect(metrics).toMatchObject({ kind: "vae", stopped: false, test: manifest.history[1].test, units: expect.stringMatching(/nats per image/) });
    const html = fs.readFileSync(path.join(out, "report.html"), "utf8");
    expect(html.match(/class="plotly-graph-div/g)).toHaveLength(4); // loss curves, reconstructions, samples, latent scatter
    expect(html).toContain("window.PlotlyConfig"); // plotly.js inline: works offline
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).toContain("Samples from the prior");
    expect(html).toContain("Latent space: posterior means of 300 test digits");
  }, 120_000);

  it("refuses to overwrite that checkpoint without --resume or --force", () => {
    const run = train(...tiny, "--out", out);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/already holds a checkpoint: add --resume to continue it, or --force to start again from scratch/);
  });

  it("--resume continues it to --epochs, and refuses flags that disagree with it", () => {
    const bad = train("--resume", "--out", out, "--latent", "5");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--latent 5 disagrees with the checkpoint in .*checkpoint \(2\)/);
    const run = train("--resume", "--out", out, "--epochs", "3");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Resuming .* at epoch 3 of 3/);
    const metrics = JSON.parse(fs.readFileSync(path.join(out, "metrics.json"), "utf8"));
    expect(metrics.history.map((r: { epoch: number }) => r.epoch)).toEqual([1, 2, 3]);
    const again = train("--resume", "--out", out, "--epochs", "3");
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/already has 3 epochs \(asked for 3\): nothing to do/);
  }, 120_000);

  it("an autoencoder with a 3-D code: the report plots 2 of its 3 dimensions and says so", () => {
    const dir = path.join(tmp(), "ae");
    const run = train("--model", "autoencoder", "--hidden", "32", "--latent", "3", "--limit", "300", "--epochs", "1", "--binarize", "static", "--out", dir);
    expect(run.status).toBe(0);
    const html = fs.readFileSync(path.join(dir, "report.html"), "utf8");
    expect(html).toContain("The latent plot shows only the first 2 of the 3 latent dimensions.");
    expect(html).toContain("An autoencoder has no prior");
  }, 120_000);
});

describe("a run with another decoder distribution (--likelihood, --sigma)", () => {
  const out = path.join(tmp(), "gaussian");

  it("records it in the checkpoint, with the learned sigma, and in the report", async () => {
    const run = train(...tiny, "--epochs", "1", "--likelihood", "gaussian", "--sigma", "learned-per-pixel", "--out", out);
    expect(run.stderr).not.toMatch(/train:/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Training a VAE \(gaussian, sigma learned-per-pixel decoder\) 784-32-2/);
    const { model, manifest } = await loadCheckpoint(path.join(out, "checkpoint"), { kind: "vae" });
    expect(manifest.likelihood).toMatchObject({ name: "gaussian", sigma: "learned-per-pixel" });
    expect(manifest.likelihood!.logSigma).toHaveLength(784);
    expect(manifest.likelihood!.logSigma!.some((v) => v !== 0)).toBe(true); // trained, not the initial sigma = 1
    expect(Array.from(model.logSigma!.dataSync())).toEqual(manifest.likelihood!.logSigma);
    model.dispose();
    expect(fs.readFileSync(path.join(out, "report.html"), "utf8")).toContain("gaussian, sigma learned-per-pixel");
  }, 120_000);

  it("--resume keeps it and refuses a --likelihood or --sigma that disagrees", () => {
    const other = train("--resume", "--out", out, "--likelihood", "continuous-bernoulli");
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/--likelihood continuous-bernoulli disagrees with the checkpoint in .*checkpoint \(gaussian\)/);
    const sigma = train("--resume", "--out", out, "--likelihood", "gaussian", "--sigma", "0.5");
    expect(sigma.status).toBe(2);
    expect(sigma.stderr).toMatch(/--sigma 0\.5 disagrees with the checkpoint in .*checkpoint \(learned-per-pixel\)/);
    const run = train("--resume", "--out", out, "--likelihood", "gaussian", "--sigma", "learned-per-pixel", "--epochs", "2");
    expect(run.stderr).not.toMatch(/train:/);
    expect(run.status).toBe(0);
    const metrics = JSON.parse(fs.readFileSync(path.join(out, "metrics.json"), "utf8"));
    expect(metrics.history.map((r: { epoch: number }) => r.epoch)).toEqual([1, 2]);
  }, 120_000);

  it("a fixed sigma and the continuous Bernoulli are recorded too", async () => {
    for (const [flags, likelihood] of [
      [["--likelihood", "gaussian", "--sigma", "0.25"], { name: "gaussian", sigma: 0.25 }],
      [["--likelihood", "continuous-bernoulli"], { name: "continuous-bernoulli" }],
    ] as const) {
      const dir = path.join(tmp(), likelihood.name);
      const run = train(...tiny, "--limit", "100", "--epochs", "1", ...flags, "--out", dir);
      expect(run.status).toBe(0);
      const { model, manifest } = await loadCheckpoint(path.join(dir, "checkpoint"), { kind: "vae" });
      model.dispose();
      expect(manifest.likelihood).toEqual(likelihood);
    }
  }, 120_000);
});

describe("a run with KL warm-up and free bits (--warmup, --free-bits)", () => {
  const out = path.join(tmp(), "schedule");

  it("records them in the checkpoint and the report, and --resume refuses values that disagree", async () => {
    const run = train(...tiny, "--epochs", "1", "--warmup", "2", "--free-bits", "0.5", "--out", out);
    expect(run.stderr).not.toMatch(/train:/);
    expect(run.status).toBe(0);
    const { model, manifest } = await loadCheckpoint(path.join(out, "checkpoint"), { kind: "vae" });
    model.dispose();
    expect(manifest.training).toMatchObject({ warmupEpochs: 2, freeBits: 0.5 });
    expect(fs.readFileSync(path.join(out, "report.html"), "utf8")).toContain("warm-up 2 epochs, free bits 0.5 nats per dimension");
    const bad = train("--resume", "--out", out, "--warmup", "3");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--warmup 3 disagrees with the checkpoint in .*checkpoint \(2\)/);
    const badBits = train("--resume", "--out", out, "--free-bits", "0");
    expect(badBits.status).toBe(2);
    expect(badBits.stderr).toMatch(/--free-bits 0 disagrees with the checkpoint in .*checkpoint \(0\.5\)/);
    const resumed = train("--resume", "--out", out, "--warmup", "2", "--free-bits", "0.5", "--epochs", "2");
    expect(resumed.status).toBe(0);
  }, 120_000);
});

describe("runs of a conditional VAE and a conv VAE (--model cvae, --model conv-vae)", () => {
  for (const [kind, sizes] of [["cvae", ["--hidden", "32"]], ["conv-vae", ["--filters", "4,8"]]] as const) {
    it(`${kind}: the checkpoint, the report, and --resume with warm-up and beta`, async () => {
      const out = path.join(tmp(), kind);
      const flags = ["--model", kind, ...sizes, "--latent", "2", "--limit", "200", "--batch-size", "50", "--binarize", "dynamic", "--beta", "0.5", "--warmup", "1"];
      const run = train(...flags, "--epochs", "1", "--out", out);
      expect(run.stderr).not.toMatch(/train:/);
      expect(run.status).toBe(0);
      const { model, manifest } = await loadCheckpoint(path.join(out, "checkpoint"), { kind });
      model.dispose();
      expect(manifest.kind).toBe(kind);
      expect(manifest.training).toMatchObject({ beta: 0.5, warmupEpochs: 1 });
      expect(fs.readFileSync(path.join(out, "report.html"), "utf8")).toContain(kind === "cvae" ? "784+10-32-2" : "conv filters 4-8, latent 2");
      const resumed = train("--resume", "--out", out, "--epochs", "2");
      expect(resumed.status).toBe(0);
      expect(JSON.parse(fs.readFileSync(path.join(out, "metrics.json"), "utf8")).history).toHaveLength(2);
    }, 180_000);
  }
});

describe("a run whose loss goes non-finite", () => {
  it("exits with code 1 and fit's message naming the epoch, the step and the causes, and writes no checkpoint", () => {
    const out = path.join(tmp(), "run");
    const run = train(...tiny, "--epochs", "2", "--lr", "1000", "--out", out);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^train: Error in fit: the loss must stay finite, but got (NaN|Infinity) at epoch 1, step 2 of 6 \(.* of 50 images.*\)\. .*Usual causes: a learning rate too high \(this run's is 1000; fit's default is 0\.001\)/,
    );
    expect(run.stderr).toMatch(/Training stopped before applying this step's update, so the model keeps its last finite weights\.\n$/);
    expect(run.stderr).not.toMatch(/Usage:/);
    expect(fs.existsSync(path.join(out, "checkpoint"))).toBe(false);
    expect(fs.existsSync(path.join(out, "metrics.json"))).toBe(false);
  }, 120_000);
});

describe("Ctrl-C (SIGINT)", () => {
  it("stops after the current step, keeps the last completed epoch's checkpoint valid, writes the report, exit code 130", async () => {
    const out = path.join(tmp(), "run");
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/train.ts", ...tiny, "--limit", "1000", "--epochs", "500", "--out", out], {
      cwd: root,
      env: { ...process.env, VAE_BACKEND: "wasm" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const manifest = path.join(out, "checkpoint", "manifest.json");
    for (let i = 0; i < 600 && !fs.existsSync(manifest); i++) await new Promise((r) => setTimeout(r, 100));
    expect(fs.existsSync(manifest)).toBe(true);
    child.kill("SIGINT");
    const code = await exited;
    expect(stderr).toMatch(/Stopping after the current step; the checkpoint of the last completed epoch stays valid/);
    expect(code).toBe(130);
    expect(stdout).toMatch(/Stopped: \d+ of 500 epochs/);
    expect(stdout).toMatch(/Continue with: npm run train -- --resume --out /);
    const { model, manifest: m } = await loadCheckpoint(path.join(out, "checkpoint"));
    model.dispose();
    expect(m.history.length).toBeGreaterThanOrEqual(1);
    expect(m.history.length).toBeLessThan(500);
    expect(JSON.parse(fs.readFileSync(path.join(out, "metrics.json"), "utf8"))).toMatchObject({ stopped: true, history: m.history });
    expect(fs.existsSync(path.join(out, "report.html"))).toBe(true);
    expect(fs.readdirSync(out).sort()).toEqual(["checkpoint", "metrics.json", "report.html"]);
  }, 180_000);
});

describe("the report", () => {
  it("gathers its images without leaving tensors, and renders one offline page with four plots", () => {
    const test = loadMnistSplit("test", { limit: 100, binarize: "dynamic" });
    const vae = new VAE({ hiddenSizes: [16], latentDim: 2, seed: 1 });
    const before = tf.memory().numTensors;
    const report = modelReport(vae, test, [{ epoch: 1, train: { negElbo: 300 }, test: { negElbo: 290 } }], { title: "t", samples: 16 });
    expect(tf.memory().numTensors).toBe(before);
    vae.dispose();
    expect(report.reconstructions!.inputs.every((v) => v === 0 || v === 1)).toBe(true); // binarized, as the model saw them
    expect(report.samples!.count).toBe(16);
    expect(report.latent!.points).toHaveLength(200);
    const html = reportHtml(report);
    expect(html.match(/class="plotly-graph-div/g)).toHaveLength(4);
  });
});

afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});
