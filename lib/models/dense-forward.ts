import * as tf from "@tensorflow/tfjs";

/** Activations the kit's dense layers use. */
export type DenseActivation = "relu" | "linear";

/**
 * One dense layer, y = activation(x W + b), with a hand-written gradient whose matrix
 * products are all untransposed.
 *
 * Why: the gradient TensorFlow.js registers for matMul multiplies by transposed operands
 * (`transposeA` / `transposeB`), and on the wasm backend those products run about ten times
 * slower than plain ones (measured here at batch 128 on the 784 x 400 layer: ~36 ms against
 * ~4 ms). Transposing explicitly first costs about 1 ms. Likewise the bias gradient is a
 * product with a row of ones, ~4 times faster there than a sum over the batch axis. The
 * gradient itself is the textbook one:
 *
 *   g = dL/dy * relu'(x W + b)   (relu' = 1 where the output is > 0, else 0)
 *   dL/dx = g W^T,   dL/dW = x^T g,   dL/db = sum over the batch of g
 *
 * @param x inputs, `[batch, inDim]`.
 * @param kernel weights W, `[inDim, outDim]`.
 * @param bias b, `[outDim]`.
 * @param activation `"relu"` or `"linear"`.
 * @param inputGrad when false, x is treated as data (no gradient flows to it), which saves
 *   one matrix product; use it for the first layer. Default true.
 * @returns `[batch, outDim]`.
 * @throws Error when the shapes do not chain (from the matrix product).
 */
export function denseForward(
  x: tf.Tensor2D,
  kernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  activation: DenseActivation,
  inputGrad = true,
): tf.Tensor2D {
  const forward = (input: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) =>
    tf.fused.matMul({ a: input, b: w, bias: b, activation }) as tf.Tensor2D;
  const delta = (dy: tf.Tensor2D, y: tf.Tensor2D) => (activation === "relu" ? dy.mul(tf.step(y)) : dy) as tf.Tensor2D;
  if (!inputGrad) {
    const layer = tf.customGrad((w, b, save) => {
      const y = forward(x, w as tf.Tensor2D, b as tf.Tensor1D);
      (save as tf.GradSaveFunc)([y]);
      return {
        value: y,
        gradFunc: (dy, [saved]) => {
          const g = delta(dy as tf.Tensor2D, saved as tf.Tensor2D);
          return [tf.matMul(tf.transpose(x), g), sumOverBatch(g)];
        },
      };
    });
    return layer(kernel, bias) as tf.Tensor2D;
  }
  const layer = tf.customGrad((input, w, b, save) => {
    const y = forward(input as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D);
    (save as tf.GradSaveFunc)([input as tf.Tensor, w as tf.Tensor, y]);
    return {
      value: y,
      gradFunc: (dy, [savedInput, savedW, saved]) => {
        const g = delta(dy as tf.Tensor2D, saved as tf.Tensor2D);
        return [tf.matMul(g, tf.transpose(savedW)), tf.matMul(tf.transpose(savedInput), g), sumOverBatch(g)];
      },
    };
  });
  return layer(x, kernel, bias) as tf.Tensor2D;
}

/** Column sums of `g`, `[batch, n]` -> `[n]`, as the product of a row of ones with `g`. */
function sumOverBatch(g: tf.Tensor2D): tf.Tensor1D {
  return tf.matMul(tf.ones([1, g.shape[0]]), g).reshape([g.shape[1]]);
}

/**
 * Apply a chain of dense layers (`tf.layers.dense`, relu or linear) to `x` through
 * `denseForward`, using the layers' own weight variables, so that training through it
 * updates the layers. The result equals `layer.apply(...)` in turn.
 *
 * @param x `[batch, inDim]`.
 * @param layers dense layers in order; the first takes `inDim` inputs.
 * @param inputIsData when true (default), no gradient is computed for `x`.
 * @returns `[batch, outDim of the last layer]`.
 * @throws Error naming the layer when it is not a dense layer with a relu or linear activation.
 */
export function denseChain(x: tf.Tensor2D, layers: tf.layers.Layer[], inputIsData = true): tf.Tensor2D {
  return layers.reduce((h, layer, i) => {
    const activation = layer.getConfig().activation;
    if (layer.getClassName() !== "Dense" || (activation !== "relu" && activation !== "linear")) {
      throw new Error(`denseChain: layer '${layer.name}' must be a Dense layer with relu or linear activation, but is a ${layer.getClassName()} with activation ${String(activation)}.`);
    }
    const [kernel, bias] = layer.trainableWeights.map((w) => w.read());
    return denseForward(h, kernel as tf.Tensor2D, bias as tf.Tensor1D, activation, !(inputIsData && i === 0));
  }, x);
}
