import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { executionSeconds } from "../../scripts/cell-times";
import { formatMetrics, resultsPage, Notebook, notebookTitle, readmeTeaches, readPrerequisites } from "../../scripts/site-pages";

const code = (busy?: string, idle?: string) => ({ cell_type: "code", source: "", outputs: [], metadata: busy ? { execution: { "iopub.status.busy": busy, "iopub.status.idle": idle } } : {} });
const nb = (...cells: Notebook["cells"]): Notebook => ({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });

describe("the site's pages", () => {
  it("time a notebook from its cells' execution timestamps, and refuse one that did not run", () => {
    const ran = nb(code("2026-01-01T00:00:00.000Z", "2026-01-01T00:00:02.500Z"), code("2026-01-01T00:00:03.000Z", "2026-01-01T00:00:10.000Z"));
    expect(executionSeconds(ran, "a")).toEqual({ seconds: 9.5, slowestCell: 7, slowestIndex: 1 });
    expect(() => executionSeconds(nb(code()), "b")).toThrow(/code cell 1 of b\.ipynb has no execution timestamps: the notebook has not been run/);
  });

  it("take the title from the first # heading", () => {
    expect(notebookTitle(nb({ cell_type: "markdown", metadata: {}, source: ["Intro\n", "# 03 · The ELBO\n", "text"] }), "x")).toBe("03 · The ELBO");
    expect(() => notebookTitle(nb(code()), "x")).toThrow(/x\.ipynb has no "# " heading/);
  });

  it("read what each notebook teaches from the README's table, naming a missing row", () => {
    const readme = "| notebook | what it teaches |\n|---|---|\n| `01-autoencoder` | The bottleneck idea. |\n";
    expect(readmeTeaches(readme, ["01-autoencoder"]).get("01-autoencoder")).toBe("The bottleneck idea.");
    expect(() => readmeTeaches(readme, ["01-autoencoder", "02-vae"])).toThrow(/no row for 02-vae/);
  });

  it("read prerequisites, naming notebooks without an entry and unknown ones", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "course-")), "course.json");
    fs.writeFileSync(file, JSON.stringify({ prerequisites: { "01-a": [], "02-b": ["01-a"], "03-c": ["09-z"] } }));
    expect(readPrerequisites(file, ["01-a", "02-b"]).get("02-b")).toEqual(["01-a"]);
    expect(() => readPrerequisites(file, ["01-a", "04-d"])).toThrow(/no prerequisites for 04-d/);
    expect(() => readPrerequisites(file, ["01-a", "03-c"])).toThrow(/03-c builds on 09-z, which is not a notebook/);
  });

  it("write the three ELBO terms as one sum, other metrics as name-value pairs", () => {
    expect(formatMetrics({ reconstruction: 80.154, kl: 25.49, negElbo: 105.644 })).toBe("−ELBO 105.64 = reconstruction 80.15 + KL 25.49");
    expect(formatMetrics({ reconstruction: 147.532 })).toBe("reconstruction 147.53");
    expect(formatMetrics({})).toBe("none");
  });

  it("list a stored test NLL estimate beside the model's test metrics", () => {
    const entry = { name: "vae-x", kind: "vae", description: "VAE", notebooks: ["03-elbo"], config: {}, data: { binarize: "dynamic" }, epochs: 10,
      metrics: { test: { negElbo: 102.84, reconstruction: 76.61, kl: 26.23 } }, bytes: 2e6, manifestSha256: "",
      nll: { k: 5000, images: 2000, seed: 1, binarize: "dynamic", nll: 97.264, standardError: 0.5876, negElbo: 102.9, seconds: 1 } } as any;
    const table = [resultsPage([entry]).cells[0].source].flat().join("");
    expect(table).toContain("| −ELBO 102.84 = reconstruction 76.61 + KL 26.23; NLL estimate −L<sub>5000</sub> 97.26 ± 0.59 (first 2000 test images) |");
    const whole = [resultsPage([{ ...entry, nll: { ...entry.nll, images: 10000 } }]).cells[0].source].flat().join("");
    expect(whole).toContain("97.26 ± 0.59 (all 10,000 test images) |");
    expect([resultsPage([{ ...entry, nll: undefined }]).cells[0].source].flat().join("")).not.toContain("NLL estimate");
  });
});
