import os from "node:os";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { getThreadsCount, setThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { argumentError } from "./checks";

/** The most threads the wasm backend's XNNPACK pool takes (tfjs-backend-wasm's backend.cc). */
export const MAX_WASM_THREADS = 4;

/** The first line of the threaded build's module script, as tfjs-backend-wasm 4.22 makes it. */
const MODULE_SCRIPT_START = "var WasmBackendModuleThreadedSimd";
/**
 * The names the module script takes from the Node bundle it was cut from
 * (`dist/tf-backend-wasm.node.js` of tfjs-backend-wasm 4.22), defined again for a worker thread.
 */
const BUNDLE_NAMES =
  'var commonjsGlobal = globalThis, require$$0 = require("fs"), require$$1 = require("path"), require$$3 = require("perf_hooks"), require$$4 = require("os");\n';

/** Whether this runtime can run the threaded build: Node's worker threads (Deno's kernel cannot). */
export function canRunWasmThreads(): boolean {
  return typeof (globalThis as { Deno?: unknown }).Deno === "undefined" && typeof process?.versions?.node === "string";
}

/**
 * Start the wasm backend on `threads` threads of TensorFlow.js's threaded build
 * (`tfjs-backend-wasm-threaded-simd.wasm`, XNNPACK with a pthread pool), in Node.
 *
 * TensorFlow.js 4.22 starts that build only in browsers (tensorflow/tfjs#3830): in Node its
 * `WASM_HAS_MULTITHREAD_SUPPORT` flag is false, and the build hands its worker threads its
 * scripts as Blob URLs, which Node's `Worker` cannot open. While the backend starts, this
 * writes those two scripts to a temporary folder and hands out their paths instead, and lets
 * the pool see `2 * threads` logical cores (the backend takes half of them, at most 4). When
 * the backend has started, everything is put back, the folder is removed, and the worker
 * threads are unref'd so that a script still ends when its work is done. Each product is still computed by XNNPACK, one
 * output tile per thread, so the results equal those of one thread.
 *
 * @param threads worker threads of the pool, an integer from 2 to `MAX_WASM_THREADS`.
 * @returns the number of threads the backend runs on.
 * @throws Error when `threads` is out of range, when this runtime is not Node, or when the
 *   wasm backend has already started (the thread count is fixed at its start: restart the kernel).
 */
export async function startThreadedWasm(threads: number): Promise<number> {
  if (!Number.isInteger(threads) || threads < 2 || threads > MAX_WASM_THREADS) {
    throw argumentError("startThreadedWasm", "threads", `an integer from 2 to ${MAX_WASM_THREADS}`, String(threads));
  }
  if (!canRunWasmThreads()) throw new Error("startThreadedWasm: the threaded wasm backend runs in Node only (not in Deno); use one thread here.");
  if (tf.engine().registry.wasm) {
    throw new Error(`startThreadedWasm: the wasm backend has already started on ${getThreadsCount()} thread(s); the thread count is fixed when it starts, so restart the kernel (or process) first.`);
  }
  const restore = patchForStart(threads);
  try {
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
    setThreadsCount(threads);
    if (!(await tf.setBackend("wasm"))) throw new Error("startThreadedWasm: the threaded wasm backend did not start.");
  } finally {
    restore();
  }
  const pool = (tf.backend() as unknown as { wasm: { PThread: { runningWorkers: Unref[]; unusedWorkers: Unref[] } } }).wasm.PThread;
  [...pool.runningWorkers, ...pool.unusedWorkers].forEach((worker) => worker.unref());
  return getThreadsCount();
}

type Unref = { unref(): void };

/** Replace Blob, URL.createObjectURL and os.cpus for the backend's start; returns the undo. */
function patchForStart(threads: number): () => void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vae-kit-wasm-threads-"));
  const texts = new WeakMap<Blob, string>();
  let moduleScript = "";
  const RealBlob = globalThis.Blob;
  const realCreateObjectURL = URL.createObjectURL;
  const realCpus = os.cpus;
  // The module script is built as a Blob and posted to each worker, never given a URL here.
  class TextBlob extends RealBlob {
    constructor(...args: ConstructorParameters<typeof Blob>) {
      super(...args);
      const parts: unknown[] = Array.from(args[0] ?? []);
      if (!parts.every((part) => typeof part === "string")) return;
      const text = parts.join("");
      texts.set(this, text);
      if (text.startsWith(MODULE_SCRIPT_START)) {
        moduleScript = path.join(dir, "module.cjs");
        fs.writeFileSync(moduleScript, BUNDLE_NAMES + text);
      }
    }
  }
  globalThis.Blob = TextBlob as typeof Blob;
  // The worker script's Blob gets a file; inside the worker, the module script's Blob is that file too.
  URL.createObjectURL = (blob: Blob) => {
    const text = texts.get(blob);
    if (text === undefined) return realCreateObjectURL(blob);
    const file = path.join(dir, "worker.cjs");
    const prelude = `URL.createObjectURL = () => ${JSON.stringify(moduleScript)}; URL.revokeObjectURL = () => {};\n`;
    fs.writeFileSync(file, prelude + text);
    return file;
  };
  const cpu = realCpus()[0];
  os.cpus = () => Array.from({ length: 2 * threads }, () => cpu);
  // By the time the backend has started, every worker of the pool has read both scripts.
  return () => {
    globalThis.Blob = RealBlob;
    URL.createObjectURL = realCreateObjectURL;
    os.cpus = realCpus;
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
