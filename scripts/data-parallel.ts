/**
 * Data-parallel training of the dense VAE 784-400-20-400-784 in worker threads, one
 * TensorFlow.js backend per thread: the route to a second core that averages gradients over
 * shared memory. `npm run bench` measures it against one process (record `workers`, in
 * `scripts/bench-two-processes.ts`).
 *
 * Every worker holds the whole model and draws the same batches (one seed), of which it takes
 * its own rows: worker r of N takes rows [r B/N, (r+1) B/N) of each global batch of B images,
 * and samples eps with seed s + r, where s is the step's seed. Each weight tensor belongs to one
 * worker (the tensors split into N groups of nearly equal size), which alone averages its
 * gradient and runs Adam's update of it, as in a sharded optimizer (Rajbhandari et al.,
 * "ZeRO", 2020, stage 1); so each worker runs 1/N of Adam's update instead of all of it.
 * One step:
 *
 *   1. the gradients of the worker's loss on its rows (the fast path of `fit`);
 *   2. the gradients of tensors other workers own, copied into the worker's slot of the
 *      shared memory; a barrier;
 *   3. for each tensor it owns, the mean of the N gradients (summed in rank order, times
 *      1/N), and Adam's update; the new weights copied into the shared memory; a barrier;
 *   4. the weights other workers own, copied from the shared memory.
 *
 * Every worker then holds the same weights, to the bit: those of one process that computes
 * the N gradients in turn and averages them (tested in `test/scripts/data-parallel.test.ts`).
 * The mean of the N losses is the loss on the global batch, so training follows the same
 * objective as `fit` at batch B, with other noise (eps) per image. Each epoch drops its last
 * partial batch.
 */
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import * as tf from "@tensorflow/tfjs";
import { batches } from "../lib/data/batches";
import { loadMnistSplit } from "../lib/data/mnist";
import { Adam } from "../lib/fast/adam";
import { fastLoss } from "../lib/fast/fast-loss";
import { VAE } from "../lib/models/vae";
import { initBackend } from "../lib/runtime/backend";
import { argumentError, checkPositiveInteger } from "../lib/runtime/checks";
import { heapOffset, WasmBackend } from "../lib/runtime/wasm-module";
import { Rng } from "../lib/runtime/seed";

/** What to train, and how. */
export interface DataParallelOptions {
  /** Worker threads, each with its own backend. */
  workers: number;
  /** Images per step over all workers, a multiple of `workers`. */
  batchSize: number;
  /** Training images, the first of MNIST's training split (grey-level). */
  images: number;
  epochs: number;
  /** Steps trained before the timed epochs start (they change the weights too); default 0. */
  warmupSteps?: number;
  /** Seed of the weights, the batches and eps. */
  seed: number;
  /** `wasm` or `cpu`. */
  backend: string;
}

/** The outcome of `trainDataParallel`. */
export interface DataParallelResult {
  /** Images of the timed epochs per second of wall clock, all workers together. */
  samplesPerSec: number;
  /** Every weight after training, in the order of `vae.trainableVariables()`, flattened. */
  weights: Float32Array[];
  /** Mean loss (-ELBO, nats per image) of the timed epochs' steps. */
  meanLoss: number;
  /** Milliseconds per step of a worker (the mean over workers): computing its gradients, the
   *  exchange (copies, means, Adam's update of its tensors), and waiting at the two barriers. */
  ms: { gradients: number; exchange: number; wait: number };
}

const HIDDEN = [400];
const LATENT = 20;
const LEARNING_RATE = 1e-3;

/** What each worker thread reports at the end: its timed epochs, their mean loss, its time per step. */
interface Report {
  start: number;
  end: number;
  loss: number;
  ms: DataParallelResult["ms"];
}

/** What each worker thread receives. */
interface WorkerSetup {
  rank: number;
  options: Required<DataParallelOptions>;
  /** The weight tensors' element counts, their offsets in a slot, which rank owns each, and a slot's length. */
  sizes: number[];
  offsets: number[];
  owners: number[];
  total: number;
  /** N gradient slots, then the weights, each as long as all weights together. */
  values: SharedArrayBuffer;
  /** [arrived at the barrier, the barrier's generation, aborted]. */
  control: SharedArrayBuffer;
}

/**
 * Train the dense VAE with `options.workers` worker threads at the global batch
 * `options.batchSize`, as the file comment describes.
 *
 * @returns throughput, final weights and mean loss.
 * @throws Error naming the option when `workers`, `batchSize`, `images` or `epochs` is not a
 *   positive integer, or `batchSize` is not a multiple of `workers`; or the error a worker hit.
 */
