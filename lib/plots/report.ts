import * as tf from "@tensorflow/tfjs";
import { MNIST_PIXELS, MnistSplit } from "../data/mnist";
import { Autoencoder } from "../models/autoencoder";
import { ConditionalVAE } from "../models/conditional-vae";
import type { ConvVAE } from "../models/conv-vae";
import type { VAE } from "../models/vae";
import { writeFileAtomically } from "../persist/atomic";
import { Figure } from "./figure";
import { escapeHtml, figureHtml, htmlPage, plotlyScript } from "./html";
import { imageGrid } from "./image-grid";
import { latentScatter } from "./latent-scatter";
import { EpochLosses, lossCurves } from "./loss-curves";

/**
 * The HTML report of a training run: one standalone page (plotly.js inline, works offline)
 * with a table of facts (model, data, training, test metrics), the loss curves, test digits
 * next to their reconstructions, samples from the prior and the latent space.
 */

/** Everything a report shows. Images are flat `[n, 784]` arrays of pixel values in [0, 1]. */
export interface TrainingReport {
  /** Page title and heading. */
  title: string;
  /** Rows of the summary table: [label, value]. */
  facts: Array<[string, string]>;
  /** Per-epoch losses, as in `fit`'s history (nats per image). */
  history: EpochLosses[];
  /** Test images and their reconstructions, `count` of each. */
  reconstructions?: { inputs: Float32Array; outputs: Float32Array; count: number };
  /** Generated images and a caption saying how they were made. */
  samples?: { images: Float32Array; count: number; caption: string };
  /** 2-D latent points `[n, 2]` with their digit labels, and a caption saying what they are. */
  latent?: { points: Float32Array; labels: ArrayLike<number>; caption: string };
  /** Extra sentences shown under the table (e.g. "the latent plot shows 2 of 20 dimensions"). */
  notes?: string[];
}

/**
 * The report as a complete HTML page: plotly.js once, then one figure per part.
 * @throws Error from the figure builders when a part is malformed (e.g. image sizes).
 */
export function reportHtml(report: TrainingReport): string {
  const figures: Figure[] = [lossCurves(report.history, { title: "Loss per epoch (nats per image)" })];
  const r = report.reconstructions;
  if (r) {
    const both = new Float32Array(2 * r.count * MNIST_PIXELS);
    both.set(r.inputs.subarray(0, r.count * MNIST_PIXELS));
    both.set(r.outputs.subarray(0, r.count * MNIST_PIXELS), r.count * MNIST_PIXELS);
    figures.push(imageGrid(both, { rows: 2, cols: r.count, title: "Test digits (top) and their reconstructions (bottom)", rowLabels: ["input", "output"] }));
  }
  const s = report.samples;
  if (s) {
    const cols = Math.ceil(Math.sqrt(s.count));
    const rows = Math.max(1, Math.floor(s.count / cols));
    figures.push(imageGrid(s.images.subarray(0, rows * cols * MNIST_PIXELS), { rows, cols, title: s.caption }));
  }
  if (report.latent) figures.push(latentScatter(report.latent.points, report.latent.labels, { title: report.latent.caption }));
  const rows = report.facts.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join("\n");
  const notes = (report.notes ?? []).map((n) => `<p>${escapeHtml(n)}</p>`).join("\n");
  const style =
    "<style>body{font-family:sans-serif;max-width:60em;margin:1em auto;padding:0 1em}" +
    "table{border-collapse:collapse}th,td{text-align:left;padding:2px 12px 2px 0;vertical-align:top}th{font-weight:600}</style>\n";
  const body = [
    `<h1>${escapeHtml(report.title)}</h1>\n<table>\n${rows}\n</table>\n${notes}\n`,
    plotlyScript(),
    ...figures.map((f) => figureHtml(f)),
  ].join("");
  return htmlPage(report.title, body, style);
}

/** Options of `modelReport`. */
export interface ModelReportOptions {
  /** Page title. */
  title: string;
  /** Rows of the summary table. */
  facts?: Array<[string, string]>;
  /** Test digits to reconstruct (default 10). */
  reconstructions?: number;
  /** Generated images, a square number (default 64). */
  samples?: number;
  /** Test points in the latent plot (default 2000). */
  latentPoints?: number;
  /** Seed of the samples (default 0). */
  seed?: number;
}

