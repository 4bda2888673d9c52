import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import * as ts from "typescript";
import { describe, expect, it } from "vitest";

// The public face of the library: what `import * as kit from "vae-kit"` gives a notebook.
// These tests read the BUILT package (lib/dist, made by `npm run build`, which `npm test`
// runs first), by its package name, as tslab and Deno load it. Changing either list below is
// changing the library's public API: do it on purpose, in lib/index.ts and here together.

const root = path.resolve(__dirname, "..");
const requireFromRoot = createRequire(path.join(root, "package.json"));

/** Every runtime export of "vae-kit", sorted. */
const RUNTIME_EXPORTS = [
  "ACTIVE_UNIT_THRESHOLD",
  "Adam",
  "Autoencoder",
  "BACKENDS",
  "BERNOULLI",
  "BINARIZE_MODES",
  "CATEGORY10",
  "CONTINUOUS_BERNOULLI_TAYLOR_BAND",
  "Classifier",
  "ConditionalVAE",
  "ConvVAE",
  "EncoderDecoder",
  "LIKELIHOODS",
  "LOG_2PI",
  "LinearGaussianModel",
  "LiveDisplay",
  "LiveLossCurve",
  "MAX_HOVER_IMAGES",
  "METRIC_LABELS",
  "MNIST_CLASSES",
  "MNIST_PIXELS",
  "MNIST_SIDE",
  "MnistSplit",
  "Rng",
  "RunningMoments",
  "VAE",
  "activeUnits",
  "availableBackends",
  "barChart",
  "batches",
  "bernoulliLogLikelihood",
  "checkpointKind",
  "classifierMetrics",
  "continuousBernoulliLogLikelihood",
  "continuousBernoulliLogNormalizer",
  "continuousBernoulliMean",
  "continuousBernoulliQuantile",
  "decoderLogLikelihood",
  "decoderMean",
  "decoderSample",
  "describeData",
  "diagonalMvGaussian",
  "displayBundle",
  "epochSeed",
  "estimateNll",
  "evaluate",
  "exercises",
  "fit",
  "fitWithCheckpoints",
  "formatEpoch",
  "formatTerms",
  "freeBitsKl",
  "gaussianDecoderLogLikelihood",
  "gaussianLogDensity",
  "gaussianLogDensityFromNoise",
  "histogramEntropy",
  "hold",
  "hoverImagesHtml",
  "imageGrid",
  "importanceWeightedBound",
  "inceptionScore",
  "initBackend",
  "interpolateLatent",
  "iwaeBound",
  "kernel",
  "klDiagonalGaussians",
  "klMonteCarlo",
  "klMvGaussians",
  "klPerDimension",
  "klStandardNormal",
  "klStandardNormalPerDimension",
  "labelHistogram",
  "latentGrid2d",
  "latentScatter",
  "lineChart",
  "listPretrained",
  "liveDisplay",
  "liveLossCurve",
  "loadCheckpoint",
  "loadMnist",
  "loadMnistSplit",
  "loadOrTrain",
  "loadPretrained",
  "logMeanExp",
  "logMeanExpOf",
  "logSumExp",
  "logSumExpOf",
  "lossCurves",
  "meanWithStandardError",
  "mlp",
  "modelReport",
  "mvGaussianLogDensity",
  "nearestNeighbourAccuracy",
  "nearestNeighbours",
  "negElboTerms",
  "normalQuantile",
  "normalQuantileGrid",
  "numBatches",
  "pca",
  "pretrainedDir",
  "priorRadius2d",
  "quickMode",
  "reparameterize",
  "reportHtml",
  "resetPlotlyEmbedding",
  "resolveLikelihood",
  "resumeFit",
  "retrainRequested",
  "sampleDiagonalGaussian",
  "sampleMvGaussian",
  "sampleQuality",
  "saveCheckpoint",
  "show",
  "showWithHoverImages",
  "softmaxCrossEntropy",
  "standardMvGaussian",
  "standardNormalLogDensity",
  "standardNormalSample",
  "surfacePlot",
  "symmetricEigen",
  "trainClassifier",
  "traversalCodes",
  "vaeLogWeights",
  "warmupBeta",
  "writeReport",
];

