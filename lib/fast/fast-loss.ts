import * as tf from "@tensorflow/tfjs";
import { Autoencoder } from "../models/autoencoder";
import { LossTerms, Trainable } from "../models/trainable";
import { VAE } from "../models/vae";
import { bernoulliLogLikelihoodT } from "./bernoulli-columns";
import { denseChainT, isFastDense } from "./dense-forward";
import { klTerm, sampleLatent } from "./latent-step";

/** A model's loss for a batch, as `Trainable.lossTerms` computes it. */
export type LossFunction = (x: tf.Tensor2D, options: { beta: number; seed: number; labels?: Int32Array }) => { loss: tf.Scalar; terms: LossTerms };

/**
 * The fast training loss of a model, or undefined when there is none for it; `fit` trains
 * with it when there is. It computes what the model's own `lossTerms` computes (the same
 * loss, terms and gradients, to float32 rounding: the contract tested in
 * `test/fast/contract.test.ts`), in feature-major layout (one column per image) with
 * written-out gradients, which is several times faster on the wasm backend
 * (`lib/fast/dense-forward.ts` says why).
 *
 * It exists for a `VAE` or an `Autoencoder` whose networks are chains of dense layers with
 * relu or linear activations, the VAE's encoder a trunk with two heads and its decoder
 * Bernoulli. Layers are found
 * by their place in the network (the tensors each layer takes and gives), not by their
 * names, so networks built elsewhere (say with Keras's `z_mean` and `z_log_var`) qualify.
 *
 * @param model the model `fit` was given.
 * @returns the loss function, or undefined (then `fit` uses `model.lossTerms`).
 */
export function fastLoss(model: Trainable): LossFunction | undefined {
  if (model instanceof VAE) {
    if (model.likelihood.name !== "bernoulli") return undefined; // the written-out gradient is Bernoulli's
    const mu = denseChain(model.encoder.outputs[0]);
    const logVar = denseChain(model.encoder.outputs[1]);
    const decoder = denseChain(model.decoder.outputs[0]);
    if (!mu || !logVar || !decoder || !sameLayers(mu.slice(0, -1), logVar.slice(0, -1))) return undefined;
    return vaeLoss(mu.slice(0, -1), mu[mu.length - 1], logVar[logVar.length - 1], decoder);
  }
  if (model instanceof Autoencoder) {
    const encoder = denseChain(model.encoder.outputs[0]);
    const decoder = denseChain(model.decoder.outputs[0]);
    if (!encoder || !decoder) return undefined;
    return autoencoderLoss([...encoder, ...decoder]);
  }
  return undefined;
}

/** The VAE's -ELBO (reconstruction + beta KL) through the dense chains, as `VAE.lossTerms`. */
function vaeLoss(trunk: tf.layers.Layer[], muHead: tf.layers.Layer, logVarHead: tf.layers.Layer, decoder: tf.layers.Layer[]): LossFunction {
  return (x, { beta, seed }) => {
    const xT = tf.transpose(x);
    const hT = denseChainT(xT, trunk);
    const inputIsData = trunk.length === 0;
    const mu = tf.transpose(denseChainT(hT, [muHead], inputIsData));
    const logVar = tf.transpose(denseChainT(hT, [logVarHead], inputIsData));
    const z = sampleLatent(mu, logVar, seed);
    const logitsT = denseChainT(tf.transpose(z), decoder, false);
    const reconstruction = bernoulliLogLikelihoodT(xT, logitsT).neg() as tf.Tensor1D;
    const kl = klTerm(mu, logVar);
    const negElbo = reconstruction.add(kl) as tf.Tensor1D;
    const loss = (beta === 1 ? negElbo : reconstruction.add(kl.mul(beta))).mean() as tf.Scalar;
    return { loss, terms: { reconstruction, kl, negElbo } };
  };
}

/** The autoencoder's reconstruction term through the dense chain, as `Autoencoder.lossTerms`. */
function autoencoderLoss(layers: tf.layers.Layer[]): LossFunction {
  return (x) => {
    const xT = tf.transpose(x);
    const reconstruction = bernoulliLogLikelihoodT(xT, denseChainT(xT, layers)).neg() as tf.Tensor1D;
    return { loss: reconstruction.mean() as tf.Scalar, terms: { reconstruction } };
  };
}

/**
 * The layers from a network's input to `output`, in order, when each takes exactly one
 * tensor and is a dense layer the fast path computes; undefined otherwise.
 */
function denseChain(output: tf.SymbolicTensor | undefined): tf.layers.Layer[] | undefined {
  const chain: tf.layers.Layer[] = [];
  for (let t = output; t && t.sourceLayer.getClassName() !== "InputLayer"; t = t.inputs[0]) {
    if (t.inputs.length !== 1 || !isFastDense(t.sourceLayer)) return undefined;
    chain.unshift(t.sourceLayer);
  }
  return output ? chain : undefined;
}

function sameLayers(a: tf.layers.Layer[], b: tf.layers.Layer[]): boolean {
  return a.length === b.length && a.every((layer, i) => layer === b[i]);
}
