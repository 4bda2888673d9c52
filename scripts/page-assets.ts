import * as fs from "node:fs";
import * as path from "node:path";

/** Where Debian's libjs-mathjax and libjs-requirejs put their files (scripts/setup.sh installs both). */
export const DEBIAN_JS = process.env.DEBIAN_JS ?? "/usr/share/javascript";
/** The folder beside the kernels' folders that holds the pages' scripts: `<buildDir>/assets/`. */
export const ASSETS = "assets";

/**
 * The nbconvert options that make an HTML page in `<buildDir>/<kernel>/` load MathJax 2 and
 * RequireJS from the copies that {@link copyPageAssets} puts in `<buildDir>/assets/`, instead
 * of Debian's default `file:///usr/share/javascript/...` URLs (which a served page cannot load).
 */
export const PAGE_ASSET_OPTIONS = [
  `--HTMLExporter.mathjax_url=../${ASSETS}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe`,
  `--HTMLExporter.require_js_url=../${ASSETS}/require.min.js`,
];

/**
 * Copy MathJax (without its `unpacked/` sources and `test/` pages) and `require.min.js` from
 * {@link DEBIAN_JS} into `<buildDir>/assets/`, once: an existing copy is kept. The copy is made
 * in a temporary folder and renamed into place, so a page never sees half of it.
 * @throws Error naming the missing file and the package to install when Debian's copy is absent.
 */
export function copyPageAssets(buildDir: string): string {
  const target = path.join(buildDir, ASSETS);
  if (fs.existsSync(target)) return target;
  const mathjax = path.join(DEBIAN_JS, "mathjax");
  const requirejs = path.join(DEBIAN_JS, "requirejs", "require.min.js");
  if (!fs.existsSync(path.join(mathjax, "MathJax.js"))) throw new Error(`${mathjax}/MathJax.js is missing: run 'npm run setup' (Debian package libjs-mathjax).`);
  if (!fs.existsSync(requirejs)) throw new Error(`${requirejs} is missing: run 'npm run setup' (Debian package libjs-requirejs).`);
  const tmp = `${target}.${process.pid}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const skip = new Set(["unpacked", "test"].map((d) => path.join(mathjax, d)));
  fs.cpSync(mathjax, path.join(tmp, "mathjax"), { recursive: true, dereference: true, filter: (src) => !skip.has(src) });
  fs.copyFileSync(requirejs, path.join(tmp, "require.min.js"));
  fs.renameSync(tmp, target);
  return target;
}