/** Every type-only export of "vae-kit" (interfaces and type aliases), sorted. */
const TYPE_EXPORTS = [
  "ActiveUnits",
  "ActiveUnitsOptions",
  "BackendName",
  "BarChartLine",
  "BarChartOptions",
  "Batch",
  "BatchOptions",
  "Binarize",
  "CheckpointFitOptions",
  "CheckpointFitResult",
  "CheckpointManifest",
  "Classification",
  "ClassifierConfig",
  "ClassifierTrainOptions",
  "ConvConfig",
  "CvaeConfig",
  "DataInfo",
  "DenseConfig",
  "Disposable",
  "ElboTerms",
  "EncodeBatchesOptions",
  "EncoderDecoderModel",
  "EpochLosses",
  "EpochRecord",
  "Figure",
  "FileDigest",
  "FitOptions",
  "FitResult",
  "GaussianBernoulliVae",
  "GaussianEncoder",
  "HoverImagesOptions",
  "ImageGridOptions",
  "InterpolationMethod",
  "KernelKind",
  "Labels",
  "LatentModel",
  "LatentScatterOptions",
  "Layout",
  "LibraryVersion",
  "LikelihoodConfig",
  "LikelihoodName",
  "LineChartOptions",
  "LineSeries",
  "LinearGaussianConfig",
  "LiveLossCurveOptions",
  "LoadCheckpointOptions",
  "LoadedCheckpoint",
  "LogWeightOptions",
  "LossCurvesOptions",
  "LossTerms",
  "MimeBundle",
  "MnistOptions",
  "MnistSplitName",
  "MnistTensors",
  "ModelConfig",
  "ModelKind",
  "ModelReportOptions",
  "MonteCarloEstimate",
  "MvGaussian",
  "NearestNeighbours",
  "NegElboTerms",
  "NllEstimate",
  "NllOptions",
  "NormalQuantileGrid",
  "NormalQuantileGridOptions",
  "PcaOptions",
  "PcaResult",
  "Posterior",
  "PretrainedEntry",
  "PretrainedOptions",
  "ProgressMode",
  "ReadyModel",
  "ResolvedClassifierConfig",
  "ResolvedConvConfig",
  "ResolvedCvaeConfig",
  "ResolvedDenseConfig",
  "ResumeOptions",
  "SampleQuality",
  "SaveCheckpointOptions",
  "SavedModel",
  "ShowOptions",
  "ShowWithHoverImagesOptions",
  "SurfaceOptions",
  "SymmetricEigen",
  "TermMeans",
  "TestMetrics",
  "Trace",
  "Trainable",
  "TrainingInfo",
  "TrainingReport",
  "VaeConfig",
];

/** The built package, loaded by name with Node's own `require`, as tslab loads it. */
function loadKit(): Record<string, unknown> {
  const entry = requireFromRoot.resolve("vae-kit");
  if (!fs.existsSync(entry)) throw new Error(`public API: ${entry} does not exist; run \`npm run build\` first.`);
  return requireFromRoot("vae-kit");
}

/** Names exported by the package's declarations (lib/dist/index.d.ts), split into values and types. */
function declaredExports(): { values: string[]; types: string[] } {
  const dts = path.join(root, "lib", "dist", "index.d.ts");
  const program = ts.createProgram([dts], {
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    target: ts.ScriptTarget.ES2020,
    strict: true,
    skipLibCheck: true,
    types: ["node"],
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(dts)!)!;
  const values: string[] = [];
  const types: string[] = [];
  for (const symbol of checker.getExportsOfModule(module)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    (target.flags & ts.SymbolFlags.Value ? values : types).push(symbol.name);
  }
  return { values: values.sort(), types: types.sort() };
}

/** Every `kit.X` in the code cells of notebooks/*.ipynb, with the notebooks that use it. */
function notebookNames(): Map<string, string[]> {
  const dir = path.join(root, "notebooks");
  const names = new Map<string, string[]>();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort()) {
    const notebook = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as { cells: { cell_type: string; source: string | string[] }[] };
    for (const cell of notebook.cells) {
      if (cell.cell_type !== "code") continue;
      const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
      for (const match of source.matchAll(/\bkit\.([A-Za-z_$][\w$]*)/g)) {
        const users = names.get(match[1]) ?? [];
        if (!users.includes(file)) users.push(file);
        names.set(match[1], users);
      }
    }
  }
  return names;
}

describe("the public API of vae-kit", () => {
  it("lists explicit, sorted names (the lists above)", () => {
    expect(RUNTIME_EXPORTS).toEqual([...RUNTIME_EXPORTS].sort());
    expect(TYPE_EXPORTS).toEqual([...TYPE_EXPORTS].sort());
    expect(new Set(RUNTIME_EXPORTS).size).toBe(RUNTIME_EXPORTS.length);
    expect(new Set(TYPE_EXPORTS).size).toBe(TYPE_EXPORTS.length);
  });

  it("exports exactly the pinned runtime names from the built package", () => {
    const kit = loadKit();
    expect(Object.keys(kit).filter((name) => name !== "__esModule").sort()).toEqual(RUNTIME_EXPORTS);
    for (const name of RUNTIME_EXPORTS) expect(kit[name], name).toBeDefined();
  }, 60_000);

  it("declares the same runtime names, and exactly the pinned types, in lib/dist/index.d.ts", () => {
    const { values, types } = declaredExports();
    expect(values).toEqual(RUNTIME_EXPORTS);
    expect(types).toEqual(TYPE_EXPORTS);
  }, 60_000);

  it("has every kit.X that a notebook's code uses", () => {
    const names = notebookNames();
    expect(names.size).toBeGreaterThan(20);
    const exported = new Set([...RUNTIME_EXPORTS, ...TYPE_EXPORTS]);
    const missing = [...names].filter(([name]) => !exported.has(name)).map(([name, users]) => `${name} (${users.join(", ")})`);
    expect(missing).toEqual([]);
    // The notebooks' values are there at run time, not only in the declarations.
    const kit = loadKit();
    for (const [name, users] of names) {
      if (!TYPE_EXPORTS.includes(name)) expect(kit[name], `kit.${name} in ${users.join(", ")}`).toBeDefined();
    }
  }, 60_000);
});
