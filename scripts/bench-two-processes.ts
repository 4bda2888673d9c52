/**
 * What a second core adds: the same workload in one process alone, then in two processes at
 * once (each its own backend on its own core), in samples per second of all processes
 * together. Part of `npm run bench` (record `two-processes`, skipped with `--skip two`).
 *
 * The wasm backend computes on one thread in Node, so two processes are the way to use two
 * cores. For the importance-sampling estimator the route is exact: its images split into
 * halves, one per process, with no exchange until the end. For training, two independent
 * processes give the most any data-parallel route can reach (workers that average their
 * gradients every step also wait for each other and exchange them), so their throughput
 * is that route's ceiling: at batch 64 per process, for a global batch of 128 (the bench's
 * batch), and at 128.
 *
 * The other route to a second core is the wasm backend's threaded build (`initBackend`'s
 * `threads`, `lib/runtime/wasm-threads.ts`): one process whose matrix products XNNPACK splits
 * over two threads. `benchWasmThreads` runs each workload in one process on one thread, then
 * on two (record `wasm-threads`).
 *
 * Run alone as a worker (`--worker JSON`, the JSON of `{ name, backend, threads }`): warms up, prints
 * `ready`, waits for a line on stdin, runs the workload once and prints
 * `{ samples, start, end }` (ms since the epoch).
 */
import { spawn } from "node:child_process";
import * as readline from "node:readline";
import { loadMnistSplit } from "../lib/data/mnist";
import { estimateNll } from "../lib/eval/nll";
import { VAE } from "../lib/models/vae";
import { initBackend } from "../lib/runtime/backend";
import { fit } from "../lib/train/fit";
import { DataParallelResult, trainDataParallel } from "./data-parallel";
import { median } from "./median";

/** The workloads, by name: each returns how many samples it processed. */
const WORKLOADS: Record<string, () => Promise<number>> = {
  "vae-train-step batch 128": () => train(128),
  "vae-train-step batch 64": () => train(64),
  "iwae k 5000": iwae,
};

/** Training steps per run, and images per run of the estimator. */
const STEPS = 200;
const IWAE_IMAGES = 8;

async function train(batchSize: number): Promise<number> {
  const data = loadMnistSplit("train", { limit: batchSize * STEPS });
  const vae = new VAE({ hiddenSizes: [400], latentDim: 20, seed: 1 });
  await fit(vae, { train: data }, { epochs: 1, batchSize, seed: 1, progress: "none" });
  vae.dispose();
  return data.count;
}

async function iwae(): Promise<number> {
  const vae = new VAE({ hiddenSizes: [400], latentDim: 20, seed: 1 });
  const images = loadMnistSplit("test", { binarize: "dynamic", limit: IWAE_IMAGES });
  await estimateNll(vae, images, { k: 5000, ks: [5000], seed: 1 });
  vae.dispose();
  return 5000 * images.count;
}

/** The worker's side: warm up, say `ready`, run once on the parent's word, report. */
async function worker({ name, backend, threads }: { name: string; backend: string; threads: number }): Promise<void> {
  await initBackend(backend, { quiet: true, threads });
  await WORKLOADS[name](); // warms the backend up
  console.log("ready");
  await new Promise((resolve) => readline.createInterface({ input: process.stdin }).once("line", resolve));
  const start = Date.now();
  const samples = await WORKLOADS[name]();
  console.log(JSON.stringify({ samples, start, end: Date.now() }));
  process.exit(0);
}

interface Report {
  samples: number;
  start: number;
  end: number;
}

/** Samples per second of `count` worker processes started together on one workload, each on `threads` threads. */
async function together(name: string, backend: string, count: number, threads = 1): Promise<number> {
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, [require.resolve("tsx/cli"), __filename, "--worker", JSON.stringify({ name, backend, threads })], { stdio: ["pipe", "pipe", "inherit"] }),
  );
  const lines = children.map((child) => readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]());
  const next = async (i: number) => {
    const line = await lines[i].next();
    if (line.done) throw new Error(`bench: a worker of '${name}' ended before it reported (exit code ${children[i].exitCode})`);
    return line.value;
  };
  await Promise.all(children.map((_, i) => next(i))); // every worker ready
  children.forEach((child) => child.stdin!.write("go\n"));
  const reports: Report[] = await Promise.all(children.map(async (_, i) => JSON.parse(await next(i))));
  const seconds = (Math.max(...reports.map((r) => r.end)) - Math.min(...reports.map((r) => r.start))) / 1000;
  return reports.reduce((sum, r) => sum + r.samples, 0) / seconds;
}

