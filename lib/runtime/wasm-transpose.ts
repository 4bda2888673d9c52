import * as tf from "@tensorflow/tfjs";
import { canRun, heapOffset, WasmBackend, wasmFunction } from "./wasm-module";
import { WASM_TRANSPOSE_MODULE } from "./wasm-transpose-module";

/** Marks the kit's kernel, so that registering it twice keeps one wrapper. */
const KIT_KERNEL = Symbol("vae-kit transpose");

/**
 * Make the wasm backend's transposes of matrices fast in both directions.
 *
 * tfjs-backend-wasm 4.22 transposes a wide matrix with few rows several times more slowly
 * than a tall one: 0.25 ms for a batch of images `[128, 784]` against 0.07 ms for `[784, 128]`,
 * in one measurement. The fast training path (`lib/fast/`) transposes about 26 times a step
 * (its feature-major layout, and products without transposed operands), and so does every
 * product by a transposed operand (`registerWasmTransposedMatMul`). This replaces the
 * backend's `Transpose` kernel by one that swaps the last two axes of a 4-byte tensor
 * (float32, int32) in 4 × 4 blocks of WebAssembly SIMD (`wasm-transpose.wat`), on the
 * backend's own heap: 0.03 ms for `[128, 784]`, 0.07 ms for `[784, 400]` (0.14 ms before), in
 * the same measurement. Other permutations and dtypes go to the backend's own kernel. The
 * values are moved as bits, so the result is the same (tested against the cpu backend).
 *
 * Call before the wasm backend is initialized (`initBackend` does); calling it again does
 * nothing.
 *
 * @returns true when it replaced the kernel, false when the wasm kernel is missing, already
 *   the kit's, or this runtime cannot run the module (no WebAssembly SIMD).
 */
export function registerWasmTranspose(): boolean {
  const original = tf.getKernel(tf.Transpose, "wasm");
  if (!original || (original.kernelFunc as unknown as Record<symbol, boolean>)[KIT_KERNEL] || !canRun(WASM_TRANSPOSE_MODULE)) return false;
  const theirs = original.kernelFunc;
  const kernelFunc = ((args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: { perm: number[] } }) => {
    const x = args.inputs.x!;
    if (!swapsLastTwo(args.attrs.perm) || !(x.dtype === "float32" || x.dtype === "int32") || tf.util.sizeFromShape(x.shape) === 0) {
      return theirs(args as unknown as Parameters<tf.KernelFunc>[0]);
    }
    return transposeLastTwo(args.backend as WasmBackend, x);
  }) as unknown as tf.KernelFunc;
  (kernelFunc as unknown as Record<symbol, boolean>)[KIT_KERNEL] = true;
  tf.unregisterKernel(tf.Transpose, "wasm");
  tf.registerKernel({ ...original, kernelFunc });
  return true;
}

/** Whether `perm` is [0, 1, ..., r - 3, r - 1, r - 2]: the last two axes swapped, the others kept. */
function swapsLastTwo(perm: number[]): boolean {
  const r = perm.length;
  return r >= 2 && perm[r - 1] === r - 2 && perm[r - 2] === r - 1 && perm.slice(0, r - 2).every((p, i) => p === i);
}

/** `x` `[..., rows, cols]` -> `[..., cols, rows]`, each matrix by the module's `transpose`. */
function transposeLastTwo(backend: WasmBackend, x: tf.TensorInfo): tf.TensorInfo {
  const r = x.shape.length;
  const [rows, cols] = x.shape.slice(r - 2);
  const out = backend.makeOutput([...x.shape.slice(0, r - 2), cols, rows], x.dtype);
  const transpose = wasmFunction(backend, WASM_TRANSPOSE_MODULE, "transpose", "transposeWasm");
  const bytes = 4 * rows * cols;
  const [from, to] = [heapOffset(backend, x), heapOffset(backend, out)];
  const matrices = tf.util.sizeFromShape(x.shape.slice(0, r - 2));
  for (let m = 0; m < matrices; m++) transpose(from + m * bytes, to + m * bytes, rows, cols);
  return out;
}
