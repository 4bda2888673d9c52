import { describe, expect, it } from "vitest";
import { barChart } from "../../lib/plots/bar-chart";
import { CATEGORY10 } from "../../lib/plots/figure";

describe("barChart", () => {
  it("draws one bar per value with default labels 1..n", () => {
    const fig = barChart(Float32Array.from([1.5, 0.1, NaN]), { title: "KL", xTitle: "dimension" });
    expect(fig.data).toHaveLength(1);
    const bars = fig.data[0] as Record<string, any>;
    expect(bars.type).toBe("bar");
    expect(bars.x).toEqual(["1", "2", "3"]);
    expect(bars.y).toEqual([1.5, 0.1, null]);
    expect(bars.marker.color).toBe(CATEGORY10[0]);
    expect(bars.hovertemplate).toBe("%{x}: %{y:.4g} nats<extra></extra>");
    const layout = fig.layout as Record<string, any>;
    expect(layout.title.text).toBe("KL");
    expect(layout.xaxis.title.text).toBe("dimension");
    expect(layout.xaxis.type).toBe("category");
    expect(layout.yaxis.title.text).toBe("nats");
    expect(layout.yaxis.type).toBe("linear");
    expect(layout.shapes).toEqual([]);
    expect(layout.yaxis.range).toBeUndefined();
  });

  it("takes labels, per-bar colours, hover text, a log axis and threshold lines", () => {
    const fig = barChart([0.5, 0.001], {
      labels: ["z1", 7],
      colors: ["#111111", "#222222"],
      hoverText: ["active", "inactive"],
      logY: true,
      unit: "",
      yTitle: "variance",
      lines: [{ y: 0.01, label: "0.01" }],
    });
    const bars = fig.data[0] as Record<string, any>;
    expect(bars.x).toEqual(["z1", "7"]);
    expect(bars.marker.color).toEqual(["#111111", "#222222"]);
    expect(bars.text).toEqual(["active", "inactive"]);
    expect(bars.hovertemplate).toBe("%{x}: %{y:.4g}<br>%{text}<extra></extra>");
    const layout = fig.layout as Record<string, any>;
    expect(layout.yaxis.type).toBe("log");
    // Range in log10 units from 0.001 (-3) to 0.5 (-0.30), padded by 15% of that span.
    const pad = 0.15 * (Math.log10(0.5) + 3);
    expect(layout.yaxis.range[0]).toBeCloseTo(-3 - pad, 6);
    expect(layout.yaxis.range[1]).toBeCloseTo(Math.log10(0.5) + pad, 6);
    // A line above every bar widens the range too; a small span gets at least 0.3.
    const narrow = barChart([1, 2], { logY: true, lines: [{ y: 4 }] }).layout as Record<string, any>;
    expect(narrow.yaxis.range[0]).toBeCloseTo(-0.3, 6);
    expect(narrow.yaxis.range[1]).toBeCloseTo(Math.log10(4) + 0.3, 6);
    expect(layout.shapes[0]).toMatchObject({ type: "line", y0: 0.01, y1: 0.01, xref: "paper", x0: 0, x1: 1 });
    expect(layout.annotations[0]).toMatchObject({ text: "0.01", y: -2 });
    // The label sits in the right margin, clear of the bars, and the margin makes room for it.
    expect(layout.annotations[0]).toMatchObject({ x: 1, xanchor: "left" });
    expect(layout.margin.r).toBeGreaterThanOrEqual(12 + 7 * "0.01".length);
    // One tick per power of 10 on the log axis.
    expect(layout.yaxis.dtick).toBe(1);
  });

  it("rejects bad input, naming the option and the lengths", () => {
    expect(() => barChart([])).toThrow("Error in barChart: values must be a non-empty array of numbers, but got an empty array.");
    expect(() => barChart([1, 2], { labels: ["a"] })).toThrow("Error in barChart: options.labels must be of length 2 (one per value), but got length 1.");
    expect(() => barChart([1, 2], { colors: ["red"] })).toThrow("Error in barChart: options.colors must be of length 2 (one per value), but got length 1.");
    expect(() => barChart([1], { lines: [{ y: NaN }] })).toThrow("Error in barChart: options.lines[0].y must be a finite number, but got NaN.");
    expect(barChart([1, 2], { colors: "red" }).data[0].marker).toEqual({ color: "red" });
  });
});
