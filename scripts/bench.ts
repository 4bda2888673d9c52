/**
 * Benchmarks, one JSON object per line on stdout. Each speed figure is the median of
 * several runs (`--repeats`, default 5).
 *
 *   {"name":"mnist-load", "seconds":...}            60k train + 10k test from the IDX files into tensors
 *   {"name":"matmul-model-shapes", "backend":..., "gflops_per_sec":..., "samples_per_sec_limit":...}
 *   {"name":"vae-train-step", "backend":..., "batch":128, "samples_per_sec":..., "fraction_of_matmul_rate":..., "fraction_of_fresh_operand_rate":...}
 *   {"name":"conv-vae-train-step", "backend":..., "batch":128, "samples_per_sec":..., "gflops_per_sec":..., "fraction_of_matmul_rate":...}
 *   {"name":"iwae", "backend":..., "k":5000, "samples_per_sec":..., "samples_per_sec_limit":..., "fraction_of_matmul_rate":..., "peak_rss_mb":..., "tensors_left":...}
 *   {"name":"two-processes", "workload":..., "one_process_samples_per_sec":..., "two_processes_samples_per_sec":..., "speedup":...}
 *   {"name":"wasm-threads", "workload":..., "one_thread_samples_per_sec":..., "two_threads_samples_per_sec":..., "speedup":...}
 *   {"name":"workers", "one_process_samples_per_sec":..., "two_workers_samples_per_sec":..., "speedup":..., "worker_ms_per_step":{...}}
 *   {"name":"checks-overhead", "backend":..., "check_ms":..., "step_ms":..., "fraction":...}
 *   {"name":"train-memory", "backend":..., "peak_rss_mb":..., "tensors_after_epoch":[...]}
 *   {"name":"vae-quality", "backend":..., "epochs":10, "test_neg_elbo_nats":...}
 *   {"name":"notebook", "notebook":..., "mode":"full"|"quick", "cell_seconds":..., "slowest_cell_seconds":..., "within_targets":...}
 *
 * The model is the dense VAE 784-400-20-400-784 at batch 128, trained by the kit's own
 * `fit` loop. `matmul-model-shapes` times only the matrix products one training step needs
 * (forward, and the two gradient products of every layer except the input's), each in its
 * fastest layout, on operands it reuses (so the wasm backend's XNNPACK packs each right-hand
 * operand only once, which a training step, whose weights and activations are new every
 * step, cannot do: the stricter limit). `fraction_of_matmul_rate` is that time divided by
 * the time of a whole training step, i.e. the step's FLOP rate as a fraction of what the
 * backend's matmul reaches on the same shapes; each training run is paired with a
 * measurement of the limit just before it. `samples_per_sec_limit_fresh_operands` times the
 * same products on new operands every time, as a step must (each right-hand operand packed
 * anew; each product in whichever of its two orders packs faster), and `fraction_of_fresh_operand_rate` is the step's rate against that.
 *
 * `conv-vae-train-step` trains the convolutional VAE (`ConvVAE`, filters [32, 64], latent 20)
 * the same way. Its FLOPs per example (`convFlopsPerSample`: forward, and the input and
 * filter gradients of every layer except the input's input gradient) at the measured rate,
 * divided by the matmul FLOP rate of `matmul-model-shapes` measured just before each run, is
 * its `fraction_of_matmul_rate`: how close the conv step comes to the backend's matmul speed.
 *
 * `iwae` times `estimateNll` (k = 5000 importance samples per image, as for the stored test
 * NLL) on a few binarized test images, in samples of z per second. Its limit is the decoder's
 * two matrix products on its 2,048-row passes ([2048, 20] x [20, 400], [2048, 400] x
 * [400, 784]), timed alone on the same operands; each run is paired with its own limit.
 * `peak_rss_mb` is the bench process's peak resident memory during the runs (the estimator
 * works chunk by chunk, so it does not grow with the number of images), `tensors_left` the
 * tensors they left behind.
 *
 * `two-processes` runs a workload (training at batch 128 and 64, the estimator) in one process,
 * then in two at once, and gives their throughput together (`scripts/bench-two-processes.ts`
 * says why two processes, and what the figure bounds). `wasm-threads` runs the same workloads
 * in one process on the wasm backend's threaded build, on one thread and then on two.
 * `workers` trains at batch 128 in one process, then in two worker threads that average their
 * gradients every step at the same global batch (`scripts/data-parallel.ts`), with a worker's
 * time per step split into its gradients, the exchange and the waits at the barriers.
 *
 * `checks-overhead` weighs `fit`'s two checks against its training step, in the same run:
 * the loss read of every step (`loss_check_ms`) and the check of the data at the start
 * (`data_check_ms`, all 70,000 MNIST images), spread over the 469 steps of one epoch on the
 * full training split, the fewest a run of all of MNIST spreads it over. `check_ms` is their
 * sum per step, `step_ms` the step time of `vae-train-step`, `fraction` the ratio.
 *
 * `notebook` runs each notebook once in full mode (from the pretrained models, tslab kernel,
 * one at a time), then once in quick mode (`VAE_QUICK=1`, as the tests run it), and records its
 * cell time (the sum over its code cells, from the timestamps Jupyter writes into the executed
 * copy), its slowest cell, and whether it meets the targets of a learner stepping through it:
 * under 60 s in all in full mode and 30 s in quick mode, no cell over 20 s. Skip one mode with
 * `notebooks-full` or `notebooks-quick`. Those seconds are absolute: read them with the
 * `matmul-model-shapes` rate of the same run.
 *
 *   npm run bench                         everything (about 25 minutes on 2 cores with wasm)
 *   npm run bench -- --skip quality,memory,notebooks --backend wasm
 *   npm run bench -- --skip load,matmul,train,conv,iwae,two,threads,workers,checks,memory,quality,notebooks-quick --notebooks 03   one notebook's full-mode timing
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { numBatches } from "../lib/data/batches";
import { loadMnist, loadMnistSplit, MNIST_PIXELS, MnistSplit } from "../lib/data/mnist";
import { checkSplit } from "../lib/data/pixels";
import { fastLoss } from "../lib/fast/fast-loss";
import { estimateNll } from "../lib/eval/nll";
import { ConvVAE } from "../lib/models/conv-vae";
import { VAE } from "../lib/models/vae";
import { availableBackends, initBackend } from "../lib/runtime/backend";
import { fit } from "../lib/train/fit";
import { benchTwoProcesses, benchWasmThreads, benchWorkers } from "./bench-two-processes";
import { executionSeconds } from "./cell-times";
import { median } from "./median";
import { ROOT, writeKernelspecs } from "./kernelspecs";
import { buildLibrary, listNotebooks, runNotebook } from "./notebook-runner";

const BATCH = 128;
const LAYERS: [number, number][] = [[784, 400], [400, 20], [400, 20], [20, 400], [400, 784]];
/** Training steps per measured run, per backend (the cpu backend is slow). */
const STEPS: Record<string, number> = { tensorflow: 400, wasm: 200, cpu: 8 };
/** Rounds of the matrix products per measurement of the limit, per backend (about 1 s). */
const MATMUL_ROUNDS: Record<string, number> = { tensorflow: 200, wasm: 100, cpu: 3 };
/** Fresh sets of operands per measurement of the fresh-operand limit, per backend. */
const FRESH_ROUNDS: Record<string, number> = { tensorflow: 40, wasm: 20, cpu: 2 };
/** Training steps per measured run of the conv VAE, per backend. */
const CONV_STEPS: Record<string, number> = { tensorflow: 100, wasm: 10, cpu: 2 };
const CONV_FILTERS: [number, number] = [32, 64];
/** Importance samples per image of the `iwae` record, and images per measured run, per backend. */
const IWAE_K = 5000;
const IWAE_IMAGES: Record<string, number> = { tensorflow: 20, wasm: 4, cpu: 1 };
/** Decoder rows per pass of `estimateNll` (its default maxRows). */
const IWAE_ROWS = 2048;
const CONV_LATENT = 20;
const USAGE = "usage: npm run bench -- [--repeats N] [--backend NAME] [--skip load,matmul,train,conv,iwae,two,threads,workers,checks,memory,quality,notebooks,notebooks-full,notebooks-quick] [--notebooks NAME,...]";
/** What a learner stepping through a notebook should wait at most, seconds, in each mode. */
const NOTEBOOK_TARGETS = { full: { total: 60, cell: 20 }, quick: { total: 30, cell: 20 } };
type NotebookMode = keyof typeof NOTEBOOK_TARGETS;

