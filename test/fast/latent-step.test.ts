import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { klTerm, sampleLatent } from "../../lib/fast/latent-step";
import { VAE } from "../../lib/models/vae";
import { klStandardNormal } from "../../lib/objectives/kl";
import { initBackend } from "../../lib/runtime/backend";

const gap = (a: tf.Tensor, b: tf.Tensor) => a.sub(b).abs().max().dataSync()[0];

/** Values and gradients (with respect to mu and logVar) of two functions of them. */
function compare(ours: (m: tf.Tensor2D, l: tf.Tensor2D) => tf.Tensor, reference: (m: tf.Tensor2D, l: tf.Tensor2D) => tf.Tensor) {
  const mu = tf.tensor2d([[0.3, -1.2, 2], [-0.5, 0.1, 0]]);
  const logVar = tf.tensor2d([[-1, 0.4, 2], [0, -3, 1.5]]);
  const weigh = (f: typeof ours) => (m: tf.Tensor, l: tf.Tensor) => {
    const out = f(m as tf.Tensor2D, l as tf.Tensor2D);
    return out.mul(tf.randomNormal(out.shape, 0, 1, "float32", 5)).sum();
  };
  const [dMu, dLogVar] = tf.grads(weigh(ours))([mu, logVar]);
  const [dMuRef, dLogVarRef] = tf.grads(weigh(reference))([mu, logVar]);
  return { value: gap(ours(mu, logVar), reference(mu, logVar)), dMu: gap(dMu, dMuRef), dLogVar: gap(dLogVar, dLogVarRef) };
}

describe.each(["cpu", "wasm"])("the training step's latent sample and KL term on %s", (backend) => {
  beforeAll(async () => {
    await initBackend(backend, { quiet: true });
  });

  it("sampleLatent equals VAE.reparameterize, values and automatic gradients", () => {
    const vae = new VAE({ hiddenSizes: [8], latentDim: 3, seed: 1 });
    const gaps = tf.tidy(() => compare((m, l) => sampleLatent(m, l, 9), (m, l) => vae.reparameterize({ mu: m, logVar: l }, 9)));
    vae.dispose();
    expect(gaps.value).toBeLessThan(1e-6);
    expect(gaps.dMu).toBeLessThan(1e-5);
    expect(gaps.dLogVar).toBeLessThan(1e-5);
  });

  it("klTerm equals klStandardNormal, values and automatic gradients", () => {
    const gaps = tf.tidy(() => compare(klTerm, klStandardNormal));
    expect(gaps.value).toBeLessThan(1e-5);
    expect(gaps.dMu).toBeLessThan(1e-5);
    expect(gaps.dLogVar).toBeLessThan(1e-5);
  });
});
