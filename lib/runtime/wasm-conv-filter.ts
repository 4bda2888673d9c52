import * as tf from "@tensorflow/tfjs";

/** The slice of the wasm backend this kernel uses (its heap views and output allocation). */
interface WasmHeap {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  disposeData(dataId: tf.DataId): boolean;
}

/** The attributes TensorFlow.js passes to `Conv2DBackpropFilter` (see `tf.conv2d`'s gradient). */
interface FilterAttrs {
  strides: [number, number] | number;
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
  filterShape: [number, number, number, number];
}

/**
 * The gradient of a 2-D convolution with respect to its filter, for the wasm backend, which
 * (tfjs-backend-wasm 4.22) has `Conv2D` and `Conv2DBackpropInput` but no
 * `Conv2DBackpropFilter`, so training any `tf.conv2d` or `tf.conv2dTranspose` weight there
 * fails without it.
 *
 * For y = conv2d(x, w) with strides (s_h, s_w) and top/left padding (p_t, p_l), the chain
 * rule gives, per filter tap (i, j) and channel pair (c, k),
 *
 *   dL/dw[i, j, c, k] = sum over b, r, q of x[b, r s_h + i - p_t, q s_w + j - p_l, c] dy[b, r, q, k],
 *
 * the sum running over the output positions (r, q) whose input position lies inside x
 * (zero padding elsewhere; Dumoulin & Visin, "A guide to convolution arithmetic for deep
 * learning", 2016, section 2; the same sum as the cpu backend's kernel). Written with the
 * patch matrix P (im2col: one row per tap and input channel, one column per output position
 * (b, r, q), holding the input pixel that tap sees there), that is one matrix product,
 * dW = P dy, with dy as `[batch * outHeight * outWidth, outChannels]`; this kernel fills P
 * in JavaScript and multiplies with the wasm backend's own `BatchMatMul` (XNNPACK).
 *
 * @param args.inputs.x the convolution's input, `[batch, inHeight, inWidth, inChannels]`.
 * @param args.inputs.dy the gradient of the loss with respect to the convolution's output,
 *   `[batch, outHeight, outWidth, outChannels]`.
 * @param args.attrs.filterShape `[filterHeight, filterWidth, inChannels, outChannels]`.
 * @returns the filter gradient, float32, of shape `filterShape`.
 * @throws Error when `dataFormat` is not `"NHWC"` (the layout tf.layers uses).
 */
export function conv2dBackpropFilterWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs: FilterAttrs;
}): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  const dy = args.inputs.dy as tf.TensorInfo;
  const backend = args.backend as WasmHeap;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs;
  if (dataFormat !== "NHWC") throw new Error(`Error in conv2dBackpropFilterWasm: dataFormat must be "NHWC", but got ${JSON.stringify(dataFormat)}.`);
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const positions = batchSize * outHeight * outWidth;
  const rows = filterHeight * filterWidth * inChannels;
  const patches = backend.makeOutput([1, rows, positions], "float32");
  const p = backend.typedArrayFromHeap(patches);
  p.fill(0); // the taps that fall on the padding see 0
  const xv = backend.typedArrayFromHeap(x);
  let n = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let r = 0; r < outHeight; r++) {
      for (let q = 0; q < outWidth; q++, n++) {
        for (let i = 0; i < filterHeight; i++) {
          const row = r * strideHeight + i - top;
          if (row < 0 || row >= inHeight) continue;
          for (let j = 0; j < filterWidth; j++) {
            const col = q * strideWidth + j - left;
            if (col < 0 || col >= inWidth) continue;
            const from = ((b * inHeight + row) * inWidth + col) * inChannels;
            const to = (i * filterWidth + j) * inChannels * positions + n;
            for (let c = 0; c < inChannels; c++) p[to + c * positions] = xv[from + c];
          }
        }
      }
    }
  }
  const product = tf.getKernel(tf.BatchMatMul, "wasm")!.kernelFunc({
    inputs: { a: patches, b: { dataId: dy.dataId, shape: [1, positions, outChannels], dtype: "float32" } },
    backend: args.backend as tf.KernelBackend,
    attrs: { transposeA: false, transposeB: false },
  }) as tf.TensorInfo;
  backend.disposeData(patches.dataId);
  return { dataId: product.dataId, shape: [...filterShape], dtype: "float32" };
}

/**
 * Register {@link conv2dBackpropFilterWasm} as the wasm backend's `Conv2DBackpropFilter`
 * kernel, once: a second call, or a wasm build that has its own kernel, changes nothing.
 * `initBackend` calls it, so conv layers train on wasm.
 *
 * @returns true when this call registered the kernel, false when one was there already.
 */
export function registerWasmConvFilter(): boolean {
  if (tf.getKernel(tf.Conv2DBackpropFilter, "wasm")) return false;
  tf.registerKernel({
    kernelName: tf.Conv2DBackpropFilter,
    backendName: "wasm",
    kernelFunc: conv2dBackpropFilterWasm as unknown as tf.KernelFunc,
  });
  return true;
}
