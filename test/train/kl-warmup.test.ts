import { describe, expect, it } from "vitest";
import { warmupBeta } from "../../lib/train/kl-warmup";

describe("warmupBeta", () => {
  it("rises linearly from 0 to beta over the warm-up epochs, then stays at beta", () => {
    const steps = 10;
    const values = Array.from({ length: 41 }, (_, t) => warmupBeta(t, steps, 2, 4));
    expect(values[0]).toBe(0);
    expect(values[5]).toBeCloseTo(1, 12); // 4 * 5 / 20
    expect(values[10]).toBeCloseTo(2, 12);
    expect(values[20]).toBe(4);
    expect(values.slice(20).every((b) => b === 4)).toBe(true);
    for (let t = 1; t <= 20; t++) expect(values[t] - values[t - 1]).toBeCloseTo(4 / 20, 12);
  });

  it("depends only on the global step, so a resumed run continues the schedule", () => {
    // Epoch 1 of a 3-epoch warm-up with 7 steps per epoch starts at global step 7.
    expect(warmupBeta(7, 7, 3)).toBeCloseTo(1 / 3, 12);
    expect(warmupBeta(1 * 7 + 3, 7, 3)).toBeCloseTo(10 / 21, 12);
  });

  it("returns beta at every step when warm-up is off", () => {
    expect([0, 1, 100].map((t) => warmupBeta(t, 5, 0, 0.5))).toEqual([0.5, 0.5, 0.5]);
  });

  it("rejects out-of-range arguments, naming them", () => {
    expect(() => warmupBeta(-1, 10, 1)).toThrow(/step/);
    expect(() => warmupBeta(0.5, 10, 1)).toThrow(/step/);
    expect(() => warmupBeta(0, 0, 1)).toThrow(/stepsPerEpoch/);
    expect(() => warmupBeta(0, 10, -1)).toThrow(/warmupEpochs/);
    expect(() => warmupBeta(0, 10, 1, Number.NaN)).toThrow(/beta/);
  });
});
