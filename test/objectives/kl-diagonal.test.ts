import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { diagonalMvGaussian, klMvGaussians } from "../../lib/models/linear-gaussian";
import { klDiagonalGaussians, klMonteCarlo, klStandardNormal } from "../../lib/objectives/kl";

type Row = [muQ: number, logVarQ: number, muP: number, logVarP: number];

/** KL(q || p) for univariate Gaussians, by hand in float64. */
function klByHand([muQ, logVarQ, muP, logVarP]: Row): number {
  const vq = Math.exp(logVarQ);
  const vp = Math.exp(logVarP);
  return 0.5 * (Math.log(vp / vq) + (vq + (muQ - muP) ** 2) / vp - 1);
}

/** KL(q || p) for univariate Gaussians by the trapezoid rule on the definition, float64. */
function klByQuadrature([muQ, logVarQ, muP, logVarP]: Row): number {
  const sq = Math.exp(logVarQ / 2);
  const logN = (z: number, m: number, lv: number) => -0.5 * (Math.log(2 * Math.PI) + lv + (z - m) ** 2 / Math.exp(lv));
  const n = 40000;
  const lo = muQ - 14 * sq;
  const h = (28 * sq) / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const z = lo + i * h;
    const lq = logN(z, muQ, logVarQ);
    sum += (i === 0 || i === n ? 0.5 : 1) * Math.exp(lq) * (lq - logN(z, muP, logVarP));
  }
  return sum * h;
}

const ROWS: Row[] = [
  [0, 0, 1, Math.log(4)],
  [1, Math.log(4), 0, 0],
  [0.3, -1.2, -0.5, 0.4],
  [-2, 1.5, 1, -0.5],
  [0.7, 0.2, 0.7, 0.2],
];

function kl(rows: Row[]): number[] {
  return tf.tidy(() => {
    const col = (j: number) => tf.tensor2d(rows.map((r) => [r[j]]));
    return Array.from(klDiagonalGaussians(col(0), col(1), col(2), col(3)).dataSync());
  });
}

describe("klDiagonalGaussians", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  it("matches values computed by hand", () => {
    const got = kl(ROWS);
    expect(got[0]).toBeCloseTo(0.5 * (Math.log(4) + 2 / 4 - 1), 6); // 0.4431
    expect(got[1]).toBeCloseTo(0.5 * (-Math.log(4) + 5 - 1), 6); // 1.3069
    ROWS.forEach((r, i) => expect(got[i]).toBeCloseTo(klByHand(r), 5));
    expect(got[4]).toBe(0);
  });

  it("agrees with numerical integration of the definition", () => {
    const got = kl(ROWS);
    ROWS.forEach((r, i) => expect(got[i]).toBeCloseTo(klByQuadrature(r), 4));
  });

  it("is not symmetric: KL(q || p) != KL(p || q)", () => {
    const [forward, backward] = kl([ROWS[0], ROWS[1]]); // the same pair, roles swapped
    expect(forward).toBeCloseTo(0.4431, 4);
    expect(backward).toBeCloseTo(1.3069, 4);
    expect(Math.abs(forward - backward)).toBeGreaterThan(0.8);
  });

  it("sums over dimensions and agrees with the full-covariance formula in float64", () => {
    const muQ = [0.5, -1, 2];
    const lvQ = [0.3, -0.5, 1.1];
    const muP = [1, 0, -0.3];
    const lvP = [Math.log(4), 0.2, -0.7];
    const expected = klMvGaussians(diagonalMvGaussian(muQ, lvQ), diagonalMvGaussian(muP, lvP));
    const got = tf.tidy(() => klDiagonalGaussians(tf.tensor2d([muQ]), tf.tensor2d([lvQ]), tf.tensor2d([muP]), tf.tensor2d([lvP])).dataSync()[0]);
    expect(got).toBeCloseTo(expected, 4);
  });

  it("equals klStandardNormal when p = N(0, I)", () => {
    tf.tidy(() => {
      const mu = tf.randomNormal([6, 4], 0, 1.5, "float32", 1) as tf.Tensor2D;
      const logVar = tf.randomNormal([6, 4], 0, 1, "float32", 2) as tf.Tensor2D;
      const a = klDiagonalGaussians(mu, logVar, tf.zeros([6, 4]), tf.zeros([6, 4])).dataSync();
      const b = klStandardNormal(mu, logVar).dataSync();
      a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 4));
    });
  });

  it("is >= 0 on random inputs", () => {
    tf.tidy(() => {
      const r = (seed: number) => tf.randomNormal([200, 3], 0, 2, "float32", seed) as tf.Tensor2D;
      expect(klDiagonalGaussians(r(1), r(2), r(3), r(4)).min().dataSync()[0]).toBeGreaterThanOrEqual(0);
    });
  });

  it("has the derived gradients, checked against automatic differentiation", () => {
    tf.tidy(() => {
      const muQ = tf.tensor2d([[0.5, -1.0, 2.0]]);
      const lvQ = tf.tensor2d([[0.0, -2.0, 1.0]]);
      const muP = tf.tensor2d([[1.0, 0.3, -0.5]]);
      const lvP = tf.tensor2d([[0.4, 1.0, -0.3]]);
      const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) =>
        klDiagonalGaussians(a as tf.Tensor2D, b as tf.Tensor2D, c as tf.Tensor2D, d as tf.Tensor2D).sum();
      const [gMuQ, gLvQ, gMuP, gLvP] = tf.grads(f)([muQ, lvQ, muP, lvP]).map((g) => Array.from(g.dataSync()));
      const q = Array.from(muQ.dataSync());
      const vq = Array.from(lvQ.dataSync()).map(Math.exp);
      const p = Array.from(muP.dataSync());
      const vp = Array.from(lvP.dataSync()).map(Math.exp);
      for (let i = 0; i < 3; i++) {
        expect(gMuQ[i]).toBeCloseTo((q[i] - p[i]) / vp[i], 5); // dKL/dmuQ
        expect(gLvQ[i]).toBeCloseTo(0.5 * (vq[i] / vp[i] - 1), 5); // dKL/dlogVarQ
        expect(gMuP[i]).toBeCloseTo(-(q[i] - p[i]) / vp[i], 5); // dKL/dmuP
        expect(gLvP[i]).toBeCloseTo(0.5 * (1 - (vq[i] + (q[i] - p[i]) ** 2) / vp[i]), 5); // dKL/dlogVarP
      }
    });
  });

  it("gives klStandardNormal the gradients mu and (sigma^2 - 1) / 2", () => {
    tf.tidy(() => {
      const mu = tf.tensor2d([[0.5, -1.0, 2.0]]);
      const lv = tf.tensor2d([[0.0, -2.0, 1.0]]);
      const [gMu, gLv] = tf.grads((a: tf.Tensor, b: tf.Tensor) => klStandardNormal(a as tf.Tensor2D, b as tf.Tensor2D).sum())([mu, lv]);
      const m = mu.dataSync();
      const l = lv.dataSync();
      gMu.dataSync().forEach((g, i) => expect(g).toBeCloseTo(m[i], 6));
      gLv.dataSync().forEach((g, i) => expect(g).toBeCloseTo(0.5 * (Math.exp(l[i]) - 1), 6));
    });
  });

  it("rejects mismatched shapes, naming the function, the arguments and the shapes", () => {
    const z = (s: [number, number]) => tf.zeros(s) as tf.Tensor2D;
    expect(() => klDiagonalGaussians(z([2, 3]), z([2, 4]), z([2, 3]), z([2, 3]))).toThrow(
      "Error in klDiagonalGaussians: muQ and logVarQ must be of the same shape, but got muQ [2, 3] and logVarQ [2, 4].",
    );
    expect(() => klDiagonalGaussians(z([2, 3]), z([2, 3]), z([1, 3]), z([1, 3]))).toThrow(
      "Error in klDiagonalGaussians: muQ and muP must be of the same shape, but got muQ [2, 3] and muP [1, 3].",
    );
    expect(() => klDiagonalGaussians(z([2, 3]), z([2, 3]), z([2, 3]), z([3, 3]))).toThrow(/muP and logVarP/);
  });

  it("leaves only its result behind", () => {
    const x = tf.zeros([3, 2]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const out = klDiagonalGaussians(x, x, x, x);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([x, out]);
  });
});