export async function trainDataParallel(options: DataParallelOptions): Promise<DataParallelResult> {
  const settings = { warmupSteps: 0, ...options };
  for (const name of ["workers", "batchSize", "images", "epochs"] as const) checkPositiveInteger("trainDataParallel", `options.${name}`, settings[name]);
  if (settings.batchSize % settings.workers !== 0) {
    throw argumentError("trainDataParallel", "options.batchSize", `a multiple of options.workers (${settings.workers})`, String(settings.batchSize));
  }
  const sizes = await weightSizes();
  const total = sizes.reduce((a, b) => a + b, 0);
  const shared = new SharedArrayBuffer(4 * total * (settings.workers + 1));
  const control = new SharedArrayBuffer(3 * 4);
  const offsets = prefixSums(sizes);
  const owners = shard(sizes, settings.workers);
  const workers = Array.from({ length: settings.workers }, (_, rank) =>
    startWorker({ rank, options: settings, sizes, offsets, owners, total, values: shared, control }),
  );
  try {
    await Promise.all(workers.map((w) => w.next("ready")));
    workers.forEach((w) => w.thread.postMessage("go"));
    const reports = (await Promise.all(workers.map((w) => w.next("done")))) as Report[];
    const seconds = (Math.max(...reports.map((r) => r.end)) - Math.min(...reports.map((r) => r.start))) / 1000;
    const steps = settings.epochs * Math.floor(settings.images / settings.batchSize);
    const weightsAt = settings.workers * total;
    return {
      samplesPerSec: (steps * settings.batchSize) / seconds,
      weights: sizes.map((n, i) => new Float32Array(shared, 4 * (weightsAt + offsets[i]), n).slice()),
      meanLoss: mean(reports.map((r) => r.loss)),
      ms: { gradients: mean(reports.map((r) => r.ms.gradients)), exchange: mean(reports.map((r) => r.ms.exchange)), wait: mean(reports.map((r) => r.ms.wait)) },
    };
  } finally {
    Atomics.store(new Int32Array(control), 2, 1); // a worker still waiting at a barrier stops
    await Promise.all(workers.map((w) => w.thread.terminate()));
  }
}

/** A worker thread, and the next message of a given kind from it (its error rejects). */
function startWorker(setup: WorkerSetup): { thread: Worker; next: (kind: string) => Promise<unknown> } {
  // The worker runs this TypeScript file through tsx's require hook, under tsx, vitest or node.
  const code = `require(${JSON.stringify(require.resolve("tsx/cjs"))}); require(${JSON.stringify(__filename)});`;
  const thread = new Worker(code, { eval: true, workerData: { dataParallel: setup } });
  const messages: { kind: string; value: unknown }[] = [];
  const waiting: ((m: { kind: string; value: unknown }) => void)[] = [];
  let failure: Error | undefined;
  const fail: ((e: Error) => void)[] = [];
  thread.on("message", (m) => (waiting.length ? waiting.shift()!(m) : messages.push(m)));
  thread.on("error", (e) => {
    failure = e;
    fail.splice(0).forEach((f) => f(e));
  });
  const next = (kind: string) =>
    new Promise<unknown>((resolve, reject) => {
      if (failure) return reject(failure);
      fail.push(reject);
      const take = (m: { kind: string; value: unknown }) =>
        m.kind === kind ? resolve(m.value) : reject(new Error(`trainDataParallel: worker ${setup.rank} said '${m.kind}', expected '${kind}'`));
      if (messages.length) take(messages.shift()!);
      else waiting.push(take);
    });
  return { thread, next };
}

/** Element counts of the VAE's weight tensors, in the order of `trainableVariables()`. */
async function weightSizes(): Promise<number[]> {
  await tf.ready();
  const vae = new VAE({ hiddenSizes: HIDDEN, latentDim: LATENT, seed: 0 });
  const sizes = vae.trainableVariables().map((v) => v.size);
  vae.dispose();
  return sizes;
}

