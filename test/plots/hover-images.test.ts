import * as fs from "fs";
import * as path from "path";
import { describe, expect, it, vi } from "vitest";
import {
  encodeImagesBase64,
  hoverImagesHtml,
  hoverImagesPage,
  showWithHoverImages,
} from "../../lib/plots/hover-images";
import { latentScatter } from "../../lib/plots/latent-scatter";
import { plotlyEmbedded, show } from "../../lib/plots/show";
import { g, plotSandbox } from "./sandbox";

/** n images of 2x2 pixels; image i has all pixels i / 10. */
function images(n: number): Float32Array {
  const out = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) out.fill(i / 10, i * 4, i * 4 + 4);
  return out;
}

/** The base64 image string embedded in an HTML fragment, decoded. */
function embeddedBytes(html: string): Uint8Array {
  const m = /var b64 = "([A-Za-z0-9+/=]*)";/.exec(html);
  expect(m).not.toBeNull();
  return new Uint8Array(Buffer.from(m![1], "base64"));
}

describe("latentScatter with pointIndices", () => {
  it("attaches each point's row index as customdata, per digit trace", () => {
    const fig = latentScatter([[0, 0], [1, 1], [2, 2], [3, 3]], [5, 1, 5, 1], { pointIndices: true });
    expect(fig.data.map((t) => t.name)).toEqual(["1", "5"]);
    expect(fig.data[0].customdata).toEqual([1, 3]);
    expect(fig.data[1].customdata).toEqual([0, 2]);
    expect(latentScatter([[0, 0]], [1]).data[0].customdata).toBeUndefined();
  });
});

describe("encodeImagesBase64", () => {
  it("writes one byte per pixel, round(255 v), clipped to [0, 1]", () => {
    expect(encodeImagesBase64(Float32Array.from([0, 0.5, 1]), 1, 3)).toBe("AID/");
    const bytes = Buffer.from(encodeImagesBase64([-1, 2, NaN, 0.2, 9], 2, 2), "base64");
    expect(Array.from(bytes)).toEqual([0, 255, 0, 51]);
    expect(() => encodeImagesBase64([0, 1], 2, 2)).toThrow(
      "Error in encodeImagesBase64: images must be of length >= 4 (count * pixels = 2 * 2), but got length 2.",
    );
  });
});

describe("hoverImagesHtml", () => {
  it("embeds exactly the images the points refer to, and a hover handler", () => {
    const fig = latentScatter([[0, 0], [1, 1], [2, 2]], [3, 4, 3], { pointIndices: true });
    const html = hoverImagesHtml(fig, images(10), { height: 2, width: 2, divId: "p1" });
    expect(html).toContain('<div id="p1"');
    expect(html).toContain('<canvas id="p1-image" width="2" height="2"');
    expect(html).toContain("el.on('plotly_hover'");
    expect(html).toContain("var w = 2, h = 2, count = 3;");
    expect(html).not.toContain("plotly.js v");
    // 3 images (indices 0..2) of 4 pixels: bytes round(255 i / 10).
    expect(Array.from(embeddedBytes(html))).toEqual([0, 0, 0, 0, 26, 26, 26, 26, 51, 51, 51, 51]);
    expect(html).toContain('var nameLabel = "digit", indexLabel = "image";');
  });

  it("keeps MNIST digits compact: about 1 kB of text per image", () => {
    const n = 100;
    const fig = latentScatter(new Float32Array(2 * n), new Uint8Array(n), { pointIndices: true });
    const html = hoverImagesHtml(fig, new Float32Array(n * 784).fill(0.25));
    expect(embeddedBytes(html)).toHaveLength(n * 784);
    expect(html.length).toBeLessThan(n * 1100 + 20000);
  });

  it("rejects figures without indices, too many images, and too few images", () => {
    expect(() => hoverImagesHtml(latentScatter([[0, 0]], [1]), images(1), { height: 2, width: 2 })).toThrow(
      "Error in hoverImagesHtml: fig must be a figure whose points carry image indices as customdata, made with " +
        "latentScatter(points, labels, { pointIndices: true }), but got a figure without customdata.",
    );
    const fig = latentScatter([[0, 0], [1, 1], [2, 2]], [1, 1, 1], { pointIndices: true });
    expect(() => hoverImagesHtml(fig, images(3), { height: 2, width: 2, maxImages: 2 })).toThrow(
      "Error in hoverImagesHtml: fig must be a figure of at most options.maxImages = 2 images (plot at most 2 points, " +
        "e.g. the first 2 test images, or raise maxImages), but got one that refers to 3 images (largest customdata 2).",
    );
    expect(() => hoverImagesHtml(fig, images(2), { height: 2, width: 2 })).toThrow(
      "Error in hoverImagesHtml: images must be of length >= 12 (3 images of 2x2 pixels, for the figure's largest customdata 2), but got length 8.",
    );
    const bad = { data: [{ type: "scatter", customdata: [0, 1.5] }], layout: {} };
    expect(() => hoverImagesHtml(bad, images(3), { height: 2, width: 2 })).toThrow(
      "Error in hoverImagesHtml: fig.data[0].customdata[1] must be an integer >= 0, but got 1.5.",
    );
  });

  it("makes a standalone page with plotly.js inline", () => {
    const fig = latentScatter([[0, 0]], [1], { pointIndices: true, title: "codes" });
    const page = hoverImagesPage(fig, images(1), { height: 2, width: 2 });
    expect(page).toContain("<!DOCTYPE html>");
    expect(page).toContain("<title>codes</title>");
    expect(page).toContain("plotly.js v");
  });
});

