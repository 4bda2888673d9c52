import * as fs from "fs";
import * as path from "path";
import { describe, expect, it, vi } from "vitest";
import { plotlyEmbedded, resetPlotlyEmbedding, show, slugify } from "../../lib/plots/show";
import { lossCurves } from "../../lib/plots/loss-curves";
import { latentScatter } from "../../lib/plots/latent-scatter";
import { g, plotSandbox } from "./sandbox";

const dir = plotSandbox("vaekit-show-");

const history = [
  { epoch: 1, train: { negElbo: 150.5 }, test: { negElbo: 140.25 } },
  { epoch: 2, train: { negElbo: 120.5 }, test: { negElbo: 118.75 } },
];

function listTmp(folder: string): string[] {
  return fs.readdirSync(folder).filter((f) => f.endsWith(".tmp"));
}

describe("show outside a notebook", () => {
  it("writes a standalone page to build/plots/<slug>-<n>.html and prints the path", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const first = show(lossCurves(history, { title: "Dense VAE (β = 1)" }));
    const second = show(latentScatter([[0.5, -1.5]], [4]));
    expect(first).toBe(path.join(fs.realpathSync(dir()), "build", "plots", "dense-vae-1-1.html"));
    expect(second).toBe(path.join(fs.realpathSync(dir()), "build", "plots", "latent-space-2.html"));
    expect(log).toHaveBeenCalledWith(`plot: ${first}`);
    const html = fs.readFileSync(first!, "utf8");
    expect(html).toContain("<!DOCTYPE html>");
    expect(html).toContain("plotly.js v");
    expect(html).toContain("Plotly.newPlot");
    expect(html).toContain("[150.5,120.5]");
    expect(html).toContain("[140.25,118.75]");
    expect(listTmp(path.dirname(first!))).toEqual([]);
    expect(plotlyEmbedded()).toBe(false);
  });

  it("writes to options.file atomically, creating folders, quietly when asked", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const file = path.join(dir(), "nested", "deeper", "loss.html");
    const written = show(lossCurves(history), { file, quiet: true });
    expect(written).toBe(file);
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.readFileSync(file, "utf8")).toContain("[150.5,120.5]");
    expect(listTmp(path.dirname(file))).toEqual([]);
    expect(log).not.toHaveBeenCalled();
    // overwrite in place
    show(lossCurves(history.slice(0, 1)), { file, quiet: true });
    expect(fs.readFileSync(file, "utf8")).not.toContain("120.5");
    expect(listTmp(path.dirname(file))).toEqual([]);
  });

  it("rejects a non-figure", () => {
    expect(() => show({} as never)).toThrow("Error in show: fig must be a figure { data: object[], layout: object }, but got an object.");
    expect(() => show({} as never)).toThrow(TypeError);
  });
});

describe("show in a notebook (fake kernels)", () => {
  it("embeds plotly.js in the first output of the session only (Deno, full bundle)", async () => {
    const calls: Array<Record<string, string>> = [];
    g.Deno = { jupyter: { display: async (b: Record<string, string>) => void calls.push(b) } };
    expect(show(lossCurves(history, { title: "L" }))).toBeUndefined();
    show(lossCurves(history));
    expect(calls).toHaveLength(2);
    expect(calls[0]["text/html"]).toContain("plotly.js v");
    expect(calls[1]["text/html"]).not.toContain("plotly.js v");
    expect(calls[1]["text/html"]).toContain("Plotly.newPlot");
    expect(calls[0]["text/plain"]).toBe('Plotly figure "L": 2 traces (scatter x2)');
    expect(plotlyEmbedded()).toBe(true);
    resetPlotlyEmbedding();
    show(lossCurves(history));
    expect(calls[2]["text/html"]).toContain("plotly.js v");
  });

  it("sends the HTML part under tslab", () => {
    const calls: Array<[string, string]> = [];
    const d = { raw: (m: string, s: string) => calls.push([m, s]) };
    g.__tslab__ = { require: () => ({ display: d, newDisplay: () => d }) };
    show(latentScatter([[0, 0]], [1]));
    show(latentScatter([[0, 0]], [1]), { includePlotly: true });
    expect(calls.map(([m]) => m)).toEqual(["text/html", "text/html"]);
    expect(calls[0][1]).toContain("plotly.js v");
    expect(calls[1][1]).toContain("plotly.js v");
  });
});

describe("slugify", () => {
  it("keeps ASCII letters and digits", () => {
    expect(slugify("−ELBO per epoch (β = 4)")).toBe("elbo-per-epoch-4");
    expect(slugify("∑∫")).toBe("figure");
    expect(slugify("x".repeat(100))).toHaveLength(60);
  });
});