describe("klMonteCarlo", () => {
  it("agrees with the closed form within a few standard errors", () => {
    const cols = (j: number) => tf.tensor2d(ROWS.map((r) => [r[j], -r[j] / 2]));
    const [muQ, lvQ, muP, lvP] = [0, 1, 2, 3].map(cols) as tf.Tensor2D[];
    const exact = klDiagonalGaussians(muQ, lvQ, muP, lvP).dataSync();
    const { estimate, standardError } = klMonteCarlo(muQ, lvQ, muP, lvP, { samples: 50000, seed: 3 });
    const est = estimate.dataSync();
    const se = standardError.dataSync();
    exact.forEach((v, i) => {
      if (v === 0) {
        expect(Math.abs(est[i])).toBeLessThan(1e-5); // log q - log p = 0 for every sample
      } else {
        expect(se[i]).toBeGreaterThan(0);
        expect(Math.abs(est[i] - v)).toBeLessThan(4 * se[i]);
      }
    });
    tf.dispose([muQ, lvQ, muP, lvP, estimate, standardError]);
  });

  it("gives the same result in chunks as in one pass, with errors shrinking like 1 / sqrt(S)", () => {
    const args = [[[0.3]], [[-1]], [[1]], [[0.5]]].map((a) => tf.tensor2d(a)) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const small = klMonteCarlo(...args, { samples: 2000, seed: 1 });
    const large = klMonteCarlo(...args, { samples: 200000, seed: 1, chunkSize: 30000 });
    const ratio = small.standardError.dataSync()[0] / large.standardError.dataSync()[0];
    expect(ratio).toBeGreaterThan(8);
    expect(ratio).toBeLessThan(12);
    const one = klMonteCarlo(...args, { samples: 1000, seed: 7, chunkSize: 1000 });
    const again = klMonteCarlo(...args, { samples: 1000, seed: 7, chunkSize: 1000 });
    expect(one.estimate.dataSync()[0]).toBe(again.estimate.dataSync()[0]);
    tf.dispose([...args, small.estimate, small.standardError, large.estimate, large.standardError, one.estimate, one.standardError, again.estimate, again.standardError]);
  });

  it("leaves only its two results behind and checks its options", () => {
    const x = tf.zeros([2, 2]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const r = klMonteCarlo(x, x, x, x, { samples: 100, chunkSize: 30 });
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(() => klMonteCarlo(x, x, x, x, { samples: 1 })).toThrow("Error in klMonteCarlo: options.samples must be an integer >= 2, but got 1.");
    tf.dispose([x, r.estimate, r.standardError]);
  });
});
