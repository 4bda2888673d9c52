/**
 * The pages of the course site that are not notebooks (home page with the course outline,
 * the teacher's page, the pretrained models' results), written as one-cell notebooks so
 * that nbsphinx renders their Markdown and formulas the way it renders the notebooks'.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { PretrainedEntry } from "../lib/persist/pretrained";

/** A notebook in nbformat 4 (only what the site writes and reads). */
export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: { id?: string; cell_type: string; source: string | string[]; metadata: Record<string, any>; outputs?: unknown[] }[];
}

/** One notebook in the course outline. */
export interface OutlineEntry {
  /** File name without `.ipynb`, e.g. `"03-elbo"`. */
  name: string;
  /** The notebook's first `# ` heading. */
  title: string;
  /** What it teaches, in Markdown (the README's notebook table). */
  teaches: string;
  /** Names of the notebooks it builds on. */
  prerequisites: string[];
  /** Seconds its code cells took in the executed copy, and its slowest cell's seconds. */
  seconds: number;
  slowestCell: number;
}

const text = (source: string | string[]) => [source].flat().join("");

/** The first `# ` heading of a notebook's Markdown cells. */
export function notebookTitle(nb: Notebook, name: string): string {
  for (const cell of nb.cells.filter((c) => c.cell_type === "markdown")) {
    const heading = text(cell.source).match(/^# (.+)$/m);
    if (heading) return heading[1].trim();
  }
  throw new Error(`site: ${name}.ipynb has no "# " heading in its Markdown cells.`);
}

/**
 * The README's notebook table (`| \`NN-name\` | what it teaches |`), by notebook name.
 * @throws Error when a row cannot be found for one of `names`.
 */
export function readmeTeaches(readme: string, names: string[]): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of readme.split("\n")) {
    const row = line.match(/^\| `(\d\d-[\w-]+)` \| (.+) \|$/);
    if (row) rows.set(row[1], row[2]);
  }
  const missing = names.filter((n) => !rows.has(n));
  if (missing.length) throw new Error(`site: the README's notebook table has no row for ${missing.join(", ")}.`);
  return rows;
}

/**
 * The prerequisites of every notebook, from `site/course.json`.
 * @throws Error naming the notebooks without an entry, or an entry naming an unknown notebook.
 */
export function readPrerequisites(file: string, names: string[]): Map<string, string[]> {
  const listed: Record<string, string[]> = JSON.parse(fs.readFileSync(file, "utf8")).prerequisites;
  const missing = names.filter((n) => !(n in listed));
  if (missing.length) throw new Error(`site: ${path.basename(file)} lists no prerequisites for ${missing.join(", ")}; add an entry (an empty list for none).`);
  for (const [name, before] of Object.entries(listed)) {
    const unknown = before.filter((b) => !names.includes(b));
    if (names.includes(name) && unknown.length) throw new Error(`site: ${path.basename(file)}: ${name} builds on ${unknown.join(", ")}, which is not a notebook of this site.`);
  }
  return new Map(names.map((n) => [n, listed[n]]));
}

function page(...cells: Notebook["cells"]): Notebook {
  return { nbformat: 4, nbformat_minor: 5, metadata: {}, cells };
}

let cellId = 0;
const markdown = (source: string) => ({ id: `page-${++cellId}`, cell_type: "markdown", metadata: {}, source });
/** A raw cell that Sphinx reads as reStructuredText (nbsphinx: toctrees, plain links). */
const rst = (source: string) => ({ id: `page-${++cellId}`, cell_type: "raw", metadata: { raw_mimetype: "text/restructuredtext" }, source });

/** A Markdown text as a one-cell page. */
export function markdownPage(source: string): Notebook {
  return page(markdown(source));
}

const seconds = (s: number) => (s < 90 ? `${s.toFixed(0)} s` : `${(s / 60).toFixed(1)} min`);

/**
 * The home page: the course outline (what each notebook teaches, what it builds on, how long
 * it ran), then the table of contents.
 *
 * @param run which executed copies the site shows, e.g. `"tslab kernel, full mode"`.
 */
