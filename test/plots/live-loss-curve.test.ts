import { describe, expect, it, vi } from "vitest";
import { liveLossCurve } from "../../lib/plots/live-loss-curve";
import { g, plotSandbox } from "./sandbox";

describe("liveLossCurve", () => {
  plotSandbox("live-curve-");

  it("redraws one tslab display in place, with a polyline through every point", () => {
    const calls: [string, string][] = [];
    const display = { raw: (mime: string, data: string) => calls.push([mime, data]) };
    g.__tslab__ = { exports: {}, require: (name: string) => (name === "tslab" ? { display, newDisplay: () => display } : undefined) };
    const curve = liveLossCurve({ title: "-ELBO per step", every: 0 });
    curve.add(1, 200);
    curve.add(2, 150);
    curve.add(3, 120.5);
    curve.done();
    expect(calls).toHaveLength(4);
    const last = calls[3][1];
    expect(last).toMatch(/^<svg/);
    expect(last.match(/<polyline points="([^"]*)"/)![1].split(" ")).toHaveLength(3);
    expect(last).toContain("-ELBO per step: 3 steps, last 120.50 nats/image");
  });

  it("outside a notebook prints only the summary at the end", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const curve = liveLossCurve({ every: 0 });
    curve.add(10, 3);
    expect(log).not.toHaveBeenCalled();
    curve.done();
    expect(log).toHaveBeenCalledWith("loss: 1 step, last 3.00 nats/image");
  });

  it("rejects a loss that is not finite, naming it", () => {
    expect(() => liveLossCurve().add(1, NaN)).toThrow("Error in LiveLossCurve.add: loss must be a finite number, but got NaN.");
  });
});
