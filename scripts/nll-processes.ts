/**
 * `estimateNll` on both cores: the test images split into contiguous parts, one child
 * process each (its own backend: the wasm backend computes on one thread in Node), the
 * per-image values put back together in order. Used by `npm run train:pretrained` for the
 * stored test NLL; `npm run bench` (record `two-processes`, workload `iwae k 5000`) measures
 * the speed-up.
 *
 * Part p of n draws its samples with seed `seed + p`, so with one part the result is
 * `estimateNll`'s own, and with n parts it is the same every time.
 *
 * Run alone as a worker (`--worker JSON`): prints `done N` after each batch, then the part's
 * result as one JSON line.
 */
import { spawn } from "node:child_process";
import * as readline from "node:readline";
import { Binarize, loadMnistSplit, MNIST_PIXELS, MnistSplit } from "../lib/data/mnist";
import { meanWithStandardError } from "../lib/eval/moments";
import { estimateNll } from "../lib/eval/nll";
import { loadCheckpoint } from "../lib/persist/load";
import { initBackend } from "../lib/runtime/backend";

/** What a worker computes: test images [from, to) of the split, with the model in `modelDir`. */
interface Part {
  modelDir: string;
  binarize: Binarize;
  from: number;
  to: number;
  k: number;
  seed: number;
  /** The backend to use; default as `initBackend` chooses. */
  backend?: string;
}

/** A part's result: its per-image -L_k, and its -ELBO summed over its images. */
interface PartResult {
  perImage: number[];
  negElboSum: number;
}

/** The stored estimate's figures, in nats per image. */
export interface NllResult {
  nll: number;
  standardError: number;
  negElbo: number;
  count: number;
  seconds: number;
}

/** The worker's side: one part, progress on stdout, then the result. */
async function worker(part: Part): Promise<void> {
  await initBackend(part.backend, { quiet: true });
  const test = loadMnistSplit("test", { binarize: part.binarize, limit: part.to });
  const slice = new MnistSplit("test", test.images.slice(part.from * MNIST_PIXELS), test.labels.slice(part.from), test.binarize, test.seed);
  const { model } = await loadCheckpoint(part.modelDir, { kind: "vae" });
  const est = await estimateNll(model, slice, { k: part.k, seed: part.seed, onProgress: (done) => console.log(`done ${done}`) });
  const result: PartResult = { perImage: Array.from(est.perImage), negElboSum: est.negElbo * est.count };
  console.log(JSON.stringify(result));
  process.exit(0);
}

/** Runs one part in a child process, reporting its images done; resolves to its result. */
function runPart(part: Part, onDone: (done: number) => void): Promise<PartResult> {
  const child = spawn(process.execPath, [require.resolve("tsx/cli"), __filename, "--worker", JSON.stringify(part)], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let result: PartResult | undefined;
    readline.createInterface({ input: child.stdout }).on("line", (line) => {
      if (line.startsWith("done ")) onDone(Number(line.slice(5)));
      else if (line.startsWith("{")) result = JSON.parse(line);
    });
    child.on("close", (code) =>
      result ? resolve(result) : reject(new Error(`estimateNllInProcesses: the part with test images ${part.from} to ${part.to - 1} ended with exit code ${code} before it reported`)),
    );
  });
}

/**
 * The test NLL estimate -L_k of the VAE saved in `modelDir`, on the first `images` test
 * images, in `processes` child processes at once (Burda et al. 2016, section 5; see
 * `estimateNll`).
 *
 * @param options modelDir, binarize of the test split, images, k, seed, processes (≥ 1),
 *   backend (default as `initBackend` chooses).
 * @param onProgress called with the images done over all parts, and the total.
 * @returns -L_k with its standard error over images, the -ELBO, the image count and the
 *   wall-clock seconds; nats per image.
 * @throws Error when a worker fails (its error is on stderr).
 */
export async function estimateNllInProcesses(
  options: { modelDir: string; binarize: Binarize; images: number; k: number; seed: number; processes: number; backend?: string },
  onProgress: (done: number, total: number) => void = () => {},
): Promise<NllResult> {
  const { images, processes } = options;
  const start = Date.now();
  const bounds = Array.from({ length: processes + 1 }, (_, p) => Math.round((p * images) / processes));
  const done = new Array(processes).fill(0);
  const parts = await Promise.all(
    bounds.slice(0, -1).map((from, p) =>
      runPart({ modelDir: options.modelDir, binarize: options.binarize, from, to: bounds[p + 1], k: options.k, seed: options.seed + p, backend: options.backend }, (n) => {
        done[p] = n;
        onProgress(done.reduce((a, b) => a + b, 0), images);
      }),
    ),
  );
  const perImage = parts.flatMap((part) => part.perImage);
  const { mean, standardError } = meanWithStandardError(perImage);
  const negElbo = parts.reduce((sum, part) => sum + part.negElboSum, 0) / perImage.length;
  return { nll: mean, standardError, negElbo, count: perImage.length, seconds: (Date.now() - start) / 1000 };
}

if (process.argv[2] === "--worker") worker(JSON.parse(process.argv[3])).catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
