import * as tf from "@tensorflow/tfjs";
import { argumentError, describe } from "../runtime/checks";
import { Rng } from "../runtime/seed";

/**
 * Check that a list of layer sizes holds positive integers.
 *
 * @param fn the function or class that was called, for the message.
 * @param what what the sizes are, e.g. `"the layer sizes of decoder"`.
 * @throws Error in the kit's form naming `fn`, `what` and the sizes received.
 */
export function checkSizes(fn: string, what: string, sizes: readonly number[]): void {
  if (!sizes.every((size) => Number.isInteger(size) && size >= 1)) throw argumentError(fn, what, "positive integers", describe(sizes));
}

/**
 * A dense network (multilayer perceptron) as a `tf.Sequential`:
 * `inputDim -> hiddenSizes[0] -> ... -> outputDim`, ReLU after every hidden layer and
 * `outputActivation` (default linear) after the last. Weights use Glorot-uniform
 * initialization seeded from `rng`, biases start at zero.
 *
 * @param name model name, also the prefix of its layer names (`${name}_dense1`, ...).
 * @param inputDim size of the input, `[batch, inputDim]`.
 * @param hiddenSizes sizes of the hidden layers, possibly empty.
 * @param outputDim size of the output, `[batch, outputDim]`.
 * @throws Error when a size is not a positive integer.
 */
export function mlp(
  name: string,
  inputDim: number,
  hiddenSizes: readonly number[],
  outputDim: number,
  rng: Rng,
  outputActivation: "linear" | "sigmoid" = "linear",
): tf.Sequential {
  checkSizes("mlp", `the layer sizes of ${name} [inputDim, ...hiddenSizes, outputDim]`, [inputDim, ...hiddenSizes, outputDim]);
  const model = tf.sequential({ name });
  hiddenSizes.forEach((units, i) => {
    model.add(denseLayer(`${name}_dense${i + 1}`, units, "relu", rng, i === 0 ? inputDim : undefined));
  });
  model.add(
    denseLayer(
      `${name}_out`,
      outputDim,
      outputActivation,
      rng,
      hiddenSizes.length === 0 ? inputDim : undefined,
    ),
  );
  return model;
}

/** One seeded dense layer; `inputDim` only for the first layer of a model. */
export function denseLayer(
  name: string,
  units: number,
  activation: "relu" | "linear" | "sigmoid",
  rng: Rng,
  inputDim?: number,
): tf.layers.Layer {
  return tf.layers.dense({
    name,
    units,
    activation,
    inputShape: inputDim === undefined ? undefined : [inputDim],
    kernelInitializer: tf.initializers.glorotUniform({ seed: rng.nextSeed() }),
    biasInitializer: "zeros",
  });
}
