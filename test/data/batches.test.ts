import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { type Batch, batches, numBatches } from "../../lib/data/batches";
import { loadMnistSplit, MNIST_PIXELS, type MnistSplit } from "../../lib/data/mnist";
import { Rng } from "../../lib/runtime/seed";

let grey: MnistSplit;
let dynamic: MnistSplit;

beforeAll(async () => {
  await tf.setBackend("cpu");
  grey = loadMnistSplit("test", { limit: 1000 });
  dynamic = loadMnistSplit("test", { limit: 1000, binarize: "dynamic" });
});

/** Run one epoch, keeping plain copies of every batch and disposing its tensor. */
function collect(split: MnistSplit, options: Parameters<typeof batches>[1]) {
  const out: { x: Float32Array; labels: Int32Array; indices: Int32Array; index: number }[] = [];
  for (const batch of batches(split, options)) {
    out.push({ x: batch.x.dataSync() as Float32Array, labels: batch.labels, indices: batch.indices, index: batch.index });
    batch.x.dispose();
  }
  return out;
}

/** Exact equality of two float arrays (much faster than a deep toEqual on 10^5 values). */
function same(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const order = (epoch: ReturnType<typeof collect>) => epoch.flatMap((b) => Array.from(b.indices));

describe("numBatches", () => {
  it("counts full and partial batches", () => {
    expect(numBatches(60000, 128)).toBe(469);
    expect(numBatches(60000, 128, true)).toBe(468);
    expect(numBatches(1000, 100)).toBe(10);
    expect(numBatches(1000, 100, true)).toBe(10);
    expect(numBatches(0, 10)).toBe(0);
    expect(numBatches(5, 10, true)).toBe(0);
  });

  it("rejects bad arguments", () => {
    expect(() => numBatches(10, 0)).toThrow("Error in numBatches: batchSize must be a positive integer, but got 0.");
    expect(() => numBatches(10, 2.5)).toThrow(/got 2.5/);
    expect(() => numBatches(-1, 2)).toThrow("Error in numBatches: count must be an integer >= 0, but got -1.");
  });
});

describe("batches", () => {
  it("yields [batch, 784] tensors whose rows and labels match the split", () => {
    const epoch = collect(grey, { batchSize: 64, rng: new Rng(1) });
    expect(epoch.length).toBe(16);
    expect(epoch.map((b) => b.index)).toEqual([...Array(16).keys()]);
    expect(epoch[0].x.length).toBe(64 * MNIST_PIXELS);
    expect(epoch[15].indices.length).toBe(1000 - 15 * 64);
    for (const b of [epoch[0], epoch[15]]) {
      b.indices.forEach((i, row) => {
        expect(b.labels[row]).toBe(grey.labels[i]);
        expect(b.x.subarray(row * MNIST_PIXELS, (row + 1) * MNIST_PIXELS)).toEqual(grey.image(i));
      });
    }
  });

  it("gives the batch tensor its shape and dtype", () => {
    const it = batches(grey, { batchSize: 32, rng: new Rng(1) });
    const first = it.next().value as Batch;
    expect(first.x.shape).toEqual([32, 784]);
    expect(first.x.dtype).toBe("float32");
    first.x.dispose();
    it.return(undefined);
  });

  it("visits every example exactly once per epoch, in a new order each epoch", () => {
    const rng = new Rng(7);
    const first = order(collect(grey, { batchSize: 100, rng }));
    const second = order(collect(grey, { batchSize: 100, rng }));
    for (const epoch of [first, second]) {
      expect(epoch.length).toBe(1000);
      expect([...epoch].sort((a, b) => a - b)).toEqual([...Array(1000).keys()]);
    }
    expect(second).not.toEqual(first);
    expect(first).not.toEqual([...Array(1000).keys()]);
  });

  it("keeps the stored order without shuffle (no rng needed)", () => {
    const epoch = order(collect(grey, { batchSize: 300, shuffle: false }));
    expect(epoch).toEqual([...Array(1000).keys()]);
  });

  it("gives identical batches for the same seed and different ones for another seed", () => {
    const run = (seed: number) => {
      const rng = new Rng(seed);
      return [collect(dynamic, { batchSize: 250, rng }), collect(dynamic, { batchSize: 250, rng })];
    };
    const a = run(11);
    const b = run(11);
    const c = run(12);
    for (let e = 0; e < 2; e++) {
      expect(order(b[e])).toEqual(order(a[e]));
      expect(b[e].every((batch, k) => same(batch.x, a[e][k].x))).toBe(true);
      expect(order(c[e])).not.toEqual(order(a[e]));
      expect(c[e].some((batch, k) => !same(batch.x, a[e][k].x))).toBe(true);
    }
  });

  it("resamples dynamic binarization: only 0/1, mean close to the grey-level mean", () => {
    const rng = new Rng(5);
    const draw = () => collect(dynamic, { batchSize: 1000, rng })[0];
    const first = draw();
    const second = draw();
    // same examples in a different order: compare example 0 in both draws
    const row = (b: ReturnType<typeof draw>, i: number) => {
      const r = Array.from(b.indices).indexOf(i);
      return b.x.subarray(r * MNIST_PIXELS, (r + 1) * MNIST_PIXELS);
    };
    expect(same(row(second, 0), row(first, 0))).toBe(false);
    expect(new Set(first.x)).toEqual(new Set([0, 1]));
    let greySum = 0;
    let binarySum = 0;
    for (let i = 0; i < dynamic.images.length; i++) greySum += dynamic.images[i];
    for (let i = 0; i < first.x.length; i++) binarySum += first.x[i];
    const n = dynamic.images.length;
    expect(Math.abs(binarySum / n - greySum / n)).toBeLessThan(0.003);
    // pixels that are pure background (grey 0) never turn on, full ink (grey 1) always does
    const img = dynamic.image(0);
    const sampled = row(first, 0);
    for (let p = 0; p < MNIST_PIXELS; p++) {
      if (img[p] === 0) expect(sampled[p]).toBe(0);
      if (img[p] === 1) expect(sampled[p]).toBe(1);
    }
  });

  it("keeps or drops the last partial batch", () => {
    const kept = collect(grey, { batchSize: 300, rng: new Rng(2) });
    expect(kept.map((b) => b.indices.length)).toEqual([300, 300, 300, 100]);
    const dropped = collect(grey, { batchSize: 300, rng: new Rng(2), dropLast: true });
    expect(dropped.map((b) => b.indices.length)).toEqual([300, 300, 300]);
    expect(new Set(order(dropped)).size).toBe(900);
    expect(collect(grey, { batchSize: 5000, rng: new Rng(2), dropLast: true })).toEqual([]);
    expect(collect(grey, { batchSize: 5000, rng: new Rng(2) })[0].indices.length).toBe(1000);
  });

  it("leaks no tensors once the caller disposes the batches", () => {
    const before = tf.memory().numTensors;
    const rng = new Rng(3);
    for (let e = 0; e < 2; e++) {
      for (const batch of batches(dynamic, { batchSize: 128, rng })) batch.x.dispose();
    }
    // breaking out of an epoch early leaves nothing behind either
    for (const batch of batches(grey, { batchSize: 128, rng })) {
      batch.x.dispose();
      break;
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it("rejects a bad batch size and a missing rng", () => {
    expect(() => batches(grey, { batchSize: 0, rng: new Rng(1) })).toThrow(
      "Error in batches: options.batchSize must be a positive integer, but got 0.",
    );
    expect(() => batches(grey, { batchSize: 10 })).toThrow(
      "Error in batches: options.rng must be an Rng, which is required because shuffle is true, but got undefined.",
    );
    expect(() => batches(dynamic, { batchSize: 10, shuffle: false })).toThrow(/required because the split uses binarize "dynamic"/);
  });
});
