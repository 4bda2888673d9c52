import { describe, expect, it } from "vitest";
import { surfacePlot } from "../../lib/plots/surface";

describe("surfacePlot", () => {
  const x = [-1, 0, 1];
  const y = [-2, 2];
  const z = y.map((b) => x.map((a) => a * a + b));

  it("draws z[i][j] at (x[j], y[i]) as a surface with titled scene axes", () => {
    const fig = surfacePlot(x, y, z, { xTitle: "mu", yTitle: "log sigma^2", zTitle: "KL", points: [{ name: "min", x: 0, y: -2 }] });
    expect(fig.data[0].type).toBe("surface");
    expect(fig.data[0].z).toEqual([[-1, -2, -1], [3, 2, 3]]);
    expect(fig.data[1]).toMatchObject({ type: "scatter3d", x: [0], y: [-2], z: [-2] });
    const layout = fig.layout as Record<string, any>;
    expect(layout.scene.xaxis.title.text).toBe("mu");
    expect(layout.scene.zaxis.title.text).toBe("KL");
  });

  it("draws a contour map with plain axes", () => {
    const fig = surfacePlot(x, y, z, { kind: "contour", points: [{ name: "p", x: 1, y: 2 }] });
    expect(fig.data[0].type).toBe("contour");
    expect(fig.data[1].type).toBe("scatter");
    expect((fig.layout as Record<string, any>).xaxis.title.text).toBe("x");
  });

  it("rejects a grid of the wrong size", () => {
    expect(() => surfacePlot(x, y, [z[0]])).toThrow("Error in surfacePlot: z must be of length 2 (one row per y value), but got length 1.");
    expect(() => surfacePlot(x, y, [z[0], [1]])).toThrow("Error in surfacePlot: z[1] must be of length 3 (one value per x value), but got length 1.");
  });
});
