import * as cliProgress from "cli-progress";
import { kernel, LiveDisplay } from "../runtime/display";
import type { TermMeans } from "./evaluate";
import type { EpochRecord } from "./fit";

/** `"auto"`: a live display in a notebook, a bar in a terminal, a line per epoch in logs. */
export type ProgressMode = "auto" | "none";

/** Receives training progress from `fit`. */
export interface Progress {
  /** After each step; `loss` is read only when the display is refreshed. */
  step(epoch: number, step: number, loss: () => number): void;
  /** After each epoch, with its record. */
  epochEnd(record: EpochRecord): void;
  /** Once, when training ends or stops. */
  close(): void;
}

/** The progress display that fits where the code runs. */
export function createProgress(mode: ProgressMode, run: { epochs: number; steps: number }): Progress {
  if (mode === "none") return { step() {}, epochEnd() {}, close() {} };
  if (kernel() !== "none") return new NotebookProgress(run.epochs, run.steps);
  if (process.stdout.isTTY) return new TerminalProgress(run.epochs, run.steps);
  return new LineProgress(run.epochs);
}

/** Loss terms as text, two decimals, e.g. "negElbo 105.55, reconstruction 80.23, kl 25.31". */
export function formatTerms(terms: TermMeans): string {
  return Object.entries(terms).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(", ");
}

/** One line of metrics for an epoch, e.g. "epoch 2/10  train negElbo 120.4 ... (12.1 s)". */
export function formatEpoch(record: EpochRecord, epochs: number): string {
  const parts = [`epoch ${record.epoch}/${epochs}`];
  for (const [split, terms] of [["train", record.train], ["test", record.test]] as const) {
    if (terms) parts.push(`${split} ${formatTerms(terms)}`);
  }
  return `${parts.join(" | ")} (nats/image, ${record.seconds.toFixed(1)} s)`;
}

/** Estimates the seconds left from the mean time per step so far. */
class Clock {
  private readonly start = Date.now();
  constructor(private readonly totalSteps: number) {}

  secondsLeft(doneSteps: number): number {
    const perStep = (Date.now() - this.start) / 1000 / Math.max(doneSteps, 1);
    return perStep * (this.totalSteps - doneSteps);
  }
}

class NotebookProgress implements Progress {
  private readonly display = new LiveDisplay();
  private readonly clock: Clock;
  private readonly rows: string[] = [];
  private lastDraw = 0;

  constructor(private readonly epochs: number, private readonly steps: number) {
    this.clock = new Clock(epochs * steps);
  }

  step(epoch: number, step: number, loss: () => number): void {
    if (Date.now() - this.lastDraw < 500 && step < this.steps) return;
    this.lastDraw = Date.now();
    const done = (epoch - 1) * this.steps + step;
    const status =
      `epoch ${epoch}/${this.epochs} · step ${step}/${this.steps} · loss ${loss().toFixed(2)} nats/image · ` +
      `${Math.round(this.clock.secondsLeft(done))} s left`;
    this.draw(done, status);
  }

  epochEnd(record: EpochRecord): void {
    this.rows.push(formatEpoch(record, this.epochs));
    this.draw(record.epoch * this.steps, `epoch ${record.epoch}/${this.epochs} done`);
  }

  close(): void {}

  private draw(done: number, status: string): void {
    const total = this.epochs * this.steps;
    const lines = [...this.rows, status];
    const html =
      `<div style="font-family: monospace"><progress value="${done}" max="${total}" style="width: 40em"></progress>` +
      lines.map((l) => `<div>${l}</div>`).join("") +
      `</div>`;
    this.display.update({ "text/html": html, "text/plain": lines.join("\n") });
  }
}

class TerminalProgress implements Progress {
  private readonly bars = new cliProgress.MultiBar(
    { format: "epoch {epoch}/{epochs} [{bar}] {percentage}% | loss {loss} nats/image | ETA {eta_formatted}", hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  private readonly bar: cliProgress.SingleBar;

  constructor(private readonly epochs: number, private readonly steps: number) {
    this.bar = this.bars.create(epochs * steps, 0, { epoch: 1, epochs, loss: "-" });
  }

  step(epoch: number, step: number, loss: () => number): void {
    if (step % 10 !== 0 && step !== this.steps) return;
    this.bar.update((epoch - 1) * this.steps + step, { epoch, loss: loss().toFixed(2) });
  }

  epochEnd(record: EpochRecord): void {
    this.bars.log(formatEpoch(record, this.epochs) + "\n");
  }

  close(): void {
    this.bars.stop();
  }
}

class LineProgress implements Progress {
  constructor(private readonly epochs: number) {}
  step(): void {}
  epochEnd(record: EpochRecord): void {
    console.log(formatEpoch(record, this.epochs));
  }
  close(): void {}
}
