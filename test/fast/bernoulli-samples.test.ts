import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { bernoulliLogLikelihoodOfSamples } from "../../lib/fast/bernoulli-samples";
import { bernoulliLogLikelihood } from "../../lib/objectives/bernoulli";
import { initBackend } from "../../lib/runtime/backend";
import { wideLogitCase } from "../objectives/bernoulli-reference";

describe.each(["cpu", "wasm"])("bernoulliLogLikelihoodOfSamples on %s", (backend) => {
  beforeAll(async () => {
    await initBackend(backend, { quiet: true });
  });

  it("equals bernoulliLogLikelihood on the images repeated once per sample, logits up to +-40", () => {
    const { x, logits } = wideLogitCase(); // 3 images; their logits serve as 2 samples of the first and second
    tf.tidy(() => {
      const images = tf.tensor2d(x).slice([0, 0], [2, 784]) as tf.Tensor2D;
      const sampleLogits = tf.tensor2d([logits[0], logits[1], logits[2], logits[0].map((l) => -l)]); // [2 samples x 2 images, 784]
      const got = bernoulliLogLikelihoodOfSamples(images, sampleLogits);
      expect(got.shape).toEqual([2, 2]);
      const expected = bernoulliLogLikelihood(tf.tile(images, [2, 1]) as tf.Tensor2D, sampleLogits).reshape([2, 2]);
      const gap = got.sub(expected).abs().div(expected.abs()).max().dataSync()[0];
      expect(gap).toBeLessThan(1e-5);
    });
  });

  it("rejects logits whose rows are not a multiple of the images, naming the shapes", () => {
    tf.tidy(() => {
      expect(() => bernoulliLogLikelihoodOfSamples(tf.zeros([2, 4]), tf.zeros([3, 4]))).toThrow(
        "Error in bernoulliLogLikelihoodOfSamples: logits must be [samples * 2, 4] for x [2, 4], but got shape [3, 4].",
      );
    });
  });
});