function emit(record: Record<string, unknown>): void {
  console.log(JSON.stringify(record));
}

function seconds<T>(f: () => T): [number, T] {
  const start = process.hrtime.bigint();
  const value = f();
  return [Number(process.hrtime.bigint() - start) / 1e9, value];
}

/** The process's peak resident memory while `f` runs (sampled every 100 ms), bytes, and its value. */
async function withPeakRss<T>(f: () => Promise<T>): Promise<[number, T]> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  try {
    const value = await f();
    return [Math.max(peak, process.memoryUsage().rss), value];
  } finally {
    clearInterval(sampler);
  }
}

/** Load MNIST into tensors once, in this (fresh) process, and print the seconds it took. */
async function loadOnce(): Promise<void> {
  await initBackend(undefined, { quiet: true });
  const [s] = seconds(() => {
    const { train, test } = loadMnist();
    for (const split of [train, test]) {
      const { x, labels } = split.tensors();
      x.dispose();
      labels.dispose();
    }
  });
  console.log(s);
}

/** Each load runs in a fresh process, as a notebook's first load does. */
function benchLoad(repeats: number): void {
  const runs = Array.from({ length: repeats }, () =>
    Number(execFileSync(process.execPath, [require.resolve("tsx/cli"), __filename, "--load-once"], { encoding: "utf8" }).trim()),
  );
  emit({ name: "mnist-load", train: 60000, test: 10000, into: "tensors", repeats, seconds: +median(runs).toFixed(4) });
}

