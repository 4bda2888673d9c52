import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KERNELS, KernelName, ROOT, writeKernelspecs } from "../../scripts/kernelspecs";
import { NotebookRun, runNotebook } from "../../scripts/notebook-runner";
import { isPlotlyOutput } from "../../scripts/png-fallbacks";

// The library as a user gets it: `npm pack` of lib/, installed with only its peers into a
// new project outside the kit's folder, then a small notebook run there in both kernels,
// with the pretrained models found through the one documented setting, VAE_PRETRAINED_DIR.
// npm installs from its cache where it can (--prefer-offline): `npm ci` of the kit filled it.

const libDir = path.join(ROOT, "lib");
const peers = JSON.parse(fs.readFileSync(path.join(libDir, "package.json"), "utf8")).peerDependencies as Record<string, string>;
/** The peers a project installs: all but the optional native backend, which cannot install everywhere. */
const required = ["@tensorflow/tfjs", "@tensorflow/tfjs-backend-wasm"].map((name) => `${name}@${peers[name]}`);
const NOTEBOOK = "packed-install.ipynb";

// Test -ELBO after 2 epochs on 2,000 images (the README's 2-D VAE, wasm backend): 243.72 nats
// per image in tslab and in Deno on the development machine. An untrained decoder gives about
// 784 ln 2 = 543 nats; the bound leaves room for another backend while failing a model that
// did not learn.
const NEG_ELBO_BOUND = 270;

/** The TypeScript code blocks of the library's README, in order. */
function readmeBlocks(): string[] {
  const text = fs.readFileSync(path.join(libDir, "README.md"), "utf8");
  return [...text.matchAll(/^ *```ts\n([\s\S]*?)^ *```$/gm)].map((m) => m[1].replace(/^ {2}/gm, "").trimEnd());
}

/**
 * The cells of the notebook: the README's example word for word (load 2,000 images, train a
 * 2-D VAE for 2 epochs; plot its latent space and samples; load a pretrained model), each
 * followed by a cell that prints what the test checks.
 */
function cells(): string[] {
  const [train, plot, pretrained] = readmeBlocks();
  expect(train, "lib/README.md: the first ts block trains").toContain("kit.fit(");
  expect(plot, "lib/README.md: the second ts block plots").toContain("kit.latentScatter(");
  expect(pretrained, "lib/README.md: the third ts block loads a pretrained model").toContain("kit.loadPretrained(");
  return [
    train,
    `console.log(JSON.stringify({ train: train.count, test: test.count, negElbo: kit.evaluate(vae, test).negElbo }));`,
    plot,
    pretrained,
    `const samples = model.sample(16, 1);
const pixels = samples.dataSync();
samples.dispose();
kit.show(kit.imageGrid(pixels, { rows: 2, cols: 8 }));
console.log(JSON.stringify({ pretrained: manifest.name, min: Math.min(...pixels), max: Math.max(...pixels) }));`,
  ];
}

function notebookJson(cells: string[]): string {
  const cell = (source: string) => ({ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source });
  return JSON.stringify({ cells: cells.map(cell), metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1);
}

/** The environment of npm and the kernels, without the npm_* variables of an enclosing `npm test`. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith("npm_")));
  return { ...env, ...extra };
}

function npm(args: string[], cwd: string): string {
  const run = spawnSync("npm", args, { cwd, encoding: "utf8", env: cleanEnv() });
  if (run.status !== 0) throw new Error(`npm ${args.join(" ")} failed (${run.status}) in ${cwd}:\n${run.stdout}\n${run.stderr}`);
  return run.stdout;
}

/** A new project in `dir` with `spec` (a tarball or a folder) and the required peers installed. */
function newProject(dir: string, spec: string, flags: string[] = []): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: path.basename(dir), version: "1.0.0", private: true }, null, 2));
  npm(["install", "--no-audit", "--no-fund", "--prefer-offline", ...flags, spec, ...required], dir);
  return dir;
}

