/** What `hold` keeps: anything with a `dispose()`, e.g. a model or a tensor. */
export interface Disposable {
  dispose(): void;
}

const held = new Map<string, Disposable>();

/**
 * Keep `value` under `name` for later cells, disposing what was held under that name
 * before, so that rerunning a notebook cell that makes a model or a tensor does not leave
 * the old one in memory (`tf.memory().numTensors` stays flat). The names live in the kit's
 * module, which both kernels load once per session, so they survive reruns of any cell
 * (tslab resets a rerun cell's own variables, so the cell itself cannot remember them).
 *
 * @param name a name for the value, unique in the notebook (e.g. the variable's name).
 * @param value the model or tensor to keep.
 * @returns `value`, so a cell can write `const vae = kit.hold("vae", new kit.VAE())`.
 *
 * @example
 * const x = kit.hold("x", tf.tensor2d([[1, 2]]));   // rerun: the previous x is disposed
 */
export function hold<T extends Disposable>(name: string, value: T): T {
  const old = held.get(name);
  if (old !== undefined && old !== value) old.dispose();
  held.set(name, value);
  return value;
}
