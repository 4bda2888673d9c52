import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { latentScatter, priorRadius2d } from "../../lib/plots/latent-scatter";
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

describe("latentScatter priorMass and priorRadius2d", () => {
  it("gives the radius of the circle that holds a fraction of N(0, I) in 2-D", () => {
    expect(priorRadius2d(0.95)).toBeCloseTo(2.447747, 6);
    // The median of |z| for a 2-D standard normal (a Rayleigh distribution): sqrt(2 ln 2).
    expect(priorRadius2d(0.5)).toBeCloseTo(Math.sqrt(2 * Math.log(2)), 12);
    // Monte-Carlo check of P(|z| <= r) = 0.95 on 200,000 seeded draws of N(0, I) (SE 0.0005).
    const z = tf.randomNormal([200000, 2], 0, 1, "float32", 1);
    const n = 200000;
    const inside = tf.tidy(() => z.square().sum(1).sqrt().lessEqual(priorRadius2d(0.95)).sum().dataSync()[0]);
    z.dispose();
    expect(inside / n).toBeCloseTo(0.95, 2);
    expect(() => priorRadius2d(1)).toThrow("Error in priorRadius2d: mass must be a number in (0, 1), but got 1.");
    expect(() => priorRadius2d(0)).toThrow(RangeError);
  });

  it("draws the circle as a last, dashed trace without customdata", () => {
    const fig = latentScatter([[0, 0], [1, 1]], [0, 1], { priorMass: 0.95, pointIndices: true });
    expect(fig.data).toHaveLength(3);
    const circle = fig.data[2] as Record<string, any>;
    expect(circle.name).toBe("prior's 95% circle");
    expect(circle.line.dash).toBe("dash");
    expect(circle.customdata).toBeUndefined();
    const radii = (circle.x as number[]).map((x, k) => Math.hypot(x, circle.y[k]));
    for (const r of radii) expect(r).toBeCloseTo(2.447747, 4);
    expect(latentScatter([[0, 0]], [0]).data).toHaveLength(1);
  });
});