/** Load TensorFlow.js as the project does, then vae-kit and its backend, in a fresh Node process. */
const LOAD_BOTH = `
const path = require("path");
const tf = require("@tensorflow/tfjs");
const kit = require("vae-kit");
kit.initBackend().then(() => {
  const fromKit = require.resolve("@tensorflow/tfjs-core", { paths: [path.dirname(require.resolve("vae-kit"))] });
  const loaded = Object.keys(require.cache).filter((f) => /tfjs-core[\\\\/]dist[\\\\/][^\\\\/]+\\.js$/.test(f));
  console.log(JSON.stringify({ fromApp: require.resolve("@tensorflow/tfjs-core"), fromKit, loaded, backend: tf.getBackend() }));
});`;

function loadBoth(project: string): { fromApp: string; fromKit: string; loaded: string[]; backend: string; stderr: string } {
  const run = spawnSync(process.execPath, ["-e", LOAD_BOTH], { cwd: project, encoding: "utf8", env: cleanEnv() });
  if (run.status !== 0) throw new Error(`node failed in ${project}:\n${run.stdout}\n${run.stderr}`);
  return { ...JSON.parse(run.stdout.trim().split("\n").pop()!), stderr: run.stderr };
}

/** The JSON objects a cell printed to stdout, merged. */
function printed(cell: any): Record<string, unknown> {
  const text = (cell.outputs ?? []).filter((o: any) => o.output_type === "stream" && o.name === "stdout").map((o: any) => [o.text].flat().join("")).join("");
  return Object.assign({}, ...text.split("\n").filter((l: string) => l.startsWith("{")).map((l: string) => JSON.parse(l)));
}

/** Everything the notebook's cells wrote to their text streams. */
function streamText(nb: any): string {
  return nb.cells.flatMap((c: any) => c.outputs ?? []).filter((o: any) => o.output_type === "stream").map((o: any) => [o.text].flat().join("")).join("");
}

let scratch: string;
let app: string;
const runs = new Map<KernelName, Promise<NotebookRun>>();

beforeAll(() => {
  expect(fs.existsSync(path.join(libDir, "dist", "index.js")), "run npm run build first").toBe(true);
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "vae-kit-install-"));
  const [packed] = JSON.parse(npm(["pack", "--json", "--pack-destination", scratch], libDir)) as { filename: string }[];
  app = newProject(path.join(scratch, "app"), path.join(scratch, packed.filename));
  fs.writeFileSync(path.join(app, NOTEBOOK), notebookJson(cells()));
  writeKernelspecs();
  const buildDir = path.join(ROOT, "build", "test-packed-install");
  const env = { VAE_PRETRAINED_DIR: path.join(ROOT, "pretrained") };
  for (const kernel of KERNELS) runs.set(kernel, runNotebook(NOTEBOOK, kernel, { quick: false, dir: app, buildDir, env }));
}, 300_000);

