import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { decoderLogLikelihood, LikelihoodConfig } from "../../lib/models/likelihood";
import { VAE } from "../../lib/models/vae";
import { gaussianLogDensity, standardNormalLogDensity } from "../../lib/objectives/gaussian";
import { vaeLogWeights } from "../../lib/objectives/iwae";
import { initBackend } from "../../lib/runtime/backend";
import { Rng } from "../../lib/runtime/seed";

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe.each(["cpu", "wasm"])("vaeLogWeights of each decoder distribution on %s", (backend) => {
  beforeAll(async () => {
    await initBackend(backend, { quiet: true });
  });

  it.each<LikelihoodConfig>([{ name: "bernoulli" }, { name: "continuous-bernoulli" }, { name: "gaussian", sigma: 0.3 }])(
    "equals log p(x | z) + log p(z) - log q(z | x) sample by sample for %o",
    (likelihood) => {
      const vae = new VAE({ inputDim: 784, hiddenSizes: [16], latentDim: 3, seed: 5, likelihood });
      const x = tf.tidy(() => tf.randomUniform([3, 784], 0, 1, "float32", 2).greater(0.6).cast("float32")) as tf.Tensor2D;
      const [k, seed] = [4, 8];
      tf.tidy(() => {
        const got = vaeLogWeights(vae, x, k, { seed }).arraySync() as number[][];
        const eps = tf.randomNormal([k, 3, 3], 0, 1, "float32", new Rng(seed).nextSeed());
        const { mu, logVar } = vae.encode(x);
        for (let j = 0; j < k; j++) {
          const z = mu.add((eps.slice([j, 0, 0], [1, 3, 3]).squeeze([0]) as tf.Tensor2D).mul(tf.exp(logVar.mul(0.5)))) as tf.Tensor2D;
          const expected = decoderLogLikelihood(vae.likelihood, x, vae.decoder.predict(z) as tf.Tensor2D, vae.logSigma)
            .add(standardNormalLogDensity(z))
            .sub(gaussianLogDensity(z, mu, logVar));
          values(expected).forEach((v, b) => expect(Math.abs(got[j][b] - v)).toBeLessThan(1e-5 * Math.abs(v) + 1e-3));
        }
      });
      x.dispose();
      vae.dispose();
    },
  );
});