/** The owner of each tensor: the largest first, each to the rank that owns the fewest elements so far. */
export function shard(sizes: number[], ranks: number): number[] {
  const load = new Array<number>(ranks).fill(0);
  const owners = new Array<number>(sizes.length);
  const order = sizes.map((_, i) => i).sort((a, b) => sizes[b] - sizes[a] || a - b);
  for (const i of order) {
    const rank = load.indexOf(Math.min(...load));
    owners[i] = rank;
    load[rank] += sizes[i];
  }
  return owners;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function prefixSums(sizes: number[]): number[] {
  const offsets: number[] = [];
  sizes.reduce((sum, n) => (offsets.push(sum), sum + n), 0);
  return offsets;
}

/** Wait until every worker has arrived; throws once the run was aborted. */
function barrier(control: Int32Array, parties: number): void {
  const generation = Atomics.load(control, 1);
  if (Atomics.add(control, 0, 1) === parties - 1) {
    Atomics.store(control, 0, 0);
    Atomics.add(control, 1, 1);
    Atomics.notify(control, 1);
    return;
  }
  while (Atomics.load(control, 1) === generation) {
    if (Atomics.load(control, 2) !== 0) throw new Error("trainDataParallel: another worker stopped");
    Atomics.wait(control, 1, generation, 100);
  }
}

/** The values of a float32 tensor: a view of the wasm backend's memory where it has one, else a copy. */
function valuesOf(t: tf.Tensor): Float32Array {
  if (tf.getBackend() !== "wasm") return t.dataSync() as Float32Array;
  const backend = tf.backend() as unknown as WasmBackend & { wasm: { HEAPF32: Float32Array } };
  const at = heapOffset(backend, t) / 4;
  return backend.wasm.HEAPF32.subarray(at, at + t.size);
}

/** A tensor holding `values` (copied: the cpu backend would keep the shared view itself). */
function tensorFrom(values: Float32Array, shape: number[]): tf.Tensor {
  return tf.tensor(tf.getBackend() === "wasm" ? values : values.slice(), shape);
}

/** One worker thread's training: the file comment's four parts of a step, for every step. */
async function work(setup: WorkerSetup): Promise<void> {
  const { rank, options, sizes, offsets, owners, total } = setup;
  const ranks = options.workers;
  await initBackend(options.backend, { quiet: true });
  const train = loadMnistSplit("train", { limit: options.images });
  const vae = new VAE({ hiddenSizes: HIDDEN, latentDim: LATENT, seed: options.seed });
  const variables = vae.trainableVariables();
  const loss = fastLoss(vae)!;
  const optimizer = new Adam(LEARNING_RATE);
  const values = new Float32Array(setup.values);
  const control = new Int32Array(setup.control);
  const slot = (r: number, i: number) => values.subarray(r * total + offsets[i], r * total + offsets[i] + sizes[i]);
  const weightSlot = (i: number) => slot(ranks, i);
  const owned = variables.map((_, i) => i).filter((i) => owners[i] === rank);
  const rows = options.batchSize / ranks;

  const ms = { gradients: 0, exchange: 0, wait: 0 };
  let clock = 0;
  const lap = (phase: keyof typeof ms) => {
    const now = performance.now();
    ms[phase] += now - clock;
    clock = now;
  };
  const step = (x: tf.Tensor2D, seed: number): number => {
    clock = performance.now();
    const part = x.slice([rank * rows, 0], [rows, -1]);
    const { value, grads } = optimizer.computeGradients(() => loss(part, { beta: 1, seed: seed + rank }).loss, variables);
    const stepLoss = value.dataSync()[0];
    lap("gradients");
    variables.forEach((v, i) => owners[i] !== rank && slot(rank, i).set(valuesOf(grads[v.name])));
    lap("exchange");
    barrier(control, ranks);
    lap("wait");
    const means = owned.map((i) =>
      tf.tidy(() => {
        const all = Array.from({ length: ranks }, (_, r) => (r === rank ? grads[variables[i].name] : tensorFrom(slot(r, i), variables[i].shape)));
        return { name: variables[i].name, tensor: all.reduce((sum, g) => sum.add(g)).mul(1 / ranks) };
      }),
    );
    optimizer.applyGradients(means);
    owned.forEach((i) => weightSlot(i).set(valuesOf(variables[i])));
    lap("exchange");
    barrier(control, ranks);
    lap("wait");
    variables.forEach((v, i) => owners[i] !== rank && tf.tidy(() => v.assign(tensorFrom(weightSlot(i), v.shape))));
    tf.dispose([part, value, ...Object.values(grads), ...means.map((m) => m.tensor)]);
    lap("exchange");
    return stepLoss;
  };

  const rng = new Rng(options.seed);
  const epoch = function* () {
    for (const batch of batches(train, { batchSize: options.batchSize, rng, dropLast: true })) {
      try {
        yield step(batch.x, rng.nextSeed());
      } finally {
        batch.x.dispose();
      }
    }
  };
  for (let done = 0; done < options.warmupSteps; ) for (const _ of epoch()) if (++done === options.warmupSteps) break;
  Object.assign(ms, { gradients: 0, exchange: 0, wait: 0 });
  parentPort!.postMessage({ kind: "ready" });
  await new Promise((resolve) => parentPort!.once("message", resolve));
  const start = Date.now();
  let lossSum = 0;
  let steps = 0;
  for (let e = 0; e < options.epochs; e++) for (const l of epoch()) (lossSum += l), steps++;
  const end = Date.now();
  if (rank === 0) variables.forEach((v, i) => weightSlot(i).set(valuesOf(v)));
  const perStep = { gradients: ms.gradients / steps, exchange: ms.exchange / steps, wait: ms.wait / steps };
  parentPort!.postMessage({ kind: "done", value: { start, end, loss: lossSum / steps, ms: perStep } satisfies Report });
}

if (!isMainThread && (workerData as { dataParallel?: WorkerSetup } | null)?.dataParallel) {
  const setup = (workerData as { dataParallel: WorkerSetup }).dataParallel;
  work(setup).catch((e) => {
    Atomics.store(new Int32Array(setup.control), 2, 1);
    Atomics.notify(new Int32Array(setup.control), 1);
    throw e;
  });
}
