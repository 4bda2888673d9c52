import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { figureHtml } from "../../lib/plots/html";
import { ROOT } from "../../scripts/kernelspecs";
import { addPngFallbacks, CHROMIUM } from "../../scripts/png-fallbacks";

const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) console.warn(`PNG fallback test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium).`);

/** Width and height from a PNG's IHDR chunk; throws unless the bytes start with the PNG signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  if (!bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) throw new Error("not a PNG");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe.skipIf(!hasChromium)("PNG fallbacks of executed notebooks", () => {
  it("adds an image/png of the figure's size beside its text/html and keeps other outputs", async () => {
    const fig = { data: [{ type: "scatter", x: [0, 1, 2], y: [1, 3, 2] }], layout: { width: 420, height: 310, title: "fixture" } };
    const html = figureHtml(fig, { includePlotly: true });
    const nb = {
      nbformat: 4, nbformat_minor: 5, metadata: {},
      cells: [
        { cell_type: "markdown", metadata: {}, source: "one figure" },
        { cell_type: "code", metadata: {}, execution_count: 1, source: "plot", outputs: [
          { output_type: "display_data", metadata: {}, data: { "text/html": html } },
          { output_type: "stream", name: "stdout", text: "done\n" },
        ] },
      ],
    };
    const dir = path.join(ROOT, "build", "test-png-fallbacks");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "one-figure.ipynb");
    fs.writeFileSync(file, JSON.stringify(nb));

    expect(await addPngFallbacks(file)).toBe(1);
    const outputs = JSON.parse(fs.readFileSync(file, "utf8")).cells[1].outputs;
    expect(outputs[0].data["text/html"]).toBe(html);
    expect(pngSize(Buffer.from(outputs[0].data["image/png"], "base64"))).toEqual({ width: 420, height: 310 });
    expect(outputs[1]).toEqual(nb.cells[1].outputs![1]);
    // A second pass finds nothing left to draw.
    expect(await addPngFallbacks(file)).toBe(0);
  }, 60_000);
});
