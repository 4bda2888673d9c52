import { argumentError, checkOneOf, describe } from "../runtime/checks";
import { CATEGORY10, Figure, Trace, roundSig } from "./figure";

/**
 * Losses of one epoch, as recorded by a training loop: `train` (mean over the epoch's
 * batches) and optionally `test`, keyed by metric name (`negElbo`, `reconstruction`, `kl`,
 * `loss`, ...), all in nats per image. The `EpochRecord`s in `fit()`'s `history` have this
 * shape (plus extra fields, which are ignored), so `lossCurves(history)` takes them as is.
 */
export interface EpochLosses {
  /** Epoch number (the x coordinate), usually 1, 2, 3, ... */
  epoch: number;
  /** Training-set metrics of this epoch. */
  train: Record<string, number>;
  /** Test-set metrics of this epoch, when evaluated. */
  test?: Record<string, number>;
}

/** Options of {@link lossCurves}. */
export interface LossCurvesOptions {
  /** Figure title; default `"Loss per epoch"`. */
  title?: string;
  /**
   * Which metric keys to draw, in this order; default: every key found in the history's
   * `train` and `test` records, in order of first appearance.
   */
  metrics?: string[];
  /** Legend names of metric keys, merged over the defaults (`negElbo` is shown as `−ELBO`). */
  labels?: Record<string, string>;
  /** y-axis title; default `"nats per image"`. */
  yTitle?: string;
  /** Logarithmic y axis; default false. */
  logY?: boolean;
  /** Figure height in px; default 420. */
  height?: number;
}

/** Default legend names of the kit's metric keys. */
export const METRIC_LABELS: Readonly<Record<string, string>> = {
  negElbo: "−ELBO",
  elbo: "ELBO",
  reconstruction: "reconstruction",
  kl: "KL",
  loss: "loss",
  iwae: "IWAE bound",
};

/**
 * @internal x-axis ticks for epoch numbers: whole numbers only, each shown once. Plotly's
 * automatic ticks on a short run (epochs 1 to 3) fall at 1, 1.5, 2, ... and a "d" format
 * shows them as "1 1 2 2 3"; here the step is a whole number, about 10 ticks at most.
 */
export function epochTicks(epochs: number[]): Record<string, unknown> {
  if (epochs.length === 0) return { tickformat: "d" };
  const first = Math.min(...epochs);
  const span = Math.max(...epochs) - first;
  return { tickmode: "linear", tick0: Math.round(first), dtick: Math.max(1, Math.ceil(span / 10)), tickformat: "d" };
}

/**
 * Loss curves of a training run: one line per metric per split, x = epoch, y in nats per
 * image. Train lines are solid, test lines dashed in the same colour (one colour per metric,
 * shared legend group, so clicking a legend entry hides both splits of a metric). A metric
 * missing from some epochs is drawn with gaps; test lines are drawn only for metrics that
 * appear in at least one `test` record. The epoch axis has whole-number ticks, each once.
 *
 * @param history per-epoch records `{ epoch, train, test? }`, in any order (sorted by epoch).
 *   An empty history gives a figure without traces (useful before the first epoch).
 * @param options title, metrics to draw, labels, y-axis title, log scale, height.
 * @returns a {@link Figure} for `show()`.
 * @throws TypeError when `history` is not an array or a record lacks a numeric `epoch` or
 *   a `train` object.
 * @throws Error when a requested metric appears in no record (names the available ones).
 * @example
 * show(lossCurves(history, { metrics: ["negElbo", "kl"], title: "VAE, 20 latent dims" }));
 */
export function lossCurves(history: EpochLosses[], options: LossCurvesOptions = {}): Figure {
  const fn = "lossCurves";
  if (!Array.isArray(history)) throw argumentError(fn, "history", "an array of epoch records", describe(history), TypeError);
  history.forEach((record, i) => {
    if (!record || typeof record !== "object" || typeof record.epoch !== "number") {
      throw argumentError(fn, `history[${i}].epoch`, "a number", describe(record?.epoch), TypeError);
    }
    if (!record.train || typeof record.train !== "object") {
      throw argumentError(fn, `history[${i}].train`, "an object of metrics", describe(record.train), TypeError);
    }
  });
  const records = history.slice().sort((a, b) => a.epoch - b.epoch);

  const available: string[] = [];
  const inTest = new Set<string>();
  for (const record of records) {
    for (const key of Object.keys(record.train)) if (!available.includes(key)) available.push(key);
    for (const key of Object.keys(record.test ?? {})) {
      if (!available.includes(key)) available.push(key);
      inTest.add(key);
    }
  }
  const metrics = options.metrics ?? available;
  if (records.length > 0) metrics.forEach((metric, i) => checkOneOf(fn, `options.metrics[${i}]`, metric, available));

  const labels = { ...METRIC_LABELS, ...(options.labels ?? {}) };
  const x = records.map((r) => r.epoch);
  const data: Trace[] = [];
  metrics.forEach((metric, m) => {
    const color = CATEGORY10[m % CATEGORY10.length];
    const label = labels[metric] ?? metric;
    const inTrain = records.some((r) => metric in r.train);
    const splits: Array<["train" | "test", boolean]> = [
      ["train", inTrain || records.length === 0],
      ["test", inTest.has(metric)],
    ];
    for (const [split, present] of splits) {
      if (!present) continue;
      const y = records.map((r) => {
        const value = split === "train" ? r.train[metric] : r.test?.[metric];
        return typeof value === "number" ? roundSig(value) : null;
      });
      data.push({
        type: "scatter",
        mode: records.length > 30 ? "lines" : "lines+markers",
        name: `${split} ${label}`,
        legendgroup: metric,
        x,
        y,
        line: { color, dash: split === "train" ? "solid" : "dash", width: 2 },
        marker: { color, size: 5 },
        hovertemplate: `${split} ${label}<br>epoch %{x}: %{y:.2f} nats<extra></extra>`,
      });
    }
  });

  return {
    data,
    layout: {
      title: { text: options.title ?? "Loss per epoch" },
      height: options.height ?? 420,
      xaxis: { title: { text: "epoch" }, ...epochTicks(x), zeroline: false },
      yaxis: {
        title: { text: options.yTitle ?? "nats per image" },
        type: options.logY ? "log" : "linear",
        zeroline: false,
      },
      legend: { orientation: "v" },
      hovermode: "closest",
      margin: { l: 70, r: 20, t: 50, b: 50 },
    },
  };
}