/** How a workload ran once in each of the two settings compared, in samples per second. */
type Pair = (name: string) => Promise<{ one: number; two: number }>;

/**
 * For each workload, `repeats` pairs of runs (the first setting, then the second), and the
 * median of each, as one record per workload: `{ name, backend, workload, repeats,
 * one_<unit>_samples_per_sec, two_<units>_samples_per_sec, speedup }`.
 */
async function pairedRecords(record: string, backend: string, [unit, units]: [string, string], repeats: number, pair: Pair): Promise<Record<string, unknown>[]> {
  const records = [];
  for (const name of Object.keys(WORKLOADS)) {
    const runs = [];
    for (let i = 0; i < repeats; i++) runs.push(await pair(name));
    const one = median(runs.map((r) => r.one));
    const two = median(runs.map((r) => r.two));
    records.push({
      name: record,
      backend,
      workload: name,
      repeats,
      [`one_${unit}_samples_per_sec`]: Math.round(one),
      [`two_${units}_samples_per_sec`]: Math.round(two),
      speedup: +(two / one).toFixed(2),
    });
  }
  return records;
}

/**
 * For each workload, `repeats` pairs of runs (one process, then two), and the median of each.
 * @returns one record per workload, for `npm run bench` to print.
 */
export function benchTwoProcesses(backend: string, repeats: number): Promise<Record<string, unknown>[]> {
  return pairedRecords("two-processes", backend, ["process", "processes"], repeats, async (name) => ({
    one: await together(name, backend, 1),
    two: await together(name, backend, 2),
  }));
}

/**
 * For each workload, `repeats` pairs of runs in one wasm process (one thread, then two), and
 * the median of each.
 * @returns one record per workload, for `npm run bench` to print.
 */
export function benchWasmThreads(repeats: number): Promise<Record<string, unknown>[]> {
  return pairedRecords("wasm-threads", "wasm", ["thread", "threads"], repeats, async (name) => ({
    one: await together(name, "wasm", 1, 1),
    two: await together(name, "wasm", 1, 2),
  }));
}

/**
 * `repeats` pairs of runs: training at batch 128 in one process (`fit`), then in two worker
 * threads of one process that average their gradients every step, at the same global batch
 * (`scripts/data-parallel.ts`), each after 20 steps of warm-up.
 * @returns the record `workers`: the medians of both, and of a worker's milliseconds per step
 *   (its gradients, the exchange, the waits at the barriers).
 */
export async function benchWorkers(backend: string, repeats: number): Promise<Record<string, unknown>> {
  const runs: { one: number; two: number; ms: DataParallelResult["ms"] }[] = [];
  for (let i = 0; i < repeats; i++) {
    const one = await together("vae-train-step batch 128", backend, 1);
    const two = await trainDataParallel({ workers: 2, batchSize: 128, images: 128 * STEPS, epochs: 1, warmupSteps: 20, seed: 1, backend });
    runs.push({ one, two: two.samplesPerSec, ms: two.ms });
  }
  const one = median(runs.map((r) => r.one));
  const two = median(runs.map((r) => r.two));
  const ms = (phase: keyof DataParallelResult["ms"]) => +median(runs.map((r) => r.ms[phase])).toFixed(2);
  return {
    name: "workers",
    backend,
    batch: 128,
    repeats,
    one_process_samples_per_sec: Math.round(one),
    two_workers_samples_per_sec: Math.round(two),
    speedup: +(two / one).toFixed(2),
    worker_ms_per_step: { gradients: ms("gradients"), exchange: ms("exchange"), wait: ms("wait") },
  };
}

if (process.argv[2] === "--worker") worker(JSON.parse(process.argv[3])).catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
