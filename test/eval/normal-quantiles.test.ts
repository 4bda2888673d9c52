import { describe, expect, it } from "vitest";
import { normalQuantile, normalQuantileGrid } from "../../lib/eval/normal-quantiles";

/** Standard normal CDF by Simpson's rule on the density from 0 to |z| (independent of stdlib). */
function phi(z: number): number {
  const steps = 20000;
  const h = Math.abs(z) / steps;
  const f = (t: number) => Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
  let s = f(0) + f(Math.abs(z));
  for (let i = 1; i < steps; i++) s += (i % 2 === 1 ? 4 : 2) * f(i * h);
  const half = (s * h) / 3;
  return z >= 0 ? 0.5 + half : 0.5 - half;
}

describe("normalQuantile", () => {
  it("matches known values of the standard normal quantile function", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 12);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.8413447460685429)).toBeCloseTo(1, 10); // Phi(1)
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 12);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
  });

  it("inverts the CDF (checked by numerical integration of the density)", () => {
    for (const p of [0.001, 0.05, 0.3, 0.5, 0.7, 0.99]) expect(phi(normalQuantile(p))).toBeCloseTo(p, 9);
  });

  it("shifts and scales for N(mean, std^2)", () => {
    expect(normalQuantile(0.5, 4, 2)).toBe(4);
    expect(normalQuantile(0.975, 10, 3)).toBeCloseTo(10 + 3 * 1.959963984540054, 10);
  });

  it("rejects bad arguments with a message naming them", () => {
    expect(() => normalQuantile(1.5)).toThrow("Error in normalQuantile: p must be a probability in [0, 1], but got 1.5.");
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
    expect(() => normalQuantile(NaN)).toThrow("but got NaN");
    expect(() => normalQuantile(0.5, 0, 0)).toThrow("Error in normalQuantile: std must be a positive number, but got 0.");
    expect(() => normalQuantile(0.5, 0, Infinity)).toThrow("Error in normalQuantile: std must be a finite number, but got Infinity.");
    expect(() => normalQuantile(0.5, Infinity)).toThrow("Error in normalQuantile: mean must be a finite number, but got Infinity.");
  });
});

describe("normalQuantileGrid", () => {
  it("uses midpoints (k + 1/2) / n by default: equal prior mass per cell", () => {
    const { p, z } = normalQuantileGrid(4);
    expect(p).toEqual([0.125, 0.375, 0.625, 0.875]);
    expect(z[3]).toBeCloseTo(1.1503493803760083, 12);
    expect(z[2]).toBeCloseTo(0.3186393639643752, 12);
    // Each z_k sits at the probability p_k, by an independent CDF.
    z.forEach((zk, k) => expect(phi(zk)).toBeCloseTo(p[k], 9));
  });

  it("is exactly symmetric about 0, with 0 in the middle for odd n", () => {
    for (const n of [1, 2, 7, 15, 20]) {
      const { z } = normalQuantileGrid(n);
      expect(z).toHaveLength(n);
      for (let k = 0; k < n; k++) expect(z[k]).toBe(-z[n - 1 - k] || 0);
      for (let k = 1; k < n; k++) expect(z[k]).toBeGreaterThan(z[k - 1]);
      if (n % 2 === 1) expect(z[(n - 1) / 2]).toBe(0);
    }
    expect(normalQuantileGrid(1)).toEqual({ p: [0.5], z: [0] });
  });

  it("spaces probabilities evenly from low to high when asked", () => {
    const { p, z } = normalQuantileGrid(3, { low: 0.025, high: 0.975 });
    expect(p).toEqual([0.025, 0.5, 0.975]);
    expect(z[0]).toBeCloseTo(-1.959963984540054, 12);
    expect(z[1]).toBeCloseTo(0, 15);
    expect(z[2]).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantileGrid(1, { low: 0.1, high: 0.5 }).p).toEqual([0.3]);
  });

  it("rejects bad arguments", () => {
    expect(() => normalQuantileGrid(0)).toThrow("Error in normalQuantileGrid: n must be a positive integer, but got 0.");
    expect(() => normalQuantileGrid(2.5)).toThrow("but got 2.5");
    expect(() => normalQuantileGrid(2.5)).toThrow(RangeError);
    expect(() => normalQuantileGrid(3, { low: 0.1 })).toThrow(
      "Error in normalQuantileGrid: options.low and options.high must be given together, but got low 0.1 and high undefined.",
    );
    expect(() => normalQuantileGrid(3, { low: 0, high: 0.9 })).toThrow(
      "Error in normalQuantileGrid: options.low and options.high must be 0 < low < high < 1, but got low 0 and high 0.9.",
    );
    expect(() => normalQuantileGrid(3, { low: 0.6, high: 0.4 })).toThrow("0 < low < high < 1");
  });
});