/** The matrix products of one training step, [m, k, n] for [m, k] x [k, n], each in its fastest (untransposed) layout. */
function productShapes(): [number, number, number][] {
  const shapes: [number, number, number][] = [];
  LAYERS.forEach(([inDim, outDim], i) => {
    shapes.push([BATCH, inDim, outDim]); // forward: x W
    shapes.push([inDim, BATCH, outDim]); // gradient of W: x^T g
    if (i > 0) shapes.push([BATCH, outDim, inDim]); // gradient of x: g W^T
  });
  return shapes;
}

/** Operands of those products. */
function matmulOperands(): tf.Tensor[][] {
  return productShapes().map(([m, k, n]) => [tf.randomNormal([m, k]), tf.randomNormal([k, n])]);
}

/** Seconds of those products, per training step. */
function matmulSeconds(operands: tf.Tensor[][], rounds: number): number {
  const once = () => operands.forEach(([a, b]) => tf.matMul(a, b).dispose());
  for (let i = 0; i < 3; i++) once();
  const [s] = seconds(() => {
    for (let i = 0; i < rounds; i++) once();
    tf.tidy(() => tf.matMul(operands[0][0], operands[0][1]).dataSync());
  });
  return s / rounds;
}

/**
 * Seconds of those products per training step when every operand is new, as in a real
 * step (XNNPACK packs a right-hand operand it has not seen before). Each product A B is
 * timed on `rounds` fresh pairs in both orders, A B and (Bᵀ Aᵀ)ᵀ (which packs the other
 * operand), and counts with the faster.
 */
function freshMatmulSeconds(rounds: number): number {
  const productSeconds = (m: number, k: number, n: number) => {
    const pairs = Array.from({ length: rounds }, () => [tf.randomNormal([m, k]), tf.randomNormal([k, n])]);
    const [s] = seconds(() => pairs.forEach(([a, b]) => tf.matMul(a, b).dispose()));
    pairs.flat().forEach((t) => t.dispose());
    return s / rounds;
  };
  return productShapes().reduce((sum, [m, k, n]) => sum + Math.min(productSeconds(m, k, n), productSeconds(n, k, m)), 0);
}

/** FLOPs of those products per training example. */
function flopsPerSample(): number {
  return LAYERS.reduce((sum, [inDim, outDim], i) => sum + 2 * inDim * outDim * (i > 0 ? 3 : 2), 0);
}

/** Samples per second of one epoch of `steps` training steps, by the kit's `fit`. */
async function trainingRate(train: MnistSplit, seed: number): Promise<number> {
  const vae = new VAE({ hiddenSizes: [400], latentDim: 20, seed });
  const { history } = await fit(vae, { train }, { epochs: 1, batchSize: BATCH, seed, progress: "none" });
  vae.dispose();
  return train.count / history[0].seconds;
}

/**
 * Multiply-adds of each layer of the conv VAE per example (see `ConvVAE`): a 3x3 convolution
 * whose output (a transposed convolution: whose input) has h x w positions makes
 * h w 9 inChannels outChannels, a dense layer in * out. Each costs 2 FLOPs, three times
 * (forward, input gradient, filter gradient), except the first layer's input gradient.
 */
