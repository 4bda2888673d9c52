import type * as tf from "@tensorflow/tfjs";

/**
 * The sizes along a network: the width of its input, then the `units` (dense layers) or
 * `filters` (convolutions) of each layer that has them, in order. E.g. `[784, 400, 20, 20]`
 * for a VAE encoder (trunk, mu head, logVar head).
 */
export function layerSizes(model: tf.LayersModel): number[] {
  const input = model.inputs[0].shape[1] as number;
  const sizes = model.layers.map((l) => l.getConfig().units ?? l.getConfig().filters).filter((u): u is number => typeof u === "number");
  return [input, ...sizes];
}
