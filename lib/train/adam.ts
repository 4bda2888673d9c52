import * as tf from "@tensorflow/tfjs";

/** A tensor with a name, as `tf.Optimizer` passes gradients and state. */
type NamedTensor = { name: string; tensor: tf.Tensor };

/** One moment estimate of one variable, named as `tf.AdamOptimizer` names it. */
interface Moment {
  originalName: string;
  variable: tf.Variable;
}

/**
 * Adam (Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015), in the
 * cheaper order of computation the paper gives at the end of its section 2:
 *
 *   m_t = m + (1 - beta1) (g - m)            v_t = v + (1 - beta2) (g^2 - v)
 *   alpha_t = alpha sqrt(1 - beta2^t) / (1 - beta1^t),   epsHat_t = epsilon sqrt(1 - beta2^t)
 *   theta_t = theta - alpha_t m_t / (sqrt(v_t) + epsHat_t)
 *
 * This is exactly the update of `tf.train.adam` (Algorithm 1 with bias-corrected moments,
 * epsilon added to sqrt of the corrected v): it folds both bias corrections into two
 * numbers per step, which saves two element-wise divisions per weight tensor. Its state
 * (`getWeights` / `setWeights`: the step count, then the m of every variable, then the v)
 * has the names and order of `tf.AdamOptimizer`'s, so checkpoints are the same.
 *
 * @example
 * const optimizer = new Adam(1e-3);
 * optimizer.minimize(() => loss(), false, variables);
 */
export class Adam extends tf.Optimizer {
  static className = "Adam";

  private firstMoments: Moment[] = [];
  private secondMoments: Moment[] = [];

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
    if (!(learningRate > 0)) throw new Error(`Adam: learningRate must be positive, but got ${learningRate}.`);
    for (const [name, beta] of [["beta1", beta1], ["beta2", beta2]] as const) {
      if (!(beta >= 0 && beta < 1)) throw new Error(`Adam: ${name} must be in [0, 1), but got ${beta}.`);
    }
    if (!(epsilon >= 0)) throw new Error(`Adam: epsilon must be >= 0, but got ${epsilon}.`);
  }

  applyGradients(gradients: tf.NamedTensorMap | NamedTensor[]): void {
    const named = Array.isArray(gradients) ? gradients : Object.entries(gradients).map(([name, tensor]) => ({ name, tensor }));
    const t = this.iterations + 1;
    const correction2 = Math.sqrt(1 - this.beta2 ** t);
    const stepSize = (this.learningRate * correction2) / (1 - this.beta1 ** t);
    const epsHat = this.epsilon * correction2;
    tf.tidy(() => {
      named.forEach(({ name, tensor: g }, i) => {
        const theta = tf.engine().registeredVariables[name];
        const m = this.moment(this.firstMoments, i, name, "m", theta).variable;
        const v = this.moment(this.secondMoments, i, name, "v", theta).variable;
        if (g == null) return;
        m.assign(m.add(g.sub(m).mul(1 - this.beta1)));
        v.assign(v.add(g.square().sub(v).mul(1 - this.beta2)));
        theta.assign(theta.sub(m.div(v.sqrt().add(epsHat)).mul(stepSize)));
      });
    });
    this.incrementIterations();
  }

  /** The moment `kind` of variable number `i`, created as zeros on its first use. */
  private moment(moments: Moment[], i: number, name: string, kind: "m" | "v", like: tf.Variable): Moment {
    moments[i] ??= { originalName: `${name}/${kind}`, variable: tf.tidy(() => tf.zerosLike(like).variable(false)) };
    return moments[i];
  }

  async getWeights(): Promise<NamedTensor[]> {
    const moments = [...this.firstMoments, ...this.secondMoments];
    return [await this.saveIterations(), ...moments.map((x) => ({ name: x.originalName, tensor: x.variable }))];
  }

  async setWeights(weights: NamedTensor[]): Promise<void> {
    const moments = await this.extractIterations(weights);
    const half = moments.length / 2;
    const toMoment = (x: NamedTensor): Moment => ({ originalName: x.name, variable: x.tensor.variable(false) });
    this.disposeMoments();
    this.firstMoments = moments.slice(0, half).map(toMoment);
    this.secondMoments = moments.slice(half).map(toMoment);
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  dispose(): void {
    this.disposeMoments();
    super.dispose();
  }

  private disposeMoments(): void {
    tf.dispose([...this.firstMoments, ...this.secondMoments].map((x) => x.variable));
    this.firstMoments = [];
    this.secondMoments = [];
  }
}
