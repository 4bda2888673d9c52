import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadMnistSplit, MNIST_PIXELS, MnistSplit } from "../../lib/data/mnist";
import { meanWithStandardError } from "../../lib/eval/moments";
import { estimateNll } from "../../lib/eval/nll";
import { loadCheckpoint } from "../../lib/persist/load";
import { initBackend } from "../../lib/runtime/backend";
import { estimateNllInProcesses } from "../../scripts/nll-processes";

const modelDir = path.join(__dirname, "..", "..", "pretrained", "vae-20d-dynamic");
const options = { modelDir, binarize: "dynamic" as const, images: 5, k: 40, seed: 3, backend: "wasm" };

/** estimateNll in this process on test images [from, to), as part `seed` of a split run draws them. */
async function inThisProcess(from: number, to: number, seed: number) {
  const test = loadMnistSplit("test", { binarize: "dynamic", limit: to });
  const slice = new MnistSplit("test", test.images.slice(from * MNIST_PIXELS), test.labels.slice(from), test.binarize, test.seed);
  const { model } = await loadCheckpoint(modelDir, { kind: "vae" });
  try {
    return await estimateNll(model, slice, { k: options.k, seed });
  } finally {
    model.dispose();
  }
}

describe("estimateNllInProcesses", () => {
  beforeAll(() => initBackend("wasm", { quiet: true }));

  it("with one process gives estimateNll's own figures", async () => {
    const split = await estimateNllInProcesses({ ...options, processes: 1 });
    const own = await inThisProcess(0, options.images, options.seed);
    expect(split.count).toBe(options.images);
    expect(split.nll).toBeCloseTo(own.nll, 10);
    expect(split.standardError).toBeCloseTo(own.nllStandardError, 10);
    expect(split.negElbo).toBeCloseTo(own.negElbo, 4);
  }, 60_000);

  it("with two processes joins the parts, each seeded with seed + part, in order, and reports progress over all", async () => {
    const progress: number[] = [];
    const split = await estimateNllInProcesses({ ...options, processes: 2 }, (done, total) => {
      expect(total).toBe(options.images);
      progress.push(done);
    });
    const first = await inThisProcess(0, 3, options.seed); // bounds round(5/2) = 3
    const second = await inThisProcess(3, 5, options.seed + 1);
    const joined = meanWithStandardError([...first.perImage, ...second.perImage]);
    expect(split.count).toBe(5);
    expect(split.nll).toBeCloseTo(joined.mean, 10);
    expect(split.standardError).toBeCloseTo(joined.standardError, 10);
    expect(split.negElbo).toBeCloseTo((first.negElbo * 3 + second.negElbo * 2) / 5, 4);
    expect(Math.max(...progress)).toBe(5);
  }, 60_000);

  it("names the part whose worker failed", async () => {
    await expect(estimateNllInProcesses({ ...options, modelDir: path.join(modelDir, "missing"), processes: 2 })).rejects.toThrow(/test images (0 to 2|3 to 4) ended with exit code 1 before it reported/);
  }, 60_000);
});
