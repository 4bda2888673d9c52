/**
 * Open every page of a built course site in headless Chromium, served over HTTP from
 * 127.0.0.1, and report what a reader would see broken.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Page } from "playwright-core";
import sirv from "sirv";
import { CHROMIUM, CHROMIUM_ARGS } from "./png-fallbacks";

/** What {@link checkSite} looked at, and what it found broken (empty when all is well). */
export interface SiteReport {
  /** Pages opened, relative to the site's root. */
  pages: string[];
  /** Plotly figures drawn with data, over all pages. */
  figures: number;
  /** Formulas typeset by MathJax, over all pages. */
  formulas: number;
  /** Hover-image panels that showed a digit when a point was hovered. */
  hoverImages: number;
  /** Internal links followed (distinct URLs). */
  links: number;
  /** One line per problem: the page, then what was wrong. */
  problems: string[];
}

/** What the in-page probe (check-site-probe.js) reports about one page. */
interface PageFindings {
  figures: number;
  formulas: number;
  /** Ids of the plots that have a hover-image panel. */
  hoverPlots: string[];
  links: string[];
  hasPrevOrNext: boolean;
  problems: string[];
}

/** Plain browser JavaScript, evaluated in each page: waits for MathJax and plotly.js, reports. */
const PAGE_PROBE = fs.readFileSync(path.join(__dirname, "check-site-probe.js"), "utf8");

/** The pages to open: every page at the site's root, and the API reference's first page. */
function sitePages(dir: string): string[] {
  const top = fs.readdirSync(dir).filter((f) => f.endsWith(".html")).sort();
  return fs.existsSync(path.join(dir, "api", "index.html")) ? [...top, "api/index.html"] : top;
}

async function serve(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const handler = sirv(dir, { dev: true });
  const server = http.createServer((req, res) => handler(req, res, () => { res.statusCode = 404; res.end("not found"); }));
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((done) => server.close(() => done())) };
}

/**
 * Move the mouse onto the first point of a hover-image plot (scrolled into view), as a reader
 * does, and wait for its panel (`<id>-image`) to draw a digit (`data-index` set).
 */
export async function hoverShowsImage(page: Page, id: string): Promise<boolean> {
  const at = await page.evaluate((plotId) => {
    const plot: any = document.getElementById(plotId);
    plot.scrollIntoView({ block: "center" });
    const trace = plot._fullData.find((t: any) => t.customdata?.length > 0);
    const box = plot.getBoundingClientRect();
    const { _size: margin, xaxis, yaxis } = plot._fullLayout;
    return trace ? { x: box.left + margin.l + xaxis.l2p(trace.x[0]), y: box.top + margin.t + yaxis.l2p(trace.y[0]) } : null;
  }, id);
  if (!at) return false;
  await page.mouse.move(at.x - 20, at.y - 20);
  await page.mouse.move(at.x, at.y, { steps: 5 });
  const drawn = page.waitForFunction((plotId) => document.getElementById(`${plotId}-image`)?.hasAttribute("data-index"), id, { timeout: 5_000 });
  return drawn.then(() => true, () => false);
}

/**
 * Check a built site (`npm run site`): on every page no console error, no failed request and
 * no script error; every formula typeset (no raw `$$` or `\(` left in the text outside code);
 * every kit figure drawn by plotly.js with at least one trace; hovering the first point of
 * each hover-image plot (moving the mouse there) draws a digit into its panel; every link to a page of the site
 * answers 200. Each notebook page must link to a previous or next page.
 *
 * @param dir the built site, e.g. build/site.
 * @throws Error when Chromium is missing ({@link CHROMIUM}) or `dir` holds no pages.
 */
export async function checkSite(dir: string): Promise<SiteReport> {
  const pages = sitePages(dir);
  if (pages.length === 0) throw new Error(`checkSite: no HTML pages in ${dir}; run npm run site first.`);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`checkSite: no Chromium at ${CHROMIUM} (apt-get install chromium).`);
  const report: SiteReport = { pages, figures: 0, formulas: 0, hoverImages: 0, links: 0, problems: [] };
  const links = new Set<string>();
  const server = await serve(dir);
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    for (const name of pages) {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const problem = (what: string) => report.problems.push(`${name}: ${what}`);
      // A failed load is reported with its URL below; the console's copy of it names none.
      page.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && problem(`console error: ${m.text()}`));
      page.on("response", (r) => r.status() >= 400 && problem(`HTTP ${r.status()} for ${r.url()}`));
      page.on("pageerror", (e) => problem(`script error: ${e.message}`));
      page.on("requestfailed", (r) => problem(`failed to load ${r.url()}`));
      await page.goto(server.url + name, { waitUntil: "load" });
      const seen: PageFindings = await page.evaluate(PAGE_PROBE);
      report.figures += seen.figures;
      report.formulas += seen.formulas;
      seen.problems.forEach(problem);
      for (const id of seen.hoverPlots) {
        if (await hoverShowsImage(page, id)) report.hoverImages++;
        else problem(`hovering a point of ${id} drew no image in its panel`);
      }
      if (/^\d\d-/.test(name) && !seen.hasPrevOrNext) problem("no previous or next link");
      for (const href of seen.links) if (href.startsWith(server.url)) links.add(href.split("#")[0]);
      await page.close();
    }
    for (const href of links) {
      const status = await fetch(href).then((r) => r.status);
      if (status !== 200) report.problems.push(`broken link ${href.slice(server.url.length)}: HTTP ${status}`);
    }
    report.links = links.size;
  } finally {
    await browser.close();
    await server.close();
  }
  return report;
}