/**
 * Gather a report's images from a model and a test split: reconstructions of the first test
 * digits (a VAE decodes the posterior mean), samples (a VAE decodes z ~ N(0, I); an
 * autoencoder has no prior, so it decodes codes drawn from a Gaussian fitted to its test
 * codes, and the caption says so), and the latent plot (a VAE's posterior means, an
 * autoencoder's codes; with more than 2 latent dimensions the first 2, and a note says so).
 * Leaves no tensors behind.
 */
export function modelReport(model: Autoencoder | VAE | ConvVAE | ConditionalVAE, test: MnistSplit, history: EpochLosses[], options: ModelReportOptions): TrainingReport {
  const { reconstructions = 10, samples = 64, latentPoints = 2000, seed = 0 } = options;
  const notes: string[] = [];
  const first = (n: number) => subset(test, Math.min(n, test.count));
  const rec = first(reconstructions);
  const recX = rec.tensors();
  const inputs = recX.x.dataSync() as Float32Array; // as the model sees them (binarized when the split is)
  const outputs = tf.tidy(() => (model instanceof ConditionalVAE ? model.reconstruct(recX.x, rec.labels) : model.reconstruct(recX.x)).dataSync() as Float32Array);
  tf.dispose([recX.x, recX.labels]);
  const lat = first(latentPoints);
  const latX = lat.tensors();
  const codes = tf.tidy(() => (model instanceof Autoencoder ? model.encode(latX.x) : model instanceof ConditionalVAE ? model.encode(latX.x, lat.labels).mu : model.encode(latX.x).mu));
  tf.dispose([latX.x, latX.labels]);
  const latentDim = model.config.latentDim;
  const sampled = tf.tidy(() => drawSamples(model, codes, samples, seed).dataSync() as Float32Array);
  const what = model instanceof Autoencoder ? "codes" : "posterior means";
  let latent: TrainingReport["latent"];
  if (latentDim >= 2) {
    const points = tf.tidy(() => codes.slice([0, 0], [-1, 2]).dataSync() as Float32Array);
    const dims = latentDim === 2 ? "" : ` (dimensions 1 and 2 of ${latentDim})`;
    latent = { points, labels: lat.labels, caption: `Latent space: ${what} of ${lat.count} test digits${dims}` };
    if (latentDim > 2) notes.push(`The latent plot shows only the first 2 of the ${latentDim} latent dimensions.`);
  } else {
    notes.push("The latent space has 1 dimension: no scatter plot.");
  }
  codes.dispose();
  const caption =
    model instanceof Autoencoder
      ? `An autoencoder has no prior: codes drawn from a Gaussian fitted to the test codes, decoded`
      : model instanceof ConditionalVAE
        ? `Samples from the prior: z ~ N(0, I), decoded with the labels 0, 1, ..., 9 in turn (pixel probabilities)`
        : `Samples from the prior: z ~ N(0, I), decoded (pixel probabilities)`;
  return {
    title: options.title,
    facts: options.facts ?? [],
    history,
    reconstructions: { inputs, outputs, count: rec.count },
    samples: { images: sampled, count: samples, caption },
    latent,
    notes,
  };
}

/**
 * Write a report page atomically (temporary file then rename).
 * @returns the HTML written.
 */
export async function writeReport(file: string, report: TrainingReport): Promise<string> {
  const html = reportHtml(report);
  await writeFileAtomically(file, html);
  return html;
}

/** `[n, 784]` generated images: prior samples for a VAE, fitted-Gaussian codes for an autoencoder. */
function drawSamples(model: Autoencoder | VAE | ConvVAE | ConditionalVAE, codes: tf.Tensor2D, n: number, seed: number): tf.Tensor2D {
  if (model instanceof ConditionalVAE) return model.sample(n, Array.from({ length: n }, (_, i) => i % model.config.classes), seed);
  if (!(model instanceof Autoencoder)) return model.sample(n, seed);
  const { mean, variance } = tf.moments(codes, 0);
  const z = tf.randomNormal([n, model.config.latentDim], 0, 1, "float32", seed).mul(variance.sqrt()).add(mean) as tf.Tensor2D;
  return model.decode(z);
}

/** The first `n` examples of a split, as a new split (copies). */
function subset(split: MnistSplit, n: number): MnistSplit {
  return new MnistSplit(split.name, split.images.slice(0, n * MNIST_PIXELS), split.labels.slice(0, n), split.binarize, split.seed);
}
