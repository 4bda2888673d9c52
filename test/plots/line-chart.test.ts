import { describe, expect, it } from "vitest";
import { lineChart, withAlpha } from "../../lib/plots/line-chart";

describe("lineChart", () => {
  it("draws one scatter trace per series, with error bars on request", () => {
    const fig = lineChart(
      [
        { name: "IWAE", x: [1, 10, 100], y: [-7.1, -6.2, -6.05], error: [0.2, 0.1, 0.05] },
        { name: "log p(x)", x: [1, 100], y: [-6, -6], mode: "lines", dash: "dash" },
      ],
      { title: "bound against k", xTitle: "k", logX: true },
    );
    expect(fig.data.map((t) => t.name)).toEqual(["IWAE", "log p(x)"]);
    expect(fig.data[0].error_y).toEqual({ type: "data", array: [0.2, 0.1, 0.05], visible: true, color: "#1f77b4" });
    expect(fig.data[1].mode).toBe("lines");
    expect((fig.data[1].line as { dash: string }).dash).toBe("dash");
    const layout = fig.layout as Record<string, any>;
    expect(layout.xaxis.type).toBe("log");
    expect(layout.xaxis.dtick).toBe(1); // one labelled tick per power of 10
    expect(layout.yaxis.dtick).toBeUndefined();
    expect(layout.yaxis.title.text).toBe("nats");
    expect(layout.title.text).toBe("bound against k");
  });

  it("draws an error band as two hidden edges filled between them, then the line", () => {
    const fig = lineChart([{ name: "MC", x: [1, 2], y: [1, 2], error: [0.5, 0.25], errorStyle: "band", color: "#ff7f0e" }]);
    expect(fig.data).toHaveLength(3);
    expect(fig.data[0].y).toEqual([1.5, 2.25]);
    expect(fig.data[1].y).toEqual([0.5, 1.75]);
    expect(fig.data[1].fill).toBe("tonexty");
    expect(fig.data[1].fillcolor).toBe("rgba(255, 127, 14, 0.2)");
    expect(fig.data[0].showlegend).toBe(false);
    expect(fig.data[2].error_y).toBeUndefined();
  });

  it("turns non-finite values into gaps and rounds float noise", () => {
    const fig = lineChart([{ name: "a", x: [1, 2, 3], y: [0.12345678912, NaN, Infinity] }]);
    expect(fig.data[0].y).toEqual([0.123457, null, null]);
  });

  it("rejects series with mismatched lengths or no name", () => {
    expect(() => lineChart([{ name: "a", x: [1, 2], y: [1] }])).toThrow('Error in lineChart: series[0].y must be of length 2 (one per x value of "a"), but got length 1.');
    expect(() => lineChart([{ name: "a", x: [1], y: [1], error: [] }])).toThrow('Error in lineChart: series[0].error must be of length 1 (one per x value of "a"), but got length 0.');
    expect(() => lineChart([{ x: [1], y: [1] } as never])).toThrow("Error in lineChart: series[0].name must be a string, but got undefined.");
  });

  it("withAlpha converts #rrggbb and leaves other colours alone", () => {
    expect(withAlpha("#1f77b4", 0.5)).toBe("rgba(31, 119, 180, 0.5)");
    expect(withAlpha("red", 0.5)).toBe("red");
  });
});
