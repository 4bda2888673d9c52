/**
 * Build the course site with Sphinx and nbsphinx from the executed notebooks (every notebook
 * that `npm run notebooks` wrote for one kernel), into build/site/: a home page with the
 * course outline, every notebook (never run again), the teacher's page, the pretrained
 * models' results and the library's API reference (TypeDoc).
 *
 *   npm run site                      from build/notebooks/tslab/
 *   npm run site -- --quick           from build/notebooks-quick/tslab/
 *   npm run site -- --kernel deno     from the Deno kernel's copies
 *   npm run site -- --from DIR --out DIR   from any folder of executed notebooks (add --quick
 *                                     when they ran in quick mode: the outline says so)
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { readPretrainedIndex } from "../lib/persist/pretrained";
import { ROOT } from "./kernelspecs";
import { copyPageAssets } from "./page-assets";
import { executionSeconds } from "./cell-times";
import { homePage, markdownPage, Notebook, notebookTitle, OutlineEntry, readmeTeaches, readPrerequisites, resultsPage } from "./site-pages";

const { values } = parseArgs({
  options: { quick: { type: "boolean", default: false }, kernel: { type: "string", default: "tslab" }, from: { type: "string" }, out: { type: "string" } },
});
const from = path.resolve(values.from ?? path.join(ROOT, "build", values.quick ? "notebooks-quick" : "notebooks", values.kernel!));
const out = path.resolve(values.out ?? path.join(ROOT, "build", "site"));
const names = fs.existsSync(from) ? fs.readdirSync(from).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort().map((f) => f.replace(/\.ipynb$/, "")) : [];
if (names.length === 0) {
  console.error(`No executed notebooks in ${path.relative(ROOT, from)}/: run 'npm run notebooks${values.quick ? " -- --quick" : ""}' first.`);
  process.exit(1);
}

const src = `${out}-src`;
fs.rmSync(src, { recursive: true, force: true });
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(path.join(src, "_static"), { recursive: true });
fs.copyFileSync(path.join(ROOT, "site", "conf.py"), path.join(src, "conf.py"));
fs.cpSync(path.join(copyPageAssets(path.dirname(from)), "mathjax"), path.join(src, "_static", "mathjax"), { recursive: true });

const write = (name: string, nb: Notebook) => fs.writeFileSync(path.join(src, `${name}.ipynb`), JSON.stringify(nb));
const teaches = readmeTeaches(fs.readFileSync(path.join(ROOT, "README.md"), "utf8"), names);
const prerequisites = readPrerequisites(path.join(ROOT, "site", "course.json"), names);
const outline: OutlineEntry[] = names.map((name) => {
  const nb: Notebook = JSON.parse(fs.readFileSync(path.join(from, `${name}.ipynb`), "utf8"));
  fs.copyFileSync(path.join(from, `${name}.ipynb`), path.join(src, `${name}.ipynb`));
  return { name, title: notebookTitle(nb, name), teaches: teaches.get(name)!, prerequisites: prerequisites.get(name)!, ...executionSeconds(nb, name) };
});
write("index", homePage(outline, `${path.basename(from)} kernel, ${values.quick ? "quick mode: small subsets and short runs" : "full mode"}`, ["teaching", "results"]));
write("teaching", markdownPage(fs.readFileSync(path.join(ROOT, "site", "teaching.md"), "utf8")));
write("results", resultsPage(readPretrainedIndex(path.join(ROOT, "pretrained")).models));

// The API reference first, inside the sources, so that Sphinx finds the page the home page links to.
const typedoc = path.join(ROOT, "node_modules", "typedoc", "bin", "typedoc");
execFileSync(process.execPath, [typedoc, "--out", path.join(src, "api"), "--disableSources", "--logLevel", "Warn"], { cwd: ROOT, stdio: "inherit" });
execFileSync("sphinx-build", ["-q", "-b", "html", src, out], { stdio: "inherit" });
fs.cpSync(path.join(src, "api"), path.join(out, "api"), { recursive: true });
console.log(`Site: ${path.relative(ROOT, out)}/index.html (${names.length} notebooks, API reference in api/)`);
