import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { figureHtml } from "../../lib/plots/html";
import { checkSite } from "../../scripts/check-site";
import { ROOT } from "../../scripts/kernelspecs";
import { CHROMIUM } from "../../scripts/png-fallbacks";

const hasChromium = fs.existsSync(CHROMIUM);

describe.skipIf(!hasChromium)("checkSite", () => {
  it("reports a raw formula, a figure that never draws, a script error, a broken link and a notebook page without previous/next", async () => {
    const dir = path.join(ROOT, "build", "test-check-site");
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const drawn = figureHtml({ data: [{ type: "bar", x: ["a"], y: [1] }], layout: {} }, { includePlotly: true });
    fs.writeFileSync(path.join(dir, "index.html"), `<html><body><p>$$x^2$$</p>${drawn}<a href="01-page.html">ok</a> <a href="missing.html">gone</a></body></html>`);
    fs.writeFileSync(path.join(dir, "01-page.html"), `<html><body><div class="vaekit-plot"></div><script>undefinedFunction();</script></body></html>`);

    const report = await checkSite(dir);
    expect(report.pages).toEqual(["01-page.html", "index.html"]);
    expect(report.figures).toBe(1);
    expect(report.problems).toEqual(expect.arrayContaining([
      "index.html: raw $$ left in the text: a formula was not typeset",
      "01-page.html: 1 of 1 figures not drawn",
      expect.stringMatching(/^01-page\.html: script error: .*undefinedFunction/),
      "01-page.html: no previous or next link",
      "broken link missing.html: HTTP 404",
    ]));
    expect(report.problems).toHaveLength(5);
  }, 120_000);
});