function convFlopsPerSample(): number {
  const [f0, f1] = CONV_FILTERS;
  const macs = [
    14 * 14 * 9 * 1 * f0, // encoder conv1, 28x28x1 -> 14x14xf0 (first layer)
    7 * 7 * 9 * f0 * f1, // encoder conv2 -> 7x7xf1
    2 * 7 * 7 * f1 * CONV_LATENT, // mu and logVar heads
    CONV_LATENT * 7 * 7 * f1, // decoder dense
    7 * 7 * 9 * f1 * f1, // transposed conv 7x7xf1 -> 14x14xf1
    14 * 14 * 9 * f1 * f0, // transposed conv -> 28x28xf0
    28 * 28 * 9 * f0 * 1, // transposed conv -> 28x28x1
  ];
  return macs.reduce((sum, m, i) => sum + 2 * m * (i === 0 ? 2 : 3), 0);
}

/** Samples per second of the conv VAE over one epoch of `CONV_STEPS` steps, by `fit`. */
async function convTrainingRate(train: MnistSplit, seed: number): Promise<number> {
  const vae = new ConvVAE({ filters: CONV_FILTERS, latentDim: CONV_LATENT, seed });
  const { history } = await fit(vae, { train }, { epochs: 1, batchSize: BATCH, seed, progress: "none" });
  vae.dispose();
  return train.count / history[0].seconds;
}

/** The conv VAE's training rate, each run paired with a measurement of the matmul FLOP rate just before it. */
async function benchConv(backend: string, repeats: number, operands: tf.Tensor[][]): Promise<void> {
  const train = loadMnistSplit("train", { limit: BATCH * CONV_STEPS[backend] });
  await convTrainingRate(train, 0); // warms the backend up
  const runs = [];
  for (let i = 1; i <= repeats; i++) {
    const matmulFlops = (flopsPerSample() * BATCH) / matmulSeconds(operands, MATMUL_ROUNDS[backend]);
    const rate = await convTrainingRate(train, i);
    runs.push({ rate, fraction: (rate * convFlopsPerSample()) / matmulFlops });
  }
  const rate = median(runs.map((r) => r.rate));
  emit({
    name: "conv-vae-train-step",
    backend,
    batch: BATCH,
    model: `conv ${CONV_FILTERS.join("-")}, latent ${CONV_LATENT}`,
    steps: CONV_STEPS[backend],
    repeats,
    samples_per_sec: Math.round(rate),
    gflops_per_sec: +((rate * convFlopsPerSample()) / 1e9).toFixed(2),
    fraction_of_matmul_rate: +median(runs.map((r) => r.fraction)).toFixed(3),
  });
}

/**
 * Each training run follows its own measurement of the matmul limit, so that both see the
 * same load on a shared machine; the fraction is the median of the runs' fractions.
 */
async function benchTraining(backend: string, repeats: number, skip: Set<string>): Promise<void> {
  await initBackend(backend, { quiet: true });
  const train = skip.has("train") ? undefined : loadMnistSplit("train", { limit: BATCH * STEPS[backend] });
  const operands = matmulOperands();
  if (train) await trainingRate(train, 0); // warms the backend up
  if (!skip.has("conv")) await benchConv(backend, repeats, operands);
  if (!skip.has("iwae")) await benchIwae(backend, repeats);
  const runs = [];
  for (let i = 1; i <= repeats; i++) {
    const limit = BATCH / matmulSeconds(operands, MATMUL_ROUNDS[backend]);
    const freshLimit = BATCH / freshMatmulSeconds(FRESH_ROUNDS[backend]);
    const rate = train ? await trainingRate(train, i) : NaN;
    runs.push({ limit, freshLimit, rate, fraction: rate / limit, freshFraction: rate / freshLimit });
  }
  operands.flat().forEach((t) => t.dispose());
  const limit = median(runs.map((r) => r.limit));
  if (!skip.has("matmul")) {
    emit({ name: "matmul-model-shapes", backend, batch: BATCH, repeats, gflops_per_sec: +((flopsPerSample() * limit) / 1e9).toFixed(2), samples_per_sec_limit: Math.round(limit) });
  }
  if (!train) return;
  const rate = median(runs.map((r) => r.rate));
  emit({
    name: "vae-train-step",
    backend,
    batch: BATCH,
    model: "784-400-20-400-784",
    steps: STEPS[backend],
    repeats,
    samples_per_sec: Math.round(rate),
    fraction_of_matmul_rate: +median(runs.map((r) => r.fraction)).toFixed(3),
    samples_per_sec_limit_fresh_operands: Math.round(median(runs.map((r) => r.freshLimit))),
    fraction_of_fresh_operand_rate: +median(runs.map((r) => r.freshFraction)).toFixed(3),
  });
  if (!skip.has("checks")) benchChecks(backend, repeats, (1000 * BATCH) / rate);
}

