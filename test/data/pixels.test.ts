import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MNIST_PIXELS, MnistSplit } from "../../lib/data/mnist";
import { checkPixels, checkSplit, formatValue, markChecked } from "../../lib/data/pixels";
import { estimateNll } from "../../lib/eval/nll";
import { Autoencoder } from "../../lib/models/autoencoder";
import { VAE } from "../../lib/models/vae";
import { iwaeBound, vaeLogWeights } from "../../lib/objectives/iwae";
import { hoverImagesHtml, showWithHoverImages } from "../../lib/plots/hover-images";
import { imageGrid } from "../../lib/plots/image-grid";
import { latentScatter } from "../../lib/plots/latent-scatter";
import { initBackend } from "../../lib/runtime/backend";
import { evaluate } from "../../lib/train/evaluate";

/** `count` images of grey levels in [0, 1], the same every call. */
function greyImages(count: number): Float32Array {
  const images = new Float32Array(count * MNIST_PIXELS);
  for (let i = 0; i < images.length; i++) images[i] = ((i * 7919) % 1000) / 999;
  return images;
}

/** The usual mistake: bytes 0..255 instead of grey levels (255 first at [0, 12]). */
function byteImages(count: number): Float32Array {
  const images = greyImages(count).map((v) => Math.round(v * 200));
  images[12] = 255;
  images[MNIST_PIXELS + 3] = 255;
  return images;
}

function withNaN(count: number, image: number, pixel: number): Float32Array {
  const images = greyImages(count);
  images[image * MNIST_PIXELS + pixel] = NaN;
  return images;
}

const BYTES = "but got 255 at [0, 12]: divide by 255.";
const NAN = "but got NaN at [3, 400]: a NaN comes from 0 / 0, a missing value, or a model whose weights went NaN.";

for (const backend of ["cpu", "wasm"]) {
  describe(`checkPixels on ${backend}`, () => {
    it("passes finite values in [0, 1], and leaves no tensors behind", async () => {
      await initBackend(backend, { quiet: true });
      const x = tf.tensor2d(greyImages(4), [4, MNIST_PIXELS]);
      const before = tf.memory().numTensors;
      checkPixels("f", "x", x);
      checkPixels("f", "x", tf.zeros([0, 3]));
      expect(tf.memory().numTensors).toBe(before + 1); // only the empty tensor made here
      checkPixels("f", "x", [0, 0.5, 1]);
      checkPixels("f", "x", [-3, 1e30], { range: "finite" });
      x.dispose();
    });

    it("names the function, the argument, the value, its [row, column] and the usual cause", async () => {
      await initBackend(backend, { quiet: true });
      const cases: Array<[number[][], string]> = [
        [[[0, 255, 3], [7, 255, 0]], "but got 255 at [0, 1]: divide by 255."],
        [[[0, 0.5], [NaN, 1]], "but got NaN at [1, 0]: a NaN comes from 0 / 0, a missing value, or a model whose weights went NaN."],
        [[[0, Infinity], [NaN, 1]], "but got NaN at [1, 0]"],
        [[[0, Infinity], [0, 1]], "but got Infinity at [0, 1]: an infinity comes from a division by 0 or a value past float32's 3.4e38."],
        [[[-1, 0.5], [1, -0.25]], "but got -1 at [0, 0]: the values look scaled to [-1, 1]: map them to [0, 1] with (x + 1) / 2."],
        [[[0, 1.5], [1, 0]], "but got 1.5 at [0, 1]: scale the values into [0, 1], e.g. (x - min) / (max - min)."],
        [[[0, 1000], [1, 0]], "but got 1000 at [0, 1]: scale the values into [0, 1]"],
        [[[-0.5, 3]], "but got 3 at [0, 1]: scale the values into [0, 1]"],
      ];
      for (const [values, message] of cases) {
        const t = tf.tensor2d(values);
        expect(() => checkPixels("VAE.lossTerms", "x", t)).toThrow(`Error in VAE.lossTerms: x must hold pixel values in [0, 1], ${message}`);
        expect(() => checkPixels("f", "images", values.flat(), { shape: [values.length, values[0].length] })).toThrow(message);
        t.dispose();
      }
      expect(() => checkPixels("f", "x", tf.tensor1d([0, NaN]), { range: "finite" })).toThrow("Error in f: x must hold finite values, but got NaN at index 1:");
      expect(() => checkPixels("f", "x", [0, 1, -Infinity], { range: "finite" })).toThrow("but got -Infinity at index 2:");
      expect(() => checkPixels("f", "x", undefined as never)).toThrow("Error in f: x must be a tensor or an array of numbers, but got undefined.");
    });
  });
}

