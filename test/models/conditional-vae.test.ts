import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMnist, MnistSplit } from "../../lib/data/mnist";
import { ConditionalVAE } from "../../lib/models/conditional-vae";
import { loadCheckpoint } from "../../lib/persist/load";
import { initBackend } from "../../lib/runtime/backend";
import { fitWithCheckpoints, resumeFit } from "../../lib/train/checkpoint";
import { evaluate } from "../../lib/train/evaluate";
import { fit } from "../../lib/train/fit";
import { maxAbsDiff, removeTempDirs, tempDir } from "../persist/helpers";

const small = { hiddenSizes: [32], latentDim: 4 };
let data: { train: MnistSplit; test: MnistSplit };

beforeAll(async () => {
  await initBackend("wasm", { quiet: true });
  data = loadMnist({ limit: 2000, binarize: "dynamic" });
});
afterAll(removeTempDirs);

/** The split with every label moved to the next digit. */
function wrongLabels(split: MnistSplit): MnistSplit {
  const labels = split.labels.map((l) => (l + 1) % 10);
  return new MnistSplit(split.name, split.images, labels, split.binarize, split.seed);
}

describe("ConditionalVAE", () => {
  it("maps x and labels to posteriors, z and labels to images, with the counted weights", () => {
    const cvae = new ConditionalVAE({ ...small, seed: 1 });
    const x = tf.randomUniform([5, 784]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const { mu, logVar } = cvae.encode(x, [0, 1, 2, 3, 4]);
    expect(mu.shape).toEqual([5, 4]);
    expect(logVar.shape).toEqual([5, 4]);
    const samples = cvae.sample(3, 7, 1);
    expect(samples.shape).toEqual([3, 784]);
    expect(tf.memory().numTensors).toBe(before + 3);
    // encoder (784 + 10) * 32 + 32, two heads 32 * 4 + 4; decoder (4 + 10) * 32 + 32, 32 * 784 + 784.
    expect(cvae.countParams()).toBe(794 * 32 + 32 + 2 * (32 * 4 + 4) + (14 * 32 + 32) + (32 * 784 + 784));
    tf.dispose([x, mu, logVar, samples]);
    cvae.dispose();
  });

  it("decodes one z under different labels to different images, and the same label to the same image", () => {
    const cvae = new ConditionalVAE({ ...small, seed: 2 });
    const z = tf.tile(tf.randomNormal([1, 4], 0, 1, "float32", 3), [3, 1]) as tf.Tensor2D;
    const images = cvae.decode(z, [1, 1, 8]);
    const [a, b, c] = tf.split(images, 3);
    expect(maxAbsDiff([a], [b])).toBe(0);
    expect(maxAbsDiff([a], [c])).toBeGreaterThan(1e-4);
    tf.dispose([z, images, a, b, c]);
    cvae.dispose();
  });

  it("rejects missing labels, labels out of range and a wrong number of them, naming the argument", () => {
    const cvae = new ConditionalVAE({ ...small, seed: 1 });
    const x = tf.randomUniform([2, 784]) as tf.Tensor2D;
    expect(() => cvae.lossTerms(x, { beta: 1, seed: 1 })).toThrow(/ConditionalVAE.lossTerms: options.labels must be the digit labels/);
    expect(() => cvae.encode(x, [0, 10])).toThrow(/options|labels must be integers in \[0, 9\], but got 10 at position 1/);
    expect(() => cvae.decode(tf.zeros([2, 4]) as tf.Tensor2D, [3])).toThrow(/labels must be 2 labels, one per row, but got 1/);
    expect(() => new ConditionalVAE({ classes: 1 })).toThrow(/config.classes must be an integer >= 2/);
    x.dispose();
    cvae.dispose();
  });

  it("trains with fit on 2,000 images: the test -ELBO falls, and the true labels explain the images better than wrong ones", async () => {
    const cvae = new ConditionalVAE({ ...small, seed: 1 });
    const before = evaluate(cvae, data.test, { seed: 1 }).negElbo;
    const { history } = await fit(cvae, data, { epochs: 6, learningRate: 3e-3, seed: 1, progress: "none" });
    const after = history[5].test!.negElbo;
    expect(after).toBeLessThan(before - 100);
    expect(after).toBeLessThan(history[0].test!.negElbo);
    const wrong = evaluate(cvae, wrongLabels(data.test), { seed: 1 }).negElbo;
    expect(wrong).toBeGreaterThan(after + 1);
    cvae.dispose();
  });

  it("round-trips through a checkpoint (kind cvae, loaded only when asked for) and resumes", async () => {
    const dir = path.join(tempDir(), "ck");
    const cvae = new ConditionalVAE({ ...small, seed: 5 });
    await fitWithCheckpoints(cvae, data, { dir, epochs: 1, seed: 2, progress: "none" });
    const { model, manifest } = await loadCheckpoint(dir, { kind: "cvae" });
    expect(manifest).toMatchObject({ kind: "cvae", config: { inputDim: 784, hiddenSizes: [32], latentDim: 4, classes: 10, seed: 5 } });
    expect(model).toBeInstanceOf(ConditionalVAE);
    expect(maxAbsDiff(model.trainableVariables(), cvae.trainableVariables())).toBe(0);
    expect(evaluate(model, data.test, { seed: 2 })).toEqual(manifest.metrics!.test);
    model.dispose();
    await expect(loadCheckpoint(dir)).rejects.toThrow(/holds a cvae; load it with \{ kind: "cvae" \}/);
    const resumed = await resumeFit(dir, data, { epochs: 2, progress: "none" });
    expect(resumed.fullHistory.map((r) => r.epoch)).toEqual([1, 2]);
    resumed.model.dispose();
    cvae.dispose();
  });
});
