/**
 * Benchmarks, one JSON object per line on stdout:
 *   {"name":"mnist-load","train":60000,"test":10000,"seconds":...}
 *   {"name":"vae-train-step","backend":"wasm","batch":128,"model":"784-400-20-400-784","samples_per_sec":...}
 * Training speed is measured with the kit's own `fit` loop on every backend that starts
 * here; each figure is the median of several runs.
 *
 *   npm run bench                    all benchmarks
 *   npm run bench -- --repeats 5     more runs per figure
 */
import { parseArgs } from "node:util";
import { loadMnist, loadMnistSplit } from "../lib/data/mnist";
import { VAE } from "../lib/models/vae";
import { availableBackends, initBackend } from "../lib/runtime/backend";
import { fit } from "../lib/train/fit";

const BATCH = 128;
/** Training steps per measured run, per backend (the cpu backend is slow). */
const STEPS: Record<string, number> = { tensorflow: 100, wasm: 60, cpu: 8 };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function emit(record: Record<string, unknown>): void {
  console.log(JSON.stringify(record));
}

function benchLoad(repeats: number): void {
  const seconds: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = process.hrtime.bigint();
    const { train, test } = loadMnist();
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
    if (train.count !== 60000 || test.count !== 10000) throw new Error("bench: MNIST did not load in full.");
  }
  emit({ name: "mnist-load", train: 60000, test: 10000, repeats, seconds: +median(seconds).toFixed(4) });
}

async function benchTraining(backend: string, repeats: number): Promise<void> {
  await initBackend(backend, { quiet: true });
  const steps = STEPS[backend];
  const train = loadMnistSplit("train", { limit: BATCH * steps });
  const rates: number[] = [];
  for (let i = 0; i < repeats + 1; i++) {
    const vae = new VAE({ hiddenSizes: [400], latentDim: 20, seed: i });
    const { history } = await fit(vae, { train }, { epochs: 1, batchSize: BATCH, seed: i, progress: "none" });
    vae.dispose();
    if (i > 0) rates.push(train.count / history[0].seconds); // run 0 warms up the backend
  }
  emit({ name: "vae-train-step", backend, batch: BATCH, model: "784-400-20-400-784", steps, repeats, samples_per_sec: Math.round(median(rates)) });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { repeats: { type: "string", default: "3" } } });
  const repeats = Number(values.repeats);
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`bench: --repeats must be a positive integer, but got '${values.repeats}'.`);
  benchLoad(repeats);
  for (const backend of await availableBackends()) await benchTraining(backend, repeats);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
