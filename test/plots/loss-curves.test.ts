import { describe, expect, it } from "vitest";
import { lossCurves, EpochLosses } from "../../lib/plots/loss-curves";

const history: EpochLosses[] = [
  { epoch: 2, train: { negElbo: 120, reconstruction: 100, kl: 20 }, test: { negElbo: 118, kl: 19 } },
  { epoch: 1, train: { negElbo: 150, reconstruction: 135, kl: 15 }, test: { negElbo: 140, kl: 14 } },
  { epoch: 3, train: { negElbo: 110, reconstruction: 88, kl: 22 } },
];

describe("lossCurves", () => {
  it("draws one line per metric per split, train solid and test dashed", () => {
    const fig = lossCurves(history);
    const names = fig.data.map((t) => t.name);
    expect(names).toEqual(["train −ELBO", "test −ELBO", "train reconstruction", "train KL", "test KL"]);
    for (const t of fig.data) {
      expect(t.type).toBe("scatter");
      const dash = (t.line as { dash: string }).dash;
      expect(dash).toBe(String(t.name).startsWith("train") ? "solid" : "dash");
    }
    // same colour for both splits of a metric, legend grouped by metric
    expect((fig.data[0].line as { color: string }).color).toBe((fig.data[1].line as { color: string }).color);
    expect(fig.data[0].legendgroup).toBe("negElbo");
  });

  it("sorts by epoch and leaves gaps where a split has no value", () => {
    const fig = lossCurves(history, { metrics: ["negElbo"] });
    expect(fig.data).toHaveLength(2);
    expect(fig.data[0].x).toEqual([1, 2, 3]);
    expect(fig.data[0].y).toEqual([150, 120, 110]);
    expect(fig.data[1].y).toEqual([140, 118, null]);
  });

  it("labels axes in epochs and nats per image and uses the title", () => {
    const fig = lossCurves(history, { title: "VAE", metrics: ["kl"] });
    const layout = fig.layout as Record<string, any>;
    expect(layout.title.text).toBe("VAE");
    expect(layout.xaxis.title.text).toBe("epoch");
    expect(layout.yaxis.title.text).toBe("nats per image");
    expect(fig.data.map((t) => t.name)).toEqual(["train KL", "test KL"]);
  });

  it("names the available metrics when a requested one is missing", () => {
    expect(() => lossCurves(history, { metrics: ["elbo"] })).toThrow(
      'Error in lossCurves: options.metrics[0] must be one of "negElbo", "reconstruction", "kl", but got "elbo".',
    );
  });

  it("accepts an empty history and rejects malformed records", () => {
    expect(lossCurves([]).data).toHaveLength(0);
    expect(lossCurves([], { metrics: ["loss"] }).data).toHaveLength(1);
    expect(() => lossCurves([{ train: {} } as unknown as EpochLosses])).toThrow("Error in lossCurves: history[0].epoch must be a number, but got undefined.");
    expect(() => lossCurves([{ epoch: 1 } as unknown as EpochLosses])).toThrow("Error in lossCurves: history[0].train must be an object of metrics, but got undefined.");
    expect(() => lossCurves("x" as unknown as EpochLosses[])).toThrow(TypeError);
  });
});

describe("lossCurves epoch ticks", () => {
  const run = (epochs: number) => Array.from({ length: epochs }, (_, i) => ({ epoch: i + 1, train: { loss: 100 - i } }));
  it("shows every epoch of a short run once, as a whole number", () => {
    const axis = lossCurves(run(3)).layout.xaxis as Record<string, unknown>;
    expect(axis).toMatchObject({ tickmode: "linear", tick0: 1, dtick: 1, tickformat: "d" });
  });
  it("keeps whole-number steps and about 10 ticks on a long run", () => {
    expect((lossCurves(run(10)).layout.xaxis as Record<string, unknown>).dtick).toBe(1);
    expect((lossCurves(run(100)).layout.xaxis as Record<string, unknown>).dtick).toBe(10);
    expect((lossCurves(run(25)).layout.xaxis as Record<string, unknown>).dtick).toBe(3);
  });
  it("has no linear ticks without epochs", () => {
    expect((lossCurves([]).layout.xaxis as Record<string, unknown>).tickmode).toBeUndefined();
  });
});
