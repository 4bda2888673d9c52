import * as tf from "@tensorflow/tfjs";
import { WASM_ADAM_MODULE } from "./wasm-adam-module";

/** The name of the kit's kernel for Adam's update of one weight tensor (`lib/fast/adam.ts` runs it where it is registered). */
export const ADAM_UPDATE = "VaeKitAdamUpdate";

/** The numbers of one step of Adam, as `lib/fast/adam.ts` folds them (see there). */
export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  stepSize: number;
  eps: number;
}

/** The slice of the WebAssembly API this file uses (the library compiles without the DOM typings that declare it). */
interface WasmMemory {
  buffer: ArrayBuffer | SharedArrayBuffer;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
};

/** The slice of the wasm backend this kernel uses: its module's memory, output allocation and heap offsets. */
interface WasmBackend {
  wasm: { wasmMemory?: WasmMemory; asm: { memory?: WasmMemory } };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } | undefined };
}

/** The exported function of `wasm-adam.wat`: byte offsets of theta, m, v, g and the three outputs, the length, then the four numbers. */
type AdamFunction = (...args: number[]) => void;

/** One instance of the module per backend memory it works on. */
const instances = new WeakMap<WasmMemory, AdamFunction>();

/**
 * Adam's update of one weight tensor in a single pass over its four arrays, for the wasm
 * backend: with m, v stored divided by (1 - beta) as in `lib/fast/adam.ts`,
 *
 *   m' = beta1 m + g,   v' = beta2 v + g^2,   theta' = theta - stepSize m' / (sqrt(v') + eps).
 *
 * The element-wise tensor operations of that formula run as ten kernels that each read and
 * write whole arrays; this is one loop of WebAssembly SIMD (`wasm-adam.wat`, four floats at a
 * time) on the backend's own heap, which it imports: for the 644,824 weights of the dense VAE,
 * 0.4 ms against 3.1 ms in one measurement. Each operation is rounded to
 * float32 in the formula's order, so the result is the same, bit for bit (tested).
 *
 * @param args.inputs `theta`, `m`, `v`, `g`: float32 tensors of one shape.
 * @param args.attrs beta1, beta2, stepSize, eps.
 * @returns new tensors `[theta', m', v']` of that shape.
 * @throws Error naming the input whose shape or dtype differs from theta's.
 */
export function adamUpdateWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: AdamUpdateAttrs }): tf.TensorInfo[] {
  const backend = args.backend as WasmBackend;
  const { theta, m, v, g } = args.inputs as Record<"theta" | "m" | "v" | "g", tf.TensorInfo>;
  for (const [name, t] of Object.entries({ theta, m, v, g })) {
    if (t.dtype !== "float32" || !tf.util.arraysEqual(t.shape, theta.shape)) {
      throw new Error(`Error in adamUpdateWasm: ${name} must be float32 of theta's shape [${theta.shape}], but got ${t.dtype} [${t.shape}].`);
    }
  }
  const outputs = [0, 1, 2].map(() => backend.makeOutput([...theta.shape], "float32"));
  const offset = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
  const { beta1, beta2, stepSize, eps } = args.attrs;
  adamOn(backend)(...[theta, m, v, g, ...outputs].map(offset), tf.util.sizeFromShape(theta.shape), beta1, beta2, stepSize, eps);
  return outputs;
}

/** The module's function on the backend's memory, instantiated on first use. */
function adamOn(backend: WasmBackend): AdamFunction {
  const memory = backend.wasm.wasmMemory ?? backend.wasm.asm.memory;
  if (!memory) throw new Error("Error in adamUpdateWasm: the wasm backend's memory was not found (tfjs-backend-wasm 4.22 keeps it in wasm.asm.memory, or wasm.wasmMemory when threaded).");
  let adam = instances.get(memory);
  if (!adam) {
    const module = new WebAssembly.Module(moduleBytes(memory.buffer instanceof SharedArrayBuffer));
    adam = new WebAssembly.Instance(module, { env: { memory } }).exports.adam as AdamFunction;
    instances.set(memory, adam);
  }
  return adam;
}

function moduleBytes(shared: boolean): Uint8Array {
  return Uint8Array.from(atob(shared ? WASM_ADAM_MODULE.shared : WASM_ADAM_MODULE.unshared), (c) => c.charCodeAt(0));
}

/**
 * Register {@link adamUpdateWasm} as the wasm backend's kernel `ADAM_UPDATE`, once, where
 * this runtime validates its module (WebAssembly SIMD). `initBackend` calls it.
 *
 * @returns true when this call registered the kernel, false when it was there already or cannot run here.
 */
export function registerWasmAdam(): boolean {
  if (tf.getKernel(ADAM_UPDATE, "wasm") || !WebAssembly.validate(moduleBytes(false))) return false;
  tf.registerKernel({ kernelName: ADAM_UPDATE, backendName: "wasm", kernelFunc: adamUpdateWasm as unknown as tf.KernelFunc });
  return true;
}
