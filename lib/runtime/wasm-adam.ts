import * as tf from "@tensorflow/tfjs";
import { WASM_ADAM_MODULE } from "./wasm-adam-module";
import { canRun, heapOffset, WasmBackend, wasmFunction } from "./wasm-module";

/** The name of the kit's kernel for Adam's update of one weight tensor (`lib/fast/adam.ts` runs it where it is registered). */
export const ADAM_UPDATE = "VaeKitAdamUpdate";

/** The numbers of one step of Adam, as `lib/fast/adam.ts` folds them (see there). */
export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  stepSize: number;
  eps: number;
}

/**
 * Adam's update of one weight tensor in a single pass over its four arrays, for the wasm
 * backend: with m, v stored divided by (1 - beta) as in `lib/fast/adam.ts`,
 *
 *   m' = beta1 m + g,   v' = beta2 v + g^2,   theta' = theta - stepSize m' / (sqrt(v') + eps).
 *
 * The element-wise tensor operations of that formula run as ten kernels that each read and
 * write whole arrays; this is one loop of WebAssembly SIMD (`wasm-adam.wat`, four floats at a
 * time) on the backend's own heap, which it imports: for the 652,824 weights of the dense VAE,
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
  const { beta1, beta2, stepSize, eps } = args.attrs;
  const adam = wasmFunction(backend, WASM_ADAM_MODULE, "adam", "adamUpdateWasm");
  adam(...[theta, m, v, g, ...outputs].map((t) => heapOffset(backend, t)), tf.util.sizeFromShape(theta.shape), beta1, beta2, stepSize, eps);
  return outputs;
}

/**
 * Register {@link adamUpdateWasm} as the wasm backend's kernel `ADAM_UPDATE`, once, where
 * this runtime validates its module (WebAssembly SIMD). `initBackend` calls it.
 *
 * @returns true when this call registered the kernel, false when it was there already or cannot run here.
 */
export function registerWasmAdam(): boolean {
  if (tf.getKernel(ADAM_UPDATE, "wasm") || !canRun(WASM_ADAM_MODULE)) return false;
  tf.registerKernel({ kernelName: ADAM_UPDATE, backendName: "wasm", kernelFunc: adamUpdateWasm as unknown as tf.KernelFunc });
  return true;
}
