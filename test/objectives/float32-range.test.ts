import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import {
  FLOAT32_EXP_MAX,
  FLOAT32_EXP_MIN_NORMAL,
  FLOAT32_EXP_MIN_SUBNORMAL,
  gaussianLogDensity,
  gaussianLogDensityFromNoise,
  LOG_2PI,
  reparameterize,
  sampleDiagonalGaussian,
} from "../../lib/objectives/gaussian";
import { klDiagonalGaussians, klStandardNormal, klStandardNormalPerDimension } from "../../lib/objectives/kl";
import { initBackend } from "../../lib/runtime/backend";

// The float32 range of log sigma^2 documented at the top of lib/objectives/gaussian.ts: Infinity
// where the math overflows float32, the exact value where it does not, and no clamping.

const one = (t: tf.Tensor) => t.dataSync()[0];
/** Relative closeness, for values far from 1. */
const expectRelative = (got: number, want: number, tolerance = 1e-6) => expect(Math.abs(got - want) / Math.abs(want)).toBeLessThan(tolerance);

describe("the float32 limits of exp", () => {
  it("are log(3.4028e38), log(2^-126) and log(2^-149)", () => {
    expect(FLOAT32_EXP_MAX).toBeCloseTo(88.7228, 4);
    expect(FLOAT32_EXP_MIN_NORMAL).toBeCloseTo(-87.3365, 4);
    expect(FLOAT32_EXP_MIN_SUBNORMAL).toBeCloseTo(-103.279, 3);
    expect(Math.fround(Math.exp(88.72))).toBeLessThan(Infinity);
    expect(Math.fround(Math.exp(88.73))).toBe(Infinity);
  });
});

for (const backend of ["cpu", "wasm"]) {
  describe(`at the edges of the range (${backend})`, () => {
    it("klStandardNormal: exact at log sigma^2 = 88, -88 and -100; Infinity at 89 and 100", async () => {
      await initBackend(backend, { quiet: true });
      tf.tidy(() => {
        const kl = (logVar: number) => one(klStandardNormal([[0]], [[logVar]]));
        expectRelative(kl(88), 0.5 * (Math.exp(88) - 1 - 88));
        expect(kl(89)).toBe(Infinity);
        expect(kl(100)).toBe(Infinity); // true value ~1.3e43 nats: past float32's 3.4e38
        expect(kl(-88)).toBeCloseTo(0.5 * (Math.exp(-88) - 1 + 88), 4); // 43.5
        expect(kl(-100)).toBeCloseTo(49.5, 4); // exp(-100) underflows, negligible next to 100
        const perDim = klStandardNormalPerDimension([[0, 0]], [[100, -100]]).dataSync();
        expect(perDim[0]).toBe(Infinity);
        expect(perDim[1]).toBeCloseTo(49.5, 4);
      });
    });

    it("reparameterize and sampleDiagonalGaussian: finite at log sigma^2 = +-100, Infinity only past 177.4", async () => {
      await initBackend(backend, { quiet: true });
      tf.tidy(() => {
        const z = reparameterize([[1, 1]], [[100, -100]], [[0.5, 0.5]]).dataSync();
        expectRelative(z[0], 1 + Math.exp(50) * 0.5, 1e-5);
        expect(z[1]).toBeCloseTo(1, 6); // sigma = e^-50
        expectRelative(one(reparameterize([[0]], [[177]], [[1]])), Math.exp(88.5), 1e-5);
        expect(one(reparameterize([[0]], [[178]], [[1]]))).toBe(Infinity);
        const { z: samples } = sampleDiagonalGaussian([[0, 0]], [[100, -100]], 50, 3);
        expect(samples.dataSync().every((v) => Number.isFinite(v))).toBe(true);
      });
    });

    it("gaussianLogDensity: exact at log sigma^2 = -88 and +-100; -Infinity at -89", async () => {
      await initBackend(backend, { quiet: true });
      tf.tidy(() => {
        const density = (logVar: number, x = 1) => one(gaussianLogDensity([[x]], [[0]], [[logVar]]));
        expectRelative(density(-88), -0.5 * (LOG_2PI - 88 + Math.exp(88)));
        expect(density(-89)).toBe(-Infinity);
        expect(density(-100)).toBe(-Infinity); // true value ~ -1.3e43
        expect(density(100)).toBeCloseTo(-0.5 * (LOG_2PI + 100), 4); // (x - mu)^2 e^-100 underflows
        expect(one(gaussianLogDensityFromNoise([[1]], [[-1000]]))).toBeCloseTo(-0.5 * (1 - 1000 + LOG_2PI), 2);
      });
    });

    it("klDiagonalGaussians: exact while logVarQ - logVarP < 88.72 and logVarP > -88.72", async () => {
      await initBackend(backend, { quiet: true });
      tf.tidy(() => {
        const kl = (logVarQ: number, logVarP: number) => one(klDiagonalGaussians([[1]], [[logVarQ]], [[0]], [[logVarP]]));
        expectRelative(kl(88, 0), 0.5 * (0 - 88 + Math.exp(88) + 1 - 1));
        expect(kl(89, 0)).toBe(Infinity);
        expect(kl(100, 0)).toBe(Infinity);
        expectRelative(kl(0, -88), 0.5 * (-88 + Math.exp(88) + Math.exp(88) - 1));
        expect(kl(0, -89)).toBe(Infinity);
        expect(kl(-100, 0)).toBeCloseTo(0.5 * (100 + 1 - 1), 4); // 50
      });
    });
  });
}
