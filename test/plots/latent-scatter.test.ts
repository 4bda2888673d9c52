import { describe, expect, it } from "vitest";
import { latentScatter } from "../../lib/plots/latent-scatter";
import { CATEGORY10 } from "../../lib/plots/figure";

describe("latentScatter", () => {
  it("makes one trace per digit, with the points of that digit", () => {
    const n = 50;
    const flat = new Float32Array(2 * n);
    const labels: number[] = [];
    for (let i = 0; i < n; i++) {
      flat[2 * i] = i;
      flat[2 * i + 1] = -i;
      labels.push(i % 10);
    }
    const fig = latentScatter(flat, labels);
    expect(fig.data).toHaveLength(10);
    fig.data.forEach((t, d) => {
      expect(t.type).toBe("scatter");
      expect(t.mode).toBe("markers");
      expect(t.name).toBe(String(d));
      expect(t.x).toEqual([d, d + 10, d + 20, d + 30, d + 40]);
      expect(t.y).toEqual([-d, -d - 10, -d - 20, -d - 30, -d - 40].map((v) => v || 0));
      expect((t.marker as any).color).toBe(CATEGORY10[d]);
    });
    const layout = fig.layout as Record<string, any>;
    expect(layout.xaxis.title.text).toBe("z₁");
    expect(layout.yaxis.title.text).toBe("z₂");
    expect(layout.yaxis.scaleanchor).toBe("x");
    expect(layout.legend.title.text).toBe("digit");
  });

  it("accepts [n, 2] nested arrays, keeps digit colours when some digits are missing", () => {
    const fig = latentScatter([[0, 1], [2, 3], [4, 5]], Int32Array.from([7, 3, 7]), {
      title: "t",
      xTitle: "a",
      yTitle: "b",
      equalAspect: false,
    });
    expect(fig.data.map((t) => t.name)).toEqual(["3", "7"]);
    expect(fig.data[1].x).toEqual([0, 4]);
    expect(fig.data[1].y).toEqual([1, 5]);
    expect((fig.data[0].marker as any).color).toBe(CATEGORY10[3]);
    const layout = fig.layout as Record<string, any>;
    expect(layout.xaxis.title.text).toBe("a");
    expect(layout.yaxis.scaleanchor).toBeUndefined();
  });

  it("switches to scattergl for many points", () => {
    const n = 2000;
    const fig = latentScatter(new Float32Array(2 * n), new Uint8Array(n));
    expect(fig.data).toHaveLength(1);
    expect(fig.data[0].type).toBe("scattergl");
    expect((fig.data[0].x as number[]).length).toBe(n);
  });

  it("rounds float32 noise and reports bad input", () => {
    const fig = latentScatter(Float32Array.from([0.1, 0.2]), [1]);
    expect(fig.data[0].x).toEqual([0.1]);
    expect(() => latentScatter(new Float32Array(6), [0, 1])).toThrow(
      "Error in latentScatter: labels must be of length 3 (one per point), but got length 2.",
    );
    expect(() => latentScatter(new Float32Array(5), [0, 1])).toThrow(
      "Error in latentScatter: points must be a flat array of even length 2n (shape [n, 2]) or an array of pairs, but got odd length 5.",
    );
    expect(() => latentScatter([[0, 1, 2]], [0])).toThrow("Error in latentScatter: points[0] must be of length 2 (an [x, y] pair of points [n, 2]), but got length 3.");
    expect(() => latentScatter([0, 1], [0.5])).toThrow("Error in latentScatter: labels[0] must be an integer, but got 0.5.");
  });
});