afterAll(async () => {
  await Promise.allSettled(runs.values());
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe("the packed library installed with only its peers in a new project", () => {
  it("holds the compiled code and the README, outside the kit's folder", () => {
    expect(path.relative(ROOT, app).startsWith("..")).toBe(true);
    const installed = path.join(app, "node_modules", "vae-kit");
    expect(fs.lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(fs.readdirSync(installed).sort()).toEqual(["README.md", "dist", "package.json"]);
  });

  it("loads one TensorFlow.js, the project's, with no duplicate kernel registrations", () => {
    const result = loadBoth(app);
    expect(result.fromKit).toBe(result.fromApp);
    expect(result.fromApp.startsWith(path.join(app, "node_modules"))).toBe(true);
    expect(result.loaded).toEqual([result.fromApp]);
    expect(result.stderr).not.toContain("already registered");
    expect(result.backend).toBe("wasm");
  }, 120_000);

  it("without VAE_PRETRAINED_DIR, loadPretrained's error names the setting and where the models are", () => {
    const code = `require("vae-kit").loadPretrained("vae-2d").then(() => console.log("loaded"), (e) => console.log(e.message));`;
    const out = execFileSync(process.execPath, ["-e", code], { cwd: app, encoding: "utf8", env: cleanEnv({ VAE_BACKEND: "cpu" }) });
    expect(out).toContain("no pretrained models found");
    expect(out).toContain("Set the environment variable VAE_PRETRAINED_DIR to that folder");
    expect(out).toContain("the pretrained/ folder of a checkout of the kit");
  }, 60_000);

  for (const kernel of KERNELS) {
    it(`runs the README's example as a notebook in ${kernel}: 2,000 images, a 2-D VAE trained for 2 epochs, its latent space, a pretrained model's samples`, async () => {
      const run = await runs.get(kernel)!;
      expect(run.error ?? "", `${kernel} failed`).toBe("");
      const nb = JSON.parse(fs.readFileSync(run.executed, "utf8"));
      const cells = nb.cells;
      expect(cells.flatMap((c: any) => c.outputs).filter((o: any) => o.output_type === "error")).toEqual([]);
      expect(streamText(nb)).not.toContain("already registered");
      const { train, test, negElbo } = printed(cells[1]) as { train: number; test: number; negElbo: number };
      expect({ train, test }).toEqual({ train: 2000, test: 2000 });
      expect(Number.isFinite(negElbo), `test -ELBO ${negElbo}`).toBe(true);
      expect(negElbo).toBeGreaterThan(0);
      expect(negElbo).toBeLessThan(NEG_ELBO_BOUND);
      expect(cells[2].outputs.filter(isPlotlyOutput)).toHaveLength(2); // latent space, samples
      expect(cells[4].outputs.filter(isPlotlyOutput)).toHaveLength(1);
      const sampled = printed(cells[4]) as { pretrained: string; min: number; max: number };
      expect(sampled.pretrained).toBe("vae-2d");
      // Pixel probabilities: sample() applies the sigmoid to the decoder's logits.
      expect(sampled.min).toBeGreaterThanOrEqual(0);
      expect(sampled.max).toBeLessThanOrEqual(1);
      expect(sampled.max).toBeGreaterThan(sampled.min);
    }, 600_000);
  }
});

describe("one TensorFlow.js, whichever way the library is installed", () => {
  it("in the kit's own checkout: the library resolves the root's copy (tfjs is a peer, not a dependency)", () => {
    const lib = JSON.parse(fs.readFileSync(path.join(libDir, "package.json"), "utf8"));
    expect(Object.keys(lib.dependencies ?? {}).filter((d) => d.startsWith("@tensorflow/"))).toEqual([]);
    expect(Object.keys(lib.peerDependencies)).toEqual(expect.arrayContaining(["@tensorflow/tfjs", "@tensorflow/tfjs-backend-wasm"]));
    const fromRoot = require.resolve("@tensorflow/tfjs-core", { paths: [ROOT] });
    expect(require.resolve("@tensorflow/tfjs-core", { paths: [path.join(libDir, "dist", "persist")] })).toBe(fromRoot);
  });

  it("from the lib/ folder with npm install --install-links: the project's copy", () => {
    const linked = newProject(path.join(scratch, "linked"), libDir, ["--install-links"]);
    expect(fs.lstatSync(path.join(linked, "node_modules", "vae-kit")).isSymbolicLink()).toBe(false);
    const result = loadBoth(linked);
    expect(result.fromKit).toBe(result.fromApp);
    expect(result.fromApp.startsWith(path.join(linked, "node_modules"))).toBe(true);
    expect(result.loaded).toEqual([result.fromApp]);
    expect(result.stderr).not.toContain("already registered");
  }, 300_000);

  it("from the lib/ folder as a plain link (npm install path/to/lib): two copies, and initBackend says how to install instead", () => {
    const linked = newProject(path.join(scratch, "symlinked"), libDir);
    expect(fs.lstatSync(path.join(linked, "node_modules", "vae-kit")).isSymbolicLink()).toBe(true);
    const result = loadBoth(linked);
    expect(result.fromKit).not.toBe(result.fromApp);
    expect(result.loaded).toHaveLength(2);
    expect(result.stderr).toContain("vae-kit: 2 copies of TensorFlow.js are loaded");
    expect(result.stderr).toContain("npm install --install-links path/to/lib");
  }, 300_000);
});
