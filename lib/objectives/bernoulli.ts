import * as tf from "@tensorflow/tfjs";

/**
 * Log-likelihood of pixels under independent Bernoulli distributions given by logits,
 * summed over pixels: log p(x | z) in nats, one value per example.
 *
 *   log p(x | l) = sum_j [ x_j log sigmoid(l_j) + (1 - x_j) log(1 - sigmoid(l_j)) ]
 *               = sum_j [ x_j l_j - softplus(l_j) ]
 *               = sum_j [ x_j l_j - max(l_j, 0) + log sigmoid(|l_j|) ]
 *
 * The last form never exponentiates a positive number, so it is exact for logits of
 * any size (it is the binary cross-entropy with logits, negated). For grey-level x in
 * [0, 1] it is the cross-entropy that the Keras and PyTorch VAE examples train with; it is
 * a normalized log-likelihood only for binary x.
 *
 * The gradient is written out rather than left to automatic differentiation, because it is
 * short and a training step spends much of its time here:
 *
 *   d log p / d l_j = x_j - sigmoid(l_j),    d log p / d x_j = l_j
 *
 * @param x targets, `[batch, pixels]`, values in [0, 1].
 * @param logits decoder outputs before the sigmoid, `[batch, pixels]`.
 * @returns `[batch]` log-likelihoods in nats (each <= 0 for binary x).
 * @throws Error when the shapes of `x` and `logits` differ.
 *
 * @example
 * bernoulliLogLikelihood(tf.tensor2d([[1, 0]]), tf.tensor2d([[0, 0]])) // [-1.3863] = 2 log(1/2)
 */
export function bernoulliLogLikelihood(x: tf.Tensor2D, logits: tf.Tensor2D): tf.Tensor1D {
  checkShapes("bernoulliLogLikelihood", x, logits);
  return examplesInRows(x, logits) as tf.Tensor1D;
}

/**
 * `bernoulliLogLikelihood` in feature-major layout, one column per example, as the
 * training step of `VAE` computes it (see `denseChainT`): the same values and gradients,
 * without transposing the images or the logits.
 *
 * @param xT targets, `[pixels, batch]`, values in [0, 1].
 * @param logitsT decoder outputs before the sigmoid, `[pixels, batch]`.
 * @returns `[batch]` log-likelihoods in nats.
 * @throws Error when the shapes of `xT` and `logitsT` differ.
 */
export function bernoulliLogLikelihoodT(xT: tf.Tensor2D, logitsT: tf.Tensor2D): tf.Tensor1D {
  checkShapes("bernoulliLogLikelihoodT", xT, logitsT);
  return examplesInColumns(xT, logitsT) as tf.Tensor1D;
}

function checkShapes(caller: string, x: tf.Tensor2D, logits: tf.Tensor2D): void {
  if (!tf.util.arraysEqual(x.shape, logits.shape)) {
    throw new Error(`Error in ${caller}: x and logits must have the same shape, but got x [${x.shape}] and logits [${logits.shape}].`);
  }
}

/** The log-likelihood with its written-out gradient, for examples along rows or columns. */
function withGradient(examples: "rows" | "columns") {
  const perExample = (perPixel: tf.Tensor) => (examples === "rows" ? perPixel : perPixel.transpose()).sum(1);
  const broadcast = (dy: tf.Tensor) => dy.reshape(examples === "rows" ? [-1, 1] : [1, -1]);
  return tf.customGrad((xIn, logitsIn, save) => {
    const [x, logits] = [xIn as tf.Tensor2D, logitsIn as tf.Tensor2D];
    (save as tf.GradSaveFunc)([x, logits]);
    const value = tf.tidy(() => perExample(x.mul(logits).sub(tf.relu(logits))).add(sumOfLogSigmoidAbs(logits, examples)));
    return {
      value,
      gradFunc: (dy, [savedX, savedLogits]) => {
        const weights = broadcast(dy as tf.Tensor);
        return [savedLogits.mul(weights), savedX.sub(tf.sigmoid(savedLogits)).mul(weights)];
      },
    };
  });
}

/**
 * sum_j log sigmoid(|l_j|) per example, as a sum of logarithms of products of up to 16
 * factors. Each factor lies in [1/2, 1], so a product stays above 2^-16 (no underflow, and
 * float32 keeps it to about 1e-6 relative). Why: the wasm backend computes logarithms one
 * element at a time (about 7 ns each here), and this takes one per 16 pixels.
 */
function sumOfLogSigmoidAbs(logits: tf.Tensor2D, examples: "rows" | "columns"): tf.Tensor1D {
  const [rows, cols] = logits.shape;
  const pixels = examples === "rows" ? cols : rows;
  const chunk = Array.from({ length: 16 }, (_, i) => 16 - i).find((c) => pixels % c === 0) ?? 1;
  const factors = tf.sigmoid(tf.abs(logits));
  if (examples === "rows") return tf.log(tf.prod(factors.reshape([rows, pixels / chunk, chunk]), 2)).sum(1);
  return tf.log(tf.prod(factors.reshape([pixels / chunk, chunk, cols]), 1)).transpose().sum(1);
}

const examplesInRows = withGradient("rows");
const examplesInColumns = withGradient("columns");
