import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { figureHtml } from "../../lib/plots/html";
import { ROOT } from "../../scripts/kernelspecs";
import { copyPageAssets, PAGE_ASSET_OPTIONS } from "../../scripts/page-assets";
import { CHROMIUM, CHROMIUM_ARGS } from "../../scripts/png-fallbacks";

const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) console.warn(`HTML page test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium).`);

describe.skipIf(!hasChromium)("executed notebooks' HTML pages", () => {
  it("load MathJax and RequireJS from the copies beside them: formulas typeset, no console error", async () => {
    const buildDir = path.join(ROOT, "build", "test-page-assets");
    fs.rmSync(buildDir, { recursive: true, force: true });
    const dir = path.join(buildDir, "tslab");
    fs.mkdirSync(dir, { recursive: true });
    const nb = {
      nbformat: 4, nbformat_minor: 5, metadata: {},
      cells: [
        { id: "formulas", cell_type: "markdown", metadata: {}, source: "The KL term $\\mathrm{KL}(q \\| p)$ and\n\n$$\\log p(x) \\ge \\mathbb{E}_q[\\log p(x \\mid z)] - \\mathrm{KL}(q \\| p)$$" },
        { id: "figure", cell_type: "code", metadata: {}, execution_count: 1, source: "plot", outputs: [
          { output_type: "display_data", metadata: {}, data: { "text/html": figureHtml({ data: [{ type: "bar", x: ["a"], y: [1] }], layout: {} }, { includePlotly: true }) } },
        ] },
      ],
    };
    const file = path.join(dir, "formulas.ipynb");
    fs.writeFileSync(file, JSON.stringify(nb));
    const assets = copyPageAssets(buildDir);
    expect(fs.existsSync(path.join(assets, "mathjax", "MathJax.js"))).toBe(true);
    execFileSync("jupyter", ["nbconvert", "--to", "html", "--log-level", "WARN", ...PAGE_ASSET_OPTIONS, "--output-dir", dir, file]);
    const html = fs.readFileSync(path.join(dir, "formulas.html"), "utf8");
    expect(html).not.toContain("file:///usr/share");

    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("requestfailed", (r) => errors.push(`failed to load ${r.url()}`));
      await page.goto(`file://${path.join(dir, "formulas.html")}`);
      await page.waitForFunction(() => (window as any).MathJax?.Hub && document.querySelectorAll(".MathJax_CHTML, .MathJax_Display").length >= 2, null, { timeout: 30_000 });
      await page.evaluate(() => new Promise((done) => (window as any).MathJax.Hub.Queue(done)));
      const text = await page.evaluate(() => document.body.innerText);
      expect(text).not.toContain("$$");
      expect(text).not.toContain("\\mathrm");
      await page.waitForSelector(".js-plotly-plot .main-svg");
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 90_000);
});
