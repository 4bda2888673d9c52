import * as tf from "@tensorflow/tfjs";

/** The slice of the wasm backend this kernel uses (its heap views and output allocation). */
interface WasmHeap {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
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
 * (Dumoulin & Visin, "A guide to convolution arithmetic for deep learning", 2016, section 2;
 * the same sum as the cpu backend's kernel). This loop visits every output position once,
 * and for each filter tap adds the outer product of the input pixel's channels with the
 * output gradient's channels (the innermost loop runs over contiguous output channels),
 * accumulating in float64.
 *
 * @param args.inputs.x the convolution's input, `[batch, inHeight, inWidth, inChannels]` (NHWC)
 *   or `[batch, inChannels, inHeight, inWidth]` (NCHW).
 * @param args.inputs.dy the gradient of the loss with respect to the convolution's output, in
 *   the same layout, `[batch, outHeight, outWidth, outChannels]` for NHWC.
 * @param args.attrs.filterShape `[filterHeight, filterWidth, inChannels, outChannels]`.
 * @returns the filter gradient, float32, of shape `filterShape`.
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
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(dataFormat),
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const last = info.dataFormat === "channelsLast";
  // Element strides of x and dy: [batch, row, column, channel], whatever the layout.
  const xs = last
    ? [inHeight * inWidth * inChannels, inWidth * inChannels, inChannels, 1]
    : [inChannels * inHeight * inWidth, inWidth, 1, inHeight * inWidth];
  const ys = last
    ? [outHeight * outWidth * outChannels, outWidth * outChannels, outChannels, 1]
    : [outChannels * outHeight * outWidth, outWidth, 1, outHeight * outWidth];
  const xv = backend.typedArrayFromHeap(x);
  const dyv = backend.typedArrayFromHeap(dy);
  const sum = new Float64Array(filterHeight * filterWidth * inChannels * outChannels);
  const g = new Float64Array(outChannels);
  for (let b = 0; b < batchSize; b++) {
    for (let r = 0; r < outHeight; r++) {
      for (let q = 0; q < outWidth; q++) {
        const yBase = b * ys[0] + r * ys[1] + q * ys[2];
        for (let k = 0; k < outChannels; k++) g[k] = dyv[yBase + k * ys[3]];
        for (let i = 0; i < filterHeight; i++) {
          const row = r * strideHeight + i - top;
          if (row < 0 || row >= inHeight) continue;
          for (let j = 0; j < filterWidth; j++) {
            const col = q * strideWidth + j - left;
            if (col < 0 || col >= inWidth) continue;
            const xBase = b * xs[0] + row * xs[1] + col * xs[2];
            const tap = (i * filterWidth + j) * inChannels;
            for (let c = 0; c < inChannels; c++) {
              const xValue = xv[xBase + c * xs[3]];
              if (xValue === 0) continue;
              const out = (tap + c) * outChannels;
              for (let k = 0; k < outChannels; k++) sum[out + k] += xValue * g[k];
            }
          }
        }
      }
    }
  }
  const result = backend.makeOutput([...filterShape], "float32");
  backend.typedArrayFromHeap(result).set(sum);
  return result;
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
