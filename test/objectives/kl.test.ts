import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { negElboTerms } from "../../lib/objectives/elbo";
import { klStandardNormal } from "../../lib/objectives/kl";

function kl(mu: number[][], logVar: number[][]): number[] {
  return tf.tidy(() => Array.from(klStandardNormal(tf.tensor2d(mu), tf.tensor2d(logVar)).dataSync()));
}

/** KL(N(mu, s^2) || N(0, 1)) by the trapezoid rule on a fine grid, in float64. */
function klByQuadrature(mu: number, logVar: number): number {
  const sd = Math.exp(logVar / 2);
  const logQ = (z: number) => -0.5 * Math.log(2 * Math.PI) - Math.log(sd) - 0.5 * ((z - mu) / sd) ** 2;
  const logP = (z: number) => -0.5 * Math.log(2 * Math.PI) - 0.5 * z * z;
  const lo = mu - 12 * sd;
  const h = (24 * sd) / 20000;
  let sum = 0;
  for (let i = 0; i <= 20000; i++) {
    const z = lo + i * h;
    const w = i === 0 || i === 20000 ? 0.5 : 1;
    sum += w * Math.exp(logQ(z)) * (logQ(z) - logP(z));
  }
  return sum * h;
}

describe("klStandardNormal", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  it("is exactly 0 at mu = 0, log sigma^2 = 0", () => {
    expect(kl([[0, 0, 0]], [[0, 0, 0]])[0]).toBe(0);
  });

  it("matches values computed by hand", () => {
    expect(kl([[1, 0]], [[0, 0]])[0]).toBeCloseTo(0.5, 6); // 1/2 mu^2
    expect(kl([[0]], [[Math.log(2)]])[0]).toBeCloseTo(0.5 * (2 - 1 - Math.log(2)), 6);
    expect(kl([[1, -2]], [[1, -1]])[0]).toBeCloseTo(
      0.5 * (Math.exp(1) + 1 - 1 - 1) + 0.5 * (Math.exp(-1) + 4 - 1 + 1),
      5,
    );
  });

  it("agrees with numerical integration of the definition", () => {
    for (const [mu, logVar] of [[0.3, -1.2], [-1.5, 0.7], [2, -3]]) {
      expect(kl([[mu]], [[logVar]])[0]).toBeCloseTo(klByQuadrature(mu, logVar), 4);
    }
  });

  it("is non-negative for random inputs and sums over latent dimensions", () => {
    const mu = Array.from({ length: 20 }, (_, i) => [Math.sin(i), Math.cos(3 * i)]);
    const logVar = Array.from({ length: 20 }, (_, i) => [Math.sin(5 * i) * 4, Math.cos(i) * 4]);
    const both = kl(mu, logVar);
    const first = kl(mu.map((r) => [r[0]]), logVar.map((r) => [r[0]]));
    const second = kl(mu.map((r) => [r[1]]), logVar.map((r) => [r[1]]));
    both.forEach((v, i) => {
      expect(v).toBeGreaterThan(0);
      expect(v).toBeCloseTo(first[i] + second[i], 4);
    });
  });

  it("rejects mismatched shapes", () => {
    expect(() => klStandardNormal(tf.zeros([2, 3]) as tf.Tensor2D, tf.zeros([3, 3]) as tf.Tensor2D)).toThrow(
      "Error in klStandardNormal: mu and logVar must be of the same shape, but got mu [2, 3] and logVar [3, 3].",
    );
  });
});

describe("negElboTerms", () => {
  it("is the reconstruction term plus the KL term", () => {
    const out = tf.tidy(() => {
      const t = negElboTerms(tf.tensor2d([[1, 0, 1]]), tf.tensor2d([[2, -1, 0]]), tf.tensor2d([[0.5]]), tf.tensor2d([[-0.3]]));
      return [t.reconstruction, t.kl, t.negElbo].map((x) => x.dataSync()[0]);
    });
    const sp = (l: number) => Math.log1p(Math.exp(l));
    const reconstruction = sp(2) - 2 + sp(-1) + sp(0);
    const klValue = 0.5 * (Math.exp(-0.3) + 0.25 - 1 + 0.3);
    expect(out[0]).toBeCloseTo(reconstruction, 5);
    expect(out[1]).toBeCloseTo(klValue, 5);
    expect(out[2]).toBeCloseTo(reconstruction + klValue, 5);
  });
});