describe("checkPixels", () => {
  it("remembers a tensor that passed, and batches marked as cut from checked data", async () => {
    await initBackend("cpu", { quiet: true });
    const x = tf.tensor2d([[0, 1]]);
    const kernels = async (f: () => void) => (await tf.profile(f)).kernels.map((k) => k.name);
    expect(await kernels(() => checkPixels("f", "x", x))).toEqual(expect.arrayContaining(["Min", "Max", "IsNan"]));
    expect(await kernels(() => checkPixels("f", "x", x))).toEqual([]); // no second pass
    const marked = markChecked(tf.tensor2d([[0.5]]), "unit");
    expect(await kernels(() => checkPixels("f", "x", marked))).toEqual([]);
    // A tensor checked as finite only is still checked for [0, 1].
    const big = markChecked(tf.tensor2d([[7]]), "finite");
    expect(() => checkPixels("f", "x", big)).toThrow("but got 7 at [0, 0]");
    tf.dispose([x, marked, big]);
  });

  it("checks only the first product(shape) values of an array", () => {
    checkPixels("f", "images", [0.5, 1, 99], { shape: [1, 2] });
    expect(() => checkPixels("f", "images", [0.5, 1, 99], { shape: [1, 3] })).toThrow("but got 99 at [0, 2]");
  });

  it("checkSplit names the split's images and [image, pixel]", () => {
    const split = new MnistSplit("train", byteImages(2), new Uint8Array(2), "none");
    expect(() => checkSplit("fit", "data.train", split)).toThrow(`Error in fit: data.train.images must hold pixel values in [0, 1], ${BYTES}`);
    checkSplit("fit", "data.train", split, "finite");
  });

  it("writes float32 values in their shortest form", () => {
    expect(formatValue(Math.fround(1.0000001))).toBe("1.0000001");
    expect(formatValue(Math.fround(0.1))).toBe("0.1");
    expect(formatValue(255)).toBe("255");
    expect(formatValue(NaN)).toBe("NaN");
  });
});

