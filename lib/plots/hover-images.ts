import { Buffer } from "buffer";
import { checkPixels } from "../data/pixels";
import { argumentError, checkFinite, checkInteger, checkPositive, checkPositiveInteger, describe } from "../runtime/checks";
import { Figure, checkFigure, describeFigure, figureTitle } from "./figure";
import { escapeHtml, figureHtml, htmlPage, newPlotId, scriptJson } from "./html";
import { showRendered } from "./show";

/** Default largest number of images {@link hoverImagesHtml} embeds: 2000 (about 2 MB of HTML). */
export const MAX_HOVER_IMAGES = 2000;

/** Options of {@link hoverImagesHtml}. */
export interface HoverImagesOptions {
  /** Height of one image in pixels; default 28 (MNIST). */
  height?: number;
  /** Width of one image in pixels; default 28 (MNIST). */
  width?: number;
  /** Largest number of images to embed (integer >= 1); default {@link MAX_HOVER_IMAGES}. */
  maxImages?: number;
  /** Screen pixels per image pixel in the side panel; default 4 (a 112 px MNIST digit). */
  pixelSize?: number;
  /** Word before the hovered trace's name in the caption; default `"digit"` ("digit 7"). */
  nameLabel?: string;
  /** Word before the image's index in the caption; default `"image"` ("image #123"). */
  indexLabel?: string;
  /** Put plotly.js itself in the HTML (about 4.7 MB); default false. */
  includePlotly?: boolean;
  /** The id of the plot's `<div>`; default a random `vaekit-plot-<hex>`. */
  divId?: string;
}

/** Options of {@link showWithHoverImages}: those of {@link hoverImagesHtml} and of `show`. */
export interface ShowWithHoverImagesOptions extends Omit<HoverImagesOptions, "includePlotly" | "divId"> {
  /** Also (in a notebook) or instead (elsewhere) write a standalone page to this path. Outside
   *  a notebook the default is `build/plots/<slug of title>-hover-<n>.html`. */
  file?: string;
  /** Page title and file-name stem; default the figure's title. */
  title?: string;
  /** In a notebook: embed plotly.js (true) or not (false); default only if no plot of this
   *  kernel session has embedded it yet (see `show`). */
  includePlotly?: boolean;
  /** Outside a notebook: do not print the path of the written file; default false. */
  quiet?: boolean;
}

/**
 * Greyscale images as compact text for a web page: each pixel value in [0, 1] becomes one
 * byte, round(255 v) (values outside [0, 1] are clipped, NaN gives 0), and the bytes are
 * written in base64 (4 characters per 3 bytes). An MNIST digit takes 1,046 characters.
 *
 * @param images flat `[count, height, width]` (or longer: only the first `count` images are
 *   encoded), values in [0, 1].
 * @param count number of images to encode.
 * @param pixels pixels per image (height * width), default 784.
 * @returns base64 text of `count * pixels` bytes, row-major, image after image.
 * @throws Error when `images` holds fewer than `count * pixels` values.
 *
 * @example
 * encodeImagesBase64(Float32Array.from([0, 0.5, 1]), 1, 3) // "AID/" (bytes 0, 128, 255)
 */
