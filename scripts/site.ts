/**
 * Build the course site with Sphinx and nbsphinx from the executed notebooks (every notebook
 * that `npm run notebooks` wrote for one kernel), into build/site/:
 *
 *   npm run site                      from build/notebooks/tslab/
 *   npm run site -- --quick           from build/notebooks-quick/tslab/
 *   npm run site -- --kernel deno     from the Deno kernel's copies
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "./kernelspecs";
import { copyPageAssets } from "./page-assets";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, kernel: { type: "string", default: "tslab" } } });
const buildDir = path.join(ROOT, "build", values.quick ? "notebooks-quick" : "notebooks");
const from = path.join(buildDir, values.kernel!);
const notebooks = fs.existsSync(from) ? fs.readdirSync(from).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort() : [];
if (notebooks.length === 0) {
  console.error(`No executed notebooks in ${path.relative(ROOT, from)}/: run 'npm run notebooks${values.quick ? " -- --quick" : ""}' first.`);
  process.exit(1);
}
const src = path.join(ROOT, "build", "site-src");
fs.rmSync(src, { recursive: true, force: true });
fs.mkdirSync(path.join(src, "_static"), { recursive: true });
fs.copyFileSync(path.join(ROOT, "site", "conf.py"), path.join(src, "conf.py"));
for (const nb of notebooks) fs.copyFileSync(path.join(from, nb), path.join(src, nb));
fs.cpSync(path.join(copyPageAssets(buildDir), "mathjax"), path.join(src, "_static", "mathjax"), { recursive: true });
const toc = notebooks.map((nb) => `   ${nb.replace(/\.ipynb$/, "")}`).join("\n");
fs.writeFileSync(
  path.join(src, "index.rst"),
  `Variational autoencoders in TypeScript\n======================================\n\nThe notebooks, executed in the ${values.kernel} kernel${values.quick ? " (quick mode)" : ""}.\n\n.. toctree::\n   :maxdepth: 1\n   :caption: Notebooks\n\n${toc}\n`,
);
const out = path.join(ROOT, "build", "site");
execFileSync("sphinx-build", ["-q", "-b", "html", src, out], { stdio: "inherit" });
console.log(`Site: ${path.relative(ROOT, out)}/index.html (${notebooks.length} notebooks)`);
