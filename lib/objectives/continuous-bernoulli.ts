import * as tf from "@tensorflow/tfjs";
import { bernoulliLogLikelihood } from "./bernoulli";
import { checkRank, checkSameShape, toTensor } from "../runtime/checks";

/**
 * Below this |logit| the log normalizing constant is computed from its Taylor series; above
 * it from the closed form. At |l| = 0.1 the series' first left-out term, 31 l^6 / 2903040
 * (about 1e-11), is far below float32's resolution near log 2.
 */
export const CONTINUOUS_BERNOULLI_TAYLOR_BAND = 0.1;

/**
 * The log normalizing constant log C(lambda) of the continuous Bernoulli distribution
 * (Loaiza-Ganem & Cunningham, "The continuous Bernoulli: fixing a pervasive error in
 * variational autoencoders", NeurIPS 2019, eq. 7), from the logit l = log(lambda / (1 - lambda)):
 *
 *   C(lambda) = 2 artanh(1 - 2 lambda) / (1 - 2 lambda)   (lambda != 1/2),   C(1/2) = 2.
 *
 * Since 1 - 2 sigmoid(l) = -tanh(l / 2) and artanh(-tanh(l / 2)) = -l / 2,
 *
 *   C = l / tanh(l / 2),   log C = log |l| - log |tanh(l / 2)|,
 *
 * which is 0 / 0 at l = 0 (lambda = 1/2). There the series (from u coth u = 1 + u^2/3 -
 * u^4/45 + ..., u = l / 2) is used instead:
 *
 *   log C = log 2 + l^2 / 12 - 7 l^4 / 1440 + O(l^6)
 *
 * (the same as the paper's log 2 + 4/3 (lambda - 1/2)^2 + 104/45 (lambda - 1/2)^4, section
 * 3, written in l), for |l| < `CONTINUOUS_BERNOULLI_TAYLOR_BAND`. The closed-form branch
 * never sees |l| below the band, so its gradient stays finite at l = 0.
 *
 * @param logits l, any shape; a tensor or nested arrays.
 * @returns log C in nats, the shape of `logits` (log 2 at l = 0, about log |l| for large |l|).
 * @throws Error when `logits` is neither a tensor nor numeric arrays.
 *
 * @example
 * continuousBernoulliLogNormalizer([0, 2]) // [0.6931, 0.9512] = [log 2, log(2 / tanh 1)]
 */
export function continuousBernoulliLogNormalizer(logits: tf.Tensor | tf.TensorLike): tf.Tensor {
  const fn = "continuousBernoulliLogNormalizer";
  return tf.tidy(() => {
    const l = toTensor(fn, "logits", logits);
    // near = 1 inside the band, 0 outside; tf.step has a zero gradient (a comparison has none)
    const near = tf.step(tf.abs(l).neg().add(CONTINUOUS_BERNOULLI_TAYLOR_BAND));
    const far = l.mul(tf.sub(1, near)).add(near); // l outside the band, 1 inside: no 0 / 0
    const closed = tf.log(tf.abs(far)).sub(tf.log(tf.abs(tf.tanh(far.mul(0.5)))));
    const l2 = tf.square(l);
    const series = l2.div(12).sub(tf.square(l2).mul(7 / 1440)).add(Math.LN2);
    return near.mul(series).add(tf.sub(1, near).mul(closed));
  });
}

/**
 * Log-likelihood of grey-level pixels x in [0, 1] under independent continuous Bernoulli
 * distributions given by logits, summed over pixels, in nats per example
 * (Loaiza-Ganem & Cunningham 2019, eq. 7):
 *
 *   p(x | lambda) = C(lambda) lambda^x (1 - lambda)^(1 - x),   lambda = sigmoid(l),
 *   log p(x | l) = sum_j [ x_j l_j - softplus(l_j) + log C(l_j) ].
 *
 * The first two terms are the Bernoulli cross-entropy (`bernoulliLogLikelihood`); log C
 * (`continuousBernoulliLogNormalizer`) makes each pixel's density integrate to 1 over
 * [0, 1], which the cross-entropy alone does not for grey-level x. Values can be positive
 * (a density, not a probability).
 *
 * @param x targets, `[batch, pixels]`, values in [0, 1]; a tensor or nested arrays.
 * @param logits decoder outputs l, `[batch, pixels]`; a tensor or nested arrays.
 * @returns `[batch]` log-densities in nats.
 * @throws Error when `x` is not rank 2 or the shapes of `x` and `logits` differ.
 *
 * @example
 * continuousBernoulliLogLikelihood([[0.3]], [[0]]) // [0] = log(2 * 1/2): the uniform density
 */
