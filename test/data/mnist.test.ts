import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bytesToFloats,
  loadMnist,
  loadMnistSplit,
  MNIST_PIXELS,
  MnistSplit,
  sampleBernoulli,
} from "../../lib/data/mnist";
import { Rng } from "../../lib/runtime/seed";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

function minMax(values: Float32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < lo) lo = values[i];
    if (values[i] > hi) hi = values[i];
  }
  return [lo, hi];
}

describe("loadMnist", () => {
  it("loads both splits with grey levels in [0, 1]", () => {
    const { train, test } = loadMnist();
    expect(train.count).toBe(60000);
    expect(test.count).toBe(10000);
    expect(train.images.length).toBe(60000 * MNIST_PIXELS);
    expect(test.images.length).toBe(10000 * MNIST_PIXELS);
    expect(train.binarize).toBe("none");
    expect(minMax(train.images)).toEqual([0, 1]);
    expect(minMax(test.images)).toEqual([0, 1]);
    expect(train.labels[0]).toBe(5);
    expect(test.labels[0]).toBe(7);
    // grey levels, not just 0 and 1
    const distinct = new Set(train.image(0));
    expect(distinct.size).toBeGreaterThan(10);
    // mean intensity of MNIST training images is about 0.1307
    let sum = 0;
    for (let i = 0; i < train.images.length; i++) sum += train.images[i];
    expect(sum / train.images.length).toBeCloseTo(0.1307, 3);
  });

  it("binarizes statically to 0/1 only, at threshold 0.5", () => {
    const grey = loadMnistSplit("test", { limit: 100 });
    const binary = loadMnistSplit("test", { limit: 100, binarize: "static" });
    expect(binary.binarize).toBe("static");
    let mismatches = 0;
    for (let i = 0; i < binary.images.length; i++) {
      if (binary.images[i] !== (grey.images[i] > 0.5 ? 1 : 0)) mismatches++;
    }
    expect(mismatches).toBe(0);
    expect(new Set(binary.images)).toEqual(new Set([0, 1]));
  });

  it("keeps grey levels for dynamic binarization (sampled later)", () => {
    const split = loadMnistSplit("test", { limit: 50, binarize: "dynamic" });
    expect(split.binarize).toBe("dynamic");
    expect(new Set(split.images).size).toBeGreaterThan(2);
  });

  it("keeps the first `limit` examples", () => {
    const full = loadMnistSplit("test");
    const { train, test } = loadMnist({ limit: 123 });
    expect(train.count).toBe(123);
    expect(test.count).toBe(123);
    expect(test.images.length).toBe(123 * MNIST_PIXELS);
    expect(Array.from(test.labels)).toEqual(Array.from(full.labels.subarray(0, 123)));
    expect(test.image(122)).toEqual(full.image(122));
    expect(loadMnistSplit("test", { limit: 10 ** 6 }).count).toBe(10000);
  });

  it("rejects a bad limit, binarize, seed or split", () => {
    for (const limit of [0, -5, 1.5, NaN]) {
      expect(() => loadMnist({ limit })).toThrow(
        `Error in loadMnist: options.limit must be a positive integer, but got ${limit}.`,
      );
    }
    expect(() => loadMnist({ binarize: "yes" as never })).toThrow('Error in loadMnist: options.binarize must be one of "none", "static", "dynamic", but got "yes".');
    expect(() => loadMnist({ seed: 0.5 })).toThrow("Error in loadMnist: options.seed must be an integer, but got 0.5.");
    expect(() => loadMnistSplit("valid" as never)).toThrow('Error in loadMnistSplit: split must be "train" or "test", but got "valid".');
  });

  describe("with a custom folder", () => {
    let dir = "";
    const header = (dims: number[]) => {
      const out = [0, 0, 8, dims.length];
      for (const d of dims) out.push((d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255);
      return out;
    };
    const write = (name: string, dims: number[], fill = 0) =>
      fs.writeFileSync(
        path.join(dir, name),
        new Uint8Array([...header(dims), ...new Array(dims.reduce((a, b) => a * b, 1)).fill(fill)]),
      );
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "mnist-test-"));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("loads files from `dir`", () => {
      write("t10k-images-idx3-ubyte", [2, 28, 28], 255);
      write("t10k-labels-idx1-ubyte", [2], 3);
      const split = loadMnistSplit("test", { dir });
      expect(split.count).toBe(2);
      expect(minMax(split.images)).toEqual([1, 1]);
      expect(Array.from(split.labels)).toEqual([3, 3]);
    });

    it("rejects image and label files that disagree in count", () => {
      write("t10k-images-idx3-ubyte", [3, 28, 28]);
      write("t10k-labels-idx1-ubyte", [2]);
      expect(() => loadMnistSplit("test", { dir })).toThrow(
        "loadMnist: t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte disagree: expected 3 labels (one per image), got 2.",
      );
    });

    it("rejects images that are not 28x28", () => {
      write("t10k-images-idx3-ubyte", [2, 32, 32]);
      write("t10k-labels-idx1-ubyte", [2]);
      expect(() => loadMnistSplit("test", { dir })).toThrow(/shape \[count, 28, 28\], but has shape \[2, 32, 32\]/);
    });

    it("rejects labels outside 0..9", () => {
      write("t10k-images-idx3-ubyte", [2, 28, 28]);
      write("t10k-labels-idx1-ubyte", [2], 10);
      expect(() => loadMnistSplit("test", { dir })).toThrow(/label 0 must be a digit 0..9, but is 10/);
    });

    it("names the missing file", () => {
      expect(() => loadMnistSplit("train", { dir })).toThrow(/file not found: .*train-images-idx3-ubyte/);
    });
  });
});

