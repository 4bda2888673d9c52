/**
 * Quick mode: the notebooks use small subsets of MNIST and few epochs so each runs in about
 * a minute on two CPU cores (the tests run them this way). Set the environment variable
 * `VAE_QUICK=1` to turn it on; anything else, or nothing, gives full mode and real results.
 *
 * @example
 * const EPOCHS = quickMode() ? 2 : 10;
 */
export function quickMode(): boolean {
  return process.env.VAE_QUICK === "1";
}

/**
 * Whether a notebook should train its models itself instead of loading the pretrained ones
 * from `pretrained/`: true when the environment variable `VAE_RETRAIN` is `1`. Notebooks
 * read it once, into a constant `RETRAIN` at the top, which you can also set by hand.
 *
 * @example
 * const RETRAIN = retrainRequested(); // true: train here instead of loading pretrained/
 */
export function retrainRequested(): boolean {
  return process.env.VAE_RETRAIN === "1";
}
