import * as tf from "@tensorflow/tfjs";

/** The slice of the wasm backend this kernel uses. */
interface WasmData {
  disposeData(dataId: tf.DataId): boolean;
}

/** Marks the kit's kernel, so that registering it twice keeps one wrapper. */
const KIT_KERNEL = Symbol("vae-kit transposed matmul");

/**
 * Make the wasm backend's matrix product by a transposed operand as fast as a plain one.
 *
 * tfjs-backend-wasm 4.22 multiplies through XNNPACK only when neither operand is transposed;
 * with `transposeA` or `transposeB` (as in the gradient of every dense layer, dL/dW = xᵀ g
 * and dL/dx = g Wᵀ) it runs about ten times slower (36 ms against 4 ms for the 784 × 400 layer
 * at batch 128). This replaces the backend's `BatchMatMul` kernel by one that transposes such
 * an operand explicitly (the backend's own `Transpose`) and then calls the original kernel
 * without flags: the same product, so every TensorFlow.js model (tf.layers, `tf.grads`,
 * `optimizer.minimize`) trains faster on wasm. Tested against the cpu backend.
 *
 * Call before the wasm backend is initialized (`initBackend` does); calling it again does
 * nothing.
 *
 * @returns true when it replaced the kernel, false when the wasm kernel is missing or already
 *   the kit's.
 */
export function registerWasmTransposedMatMul(): boolean {
  const original = tf.getKernel(tf.BatchMatMul, "wasm");
  if (!original || (original.kernelFunc as unknown as Record<symbol, boolean>)[KIT_KERNEL]) return false;
  const plain = original.kernelFunc;
  const kernelFunc = ((args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap }) => {
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return plain(args as Parameters<tf.KernelFunc>[0]);
    const transpose = tf.getKernel(tf.Transpose, "wasm")!.kernelFunc;
    const swapped: tf.TensorInfo[] = [];
    const lastTwoSwapped = (t: tf.TensorInfo) => {
      const rank = t.shape.length;
      const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
      const out = transpose({ inputs: { x: t }, backend: args.backend, attrs: { perm } } as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
      swapped.push(out);
      return out;
    };
    const a = transposeA ? lastTwoSwapped(args.inputs.a!) : args.inputs.a!;
    const b = transposeB ? lastTwoSwapped(args.inputs.b!) : args.inputs.b!;
    const product = plain({ inputs: { a, b }, backend: args.backend, attrs: { ...args.attrs, transposeA: false, transposeB: false } } as Parameters<tf.KernelFunc>[0]);
    for (const t of swapped) (args.backend as WasmData).disposeData(t.dataId);
    return product;
  }) as tf.KernelFunc;
  (kernelFunc as unknown as Record<symbol, boolean>)[KIT_KERNEL] = true;
  tf.unregisterKernel(tf.BatchMatMul, "wasm");
  tf.registerKernel({ ...original, kernelFunc });
  return true;
}