/** The decoder's two products on one pass of `estimateNll`, and their FLOPs per sample of z. */
function iwaeOperands(): { operands: tf.Tensor[][]; flopsPerSample: number } {
  const shapes: [number, number][] = [[20, 400], [400, 784]];
  return {
    operands: shapes.map(([k, n]) => [tf.randomNormal([IWAE_ROWS, k]), tf.randomNormal([k, n])]),
    flopsPerSample: shapes.reduce((sum, [k, n]) => sum + 2 * k * n, 0),
  };
}

/** Samples of z per second of `estimateNll` with k = IWAE_K, each run paired with the products' limit. */
async function benchIwae(backend: string, repeats: number): Promise<void> {
  const vae = new VAE({ hiddenSizes: [400], latentDim: 20, seed: 1 });
  const images = loadMnistSplit("test", { binarize: "dynamic", limit: IWAE_IMAGES[backend] });
  const { operands, flopsPerSample } = iwaeOperands();
  await estimateNll(vae, images, { k: IWAE_K, ks: [IWAE_K], seed: 0 }); // warms the backend up
  const runs = [];
  let peak = 0;
  const tensors = tf.memory().numTensors;
  for (let i = 1; i <= repeats; i++) {
    const limit = IWAE_ROWS / matmulSeconds(operands, MATMUL_ROUNDS[backend]);
    const [rss, estimate] = await withPeakRss(() => estimateNll(vae, images, { k: IWAE_K, ks: [IWAE_K], seed: i }));
    const rate = (IWAE_K * images.count) / estimate.seconds;
    runs.push({ limit, rate, fraction: rate / limit });
    peak = Math.max(peak, rss);
  }
  const tensorsLeft = tf.memory().numTensors - tensors;
  operands.flat().forEach((t) => t.dispose());
  vae.dispose();
  const rate = median(runs.map((r) => r.rate));
  emit({
    name: "iwae",
    backend,
    model: "784-400-20-400-784",
    k: IWAE_K,
    images: images.count,
    rows_per_pass: IWAE_ROWS,
    repeats,
    samples_per_sec: Math.round(rate),
    gflops_per_sec: +((rate * flopsPerSample) / 1e9).toFixed(2),
    samples_per_sec_limit: Math.round(median(runs.map((r) => r.limit))),
    fraction_of_matmul_rate: +median(runs.map((r) => r.fraction)).toFixed(3),
    peak_rss_mb: Math.round(peak / 2 ** 20),
    tensors_left: tensorsLeft,
  });
}

/** `fit`'s per-step loss check and its data check at the start, against the step time `stepMs`. */
function benchChecks(backend: string, repeats: number, stepMs: number): void {
  const data = loadMnist();
  const dataMs = median(
    Array.from({ length: repeats }, () => 1000 * seconds(() => ["train", "test"].forEach((name) => checkSplit("fit", name, data[name as "train" | "test"])))[0]),
  );
  // The read fit makes of every step's loss, on the loss of a real forward pass.
  const vae = new VAE({ hiddenSizes: [400], latentDim: 20, seed: 0 });
  const x = tf.tensor2d(data.train.images.subarray(0, BATCH * MNIST_PIXELS), [BATCH, MNIST_PIXELS]);
  const loss = tf.tidy(() => fastLoss(vae)!(x, { beta: 1, seed: 0 }).loss);
  const reads = 2000;
  const lossMs = median(
    Array.from({ length: repeats }, () => {
      const [s] = seconds(() => {
        for (let i = 0; i < reads; i++) if (!Number.isFinite(loss.dataSync()[0])) throw new Error("bench: non-finite loss");
      });
      return (1000 * s) / reads;
    }),
  );
  tf.dispose([x, loss]);
  vae.dispose();
  const stepsPerEpoch = numBatches(data.train.count, BATCH);
  const checkMs = lossMs + dataMs / stepsPerEpoch;
  emit({
    name: "checks-overhead",
    backend,
    batch: BATCH,
    repeats,
    loss_check_ms: +lossMs.toFixed(4),
    data_check_ms: +dataMs.toFixed(1),
    images_checked: data.train.count + data.test.count,
    steps_per_epoch: stepsPerEpoch,
    check_ms: +checkMs.toFixed(4),
    step_ms: +stepMs.toFixed(2),
    fraction: +(checkMs / stepMs).toFixed(4),
  });
}

