import * as fs from "fs";
import * as path from "path";
import writeFileAtomic from "write-file-atomic";

/**
 * Crash-safe writes. A file is written to a temporary file next to it, flushed to disk
 * (fsync) and renamed over the target (`write-file-atomic`), so a reader sees the old file or
 * the new one, never a half-written one. A folder (a whole checkpoint) is written under a
 * sibling name `<dir>.partial` and swapped into place by two renames (see `replaceFolder`).
 */

/**
 * Write a file atomically: temporary file, fsync, rename. Creates missing parent folders.
 *
 * @param file target path.
 * @param data the content; a string is written as UTF-8.
 * @throws Error from the file system (permissions, disk full); the temporary file is removed.
 */
export async function writeFileAtomically(file: string, data: string | Uint8Array): Promise<void> {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const buffer = typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  await writeFileAtomic(file, buffer);
}

/** `writeFileAtomically` for callers that cannot wait (a plot written from a notebook cell). */
export function writeFileAtomicallySync(file: string, data: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileAtomic.sync(file, data);
}

/** Write `value` as pretty-printed JSON (2-space indent, final newline), atomically. */
export async function writeJsonAtomically(file: string, value: unknown): Promise<void> {
  await writeFileAtomically(file, JSON.stringify(value, null, 2) + "\n");
}

/** The sibling folders used while a folder `dir` is being replaced. */
export interface StagingFolders {
  /** `<dir>.partial`: the new content is written here first. */
  partial: string;
  /** `<dir>.previous`: the old content, for the moment between the two renames. */
  previous: string;
}

/** The staging folders of `dir` (see `StagingFolders`). */
export function stagingFolders(dir: string): StagingFolders {
  const base = path.resolve(dir);
  return { partial: `${base}.partial`, previous: `${base}.previous` };
}

/**
 * Put the folder `staged` in the place of `dir`, keeping a complete folder on disk at every
 * moment: `dir` is renamed to `<dir>.previous`, `staged` to `dir`, then `<dir>.previous` is
 * removed. A crash between the two renames leaves `dir` missing but both `<dir>.previous`
 * (the old content) and `staged` (the new one) complete; `recoverableFolder` finds them.
 *
 * @throws Error from the file system; `dir` is then either the old or the new folder, or
 *   missing with the old one at `<dir>.previous`.
 */
export function replaceFolder(staged: string, dir: string): void {
  const target = path.resolve(dir);
  const { previous } = stagingFolders(target);
  if (fs.existsSync(target)) {
    fs.rmSync(previous, { recursive: true, force: true });
    fs.renameSync(target, previous);
  }
  fs.renameSync(staged, target);
  fsyncFolder(path.dirname(target));
  fs.rmSync(previous, { recursive: true, force: true });
}

/**
 * Where the content of a folder that is missing because a `replaceFolder` was cut short
 * now lives: `<dir>.partial` (the newer content) when it holds `marker`, else
 * `<dir>.previous` when it holds `marker`, else undefined. Returns undefined when `dir`
 * itself exists.
 *
 * @param marker a file that is written last, e.g. `"manifest.json"`.
 */
export function recoverableFolder(dir: string, marker: string): string | undefined {
  if (fs.existsSync(dir)) return undefined;
  const { partial, previous } = stagingFolders(dir);
  return [partial, previous].find((candidate) => fs.existsSync(path.join(candidate, marker)));
}

/** Flush a folder's entries (renames) to disk where the platform allows it. */
function fsyncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    // Not supported on every platform (e.g. Windows); the rename itself is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
