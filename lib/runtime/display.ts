/**
 * Kernel-agnostic display: one small adapter over the two notebook kernels the kit supports.
 *
 * - **tslab** (TypeScript on Node): `require("tslab").display` sends one MIME type per call,
 *   and `newDisplay()` returns a display that overwrites its own single output on every call.
 *   The lib is loaded with Node's `require`, not tslab's, so it reaches the kernel's tslab
 *   module through `globalThis.__tslab__.require("tslab")`, which tslab sets up for cells.
 * - **Deno** (`deno jupyter`): `Deno.jupyter.display(bundle, { raw: true })` sends a whole
 *   MIME bundle and supports `display_id` updates.
 * - **none** (terminal, scripts, tests): rich output is not possible; `displayBundle` prints
 *   the `text/plain` part to stdout.
 */

import { argumentError, describe } from "./checks";

/** Which notebook kernel the code runs in; `"none"` outside a notebook. */
export type KernelKind = "tslab" | "deno" | "none";

/**
 * A Jupyter MIME bundle: MIME type to content, e.g.
 * `{ "text/html": "<b>hi</b>", "text/plain": "hi" }`. Binary types (`image/png`) are
 * base64 strings, as in the Jupyter protocol.
 */
export type MimeBundle = Record<string, string>;

/** The subset of tslab's `Display` used here (see tslab's `dist/public.d.ts`). */
interface TslabDisplay {
  html(s: string): void;
  markdown(s: string): void;
  text(s: string): void;
  raw(contentType: string, b: string | Uint8Array): unknown;
}

/** The subset of tslab's public module used here. */
interface TslabModule {
  display: TslabDisplay;
  newDisplay(): TslabDisplay;
}

/** The subset of `Deno.jupyter` used here (see `deno types`, namespace `jupyter`). */
interface DenoJupyter {
  display(
    obj: unknown,
    options?: { raw?: boolean; update?: boolean; display_id?: string },
  ): Promise<void>;
}

/** `Deno.jupyter` when running inside Deno's Jupyter kernel, else undefined. */
function denoJupyter(): DenoJupyter | undefined {
  const deno = (globalThis as { Deno?: { jupyter?: unknown } }).Deno;
  if (deno === undefined || deno === null) return undefined;
  try {
    // Outside `deno jupyter` the `Deno.jupyter` getter throws instead of returning undefined.
    const jupyter = deno.jupyter as DenoJupyter | undefined;
    return jupyter && typeof jupyter.display === "function" ? jupyter : undefined;
  } catch {
    return undefined;
  }
}

/** The kernel's tslab module when running in a tslab cell, else undefined. */
function tslabModule(): TslabModule | undefined {
  const hook = (globalThis as { __tslab__?: { require?: (id: string) => unknown } }).__tslab__;
  if (!hook || typeof hook.require !== "function") return undefined;
  try {
    const mod = hook.require("tslab") as TslabModule | undefined;
    return mod && typeof mod.newDisplay === "function" ? mod : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Which kernel this code runs in.
 *
 * - `"deno"` inside Deno's Jupyter kernel (`Deno.jupyter` exists; checked first);
 * - `"tslab"` inside a tslab kernel (`globalThis.__tslab__` exists);
 * - `"none"` anywhere else: a terminal, a script, `deno run`, vitest.
 *
 * @example
 * if (kernel() === "none") console.log("not in a notebook: plots go to files");
 */
export function kernel(): KernelKind {
  if (denoJupyter()) return "deno";
  if (tslabModule()) return "tslab";
  return "none";
}

/**
 * The one MIME type sent where only one is allowed (tslab): `text/html` if present, else
 * `text/markdown`, else `text/plain`, else the first entry of the bundle.
 * Returns undefined for an empty bundle.
 */
export function richestPart(bundle: MimeBundle): [mime: string, data: string] | undefined {
  for (const mime of ["text/html", "text/markdown", "text/plain"]) {
    const data = bundle[mime];
    if (typeof data === "string") return [mime, data];
  }
  const first = Object.keys(bundle)[0];
  return first === undefined ? undefined : [first, bundle[first]];
}

function checkBundle(fn: string, bundle: MimeBundle): void {
  if (bundle === null || typeof bundle !== "object" || Array.isArray(bundle)) {
    throw argumentError(fn, "bundle", "an object mapping MIME types to strings", describe(bundle), TypeError);
  }
  for (const [mime, data] of Object.entries(bundle)) {
    if (typeof data !== "string") throw argumentError(fn, `bundle['${mime}']`, "a string", describe(data), TypeError);
  }
}

function logRejection(what: string): (err: unknown) => void {
  return (err) => console.error(`${what} failed:`, err);
}

/**
 * How long {@link denoSend} holds the JavaScript thread after Deno has queued a message:
 * 5 ms plus 20 ms per MB of bundle text, at most 1 s.
 */
export function denoHoldMs(chars: number): number {
  return Math.min(1000, 5 + Math.ceil(chars / 50_000));
}

/** Block the thread for `ms` milliseconds without spinning when `Atomics.wait` is allowed. */
function blockFor(ms: number): void {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  } catch {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      // spin: Atomics.wait is not allowed on this thread
    }
  }
}

/**
 * `Deno.jupyter.display` followed by a short synchronous hold.
 *
 * Why: Deno 2.9's kernel queues display messages for a separate sender thread and can publish
 * the cell's `status: idle` before them (a 10 MB plot output typically lands ~50 ms after
 * idle); `jupyter nbconvert --execute` / nbclient stop collecting a cell's outputs at idle,
 * so such outputs are silently dropped from executed notebooks. Holding the JavaScript
 * thread for a moment right after the message is queued (in the promise's reaction, which
 * runs before the cell is reported finished) lets the sender publish it first. Interactive
 * frontends accept late outputs anyway; this only makes executed notebooks reliable.
 */