export function continuousBernoulliLogLikelihood(x: tf.Tensor2D | number[][], logits: tf.Tensor2D | number[][]): tf.Tensor1D {
  const fn = "continuousBernoulliLogLikelihood";
  return tf.tidy(() => {
    const [xt, lt] = [toTensor(fn, "x", x), toTensor(fn, "logits", logits)];
    checkRank(fn, "x", xt, 2, "[batch, pixels]");
    checkSameShape(fn, "x", xt, "logits", lt);
    return bernoulliLogLikelihood(xt as tf.Tensor2D, lt as tf.Tensor2D).add(continuousBernoulliLogNormalizer(lt).sum(1)) as tf.Tensor1D;
  });
}

/**
 * The mean of the continuous Bernoulli distribution, from the logit l = log(lambda / (1 - lambda))
 * (Loaiza-Ganem & Cunningham 2019, section 3):
 *
 *   E[x] = lambda / (2 lambda - 1) + 1 / (2 artanh(1 - 2 lambda))   (lambda != 1/2),   E[x] = 1/2 at lambda = 1/2.
 *
 * It is not lambda: the mean lies between lambda and 1/2 (0.75 at lambda = 0.9). With
 * 2 lambda - 1 = tanh(l / 2) and 2 artanh(1 - 2 lambda) = -l it is
 *
 *   E[x] = lambda / tanh(l / 2) - 1 / l,
 *
 * which cancels to 0 / 0 at l = 0; there, for |l| < `CONTINUOUS_BERNOULLI_TAYLOR_BAND`, the
 * series 1/2 + l / 12 - l^3 / 720 + O(l^5) is used instead (from lambda = 1/2 + l/4 - l^3/48 + ...
 * and coth u = 1/u + u/3 - u^3/45 + ..., u = l / 2).
 *
 * @param logits l, any shape; a tensor or nested arrays.
 * @returns E[x] in (0, 1), the shape of `logits`.
 * @throws Error when `logits` is neither a tensor nor numeric arrays.
 *
 * @example
 * continuousBernoulliMean([0, Math.log(9)]) // [0.5, 0.7449] (lambda = 1/2 and 0.9)
 */
export function continuousBernoulliMean(logits: tf.Tensor | tf.TensorLike): tf.Tensor {
  const fn = "continuousBernoulliMean";
  return tf.tidy(() => {
    const l = toTensor(fn, "logits", logits);
    const near = tf.step(tf.abs(l).neg().add(CONTINUOUS_BERNOULLI_TAYLOR_BAND));
    const far = l.mul(tf.sub(1, near)).add(near); // no 0 / 0 inside the band
    const closed = tf.sigmoid(far).div(tf.tanh(far.mul(0.5))).sub(tf.reciprocal(far));
    const series = l.div(12).sub(tf.pow(l, 3).div(720)).add(0.5);
    return near.mul(series).add(tf.sub(1, near).mul(closed));
  });
}

/**
 * The quantile function (inverse CDF) of the continuous Bernoulli distribution: the x in
 * [0, 1] with P(X <= x) = u, for sampling by inversion (x = F^-1(u), u ~ Uniform(0, 1)).
 * From F(x) = (lambda^x (1 - lambda)^(1 - x) + lambda - 1) / (2 lambda - 1)
 * (Loaiza-Ganem & Cunningham 2019, section 3), with e^l = lambda / (1 - lambda):
 *
 *   e^(l x) = 1 + u (e^l - 1),   x = log(1 + u (e^l - 1)) / l,
 *
 * computed as (m + log(u e^(l - m) + (1 - u) e^(-m))) / l with m = max(l, 0), which does not
 * overflow for large |l|; for |l| < 1e-3 as u + l u (1 - u) / 2 (the first terms of its series).
 *
 * @param logits l, any shape; a tensor or nested arrays.
 * @param u probabilities in [0, 1], the shape of `logits`.
 * @returns x in [0, 1], the shape of `logits`.
 * @throws Error when the arguments are not tensors or numeric arrays, or their shapes differ.
 *
 * @example
 * continuousBernoulliQuantile([0, 0], [0.25, 0.5]) // [0.25, 0.5]: lambda = 1/2 is the uniform distribution
 */
export function continuousBernoulliQuantile(logits: tf.Tensor | tf.TensorLike, u: tf.Tensor | tf.TensorLike): tf.Tensor {
  const fn = "continuousBernoulliQuantile";
  return tf.tidy(() => {
    const [l, ut] = [toTensor(fn, "logits", logits), toTensor(fn, "u", u)];
    checkSameShape(fn, "logits", l, "u", ut);
    const near = tf.step(tf.abs(l).neg().add(1e-3));
    const far = l.mul(tf.sub(1, near)).add(near);
    const m = tf.relu(far);
    const closed = m.add(tf.log(ut.mul(tf.exp(far.sub(m))).add(tf.sub(1, ut).mul(tf.exp(m.neg()))))).div(far);
    const series = ut.add(l.mul(ut).mul(tf.sub(1, ut)).mul(0.5));
    return tf.clipByValue(near.mul(series).add(tf.sub(1, near).mul(closed)), 0, 1);
  });
}
