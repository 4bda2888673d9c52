import * as tf from "@tensorflow/tfjs";
import { argumentError } from "../runtime/checks";

/** Activations the kit's dense layers use. */
export type DenseActivation = "relu" | "linear";

/**
 * One dense layer in feature-major layout, y^T = activation(W^T x^T + b), with a
 * hand-written gradient. Activations are stored transposed, one column per example.
 *
 * Why: the wasm backend multiplies through XNNPACK, which repacks the right-hand operand of
 * a product unless it has seen that very tensor before, at about 3 to 4 ns per element here.
 * In training the weights change every step, so with the usual row-major layout (x W, and
 * g W^T in the gradient) the 784 x 400 weight matrices were repacked three times a step,
 * about 1.3 ms each at batch 128. Each of the layer's three products can be computed in two
 * orders, (A B) or (B^T A^T)^T; this layer takes the order whose packed operand is smaller:
 * for wide layers the activations or gradients (`[n, batch]`, `[batch, n]`), for narrow ones
 * (20 latent units) the weights. Products with transposed operands (`transposeA` /
 * `transposeB`) are avoided as well: the wasm backend runs them about ten times slower than
 * plain ones, so operands are transposed explicitly. The gradient is the textbook one,
 * transposed:
 *
 *   g^T = dL/dy^T * relu'(y^T)   (relu' = 1 where the output is > 0, else 0)
 *   dL/dx^T = W g^T,   dL/dW = x^T (g^T)^T,   dL/db = the row sums of g^T (a sum over the batch)
 *
 * @param xT inputs, `[inDim, batch]`.
 * @param kernel weights W, `[inDim, outDim]` (the layout of `tf.layers.dense`). The gradient
 *   reads it again instead of saving a copy, so it must neither change nor be disposed
 *   before the gradient is computed (in training it is a layer's variable).
 * @param bias b, `[outDim]`.
 * @param activation `"relu"` or `"linear"`.
 * @param inputGrad when false, x is treated as data (no gradient flows to it), which saves
 *   one matrix product; use it for the first layer. Default true.
 * @returns y^T, `[outDim, batch]`.
 * @throws Error when the shapes do not chain (from the matrix product).
 */
export function denseForward(
  xT: tf.Tensor2D,
  kernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  activation: DenseActivation,
  inputGrad = true,
): tf.Tensor2D {
  const [inDim, batch] = xT.shape;
  const outDim = kernel.shape[1];
  const forward = (input: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D => {
    if (batch > outDim) return tf.transpose(tf.fused.matMul({ a: tf.transpose(input), b: w, bias: b, activation })) as tf.Tensor2D;
    const pre = tf.matMul(tf.transpose(w), input).add(b.reshape([outDim, 1])) as tf.Tensor2D;
    return activation === "relu" ? tf.relu(pre) : pre;
  };
  const delta = (dyT: tf.Tensor2D, yT: tf.Tensor2D) => (activation === "relu" ? dyT.mul(tf.step(yT)) : dyT) as tf.Tensor2D;
  // dL/dx^T = W g^T, packing g^T [outDim, batch] or W^T [outDim, inDim].
  const inputGradT = (w: tf.Tensor2D, gT: tf.Tensor2D): tf.Tensor2D =>
    batch <= inDim ? tf.matMul(w, gT) : (tf.transpose(tf.matMul(tf.transpose(gT), tf.transpose(w))) as tf.Tensor2D);
  // dL/dW = x^T g, packing g [batch, outDim] or x [batch, inDim].
  const kernelGrad = (input: tf.Tensor2D, gT: tf.Tensor2D): tf.Tensor2D =>
    outDim <= inDim ? tf.matMul(input, tf.transpose(gT)) : (tf.transpose(tf.matMul(gT, tf.transpose(input))) as tf.Tensor2D);
  const layerWith = (input: tf.Tensor2D, save: tf.GradSaveFunc) => {
    const yT = forward(input, kernel, bias);
    save([input, yT]);
    return {
      value: yT,
      gradFunc: (dyT: tf.Tensor, [savedInput, saved]: tf.Tensor[]) => {
        const gT = delta(dyT as tf.Tensor2D, saved as tf.Tensor2D);
        const weightGrads = [kernelGrad(savedInput as tf.Tensor2D, gT), tf.sum(gT, 1)];
        return inputGrad ? [inputGradT(kernel, gT), ...weightGrads] : weightGrads;
      },
    };
  };
  // The inputs of a custom gradient are what it returns gradients for.
  if (!inputGrad) return tf.customGrad((_w, _b, save) => layerWith(xT, save as tf.GradSaveFunc))(kernel, bias) as tf.Tensor2D;
  return tf.customGrad((input, _w, _b, save) => layerWith(input as tf.Tensor2D, save as tf.GradSaveFunc))(xT, kernel, bias) as tf.Tensor2D;
}

/**
 * Apply a chain of dense layers (`tf.layers.dense`, relu or linear) in feature-major layout,
 * `[inDim, batch]` -> `[outDim, batch]`, through `denseForward`, using the layers' own weight
 * variables, so that training through it updates the layers. Chains that feed each other
 * (an encoder and a decoder) stay in this layout and transpose nothing in between.
 *
 * @param xT `[inDim, batch]`.
 * @param layers dense layers in order; the first takes `inDim` inputs.
 * @param inputIsData when true (default), no gradient is computed for `xT`.
 * @returns `[outDim of the last layer, batch]`.
 * @throws Error naming the layer when it is not a dense layer with a relu or linear activation.
 */
export function denseChainT(xT: tf.Tensor2D, layers: tf.layers.Layer[], inputIsData = true): tf.Tensor2D {
  return layers.reduce((hT, layer, i) => {
    if (!isFastDense(layer)) {
      const got = `a ${layer.getClassName()} with activation ${String(layer.getConfig().activation)}`;
      throw argumentError("denseChainT", `layers[${i}] ('${layer.name}')`, "a Dense layer with relu or linear activation", got);
    }
    const [kernel, bias] = layer.trainableWeights.map((w) => w.read());
    return denseForward(hT, kernel as tf.Tensor2D, bias as tf.Tensor1D, layer.getConfig().activation as DenseActivation, !(inputIsData && i === 0));
  }, xT);
}

/** Whether `denseChainT` computes this layer: a `Dense` layer with a bias and a relu or linear activation. */
export function isFastDense(layer: tf.layers.Layer): boolean {
  const { activation, useBias } = layer.getConfig();
  return layer.getClassName() === "Dense" && (activation === "relu" || activation === "linear") && useBias !== false;
}