function denoSend(
  deno: DenoJupyter,
  bundle: MimeBundle,
  options: { raw: boolean; update?: boolean; display_id?: string },
  what: string,
): Promise<void> {
  let chars = 0;
  for (const data of Object.values(bundle)) chars += data.length;
  return deno
    .display(bundle, options)
    .then(() => blockFor(denoHoldMs(chars)))
    .catch(logRejection(what));
}

/**
 * Show a MIME bundle as one output of the current notebook cell.
 *
 * - Deno: sends the whole bundle (`Deno.jupyter.display(bundle, { raw: true })`).
 * - tslab: tslab sends one MIME type per call, so only the richest part is sent
 *   (`text/html`, else `text/markdown`, else `text/plain`; see `richestPart`).
 * - none: prints the `text/plain` part to stdout (nothing if there is none).
 *
 * Returns a promise that resolves once Deno has handed the message to the kernel (already
 * resolved under tslab and none); there is no need to await it, and a failure is logged to
 * stderr rather than rejected, so an un-awaited call never raises an unhandled rejection.
 * Do not make it the last expression of a Deno cell (Deno would print `Promise {...}`).
 *
 * @param bundle MIME type to content, e.g. `{ "text/html": "<b>hi</b>", "text/plain": "hi" }`.
 * @throws TypeError when `bundle` is not an object of strings.
 * @example
 * displayBundle({ "text/markdown": "**epoch 3**: -ELBO 104.2", "text/plain": "epoch 3: -ELBO 104.2" });
 */
export function displayBundle(bundle: MimeBundle): Promise<void> {
  checkBundle("displayBundle", bundle);
  const deno = denoJupyter();
  if (deno) {
    return denoSend(deno, bundle, { raw: true }, "displayBundle (Deno)");
  }
  const tslab = tslabModule();
  if (tslab) {
    const part = richestPart(bundle);
    if (part) tslab.display.raw(part[0], part[1]);
    return Promise.resolve();
  }
  const text = bundle["text/plain"];
  if (typeof text === "string") console.log(text);
  return Promise.resolve();
}

let liveCounter = 0;

/**
 * One output area that is replaced in place on every {@link LiveDisplay.update}, e.g. a
 * training progress line or a table of per-epoch losses.
 *
 * - tslab: a `newDisplay()` display (first call `display_data`, then `update_display_data`);
 *   only the richest MIME part of each bundle is sent (see `richestPart`).
 * - Deno: `Deno.jupyter.display(bundle, { raw: true, display_id, update })` with a
 *   `display_id` unique to this object; the first call creates the output, later calls
 *   update it.
 * - none: does nothing (`update` returns false), so a terminal caller can draw its own
 *   progress bar instead.
 *
 * The kernel is detected when the object is constructed. Under Deno each update holds the
 * thread ~5 ms so executed notebooks keep the last update (see `denoHoldMs`); throttle
 * updates to a few per second (a progress display does not need more).
 *
 * @example
 * const live = new LiveDisplay();
 * for (let epoch = 1; epoch <= 5; epoch++) {
 *   // ... train one epoch ...
 *   live.update({ "text/html": `<b>epoch ${epoch}/5</b>`, "text/plain": `epoch ${epoch}/5` });
 * }
 */
export class LiveDisplay {
  /** The kernel this display writes to, fixed at construction. */
  readonly kernel: KernelKind;
  /** The Jupyter `display_id` used under Deno (unique per process). */
  readonly displayId: string;
  private readonly deno: DenoJupyter | undefined;
  private readonly tslabDisplay: TslabDisplay | undefined;
  private shown = false;
  private last: Promise<void> = Promise.resolve();

  constructor() {
    this.deno = denoJupyter();
    const tslab = this.deno ? undefined : tslabModule();
    this.tslabDisplay = tslab ? tslab.newDisplay() : undefined;
    this.kernel = this.deno ? "deno" : this.tslabDisplay ? "tslab" : "none";
    liveCounter += 1;
    this.displayId = `vaekit-live-${process.pid}-${Date.now().toString(36)}-${liveCounter}`;
  }

  /**
   * Replace the output with `bundle` (the first call creates it).
   *
   * @param bundle MIME type to content; see {@link displayBundle}.
   * @returns true when something was sent to a notebook, false under `"none"`.
   * @throws TypeError when `bundle` is not an object of strings.
   */
  update(bundle: MimeBundle): boolean {
    checkBundle("LiveDisplay.update", bundle);
    if (this.deno) {
      const update = this.shown;
      this.shown = true;
      // Deno sends messages in call order; keep the last promise so callers can await it.
      this.last = denoSend(
        this.deno,
        bundle,
        { raw: true, display_id: this.displayId, update },
        "LiveDisplay.update (Deno)",
      );
      return true;
    }
    if (this.tslabDisplay) {
      const part = richestPart(bundle);
      if (!part) return false;
      this.tslabDisplay.raw(part[0], part[1]);
      this.shown = true;
      return true;
    }
    return false;
  }

  /**
   * Resolves when the latest update has been handed to the kernel (Deno); resolved at once
   * under tslab and none. Awaiting it at the end of a cell is optional.
   */
  flushed(): Promise<void> {
    return this.last;
  }
}

/**
 * A new {@link LiveDisplay}: one output area updated in place.
 * @example
 * const live = liveDisplay();
 * live.update({ "text/plain": "epoch 1/10" });
 */
export function liveDisplay(): LiveDisplay {
  return new LiveDisplay();
}
