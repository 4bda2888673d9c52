/// <reference lib="dom" />
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hoverShowsImage } from "../scripts/check-site";
import { KERNELS, ROOT } from "../scripts/kernelspecs";
import { NOTEBOOK_DIR } from "../scripts/notebook-runner";
import { CHROMIUM, CHROMIUM_ARGS } from "../scripts/png-fallbacks";
import { CHECK, TRAINING_CELL } from "./interrupt-check";

// A learner in the live notebook: `npm run notebook-ui`, the classic Jupyter Notebook page in
// Chromium, "Run All" on notebook 05 in each kernel, then notebook 02's training cell stopped
// with the interrupt button. Copies of the notebooks are served, so the UI's autosave never
// writes outputs into notebooks/.
const hasUi = fs.existsSync(CHROMIUM) && fs.existsSync("/usr/share/doc/jupyter-notebook");
if (!hasUi) console.warn(`Notebook UI test skipped: needs Chromium at ${CHROMIUM} and Debian's jupyter-notebook (bash scripts/setup.sh).`);

const PORT = 8930 + (process.pid % 50);
const DIR = path.join(ROOT, "build", "test-notebook-ui");

/** Start `npm run notebook-ui` on DIR and resolve with the URL it prints and its output so far. */
function startUi(): Promise<{ server: ChildProcess; url: string; log: () => string }> {
  const server = spawn(process.execPath, ["--import", "tsx", "scripts/notebook-ui.ts", "--port", String(PORT), "--dir", DIR], {
    cwd: ROOT,
    env: { ...process.env, VAE_QUICK: "1", VAE_RETRAIN: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  return new Promise((resolve, reject) => {
    server.stderr!.on("data", (d) => (log += d));
    server.stdout!.on("data", (d) => {
      log += d;
      const url = /(http:\/\/127\.0\.0\.1:\d+)\/tree\?token=(\w+)/.exec(log);
      if (url) resolve({ server, url: `${url[1]}/notebooks/NAME?token=${url[2]}`, log: () => log });
    });
    server.on("exit", (code) => reject(new Error(`notebook-ui exited (${code}) before printing its URL:\n${log}`)));
  });
}

/** Stop `npm run notebook-ui` as a service manager does (SIGTERM) and wait for it to exit. */
function stop(server: ChildProcess): Promise<unknown> {
  const exited = new Promise((done) => server.on("exit", done));
  server.kill("SIGTERM");
  return exited;
}

/** The process ids of every descendant of `pid`, from the parent ids in /proc (Linux). */
function descendants(pid: number): number[] {
  const parentOf = (child: string) => { try { return Number(fs.readFileSync(`/proc/${child}/stat`, "utf8").replace(/^.*\) /s, "").split(" ")[1]); } catch { return -1; } };
  const children = fs.readdirSync("/proc").filter((f) => /^\d+$/.test(f) && parentOf(f) === pid).map(Number);
  return children.flatMap((child) => [child, ...descendants(child)]);
}

/** Open a notebook in the UI and switch it to `kernel`, waiting until that kernel is connected. */
async function openIn(page: Page, url: string, notebook: string, kernel: string): Promise<void> {
  await page.goto(url.replace("NAME", notebook));
  await page.waitForFunction(() => (window as any).Jupyter?.notebook?.kernel?.is_connected?.(), null, { timeout: 120_000 });
  await page.evaluate((k) => (window as any).Jupyter.notebook.kernel_selector.set_kernel(k), kernel);
  await page.waitForFunction((k) => {
    const kernel = (window as any).Jupyter.notebook.kernel;
    return kernel?.name === k && kernel.is_connected() && kernel.info_reply !== undefined;
  }, kernel, { timeout: 120_000 });
}

/** Wait until the code cells `from`..`to` (exclusive) have run, and return their error outputs as text. */
async function ranWithErrors(page: Page, from: number, to: number, timeout: number): Promise<string[]> {
  await page.waitForFunction(([a, b]) => {
    const cells = (window as any).Jupyter.notebook.get_cells().slice(a, b).filter((c: any) => c.cell_type === "code");
    return cells.every((c: any) => typeof c.input_prompt_number === "number");
  }, [from, to], { timeout, polling: 500 });
  return page.evaluate(([a, b]) => (window as any).Jupyter.notebook.get_cells().slice(a, b)
    .flatMap((c: any) => c.output_area?.outputs ?? [])
    .filter((o: any) => o.output_type === "error")
    .map((o: any) => `${o.ename}: ${o.evalue}`), [from, to]);
}

describe.skipIf(!hasUi)("the live notebook in the Jupyter Notebook UI (quick mode, training its models)", () => {
  let ui: { server: ChildProcess; url: string; log: () => string };
  let browser: Browser;

  beforeAll(async () => {
    fs.rmSync(DIR, { recursive: true, force: true });
    fs.cpSync(NOTEBOOK_DIR, DIR, { recursive: true });
    ui = await startUi();
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (ui?.server.exitCode === null) await stop(ui.server);
  }, 60_000);

  it.each(KERNELS)("05: Run All in %s, every figure drawn, hovering the latent scatter shows a digit", async (kernel) => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    try {
      await openIn(page, ui.url, "05-latent-space.ipynb", kernel);
      await page.evaluate(() => (window as any).Jupyter.notebook.execute_all_cells());
      expect(await ranWithErrors(page, 0, Infinity, 600_000)).toEqual([]);
      const plots = await page.evaluate(() => Array.from(document.querySelectorAll<any>(".vaekit-plot")).map((p) => ({ id: p.id, traces: p._fullData?.length ?? 0 })));
      expect(plots.length, "figures in the page").toBeGreaterThanOrEqual(5);
      expect(plots.filter((p) => p.traces === 0), "figures not drawn").toEqual([]);
      const hoverPlots = await page.evaluate(() => Array.from(document.querySelectorAll("canvas[id$='-image']")).map((c) => c.id.replace(/-image$/, "")));
      expect(hoverPlots.length).toBeGreaterThanOrEqual(1);
      for (const id of hoverPlots) expect(await hoverShowsImage(page, id), `hover on ${id}`).toBe(true);
    } finally {
      await page.close();
    }
  }, 900_000);

  it.each(KERNELS)("02: the stop button during training leaves the %s kernel alive and the model usable", async (kernel) => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    try {
      await openIn(page, ui.url, "02-variational-autoencoder.ipynb", kernel);
      const target = await page.evaluate((pattern) => (window as any).Jupyter.notebook.get_cells().findIndex((c: any) => c.cell_type === "code" && c.get_text().includes(pattern)), TRAINING_CELL);
      expect(target).toBeGreaterThan(0);
      await page.evaluate((n) => (window as any).Jupyter.notebook.execute_cells([...Array(n).keys()]), target);
      expect(await ranWithErrors(page, 0, target, 600_000)).toEqual([]);
      await page.evaluate((i) => (window as any).Jupyter.notebook.execute_cells([i]), target);
      // Training has begun once the cell shows its first output; then press the stop button.
      await page.waitForFunction((i) => (window as any).Jupyter.notebook.get_cell(i).output_area.outputs.length > 0, target, { timeout: 300_000, polling: 200 });
      await page.waitForTimeout(1000);
      await page.click(`button[data-jupyter-action="jupyter-notebook:interrupt-kernel"]`);
      await ranWithErrors(page, target, target + 1, 300_000);
      const index = await page.evaluate((check) => {
        const nb = (window as any).Jupyter.notebook;
        const cell = nb.insert_cell_at_bottom("code");
        cell.set_text(check);
        const handleReply = cell._handle_execute_reply;
        cell._handle_execute_reply = function (msg: any) {
          (window as any).checkReply = msg.content;
          return handleReply.call(this, msg);
        };
        cell.execute();
        return nb.ncells() - 1;
      }, CHECK);
      // tslab compiles every cell against the whole session, slow on a loaded machine; it reports
      // a failing cell only in the reply's status, with the message in the server's log.
      await page.waitForFunction(() => (window as any).checkReply !== undefined, null, { timeout: 300_000, polling: 200 });
      // Deno's kernel can publish a cell's output just after its reply: wait a little for it.
      await page
        .waitForFunction((i) => (window as any).Jupyter.notebook.get_cell(i).output_area.outputs.length > 0, index, { timeout: 30_000, polling: 200 })
        .catch(() => undefined);
      const { output, reply } = await page.evaluate((i) => ({
        output: (window as any).Jupyter.notebook.get_cell(i).output_area.outputs.map((o: any) => o.text ?? `${o.ename}: ${o.evalue}`).join(""),
        reply: (window as any).checkReply,
      }), index);
      const report = `check cell: status ${reply.status} ${reply.evalue ?? ""}, output ${JSON.stringify(output)}; server log:\n${ui.log().slice(-3000)}`;
      expect(reply.status, report).toBe("ok");
      expect(JSON.parse(output.trim().split("\n").at(-1) || "null"), report).toEqual({ finite: true, trained: true, stopped: true });
    } finally {
      await page.close();
    }
  }, 900_000);

  it("stops the server and every kernel it started on SIGTERM", async () => {
    const started = descendants(ui.server.pid!);
    expect(started.length, "the Jupyter server and its kernels").toBeGreaterThanOrEqual(2);
    await stop(ui.server);
    const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
    for (let i = 0; i < 100 && started.some(alive); i++) await new Promise((done) => setTimeout(done, 200));
    expect(started.filter(alive), "processes left running").toEqual([]);
    await expect(fetch(ui.url.replace(/\/notebooks\/NAME.*/, "/"))).rejects.toThrow();
  }, 60_000);
});
