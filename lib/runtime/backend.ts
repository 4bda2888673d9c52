import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { checkOneOf } from "./checks";
import { tfjsCopiesWarning } from "./tfjs-copies";
import { registerWasmConvFilter } from "./wasm-conv-filter";
import { registerWasmTransposedMatMul } from "./wasm-transposed-matmul";

/** The TensorFlow.js backends the kit knows, fastest first. */
export const BACKENDS = ["tensorflow", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKENDS)[number];

/**
 * Choose and initialize the TensorFlow.js backend, and say which one runs.
 *
 * Order: `tensorflow` (native libtensorflow, from the optional package
 * `@tensorflow/tfjs-node`) when it loads, else `wasm` (`@tensorflow/tfjs-backend-wasm`,
 * single-threaded SIMD), else the plain JavaScript `cpu` backend. The argument, or else the
 * environment variable `VAE_BACKEND`, forces one backend.
 *
 * On wasm it first registers the kit's `Conv2DBackpropFilter` kernel (see
 * `registerWasmConvFilter`), which tfjs-backend-wasm 4.22 lacks, so conv layers train there,
 * and its matrix product by a transposed operand (`registerWasmTransposedMatMul`), which is
 * otherwise about ten times slower than a plain one.
 *
 * @param preferred one of `tensorflow`, `wasm`, `cpu`; default `process.env.VAE_BACKEND`,
 *   else the first that loads.
 * It warns, naming the fix, when more than one copy of TensorFlow.js is loaded (see `tfjsCoreCopies`).
 *
 * @param options.quiet when true, print nothing (default false: prints one line naming the backend).
 * @returns the name of the backend now active.
 * @throws Error when the requested name is unknown or that backend cannot start.
 */
export async function initBackend(
  preferred: string | undefined = process.env.VAE_BACKEND || undefined,
  options: { quiet?: boolean } = {},
): Promise<BackendName> {
  if (preferred !== undefined) checkOneOf("initBackend", "the backend (from the argument or VAE_BACKEND)", preferred, BACKENDS);
  registerWasmConvFilter();
  registerWasmTransposedMatMul();
  const candidates = preferred ? [preferred as BackendName] : [...BACKENDS];
  for (const name of candidates) {
    if (await tryBackend(name)) {
      if (!options.quiet) console.log(`TensorFlow.js backend: ${name}${hint(name)}`);
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
