import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import writeFileAtomic from "write-file-atomic";

/** The checkout's root folder. */
export const ROOT = path.resolve(__dirname, "..");
/** The folder put on JUPYTER_PATH so Jupyter finds the project's kernels. */
export const JUPYTER_PATH = path.join(ROOT, "jupyter");
/** The kernels the notebooks run in. */
export const KERNELS = ["tslab", "deno"] as const;
export type KernelName = (typeof KERNELS)[number];

const specs: Record<KernelName, { argv: string[]; display_name: string; language: string }> = {
  tslab: {
    argv: [path.join(ROOT, "node_modules/.bin/tslab"), "kernel", "--config-path", "{connection_file}"],
    display_name: "TypeScript (tslab)",
    language: "typescript",
  },
  deno: {
    argv: [path.join(ROOT, "node_modules/.bin/deno"), "jupyter", "--kernel", "--conn", "{connection_file}"],
    display_name: "Deno",
    language: "typescript",
  },
};

/**
 * Write `jupyter/kernels/{tslab,deno}/kernel.json` with absolute paths into this checkout's
 * node_modules; with `user`, also register both kernels for the user's own Jupyter.
 *
 * @throws Error when a kernel's executable is missing (run `npm install`).
 */
export function writeKernelspecs(user = false): void {
  for (const name of KERNELS) {
    const spec = specs[name];
    if (!fs.existsSync(spec.argv[0])) {
      throw new Error(`kernelspecs: ${spec.argv[0]} is missing; run 'npm install' first.`);
    }
    const dir = path.join(JUPYTER_PATH, "kernels", name);
    fs.mkdirSync(dir, { recursive: true });
    writeFileAtomic.sync(path.join(dir, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
    if (user) {
      execFileSync("jupyter", ["kernelspec", "install", "--user", "--replace", "--name", name, dir], { stdio: "inherit" });
    }
  }
}