export function encodeImagesBase64(images: ArrayLike<number>, count: number, pixels = 784): string {
  const n = count * pixels;
  checkImageValues("encodeImagesBase64", images, n, `count * pixels = ${count} * ${pixels}`);
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = images[i];
    bytes[i] = v > 0 ? (v >= 1 ? 255 : Math.round(v * 255)) : 0;
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/**
 * The number of images a figure's hover needs: 1 + the largest `customdata`
 * index over all traces that have `customdata`.
 * @throws Error when no trace has `customdata`, or an entry is not an integer >= 0.
 */
function hoverImageCount(fn: string, fig: Figure): number {
  let max = -1;
  let found = false;
  fig.data.forEach((trace, t) => {
    const custom = trace.customdata as ArrayLike<unknown> | undefined;
    if (custom === undefined || custom === null) return;
    if (typeof custom.length !== "number") {
      throw argumentError(fn, `fig.data[${t}].customdata`, "an array of image indices", describe(custom));
    }
    found = true;
    for (let i = 0; i < custom.length; i++) {
      const index = checkInteger(fn, `fig.data[${t}].customdata[${i}]`, custom[i], 0);
      if (index > max) max = index;
    }
  });
  if (!found) {
    throw argumentError(
      fn,
      "fig",
      "a figure whose points carry image indices as customdata, made with latentScatter(points, labels, { pointIndices: true })",
      "a figure without customdata",
    );
  }
  return max + 1;
}

/** @throws Error in the kit's form unless `images` holds at least `needed` values (`why` says which). */
function checkImageValues(fn: string, images: ArrayLike<number>, needed: number, why: string): void {
  if (!images || typeof images.length !== "number" || images.length < needed) {
    const got = images && typeof images.length === "number" ? `length ${images.length}` : describe(images);
    throw argumentError(fn, "images", `of length >= ${needed} (${why})`, got);
  }
}

/**
 * HTML for a notebook output or a page: the plot of `figureHtml` with a panel beside
 * it that shows the **image of the point under the mouse**. Plotly cannot draw images in
 * its hover labels, so the images travel with the plot: one base64 string of bytes
 * (`encodeImagesBase64`), and a small inline script draws image i into a `<canvas>`
 * when Plotly reports a hover over a point whose `customdata` is i (white ink on black,
 * as `imageGrid` draws digits). Everything is inline, so it works offline and in an HTML
 * export of the notebook (nbconvert), wherever the page runs JavaScript.
 *
 * @param fig a figure whose points carry image indices as `customdata`, e.g.
 *   `latentScatter(points, labels, { pointIndices: true })`.
 * @param images the images, flat `[count, height, width]` in [0, 1] (e.g. `test.images`):
 *   point with customdata i shows image i. Only the first `1 + max(customdata)` images are
 *   embedded.
 * @param options height, width (28), maxImages (2000), pixelSize (4), nameLabel ("digit"),
 *   indexLabel ("image"), includePlotly (false), divId.
 * @returns an HTML fragment.
 * @throws TypeError when `fig` is not a figure; Error when no trace has `customdata`, an index
 *   is not an integer >= 0, the figure needs more than `maxImages` images (plot fewer
 *   points, e.g. the first 2000), `images` holds fewer than it needs, or an image it embeds
 *   holds a NaN, an infinity or a value outside [0, 1] (the message names the value, its
 *   `[image, row, column]` and the usual cause, e.g. "divide by 255").
 *
 * @example
 * const fig = latentScatter(means, labels, { pointIndices: true });
 * const html = hoverImagesHtml(fig, test.images);
 */
export function hoverImagesHtml(fig: Figure, images: ArrayLike<number>, options: HoverImagesOptions = {}): string {
  const fn = "hoverImagesHtml";
  checkFigure(fn, fig);
  const height = checkPositiveInteger(fn, "options.height", options.height ?? 28, RangeError);
  const width = checkPositiveInteger(fn, "options.width", options.width ?? 28, RangeError);
  const maxImages = checkPositiveInteger(fn, "options.maxImages", options.maxImages ?? MAX_HOVER_IMAGES, RangeError);
  const pixelSize = checkPositive(fn, "options.pixelSize", checkFinite(fn, "options.pixelSize", options.pixelSize ?? 4, undefined, RangeError), RangeError);
  const count = hoverImageCount(fn, fig);
  if (count > maxImages) {
    throw argumentError(
      fn,
      "fig",
      `a figure of at most options.maxImages = ${maxImages} images (plot at most ${maxImages} points, e.g. the first ${maxImages} test images, or raise maxImages)`,
      `one that refers to ${count} images (largest customdata ${count - 1})`,
    );
  }
  const pixels = height * width;
  checkImageValues(fn, images, count * pixels, `${count} images of ${height}x${width} pixels, for the figure's largest customdata ${count - 1}`);
  checkPixels(fn, "images", images, { shape: [count, height, width] });
  const id = options.divId ?? newPlotId();
  const nameLabel = options.nameLabel ?? "digit";
  const indexLabel = options.indexLabel ?? "image";
  const side = (n: number) => Math.round(n * pixelSize);
  const panelWidth = Math.max(side(width), 110);
  const hint = "Hover over a point to see its image.";
  return [
    `<div class="vaekit-hover-images" style="display:flex; align-items:flex-start; gap:12px; width:100%;">\n`,
    // The panel comes first in the page, so that it already takes its width when the plot's
    // script runs (Plotly sizes the plot once, from the space left); CSS order puts it right.
    `<div style="order:2; flex:0 0 ${panelWidth}px; width:${panelWidth}px; padding-top:50px; ` +
      `font-family:sans-serif; font-size:12px; text-align:center; color:#444;">\n`,
    `<canvas id="${escapeHtml(id)}-image" width="${width}" height="${height}" ` +
      `style="width:${side(width)}px; height:${side(height)}px; image-rendering:pixelated; ` +
      `background:#000; border:1px solid #ccc;"></canvas>\n`,
    `<div id="${escapeHtml(id)}-caption" style="margin-top:6px; white-space:pre-line;">${escapeHtml(hint)}</div>\n`,
    `</div>\n`,
    `<div style="order:1; flex:1 1 0; min-width:0;">\n`,
    figureHtml(fig, { includePlotly: options.includePlotly ?? false, divId: id }),
    `</div>\n`,
    `</div>\n`,
    '<script type="text/javascript">\n',
    "(function () {\n",
    `  var id = ${scriptJson(id)};\n`,
    `  var w = ${width}, h = ${height}, count = ${count};\n`,
    `  var nameLabel = ${scriptJson(nameLabel)}, indexLabel = ${scriptJson(indexLabel)};\n`,
    `  var b64 = "${encodeImagesBase64(images, count, pixels)}";\n`,
    "  var bytes = null;\n",
    "  function pixelsOf() {\n",
    "    if (!bytes) {\n",
    "      var s = atob(b64);\n",
    "      bytes = new Uint8Array(s.length);\n",
    "      for (var i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);\n",
    "    }\n",
    "    return bytes;\n",
    "  }\n",
    "  function draw(index, name) {\n",
    "    var canvas = document.getElementById(id + '-image');\n",
    "    var caption = document.getElementById(id + '-caption');\n",
    "    if (!canvas || !canvas.getContext) return;\n",
    "    var ctx = canvas.getContext('2d');\n",
    "    var img = ctx.createImageData(w, h);\n",
    "    var px = pixelsOf();\n",
    "    var base = index * w * h;\n",
    "    for (var k = 0; k < w * h; k++) {\n",
    "      var v = px[base + k];\n",
    "      img.data[4 * k] = v; img.data[4 * k + 1] = v; img.data[4 * k + 2] = v; img.data[4 * k + 3] = 255;\n",
    "    }\n",
    "    ctx.putImageData(img, 0, 0);\n",
    "    canvas.setAttribute('data-index', String(index));\n",
    "    if (caption) caption.textContent = (name !== undefined && name !== '' ? nameLabel + ' ' + name + '\\n' : '') + indexLabel + ' #' + index;\n",
    "  }\n",
    "  var tries = 0;\n",
    "  function attach() {\n",
    "    var el = document.getElementById(id);\n",
    "    if (el && typeof el.on === 'function') {\n",
    "      el.on('plotly_hover', function (ev) {\n",
    "        var p = ev && ev.points && ev.points[0];\n",
    "        if (!p) return;\n",
    "        var index = Number(p.customdata);\n",
    "        if (!(index >= 0 && index < count) || Math.floor(index) !== index) return;\n",
    "        draw(index, p.data ? p.data.name : undefined);\n",
    "      });\n",
    "    } else if (el && ++tries < 200) {\n",
    "      setTimeout(attach, 100);\n",
    "    }\n",
    "  }\n",
    "  attach();\n",
    "})();\n",
    "</script>\n",
  ].join("");
}

/**
 * A complete, self-contained HTML page (plotly.js inline) with the plot and its hover
 * images; see {@link hoverImagesHtml}.
 *
 * @param title page title; default the figure's title, else "figure".
 * @throws as {@link hoverImagesHtml}.
 */
export function hoverImagesPage(fig: Figure, images: ArrayLike<number>, options: HoverImagesOptions & { title?: string } = {}): string {
  const pageTitle = options.title ?? (fig && Array.isArray(fig.data) ? figureTitle(fig) : undefined) ?? "figure";
  return htmlPage(pageTitle, hoverImagesHtml(fig, images, { ...options, includePlotly: true }));
}

/**
 * Show a Plotly figure with the image of the point under the mouse beside it, wherever the
 * code runs; the counterpart of `show` for {@link hoverImagesHtml}.
 *
 * - **In a notebook** (tslab or Deno): one `text/html` output (plus a `text/plain`
 *   description under Deno). Like `show`, it embeds plotly.js only in the first plot output
 *   of the kernel session. Writes a page too when `options.file` is given.
 * - **Outside a notebook**: writes a standalone page (atomically) to `options.file`, default
 *   `build/plots/<slug of title>-hover-<n>.html`, prints `plot: <path>` unless `quiet`.
 *
 * @param fig a figure whose points carry image indices as `customdata`, e.g.
 *   `latentScatter(means, labels, { pointIndices: true })`.
 * @param images flat `[count, height, width]` in [0, 1]: point with customdata i shows image i.
 * @param options those of {@link hoverImagesHtml} (except divId), and file, title,
 *   includePlotly, quiet as for `show`.
 * @returns the absolute path of the page written, or undefined when none was written.
 * @throws as {@link hoverImagesHtml}; Error when the file cannot be written.
 *
 * @example
 * const n = Math.min(2000, test.count);
 * const means = tf.tidy(() => vae2.encode(x.slice([0, 0], [n, 784])).mu.dataSync());
 * showWithHoverImages(latentScatter(means, test.labels.subarray(0, n), { pointIndices: true }), test.images);
 */
export function showWithHoverImages(fig: Figure, images: ArrayLike<number>, options: ShowWithHoverImagesOptions = {}): string | undefined {
  checkFigure("showWithHoverImages", fig);
  const { file, title, quiet, includePlotly, ...htmlOptions } = options;
  return showRendered(
    {
      fragment: (embed) => hoverImagesHtml(fig, images, { ...htmlOptions, includePlotly: embed }),
      page: (pageTitle) => hoverImagesPage(fig, images, { ...htmlOptions, title: pageTitle }),
      description: `${describeFigure(fig)}, with hover images`,
      title: figureTitle(fig) ?? "figure",
      fileTag: "-hover",
    },
    { file, title, quiet, includePlotly },
  );
}
