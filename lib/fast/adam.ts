import * as tf from "@tensorflow/tfjs";
import { argumentError, checkPositive, describe } from "../runtime/checks";
import { ADAM_UPDATE, AdamUpdateAttrs } from "../runtime/wasm-adam";

/** A tensor with a name, as `tf.Optimizer` passes gradients and state. */
type NamedTensor = { name: string; tensor: tf.Tensor };

/** One moment estimate of one variable, named as `tf.AdamOptimizer` names it. */
interface Moment {
  originalName: string;
  variable: tf.Variable;
}

/**
 * Adam (Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015), computed
 * with fewer element-wise operations than `tf.train.adam`, and with the same result.
 *
 * Algorithm 1 of the paper keeps m_t = beta1 m + (1 - beta1) g and v_t = beta2 v + (1 - beta2) g^2
 * and steps theta_t = theta - alpha_t m_t / (sqrt(v_t) + epsHat_t), with the bias
 * corrections folded into two numbers per step (the paper's end of section 2):
 * alpha_t = alpha sqrt(1 - beta2^t) / (1 - beta1^t) and epsHat_t = epsilon sqrt(1 - beta2^t);
 * that is `tf.train.adam`'s update, whose epsilon is added to sqrt of the corrected v.
 *
 * This class stores the moments divided by (1 - beta), mTilde = m / (1 - beta1) and
 * vTilde = v / (1 - beta2), whose updates need no multiplication of the gradient:
 *
 *   mTilde_t = beta1 mTilde + g,   vTilde_t = beta2 vTilde + g^2,
 *   theta_t = theta - c_t mTilde_t / (sqrt(vTilde_t) + e_t),
 *   c_t = alpha_t (1 - beta1) / sqrt(1 - beta2),   e_t = epsHat_t / sqrt(1 - beta2).
 *
 * Per weight tensor that is 10 element-wise operations instead of 14; where the backend has
 * the kit's kernel `ADAM_UPDATE` (wasm, registered by `initBackend`: `lib/runtime/wasm-adam.ts`),
 * they run as one pass over the arrays, with the same result. The state that
 * `getWeights` returns and `setWeights` takes is the usual one (the step count, then m of
 * every variable, then v), with `tf.AdamOptimizer`'s names and order, so checkpoints are
 * the same.
 *
 * @example
 * const optimizer = new Adam(1e-3);
 * optimizer.minimize(() => loss(), false, variables);
 */
export class Adam extends tf.Optimizer {
  static className = "Adam";

  private firstMoments: Moment[] = [];
  private secondMoments: Moment[] = [];
  /** The unscaled moments last returned by `getWeights`, owned by this optimizer. */
  private exported: tf.Tensor[] = [];

  /**
   * @param learningRate alpha, > 0.
   * @param beta1 decay of the first moment, in [0, 1); default 0.9.
   * @param beta2 decay of the second moment, in [0, 1); default 0.999.
   * @param epsilon added to sqrt(v) for stability; default the backend's epsilon (1e-7 for
   *   float32), as in `tf.train.adam`.
   * @throws Error naming the setting that is out of range.
   */
  constructor(
    readonly learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = tf.backend().epsilon(),
  ) {
    super();
    checkPositive("Adam", "learningRate", learningRate);
    for (const [name, beta] of [["beta1", beta1], ["beta2", beta2]] as const) {
      if (!(beta >= 0 && beta < 1)) throw argumentError("Adam", name, "a number in [0, 1)", describe(beta));
    }
    if (!(epsilon >= 0)) throw argumentError("Adam", "epsilon", "a number >= 0", describe(epsilon));
  }

  applyGradients(gradients: tf.NamedTensorMap | NamedTensor[]): void {
    const named = Array.isArray(gradients) ? gradients : Object.entries(gradients).map(([name, tensor]) => ({ name, tensor }));
    const t = this.iterations + 1;
    const correction2 = Math.sqrt(1 - this.beta2 ** t);
    const scale2 = Math.sqrt(1 - this.beta2);
    const stepSize = (this.learningRate * correction2 * (1 - this.beta1)) / ((1 - this.beta1 ** t) * scale2);
    const eps = (this.epsilon * correction2) / scale2;
    const attrs: AdamUpdateAttrs = { beta1: this.beta1, beta2: this.beta2, stepSize, eps };
    tf.tidy(() => {
      named.forEach(({ name, tensor: g }, i) => {
        const theta = tf.engine().registeredVariables[name];
        const m = this.moment(this.firstMoments, i, name, "m", theta).variable;
        const v = this.moment(this.secondMoments, i, name, "v", theta).variable;
        if (g == null) return;
        const [thetaNext, mNext, vNext] = adamStep(theta, m, v, g, attrs);
        theta.assign(thetaNext);
        m.assign(mNext);
        v.assign(vNext);
      });
    });
    this.incrementIterations();
  }

  /** The scaled moment `kind` of variable number `i`, created as zeros on its first use. */
  private moment(moments: Moment[], i: number, name: string, kind: "m" | "v", like: tf.Variable): Moment {
    moments[i] ??= { originalName: `${name}/${kind}`, variable: tf.tidy(() => tf.zerosLike(like).variable(false)) };
    return moments[i];
  }

  /**
   * The step count (a new scalar, as in `tf.AdamOptimizer`), then m and v of every variable.
   * The moments belong to the optimizer and stay valid until the next `getWeights` or
   * `dispose`.
   */
  async getWeights(): Promise<NamedTensor[]> {
    tf.dispose(this.exported);
    const unscale = (moments: Moment[], beta: number) =>
      moments.map((x) => ({ name: x.originalName, tensor: tf.mul(x.variable, 1 - beta) }));
    const moments = [...unscale(this.firstMoments, this.beta1), ...unscale(this.secondMoments, this.beta2)];
    this.exported = moments.map((x) => x.tensor);
    return [await this.saveIterations(), ...moments];
  }

  /** Restore the state `getWeights` returned (here or from `tf.AdamOptimizer`). */
  async setWeights(weights: NamedTensor[]): Promise<void> {
    const moments = await this.extractIterations(weights);
    const half = moments.length / 2;
    const scaled = (beta: number) => (x: NamedTensor): Moment => ({
      originalName: x.name,
      variable: tf.tidy(() => tf.div(x.tensor, 1 - beta).variable(false)),
    });
    this.disposeMoments();
    this.firstMoments = moments.slice(0, half).map(scaled(this.beta1));
    this.secondMoments = moments.slice(half).map(scaled(this.beta2));
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  dispose(): void {
    this.disposeMoments();
    tf.dispose(this.exported);
    this.exported = [];
    super.dispose();
  }

  private disposeMoments(): void {
    tf.dispose([...this.firstMoments, ...this.secondMoments].map((x) => x.variable));
    this.firstMoments = [];
    this.secondMoments = [];
  }
}

/**
 * theta', m', v' of one weight tensor (the class comment gives the formula): the kit's kernel
 * where the backend has it, else the same formula in tensor operations.
 */
function adamStep(theta: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, a: AdamUpdateAttrs): tf.Tensor[] {
  if (tf.getKernel(ADAM_UPDATE, tf.getBackend())) {
    return tf.engine().runKernel(ADAM_UPDATE, { theta, m, v, g }, a as unknown as tf.NamedAttrMap) as tf.Tensor[];
  }
  const mNext = m.mul(a.beta1).add(g);
  const vNext = v.mul(a.beta2).add(g.square());
  return [theta.sub(mNext.div(vNext.sqrt().add(a.eps)).mul(a.stepSize)), mNext, vNext];
}