describe("data entering the kit is checked, and a mistake is named", () => {
  let vae: VAE;
  let autoencoder: Autoencoder;
  beforeAll(async () => {
    await initBackend("wasm", { quiet: true });
    vae = new VAE({ hiddenSizes: [8], latentDim: 2, seed: 1 });
    autoencoder = new Autoencoder({ hiddenSizes: [8], latentDim: 2, seed: 1 });
  });
  afterAll(() => {
    vae.dispose();
    autoencoder.dispose();
  });
  const bytes = () => tf.tensor2d(byteImages(4), [4, MNIST_PIXELS]);
  const nan = () => tf.tensor2d(withNaN(4, 3, 400), [4, MNIST_PIXELS]);

  for (const backend of ["cpu", "wasm"]) {
    it(`VAE.lossTerms and Autoencoder.lossTerms (${backend})`, async () => {
      await initBackend(backend, { quiet: true });
      const [b, n] = [bytes(), nan()];
      const options = { beta: 1, seed: 1 };
      expect(() => vae.lossTerms(b, options)).toThrow(`Error in VAE.lossTerms: x must hold pixel values in [0, 1], ${BYTES}`);
      expect(() => vae.lossTerms(n, options)).toThrow(`Error in VAE.lossTerms: x must hold pixel values in [0, 1], ${NAN}`);
      expect(() => autoencoder.lossTerms(b)).toThrow(`Error in Autoencoder.lossTerms: x must hold pixel values in [0, 1], ${BYTES}`);
      expect(() => autoencoder.lossTerms(n)).toThrow(`Error in Autoencoder.lossTerms: x must hold pixel values in [0, 1], ${NAN}`);
      const good = tf.tensor2d(greyImages(4), [4, MNIST_PIXELS]);
      const before = tf.memory().numTensors;
      expect(Number.isFinite(tf.tidy(() => vae.lossTerms(good, options).loss.dataSync()[0]))).toBe(true);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([b, n, good]);
    });
  }

  it("evaluate checks the split once, before any batch", async () => {
    await initBackend("wasm", { quiet: true });
    const split = new MnistSplit("test", byteImages(3), new Uint8Array(3), "none");
    expect(() => evaluate(vae, split)).toThrow(`Error in evaluate: split.images must hold pixel values in [0, 1], ${BYTES}`);
    const nanSplit = new MnistSplit("test", withNaN(5, 3, 400), new Uint8Array(5), "dynamic");
    expect(() => evaluate(autoencoder, nanSplit)).toThrow(`Error in evaluate: split.images must hold pixel values in [0, 1], ${NAN}`);
  });

  it("vaeLogWeights, iwaeBound and estimateNll", async () => {
    await initBackend("wasm", { quiet: true });
    const [b, n] = [bytes(), nan()];
    expect(() => vaeLogWeights(vae, b, 2)).toThrow(`Error in vaeLogWeights: x must hold pixel values in [0, 1], ${BYTES}`);
    expect(() => iwaeBound(vae, n, 2)).toThrow(`Error in iwaeBound: x must hold pixel values in [0, 1], ${NAN}`);
    await expect(estimateNll(vae, b, { k: 2 })).rejects.toThrow(`Error in estimateNll: data must hold pixel values in [0, 1], ${BYTES}`);
    const split = new MnistSplit("test", withNaN(4, 3, 400), new Uint8Array(4), "dynamic");
    await expect(estimateNll(vae, split, { k: 2 })).rejects.toThrow(`Error in estimateNll: data.images must hold pixel values in [0, 1], ${NAN}`);
    tf.dispose([b, n]);
  });

  it("imageGrid, hoverImagesHtml and showWithHoverImages, with [image, row, column]", () => {
    const images = byteImages(4);
    expect(() => imageGrid(images, { rows: 2, cols: 2 })).toThrow("Error in imageGrid: images must hold pixel values in [0, 1], but got 255 at [0, 0, 12]: divide by 255.");
    const nanImages = withNaN(4, 3, 400);
    expect(() => imageGrid(nanImages, { rows: 2, cols: 2 })).toThrow("Error in imageGrid: images must hold pixel values in [0, 1], but got NaN at [3, 14, 8]:");
    const fig = latentScatter([[0, 0], [1, 1], [2, 2], [3, 3]], [1, 2, 1, 2], { pointIndices: true });
    expect(() => hoverImagesHtml(fig, nanImages)).toThrow("Error in hoverImagesHtml: images must hold pixel values in [0, 1], but got NaN at [3, 14, 8]:");
    expect(() => showWithHoverImages(fig, images, { quiet: true })).toThrow("Error in hoverImagesHtml: images must hold pixel values in [0, 1], but got 255 at [0, 0, 12]: divide by 255.");
    // Only the images the figure embeds are checked.
    const two = latentScatter([[0, 0], [1, 1]], [1, 2], { pointIndices: true });
    expect(hoverImagesHtml(two, withNaN(4, 3, 400))).toContain("plotly_hover");
  });
});
