import * as path from "path";

/**
 * The folders of the copies of `@tensorflow/tfjs-core` that this process has loaded, read from
 * Node's module cache (`require.cache`). One copy is right: the notebook's `@tensorflow/tfjs`
 * and the library's must be the same, or each registers its kernels again ("kernel ... is
 * already registered") and tensors of one are not tensors of the other. Two copies come from
 * installing the library as a symbolic link (`npm install path/to/lib`): Node then resolves the
 * library's TensorFlow.js from the folder the link points to.
 *
 * @param files the loaded module files; default the keys of `require.cache` (none where there
 *   is no CommonJS module cache).
 * @returns the distinct `.../@tensorflow/tfjs-core` folders, in the order first seen.
 *
 * @example
 * tfjsCoreCopies(["/app/node_modules/@tensorflow/tfjs-core/dist/tf-core.node.js"]);
 * // ["/app/node_modules/@tensorflow/tfjs-core"]
 */
export function tfjsCoreCopies(files: string[] = typeof require === "function" && require.cache ? Object.keys(require.cache) : []): string[] {
  const folders = files
    .map((f) => /^(.*[\\/]@tensorflow[\\/]tfjs-core)[\\/]dist[\\/]/.exec(f)?.[1])
    .filter((f): f is string => f !== undefined)
    .map((f) => path.normalize(f));
  return [...new Set(folders)];
}

/** The warning `initBackend` prints when more than one copy is loaded; undefined for one or none. */
export function tfjsCopiesWarning(copies: string[] = tfjsCoreCopies()): string | undefined {
  if (copies.length < 2) return undefined;
  return (
    `vae-kit: ${copies.length} copies of TensorFlow.js are loaded (${copies.join(", ")}), so tensors and kernels are not shared between them. ` +
    "This happens when vae-kit is installed as a link (npm install path/to/lib). Install it as a copy instead: " +
    "npm install --install-links path/to/lib, or the tarball of npm pack."
  );
}
