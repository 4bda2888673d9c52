import { describe, expect, it } from "vitest";
import { imageGrid } from "../../lib/plots/image-grid";

function images(n: number, h = 28, w = 28): Float32Array {
  const a = new Float32Array(n * h * w);
  for (let k = 0; k < n; k++) a.fill(k / 10, k * h * w, (k + 1) * h * w);
  return a;
}

describe("imageGrid", () => {
  it("lays rows*cols images out as one heatmap with 1 px gaps", () => {
    const fig = imageGrid(images(6), { rows: 2, cols: 3 });
    expect(fig.data).toHaveLength(1);
    const trace = fig.data[0] as Record<string, any>;
    expect(trace.type).toBe("heatmap");
    const z = trace.z as (number | null)[][];
    expect(z).toHaveLength(2 * 28 + 1);
    expect(z[0]).toHaveLength(3 * 28 + 2);
    expect(z[0][0]).toBe(0); // image 0
    expect(z[0][28]).toBeNull(); // gap column
    expect(z[0][29]).toBeCloseTo(0.1); // image 1
    expect(z[28][0]).toBeNull(); // gap row
    expect(z[29][0]).toBeCloseTo(0.3); // image 3 starts row 2
    expect(z[56][85]).toBeCloseTo(0.5); // last pixel of image 5
    expect(trace.zmin).toBe(0);
    expect(trace.zmax).toBe(1);
    expect(trace.showscale).toBe(false);
  });

  it("places pixel (i, j) of an image at row i, column j (upright, not transposed)", () => {
    const a = new Float32Array(4 * 3);
    a[1 * 3 + 2] = 1; // row 1, column 2 of a 4x3 image
    const z = (imageGrid(a, { rows: 1, cols: 1, height: 4, width: 3 }).data[0] as any).z;
    expect(z).toHaveLength(4);
    expect(z[0]).toHaveLength(3);
    expect(z[1][2]).toBe(1);
    expect(z[2][1]).toBe(0);
  });

  it("has square pixels, no ticks and a downward y axis", () => {
    const layout = imageGrid(images(2), { rows: 1, cols: 2, title: "digits" }).layout as Record<string, any>;
    expect(layout.yaxis.scaleanchor).toBe("x");
    expect(layout.yaxis.range[0]).toBeGreaterThan(layout.yaxis.range[1]);
    expect(layout.xaxis.showticklabels).toBe(false);
    expect(layout.yaxis.showticklabels).toBe(false);
    expect(layout.xaxis.ticks).toBe("");
    expect(layout.title.text).toBe("digits");
  });

  it("draws titles above images and row labels", () => {
    const fig = imageGrid(images(4), {
      rows: 2,
      cols: 2,
      titles: ["a", "b", "c", "d"],
      rowLabels: ["input", "output"],
    });
    const ann = (fig.layout as any).annotations as Array<Record<string, any>>;
    expect(ann.map((a) => a.text)).toEqual(["a", "b", "c", "d", "input", "output"]);
    const z = (fig.data[0] as any).z as unknown[][];
    expect(z.length).toBeGreaterThan(2 * 28 + 1); // extra room for the titles
  });

  it("names expected and actual length on a size mismatch", () => {
    expect(() => imageGrid(new Float32Array(100), { rows: 2, cols: 3 })).toThrow(
      "Error in imageGrid: images must be of length 4704 (rows*cols*height*width = 2*3*28*28), but got length 100.",
    );
    expect(() => imageGrid([0, 1], { rows: 0, cols: 1 })).toThrow("Error in imageGrid: options.rows must be a positive integer, but got 0.");
    expect(() => imageGrid([0, 1], { rows: 0, cols: 1 })).toThrow(RangeError);
    expect(() => imageGrid(images(2), { rows: 1, cols: 2, titles: ["x"] })).toThrow(
      "Error in imageGrid: options.titles must be of length 2 (one per image, rows*cols), but got length 1.",
    );
    expect(() => imageGrid(images(2), { rows: 1, cols: 2, rowLabels: ["x", "y"] })).toThrow(
      "Error in imageGrid: options.rowLabels must be of length 1 (one per row), but got length 2.",
    );
  });

  it("accepts plain number arrays", () => {
    const fig = imageGrid([0, 0.5, 1, 0.25], { rows: 1, cols: 1, height: 2, width: 2 });
    expect((fig.data[0] as any).z).toEqual([
      [0, 0.5],
      [1, 0.25],
    ]);
  });
});
