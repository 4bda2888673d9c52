import { afterEach, describe, expect, it, vi } from "vitest";
import { denoHoldMs, displayBundle, kernel, liveDisplay, richestPart } from "../../lib/runtime/display";

const g = globalThis as Record<string, unknown>;

afterEach(() => {
  delete g.__tslab__;
  delete g.Deno;
  vi.restoreAllMocks();
});

/** A fake of tslab's public module recording raw() calls as [displayId, mime, data]. */
function fakeTslab() {
  const calls: Array<[string | undefined, string, string]> = [];
  let next = 0;
  const mk = (id?: string) => ({
    html: (s: string) => calls.push([id, "text/html", s]),
    markdown: (s: string) => calls.push([id, "text/markdown", s]),
    text: (s: string) => calls.push([id, "text/plain", s]),
    raw: (mime: string, s: string) => calls.push([id, mime, s]),
  });
  g.__tslab__ = { exports: {}, require: (name: string) => (name === "tslab" ? { display: mk(), newDisplay: () => mk(`d${++next}`) } : undefined) };
  return calls;
}

function fakeDeno() {
  const calls: Array<[unknown, Record<string, unknown> | undefined]> = [];
  g.Deno = { jupyter: { display: async (obj: unknown, opts?: Record<string, unknown>) => void calls.push([obj, opts]) } };
  return calls;
}

describe("kernel()", () => {
  it("is none in tests", () => {
    expect(kernel()).toBe("none");
  });

  it("detects tslab and Deno, and survives a Deno.jupyter getter that throws", () => {
    fakeTslab();
    expect(kernel()).toBe("tslab");
    delete g.__tslab__;
    fakeDeno();
    expect(kernel()).toBe("deno");
    g.Deno = Object.defineProperty({}, "jupyter", {
      get() {
        throw new Error("Deno.jupyter is only available in `deno jupyter` subcommand");
      },
    });
    expect(kernel()).toBe("none");
  });
});

describe("displayBundle", () => {
  it("prints the text/plain part outside a notebook", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    await displayBundle({ "text/html": "<b>hi</b>", "text/plain": "hi" });
    expect(log).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith("hi");
    await displayBundle({ "text/html": "<b>only html</b>" });
    expect(log).toHaveBeenCalledTimes(1);
  });

  it("sends the richest single MIME type under tslab", async () => {
    const calls = fakeTslab();
    await displayBundle({ "text/plain": "p", "text/markdown": "m", "text/html": "h" });
    await displayBundle({ "text/plain": "p", "text/markdown": "m" });
    await displayBundle({ "text/plain": "p" });
    expect(calls).toEqual([
      [undefined, "text/html", "h"],
      [undefined, "text/markdown", "m"],
      [undefined, "text/plain", "p"],
    ]);
  });

  it("sends the whole bundle raw under Deno", async () => {
    const calls = fakeDeno();
    const bundle = { "text/plain": "p", "text/html": "h" };
    await displayBundle(bundle);
    expect(calls).toEqual([[bundle, { raw: true }]]);
  });

  it("rejects bundles that are not objects of strings", () => {
    expect(() => displayBundle("x" as unknown as Record<string, string>)).toThrow(
      'Error in displayBundle: bundle must be an object mapping MIME types to strings, but got "x".',
    );
    expect(() => displayBundle("x" as unknown as Record<string, string>)).toThrow(TypeError);
    expect(() => displayBundle({ "text/plain": 3 } as unknown as Record<string, string>)).toThrow(
      "Error in displayBundle: bundle['text/plain'] must be a string, but got 3.",
    );
  });

  it("richestPart prefers html, then markdown, then plain", () => {
    expect(richestPart({ "text/plain": "p", "text/html": "h" })).toEqual(["text/html", "h"]);
    expect(richestPart({ "image/png": "AAA" })).toEqual(["image/png", "AAA"]);
    expect(richestPart({})).toBeUndefined();
  });
});

describe("LiveDisplay", () => {
  it("does nothing outside a notebook", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const live = liveDisplay();
    expect(live.kernel).toBe("none");
    expect(live.update({ "text/plain": "epoch 1" })).toBe(false);
    expect(log).not.toHaveBeenCalled();
  });

  it("uses one tslab newDisplay() per live display", () => {
    const calls = fakeTslab();
    const a = liveDisplay();
    const b = liveDisplay();
    a.update({ "text/plain": "a1", "text/html": "<i>a1</i>" });
    a.update({ "text/plain": "a2" });
    b.update({ "text/plain": "b1" });
    expect(calls).toEqual([
      ["d1", "text/html", "<i>a1</i>"],
      ["d1", "text/plain", "a2"],
      ["d2", "text/plain", "b1"],
    ]);
  });

  it("creates then updates one Deno display_id", async () => {
    const calls = fakeDeno();
    const live = liveDisplay();
    expect(live.kernel).toBe("deno");
    live.update({ "text/plain": "1" });
    live.update({ "text/plain": "2" });
    live.update({ "text/plain": "3" });
    await live.flushed();
    expect(calls.map(([, o]) => o)).toEqual([
      { raw: true, display_id: live.displayId, update: false },
      { raw: true, display_id: live.displayId, update: true },
      { raw: true, display_id: live.displayId, update: true },
    ]);
    expect(calls.map(([b]) => (b as Record<string, string>)["text/plain"])).toEqual(["1", "2", "3"]);
    expect(liveDisplay().displayId).not.toBe(live.displayId);
  });

  it("holds Deno briefly after each message, longer for big ones, at most 1 s", () => {
    expect(denoHoldMs(100)).toBe(6);
    expect(denoHoldMs(10_000_000)).toBe(205);
    expect(denoHoldMs(1e9)).toBe(1000);
  });
});
