import { argumentError, checkLength, checkPositive, checkPositiveInteger, describe } from "../runtime/checks";
import { checkPixels } from "../data/pixels";
import { Figure } from "./figure";

/** Options of {@link imageGrid}. */
export interface ImageGridOptions {
  /** Number of rows of images (integer >= 1). */
  rows: number;
  /** Number of columns of images (integer >= 1). */
  cols: number;
  /** Height of one image in pixels; default 28 (MNIST). */
  height?: number;
  /** Width of one image in pixels; default 28 (MNIST). */
  width?: number;
  /** One short title per image (length rows*cols), drawn above each image. */
  titles?: string[];
  /** Figure title. */
  title?: string;
  /** One label per row (length rows), drawn left of the row, e.g. `["input", "reconstruction"]`. */
  rowLabels?: string[];
  /**
   * Screen pixels per image pixel; default: as large as fits about 720 px wide and 600 px
   * high, between 1 and 8.
   */
  pixelSize?: number;
}

/**
 * A grid of greyscale images (MNIST digits, reconstructions, samples) drawn as one Plotly
 * `heatmap`.
 *
 * Convention used by every image plot of the kit: **white ink on a black background**, as
 * MNIST is usually shown; pixel value 0 is black, 1 is white. Images are separated by
 * 1-pixel white gaps (more above each image when `titles` are given), pixels are square, axes
 * have no ticks and the y axis runs downwards so digits are upright. Pixel values are
 * rounded to 3 decimals in the figure.
 *
 * @param images `rows*cols` images, row-major, each `height*width` values in [0, 1], as one
 *   flat array of shape `[rows*cols, height, width]` (e.g. `tensor.dataSync()` of a
 *   `[n, 784]` or `[n, 28, 28]` tensor). Image `k` goes to row `floor(k / cols)`,
 *   column `k % cols`.
 * @param options rows, cols (required), height = 28, width = 28, titles, title, rowLabels,
 *   pixelSize.
 * @returns a {@link Figure} for `show()`.
 * @throws RangeError when rows, cols, height or width is not a positive integer.
 * @throws Error when `images.length` is not `rows*cols*height*width` (names both),
 *   `titles` / `rowLabels` have the wrong length, or an image holds a NaN, an infinity or a
 *   value outside [0, 1] (the message names the value, its `[image, row, column]` and the
 *   usual cause, e.g. "divide by 255").
 * @example
 * // first 16 test digits, 2 rows of 8
 * show(imageGrid(testImages.subarray(0, 16 * 784), { rows: 2, cols: 8, title: "MNIST test" }));
 */
export function imageGrid(images: Float32Array | number[] | ArrayLike<number>, options: ImageGridOptions): Figure {
  const fn = "imageGrid";
  if (!options || typeof options !== "object") {
    throw argumentError(fn, "options", "an object { rows, cols, ... } (rows and cols are required)", describe(options), TypeError);
  }
  const rows = checkPositiveInteger(fn, "options.rows", options.rows, RangeError);
  const cols = checkPositiveInteger(fn, "options.cols", options.cols, RangeError);
  const height = checkPositiveInteger(fn, "options.height", options.height ?? 28, RangeError);
  const width = checkPositiveInteger(fn, "options.width", options.width ?? 28, RangeError);
  if (!images || typeof (images as ArrayLike<number>).length !== "number") {
    throw argumentError(fn, "images", "a Float32Array or number[]", describe(images), TypeError);
  }
  const n = rows * cols;
  checkLength(fn, "images", images, n * height * width, `rows*cols*height*width = ${rows}*${cols}*${height}*${width}`);
  checkPixels(fn, "images", images, { shape: [n, height, width] });
  const { titles, rowLabels } = options;
  if (titles !== undefined) checkLength(fn, "options.titles", titles, n, "one per image, rows*cols");
  if (rowLabels !== undefined) checkLength(fn, "options.rowLabels", rowLabels, rows, "one per row");

  const gap = 1;
  const plainW = cols * width + (cols - 1) * gap;
  const plainH = rows * height + (rows - 1) * gap;
  const scale =
    options.pixelSize ?? Math.max(1, Math.min(8, 720 / plainW, 600 / plainH));
  checkPositive(fn, "options.pixelSize", scale, RangeError);
  // Room above each image for its title: about 14 screen px, in image pixels.
  const titleSpace = titles ? Math.ceil(14 / scale) : 0;
  const gridW = plainW;
  const gridH = rows * (height + titleSpace) + (rows - 1) * gap;

  const z: Array<Array<number | null>> = [];
  for (let y = 0; y < gridH; y++) z.push(new Array<number | null>(gridW).fill(null));
  for (let k = 0; k < n; k++) {
    const x0 = (k % cols) * (width + gap);
    const y0 = Math.floor(k / cols) * (height + titleSpace + gap) + titleSpace;
    const base = k * height * width;
    for (let i = 0; i < height; i++) {
      const row = z[y0 + i];
      for (let j = 0; j < width; j++) {
        row[x0 + j] = Math.round(images[base + i * width + j] * 1000) / 1000;
      }
    }
  }

  const annotations: Record<string, unknown>[] = [];
  if (titles) {
    titles.forEach((text, k) => {
      annotations.push({
        text: String(text),
        xref: "x",
        yref: "y",
        x: (k % cols) * (width + gap) + (width - 1) / 2,
        y: Math.floor(k / cols) * (height + titleSpace + gap) + titleSpace - 0.5,
        xanchor: "center",
        yanchor: "bottom",
        showarrow: false,
        font: { size: 11 },
      });
    });
  }
  let maxLabel = 0;
  if (rowLabels) {
    rowLabels.forEach((text, r) => {
      maxLabel = Math.max(maxLabel, String(text).length);
      annotations.push({
        text: String(text),
        xref: "paper",
        yref: "y",
        x: 0,
        y: r * (height + titleSpace + gap) + titleSpace + (height - 1) / 2,
        xanchor: "right",
        xshift: -6,
        showarrow: false,
        font: { size: 12 },
      });
    });
  }

  const margin = {
    l: rowLabels ? 16 + 7 * maxLabel : 10,
    r: 10,
    t: options.title ? 45 : 10,
    b: 10,
  };
  const axis = {
    showticklabels: false,
    ticks: "",
    showgrid: false,
    zeroline: false,
    showline: false,
  };
  return {
    data: [
      {
        type: "heatmap",
        z,
        colorscale: [
          [0, "#000000"],
          [1, "#ffffff"],
        ],
        zmin: 0,
        zmax: 1,
        showscale: false,
        hoverongaps: false,
        hovertemplate: "%{z:.2f}<extra></extra>",
      },
    ],
    layout: {
      ...(options.title ? { title: { text: options.title } } : {}),
      width: Math.round(gridW * scale + margin.l + margin.r),
      height: Math.round(gridH * scale + margin.t + margin.b),
      margin,
      xaxis: { ...axis, range: [-0.5, gridW - 0.5], constrain: "domain" },
      yaxis: {
        ...axis,
        range: [gridH - 0.5, -0.5],
        scaleanchor: "x",
        scaleratio: 1,
        constrain: "domain",
      },
      plot_bgcolor: "#ffffff",
      paper_bgcolor: "#ffffff",
      annotations,
    },
  };
}