async function benchMemoryAndQuality(backend: string, skip: Set<string>): Promise<void> {
  await initBackend(backend, { quiet: true });
  const data = loadMnist();
  const vae = new VAE({ hiddenSizes: [400], latentDim: 20, seed: 1 });
  const tensors: number[] = [];
  const epochs = skip.has("quality") ? 2 : 10;
  const [peak, { history }] = await withPeakRss(() =>
    fit(vae, data, {
      epochs,
      batchSize: BATCH,
      seed: 1,
      progress: "none",
      onEpochEnd: () => void tensors.push(tf.memory().numTensors),
    }),
  );
  vae.dispose();
  if (!skip.has("memory")) emit({ name: "train-memory", backend, train: data.train.count, epochs, peak_rss_mb: Math.round(peak / 2 ** 20), tensors_after_epoch: tensors });
  if (!skip.has("quality")) {
    const last = history[history.length - 1];
    emit({ name: "vae-quality", backend, model: "784-400-20-400-784", data: "grey-level MNIST", epochs, batch: BATCH, learning_rate: 1e-3, seconds: Math.round(history.reduce((s, r) => s + r.seconds, 0)), test_neg_elbo_nats: +last.test!.negElbo.toFixed(2), test_reconstruction_nats: +last.test!.reconstruction.toFixed(2), test_kl_nats: +last.test!.kl.toFixed(2) });
  }
}

/** Run each notebook once in each mode, one at a time, and emit its cell times. */
async function benchNotebooks(filters: string[], modes: NotebookMode[]): Promise<void> {
  buildLibrary();
  writeKernelspecs();
  for (const mode of modes) for (const notebook of listNotebooks(filters)) emit(await benchNotebook(notebook, mode));
}

/** One notebook's `notebook` record in one mode, in the tslab kernel. */
async function benchNotebook(notebook: string, mode: NotebookMode): Promise<Record<string, unknown>> {
  const run = await runNotebook(notebook, "tslab", { quick: mode === "quick", buildDir: path.join(ROOT, "build", `bench-notebooks-${mode}`) });
  const record = { name: "notebook", notebook, kernel: "tslab", mode };
  if (run.status !== "ok") return { ...record, status: "failed", error: run.error?.split("\n").slice(-3).join(" ") };
  const times = executionSeconds(JSON.parse(fs.readFileSync(run.executed, "utf8")), notebook.replace(/\.ipynb$/, ""));
  const target = NOTEBOOK_TARGETS[mode];
  return {
    ...record, status: "ok",
    wall_seconds: +run.seconds.toFixed(1), cell_seconds: +times.seconds.toFixed(1),
    slowest_cell_seconds: +times.slowestCell.toFixed(1), slowest_code_cell: times.slowestIndex + 1,
    within_targets: times.seconds < target.total && times.slowestCell < target.cell,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      repeats: { type: "string", default: "5" },
      backend: { type: "string" },
      skip: { type: "string", default: "" },
      notebooks: { type: "string", default: "" },
      "load-once": { type: "boolean", default: false },
    },
  });
  if (values["load-once"]) return loadOnce();
  const repeats = Number(values.repeats);
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`bench: --repeats must be a positive integer, but got '${values.repeats}'.\n${USAGE}`);
  const skip = new Set(values.skip.split(",").filter(Boolean));
  const backends = values.backend ? [values.backend] : await availableBackends();
  if (!skip.has("load")) benchLoad(repeats);
  if (!(skip.has("matmul") && skip.has("train") && skip.has("conv") && skip.has("iwae"))) for (const backend of backends) await benchTraining(backend, repeats, skip);
  const fastest = backends[0];
  if (!skip.has("two")) (await benchTwoProcesses(fastest, repeats)).forEach(emit);
  if (!skip.has("threads") && backends.includes("wasm")) (await benchWasmThreads(repeats)).forEach(emit);
  if (!skip.has("workers")) emit(await benchWorkers(fastest, repeats));
  if (!(skip.has("memory") && skip.has("quality"))) await benchMemoryAndQuality(fastest, skip);
  const modes = (["full", "quick"] as const).filter((mode) => !skip.has(`notebooks-${mode}`));
  if (!skip.has("notebooks")) await benchNotebooks(values.notebooks.split(",").filter(Boolean), modes);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
