/**
 * `vae-kit`: TensorFlow.js autoencoders and variational autoencoders for teaching, the
 * library behind the kit's notebooks. Import it by its package name, as the notebooks do:
 *
 * ```ts
 * import * as kit from "vae-kit";
 * await kit.initBackend();
 * const { train, test } = kit.loadMnist({ limit: 10000 });
 * const vae = new kit.VAE({ hiddenSizes: [400], latentDim: 20, seed: 1 });
 * const { history } = await kit.fit(vae, { train: train, test: test }, { epochs: 5 });
 * kit.show(kit.lossCurves(history));
 * ```
 *
 * The exports follow the order of the notebooks:
 *
 * 1. **Runtime**: the TensorFlow.js backend ({@link initBackend}), seeding ({@link Rng}),
 *    quick mode ({@link quickMode}), notebook display ({@link liveDisplay}).
 * 2. **Data**: MNIST ({@link loadMnist}, {@link MnistSplit}) and seeded mini-batches ({@link batches}).
 * 3. **Models**: {@link Autoencoder}, {@link VAE}, their base {@link EncoderDecoder}, {@link mlp},
 *    the exact {@link LinearGaussianModel}, and the digit {@link Classifier} that labels samples.
 * 4. **Objectives**: {@link bernoulliLogLikelihood}, Gaussian densities and
 *    {@link reparameterize}, KL terms ({@link klStandardNormal}), the ELBO
 *    ({@link negElboTerms}), {@link logSumExp} and the IWAE bound ({@link iwaeBound}).
 * 5. **Training**: {@link fit}, {@link Adam}, {@link evaluate}, {@link loadOrTrain}, checkpoints
 *    ({@link fitWithCheckpoints}, {@link loadCheckpoint}).
 * 6. **Evaluation**: latent grids, interpolation, traversals, {@link klPerDimension},
 *    {@link activeUnits}, {@link pca}, {@link nearestNeighbourAccuracy}, {@link nearestNeighbours},
 *    {@link estimateNll}, and the classifier's check of generated samples ({@link sampleQuality}).
 * 7. **Plots**: {@link show} and the figure builders ({@link imageGrid}, {@link latentScatter},
 *    {@link lossCurves}, ...), a loss curve that redraws as training runs ({@link liveLossCurve}),
 *    the training report ({@link modelReport}).
 * 8. **Pretrained models**: {@link loadPretrained}.
 * 9. **Exercises**: `exercises.check("04.1", myKl)` runs a learner's answer to a notebook's
 *    exercise on known cases and shows what passed, what failed and a hint ({@link exercises}).
 *
 * Losses are in nats per image (summed over pixels, averaged over images).
 *
 * @packageDocumentation
 */

// Runtime: which TensorFlow.js backend runs, one seed for all randomness, quick mode and the
// notebooks' RETRAIN setting, and output that works in both kernels (tslab and Deno).
export { BACKENDS, type BackendName, initBackend, availableBackends } from "./runtime/backend";
export { Rng } from "./runtime/seed";
export { quickMode, retrainRequested } from "./runtime/quick";
export { type KernelKind, type MimeBundle, kernel, displayBundle, LiveDisplay, liveDisplay } from "./runtime/display";
export { type Disposable, hold } from "./runtime/hold";

// Data: MNIST read from its IDX files into typed arrays, and seeded mini-batches.
export {
  MNIST_SIDE,
  MNIST_PIXELS,
  MNIST_CLASSES,
  type Binarize,
  BINARIZE_MODES,
  type MnistSplitName,
  type MnistOptions,
  type MnistTensors,
  MnistSplit,
  loadMnist,
  loadMnistSplit,
} from "./data/mnist";
export { type Batch, type BatchOptions, batches, numBatches } from "./data/batches";

// Models: the plain autoencoder, the VAE and the base class they share (with their
// configuration), the dense networks they are made of, and the linear-Gaussian model whose
// posterior and likelihood are known exactly.
export { type DenseConfig, type ResolvedDenseConfig, EncoderDecoder } from "./models/encoder-decoder";
export { Autoencoder } from "./models/autoencoder";
export { type Posterior, type VaeConfig, VAE } from "./models/vae";
export { type ConvConfig, type ResolvedConvConfig, ConvVAE } from "./models/conv-vae";
export { type CvaeConfig, type ResolvedCvaeConfig, type Labels, ConditionalVAE } from "./models/conditional-vae";
export { type ClassifierConfig, type ResolvedClassifierConfig, type Classification, Classifier, softmaxCrossEntropy } from "./models/classifier";
export { type LossTerms, type Trainable } from "./models/trainable";
export { mlp } from "./models/mlp";
export {
  type MvGaussian,
  type LinearGaussianConfig,
  type ElboTerms,
  LinearGaussianModel,
  standardMvGaussian,
  diagonalMvGaussian,
  mvGaussianLogDensity,
  klMvGaussians,
  sampleMvGaussian,
  standardNormalSample,
} from "./models/linear-gaussian";