export function homePage(entries: OutlineEntry[], run: string, otherPages: string[]): Notebook {
  const title = (name: string) => entries.find((e) => e.name === name)?.title ?? name;
  const rows = entries.map((e) => {
    const before = e.prerequisites.length ? e.prerequisites.map((p) => `[${title(p)}](${p}.ipynb)`).join(", ") : "none";
    return `| [${e.title}](${e.name}.ipynb) | ${e.teaches} | ${before} | ${seconds(e.seconds)} (slowest cell ${seconds(e.slowestCell)}) |`;
  });
  const total = entries.reduce((a, e) => a + e.seconds, 0);
  return page(
    markdown(
      [
        "# Variational autoencoders in TypeScript",
        "",
        "A course in Jupyter notebooks, from a plain autoencoder to the variational autoencoder",
        "and beyond, on real MNIST, with one tested library of TensorFlow.js models. The pages",
        `below are the notebooks as they ran (${run}); every number and figure on them is what`,
        "their cells computed.",
        "",
        "## Course outline",
        "",
        "| notebook | what it teaches | builds on | time to run |",
        "|---|---|---|---|",
        ...rows,
        "",
        `All ${entries.length} notebooks ran in ${seconds(total)} of cell time, one kernel, on the machine that built this site.`,
      ].join("\n"),
    ),
    rst(
      [
        ".. toctree::",
        "   :maxdepth: 1",
        "   :caption: Notebooks",
        "",
        ...entries.map((e) => `   ${e.name}`),
        "",
        ".. toctree::",
        "   :maxdepth: 1",
        "   :caption: For teachers and users of the library",
        "",
        ...otherPages.map((p) => `   ${p}`),
        "",
        "The `API reference <api/index.html>`_ of the library (`vae-kit`) is built from its doc comments.",
        "",
      ].join("\n"),
    ),
  );
}

const BINARIZATION: Record<string, string> = { none: "grey-level", static: "thresholded once", dynamic: "dynamic" };

const TERM_NAMES: Record<string, string> = { negElbo: "−ELBO", reconstruction: "reconstruction", kl: "KL" };

/** Test metrics as "−ELBO 105.64 = reconstruction 80.15 + KL 25.49" when all three terms are there, else "name value, ...". */
export function formatMetrics(test: Record<string, number>): string {
  const f = (v: number) => v.toFixed(2);
  const { negElbo, reconstruction, kl, ...rest } = test;
  if (negElbo === undefined || reconstruction === undefined || kl === undefined) {
    // A classifier's accuracy is a fraction, not nats: shown as a percentage.
    return Object.entries(test).map(([k, v]) => (k === "accuracy" ? `accuracy ${(100 * v).toFixed(2)}%` : `${TERM_NAMES[k] ?? k} ${f(v)}`)).join(", ") || "none";
  }
  return [`−ELBO ${f(negElbo)} = reconstruction ${f(reconstruction)} + KL ${f(kl)}`, ...Object.entries(rest).map(([k, v]) => `${k} ${f(v)}`)].join(", ");
}

/** The pretrained models and their test metrics, from the index `pretrained/manifest.json`. */
export function resultsPage(models: PretrainedEntry[]): Notebook {
  const rows = models.map((m) => {
    const used = m.notebooks.map((n) => `[${n.slice(0, 2)}](${n}.ipynb)`).join(", ");
    const nll = m.nll ? `; NLL estimate −L<sub>${m.nll.k}</sub> ${m.nll.nll.toFixed(2)} ± ${m.nll.standardError.toFixed(2)} (${m.nll.images === 10000 ? "all 10,000" : `first ${m.nll.images}`} test images)` : "";
    return `| \`${m.name}\` | ${m.description} | ${used} | ${BINARIZATION[m.data?.binarize ?? ""] ?? m.data?.binarize ?? ""} | ${formatMetrics((m.metrics?.test ?? {}) as Record<string, number>)}${nll} | ${(m.bytes / 1e6).toFixed(2)} MB |`;
  });
  return markdownPage(
    [
      "# Pretrained models and their results",
      "",
      "The notebooks load these models from the kit's `pretrained/` folder. `npm run train:pretrained`",
      "trains them with fixed seeds on all 60,000 training images; the test metrics are means over all",
      "10,000 test images, in nats per image, as the training wrote them into `pretrained/manifest.json`.",
      "",
      "| model | what it is | used in | binarization | test metrics (nats per image) | size |",
      "|---|---|---|---|---|---|",
      ...rows,
    ].join("\n"),
  );
}