describe("MnistSplit.tensors", () => {
  it("makes [count, 784] float32 images and int32 labels, without leaks", () => {
    const split = loadMnistSplit("test", { limit: 20 });
    const before = tf.memory().numTensors;
    const { x, labels } = split.tensors();
    expect(x.shape).toEqual([20, 784]);
    expect(x.dtype).toBe("float32");
    expect(labels.shape).toEqual([20]);
    expect(labels.dtype).toBe("int32");
    expect(Array.from(labels.dataSync())).toEqual(Array.from(split.labels));
    expect(x.dataSync()).toEqual(split.images);
    x.dispose();
    labels.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("samples a dynamic split, reproducibly by seed", () => {
    const split = loadMnistSplit("test", { limit: 20, binarize: "dynamic", seed: 3 });
    const a = split.tensors();
    const b = split.tensors();
    const c = split.tensors(new Rng(4));
    const values = a.x.dataSync();
    expect(new Set(values)).toEqual(new Set([0, 1]));
    expect(b.x.dataSync()).toEqual(values);
    expect(c.x.dataSync()).not.toEqual(values);
    for (const t of [a, b, c]) tf.dispose([t.x, t.labels]);
  });
});

describe("MnistSplit", () => {
  it("checks that images and labels agree", () => {
    expect(() => new MnistSplit("test", new Float32Array(784 * 2), new Uint8Array(3), "none")).toThrow(
      "Error in MnistSplit: images must be of length 2352 (784 values per label, 3 x 784), but got length 1568.",
    );
  });
});

describe("helpers", () => {
  it("bytesToFloats maps bytes through a lookup table", () => {
    const bytes = new Uint8Array([0, 127, 128, 255]);
    expect(Array.from(bytesToFloats(bytes))).toEqual([0, 127 / 255, 128 / 255, 1].map(Math.fround));
    expect(Array.from(bytesToFloats(bytes, "static"))).toEqual([0, 0, 1, 1]);
  });

  it("sampleBernoulli gives 0/1 with the right mean", () => {
    const probs = new Float32Array(100000).fill(0.3);
    const sample = sampleBernoulli(probs, new Rng(1));
    let sum = 0;
    for (let i = 0; i < sample.length; i++) sum += sample[i];
    expect(new Set(sample)).toEqual(new Set([0, 1]));
    expect(sum / probs.length).toBeCloseTo(0.3, 2);
    expect(Array.from(sampleBernoulli(new Float32Array([0, 1, 0, 1]), new Rng(2)))).toEqual([0, 1, 0, 1]);
  });
});
