import * as tf from "@tensorflow/tfjs";
import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { argumentError, checkOneOf } from "./checks";
import { tfjsCopiesWarning } from "./tfjs-copies";
import { registerWasmAdam } from "./wasm-adam";
import { registerWasmConvFilter } from "./wasm-conv-filter";
import { canRunWasmThreads, MAX_WASM_THREADS, startThreadedWasm } from "./wasm-threads";
import { registerWasmTranspose } from "./wasm-transpose";
import { registerWasmTransposedMatMul } from "./wasm-transposed-matmul";

/** The TensorFlow.js backends the kit knows, fastest first. */
export const BACKENDS = ["tensorflow", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKENDS)[number];

/**
 * Choose and initialize the TensorFlow.js backend, and say which one runs.
 *
 * Order: `tensorflow` (native libtensorflow, from the optional package
 * `@tensorflow/tfjs-node`) when it loads, else `wasm` (`@tensorflow/tfjs-backend-wasm`,
 * SIMD, on one thread unless `threads` says more), else the plain JavaScript `cpu` backend.
 * The argument, or else the environment variable `VAE_BACKEND`, forces one backend.
 *
 * On wasm it first registers the kit's `Conv2DBackpropFilter` kernel (see
 * `registerWasmConvFilter`), which tfjs-backend-wasm 4.22 lacks, so conv layers train there,
 * and its matrix product by a transposed operand (`registerWasmTransposedMatMul`), which is
 * otherwise about ten times slower than a plain one, and the kit's one-pass Adam update
 * (`registerWasmAdam`), which `lib/fast/adam.ts` runs there, and its transpose of matrices
 * (`registerWasmTranspose`), several times faster than the backend's own for wide matrices.
 *
 * @param preferred one of `tensorflow`, `wasm`, `cpu`; default `process.env.VAE_BACKEND`,
 *   else the first that loads.
 * It warns, naming the fix, when more than one copy of TensorFlow.js is loaded (see `tfjsCoreCopies`).
 *
 * @param options.quiet when true, print nothing (default false: prints one line naming the backend).
 * @param options.threads threads of the wasm backend, 1 to 4 (default `VAE_WASM_THREADS`, else 1).
 *   More than one starts TensorFlow.js's threaded build in Node (see `startThreadedWasm`); it
 *   must be chosen before the wasm backend first starts in the process. Where the runtime
 *   cannot (Deno), it runs on one thread and says so.
 * @returns the name of the backend now active.
 * @throws Error when the requested name is unknown or that backend cannot start.
 */
export async function initBackend(
  preferred: string | undefined = process.env.VAE_BACKEND || undefined,
  options: { quiet?: boolean; threads?: number } = {},
): Promise<BackendName> {
  if (preferred !== undefined) checkOneOf("initBackend", "the backend (from the argument or VAE_BACKEND)", preferred, BACKENDS);
  const asked = options.threads ?? Number(process.env.VAE_WASM_THREADS || 1);
  if (!Number.isInteger(asked) || asked < 1 || asked > MAX_WASM_THREADS) {
    throw argumentError("initBackend", "threads (from the option or VAE_WASM_THREADS)", `an integer from 1 to ${MAX_WASM_THREADS}`, String(options.threads ?? process.env.VAE_WASM_THREADS));
  }
  const threads = canRunWasmThreads() ? asked : 1;
  if (threads !== asked && !options.quiet) console.log(`initBackend: ${asked} threads asked for, but this runtime runs the wasm backend on one.`);
  registerWasmConvFilter();
  registerWasmTransposedMatMul();
  registerWasmTranspose();
  registerWasmAdam();
  const candidates = preferred ? [preferred as BackendName] : [...BACKENDS];
  for (const name of candidates) {
    if (name === "wasm" ? await startWasm(threads) : await tryBackend(name)) {
      if (!options.quiet) console.log(`TensorFlow.js backend: ${name}${name === "wasm" && threads > 1 ? ` on ${threads} threads` : ""}${hint(name)}`);
      const copies = tfjsCopiesWarning();
      if (copies) console.warn(copies);
      return name;
    }
  }
  throw new Error(`initBackend: the backend '${preferred}' could not be started here.`);
}

/** The backends that start on this machine, in order of preference. */
export async function availableBackends(): Promise<BackendName[]> {
  const found: BackendName[] = [];
  for (const name of BACKENDS) if (await tryBackend(name)) found.push(name);
  return found;
}

/**
 * Start the wasm backend on `threads` threads, or switch to it if it runs on that many.
 * @throws Error when it already runs on another number of threads.
 */
async function startWasm(threads: number): Promise<boolean> {
  if (!tf.engine().registry.wasm) return threads === 1 ? tryBackend("wasm") : (await startThreadedWasm(threads)) === threads;
  if (getThreadsCount() !== threads) {
    throw new Error(`initBackend: the wasm backend already runs on ${getThreadsCount()} thread(s), not ${threads}; the thread count is fixed when it starts, so restart the kernel (or process) to change it.`);
  }
  return tryBackend("wasm");
}

async function tryBackend(name: BackendName): Promise<boolean> {
  if (name === "tensorflow" && !loadTfjsNode()) return false;
  try {
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}

function loadTfjsNode(): boolean {
  if (tf.findBackendFactory("tensorflow")) return true;
  try {
    // Optional dependency: registers the "tensorflow" backend when its native library is there.
    require("@tensorflow/tfjs-node");
    return tf.findBackendFactory("tensorflow") !== null;
  } catch {
    return false;
  }
}

function hint(name: BackendName): string {
  return name === "tensorflow"
    ? ""
    : " (install @tensorflow/tfjs-node on a machine with internet access for the native backend)";
}