// Objectives: the decoder likelihoods (Bernoulli, continuous Bernoulli, Gaussian), Gaussian densities and the reparameterization trick,
// KL terms, the ELBO, log-sum-exp, and the importance-weighted bound (IWAE).
export { bernoulliLogLikelihood } from "./objectives/bernoulli";
export {
  CONTINUOUS_BERNOULLI_TAYLOR_BAND,
  continuousBernoulliLogNormalizer,
  continuousBernoulliLogLikelihood,
  continuousBernoulliMean,
  continuousBernoulliQuantile,
} from "./objectives/continuous-bernoulli";
export { gaussianDecoderLogLikelihood } from "./objectives/gaussian-decoder";
export {
  LIKELIHOODS,
  type LikelihoodName,
  type LikelihoodConfig,
  BERNOULLI,
  resolveLikelihood,
  decoderLogLikelihood,
  decoderMean,
  decoderSample,
} from "./models/likelihood";
export {
  LOG_2PI,
  gaussianLogDensity,
  standardNormalLogDensity,
  reparameterize,
  gaussianLogDensityFromNoise,
  sampleDiagonalGaussian,
} from "./objectives/gaussian";
export {
  klStandardNormal,
  klStandardNormalPerDimension,
  klDiagonalGaussians,
  type MonteCarloEstimate,
  klMonteCarlo,
} from "./objectives/kl";
export { type NegElboTerms, negElboTerms } from "./objectives/elbo";
export { freeBitsKl } from "./objectives/free-bits";
export { logSumExp, logMeanExp, logSumExpOf, logMeanExpOf } from "./objectives/logsumexp";
export {
  importanceWeightedBound,
  type GaussianBernoulliVae,
  type LogWeightOptions,
  vaeLogWeights,
  iwaeBound,
} from "./objectives/iwae";

// Training: the fit loop and its Adam, evaluation on a split, progress lines, the notebooks'
// load-or-train, and checkpoints (save, load, train with a checkpoint per epoch, resume).
export { type FitOptions, type EpochRecord, type FitResult, fit, epochSeed } from "./train/fit";
export { Adam } from "./fast/adam";
export { type TermMeans, evaluate } from "./train/evaluate";
export { warmupBeta } from "./train/kl-warmup";
export { type ClassifierTrainOptions, trainClassifier, classifierMetrics } from "./train/train-classifier";
export { type ProgressMode, formatTerms, formatEpoch } from "./train/progress";
export { type ReadyModel, loadOrTrain } from "./train/load-or-train";
export {
  type CheckpointFitOptions,
  type CheckpointFitResult,
  type ResumeOptions,
  describeData,
  fitWithCheckpoints,
  resumeFit,
} from "./train/checkpoint";
export { type SaveCheckpointOptions, saveCheckpoint } from "./persist/save";
export { type LoadCheckpointOptions, type LoadedCheckpoint, loadCheckpoint, checkpointKind } from "./persist/load";
export {
  type ModelKind,
  type ModelConfig,
  type DataInfo,
  type TrainingInfo,
  type TestMetrics,
  type CheckpointManifest,
} from "./persist/manifest";
export { type SavedModel, type LatentModel, type EncoderDecoderModel } from "./persist/model-kinds";
export { type FileDigest } from "./persist/checksum";
export { type LibraryVersion } from "./persist/version";

// Evaluation: grids over the latent space, interpolation and traversals, KL per latent
// dimension and active units, PCA of the codes, nearest-neighbour accuracy, the test NLL by
// importance sampling, and running moments with standard errors.
export {
  normalQuantile,
  type NormalQuantileGridOptions,
  type NormalQuantileGrid,
  normalQuantileGrid,
} from "./eval/normal-quantiles";
export { latentGrid2d } from "./eval/latent-grid";
export { type InterpolationMethod, interpolateLatent } from "./eval/interpolation";
export { traversalCodes } from "./eval/traversal";
export { type GaussianEncoder, type EncodeBatchesOptions } from "./eval/posterior-batches";
export { klPerDimension } from "./eval/kl-per-dimension";
export { ACTIVE_UNIT_THRESHOLD, type ActiveUnitsOptions, type ActiveUnits, activeUnits } from "./eval/active-units";
export { type SymmetricEigen, symmetricEigen, type PcaOptions, type PcaResult, pca } from "./eval/pca";
export { nearestNeighbourAccuracy, type NearestNeighbours, nearestNeighbours } from "./eval/nearest-neighbour";
export { type NllOptions, type NllEstimate, estimateNll } from "./eval/nll";
export { RunningMoments, meanWithStandardError } from "./eval/moments";
export { type SampleQuality, sampleQuality, labelHistogram, histogramEntropy, inceptionScore } from "./eval/sample-quality";

// Plots: Plotly figures and show(), the figure builders, images shown on hover, a loss curve
// that redraws while a loop runs, and the HTML report of a training run.
export { type Figure, type Trace, type Layout, CATEGORY10 } from "./plots/figure";
export { type ShowOptions, show, resetPlotlyEmbedding } from "./plots/show";
export { type ImageGridOptions, imageGrid } from "./plots/image-grid";
export { type LatentScatterOptions, latentScatter, priorRadius2d } from "./plots/latent-scatter";
export { type EpochLosses, type LossCurvesOptions, METRIC_LABELS, lossCurves } from "./plots/loss-curves";
export { type LineSeries, type LineChartOptions, lineChart } from "./plots/line-chart";
export { type SurfaceOptions, surfacePlot } from "./plots/surface";
export { type BarChartLine, type BarChartOptions, barChart } from "./plots/bar-chart";
export {
  MAX_HOVER_IMAGES,
  type HoverImagesOptions,
  type ShowWithHoverImagesOptions,
  showWithHoverImages,
  hoverImagesHtml,
} from "./plots/hover-images";
export { type LiveLossCurveOptions, LiveLossCurve, liveLossCurve } from "./plots/live-loss-curve";
export { type TrainingReport, type ModelReportOptions, modelReport, reportHtml, writeReport } from "./plots/report";

// Pretrained models: the small checkpoints in pretrained/ that the notebooks load.
export { type PretrainedOptions, type PretrainedEntry, loadPretrained, listPretrained, pretrainedDir } from "./persist/pretrained";

// Exercises: the checks of the notebooks' exercises (kit.exercises.check), and how to add one.
export * as exercises from "./exercises/index";