describe("showWithHoverImages", () => {
  const dir = plotSandbox("vaekit-hover-");

  it("writes a page outside a notebook and prints its path", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const fig = latentScatter([[0, 0], [1, 1]], [1, 2], { pointIndices: true, title: "Codes" });
    const written = showWithHoverImages(fig, images(2), { height: 2, width: 2 });
    expect(written).toBe(path.join(fs.realpathSync(dir()), "build", "plots", "codes-hover-1.html"));
    expect(log).toHaveBeenCalledWith(`plot: ${written}`);
    expect(fs.readFileSync(written!, "utf8")).toContain("plotly_hover");
    expect(fs.readdirSync(path.dirname(written!)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(plotlyEmbedded()).toBe(false);
  });

  it("embeds plotly.js once per session in a notebook, shared with show (Deno)", () => {
    const calls: Array<Record<string, string>> = [];
    g.Deno = { jupyter: { display: async (b: Record<string, string>) => void calls.push(b) } };
    const fig = latentScatter([[0, 0]], [1], { pointIndices: true, title: "C" });
    expect(showWithHoverImages(fig, images(1), { height: 2, width: 2 })).toBeUndefined();
    showWithHoverImages(fig, images(1), { height: 2, width: 2 });
    show(latentScatter([[0, 0]], [1]));
    expect(calls).toHaveLength(3);
    expect(calls[0]["text/html"]).toContain("plotly.js v");
    expect(calls[1]["text/html"]).not.toContain("plotly.js v");
    expect(calls[2]["text/html"]).not.toContain("plotly.js v");
    expect(calls[0]["text/plain"]).toBe('Plotly figure "C": 1 trace (scatter x1), with hover images');
    expect(plotlyEmbedded()).toBe(true);
  });

  it("follows an earlier show under tslab, sending HTML only", () => {
    const sent: Array<[string, string]> = [];
    const d = { raw: (m: string, s: string) => sent.push([m, s]) };
    g.__tslab__ = { require: () => ({ display: d, newDisplay: () => d }) };
    show(latentScatter([[0, 0]], [1]));
    showWithHoverImages(latentScatter([[0, 0]], [1], { pointIndices: true }), images(1), { height: 2, width: 2 });
    expect(sent.map(([m]) => m)).toEqual(["text/html", "text/html"]);
    expect(sent[0][1]).toContain("plotly.js v");
    expect(sent[1][1]).not.toContain("plotly.js v");
    expect(sent[1][1]).toContain("plotly_hover");
  });
});
