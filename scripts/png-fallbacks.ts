/// <reference lib="dom" />
import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT } from "./kernelspecs";

/** The Chromium that draws the figures: `CHROMIUM`, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
/** The flags every headless Chromium of the kit starts with. */
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];

const PLOTLY_JS = path.join(ROOT, "node_modules", "plotly.js-dist-min", "plotly.min.js");
let warned = false;

/** True when a display output is a Plotly figure drawn by the kit (`Plotly.newPlot` in its HTML). */
export function isPlotlyOutput(output: any): boolean {
  const html = output?.data?.["text/html"];
  return html !== undefined && [html].flat().join("").includes("Plotly.newPlot");
}

/**
 * Give every Plotly figure of an executed notebook a static `image/png` beside its
 * `text/html`, so the notebook reads where no JavaScript runs (GitHub, nbviewer without
 * scripts). Each figure is drawn in headless Chromium with plotly.js from
 * `plotly.js-dist-min` and exported by `Plotly.toImage` at the size it was laid out.
 * The file is rewritten atomically (temporary file, then rename); outputs that already carry
 * a PNG are left alone.
 *
 * Where Chromium is missing ({@link CHROMIUM}), says so once per process and writes nothing.
 *
 * @param file an executed notebook (.ipynb).
 * @returns the number of PNGs added (0 without Chromium).
 * @throws Error when a figure does not draw within 30 s.
 */
export async function addPngFallbacks(file: string): Promise<number> {
  const nb = JSON.parse(fs.readFileSync(file, "utf8"));
  const outputs = nb.cells.flatMap((c: any) => c.outputs ?? []).filter((o: any) => isPlotlyOutput(o) && !o.data["image/png"]);
  if (outputs.length === 0) return 0;
  if (!fs.existsSync(CHROMIUM)) {
    if (!warned) console.warn(`No Chromium at ${CHROMIUM} (apt-get install chromium): executed notebooks get no PNG fallbacks.`);
    warned = true;
    return 0;
  }
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    for (const output of outputs) {
      await page.setContent("<!doctype html><html><body></body></html>");
      await page.addScriptTag({ path: PLOTLY_JS });
      await page.evaluate((html) => {
        // Scripts inserted by innerHTML do not run: recreate each one.
        document.body.innerHTML = html;
        for (const old of Array.from(document.body.querySelectorAll("script"))) {
          const s = document.createElement("script");
          s.textContent = old.textContent;
          old.replaceWith(s);
        }
      }, [output.data["text/html"]].flat().join(""));
      await page.waitForFunction(() => (document.querySelector(".js-plotly-plot") as any)?._fullLayout, null, { timeout: 30_000 });
      const png = await page.evaluate(async () => {
        const el = document.querySelector(".js-plotly-plot") as any;
        const { width, height } = el._fullLayout;
        return (window as any).Plotly.toImage(el, { format: "png", width, height }) as Promise<string>;
      });
      output.data["image/png"] = png.replace(/^data:image\/png;base64,/, "");
    }
  } finally {
    await browser.close();
  }
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(nb, null, 1) + "\n");
  fs.renameSync(tmp, file);
  return outputs.length;
}
