import { LiveDisplay } from "../runtime/display";
import { checkFinite } from "../runtime/checks";

/** Options of {@link liveLossCurve}. */
export interface LiveLossCurveOptions {
  /** Title above the curve (default "loss"). */
  title?: string;
  /** Unit of the loss, shown with the last value (default "nats/image"). */
  unit?: string;
  /** Least milliseconds between two redraws (default 250); `done()` always redraws. */
  every?: number;
}

const WIDTH = 480;
const HEIGHT = 200;
const PAD = 36;

/**
 * A loss curve that redraws in place while a training loop runs, in the manner of d2l's
 * `Animator`: call `add(step, loss)` after every step and `done()` at the end. In a notebook
 * (tslab or Deno) the cell's output is one small SVG chart, replaced at most every
 * `options.every` ms, and a text line with the last value; outside a notebook nothing is
 * shown until `done()`, which prints that line. Plain SVG, so it needs no plotly.js and shows
 * in executed notebooks and their HTML pages alike.
 *
 * @example
 * const curve = kit.liveLossCurve({ title: "-ELBO per step" });
 * for (let step = 1; step <= 300; step++) curve.add(step, trainStep());
 * curve.done();   // "-ELBO per step: 300 steps, last 121.73 nats/image"
 */
export function liveLossCurve(options: LiveLossCurveOptions = {}): LiveLossCurve {
  return new LiveLossCurve(options);
}

/** See {@link liveLossCurve}. */
export class LiveLossCurve {
  /** The points so far, `[step, loss]`. */
  readonly points: [number, number][] = [];
  private readonly display = new LiveDisplay();
  private lastDraw = 0;

  constructor(private readonly options: LiveLossCurveOptions) {}

  /**
   * Record the loss after a step, and redraw when the last redraw is old enough.
   * @throws Error when `step` or `loss` is not a finite number.
   */
  add(step: number, loss: number): void {
    checkFinite("LiveLossCurve.add", "step", step);
    checkFinite("LiveLossCurve.add", "loss", loss);
    this.points.push([step, loss]);
    if (Date.now() - this.lastDraw >= (this.options.every ?? 250)) this.draw();
  }

  /** Draw the final curve (and print its summary line outside a notebook). */
  done(): void {
    if (!this.draw()) console.log(this.summary());
  }

  /** One line: title, number of steps and the last loss, e.g. "loss: 300 steps, last 121.73 nats/image". */
  summary(): string {
    const last = this.points[this.points.length - 1];
    const tail = last ? `last ${last[1].toFixed(2)} ${this.options.unit ?? "nats/image"}` : "no steps yet";
    const n = this.points.length;
    return `${this.options.title ?? "loss"}: ${n} step${n === 1 ? "" : "s"}, ${tail}`;
  }

  /** The chart as an SVG document. */
  svg(): string {
    const [xs, ys] = [this.points.map((p) => p[0]), this.points.map((p) => p[1])];
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const sx = (x: number) => PAD + ((x - x0) / (x1 - x0 || 1)) * (WIDTH - 2 * PAD);
    const sy = (y: number) => HEIGHT - PAD + -((y - y0) / (y1 - y0 || 1)) * (HEIGHT - 2 * PAD);
    const line = this.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(" ");
    const label = (x: number, y: number, text: string, anchor = "end") =>
      `<text x="${x}" y="${y}" font-size="11" text-anchor="${anchor}" font-family="sans-serif">${text}</text>`;
    return (
      `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">` +
      `<rect x="${PAD}" y="${PAD}" width="${WIDTH - 2 * PAD}" height="${HEIGHT - 2 * PAD}" fill="none" stroke="#ccc"/>` +
      `<polyline points="${line}" fill="none" stroke="#1f77b4" stroke-width="1.5"/>` +
      (this.points.length
        ? label(PAD - 4, sy(y1) + 4, y1.toFixed(1)) + label(PAD - 4, sy(y0) + 4, y0.toFixed(1)) +
          label(sx(x0), HEIGHT - PAD + 14, `step ${x0}`, "start") + label(sx(x1), HEIGHT - PAD + 14, `${x1}`)
        : "") +
      label(WIDTH / 2, 16, escapeXml(this.summary()), "middle") +
      `</svg>`
    );
  }

  private draw(): boolean {
    this.lastDraw = Date.now();
    return this.display.update({ "text/html": this.svg(), "text/plain": this.summary() });
  }
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
