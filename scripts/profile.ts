/**
 * Where the time of a training step goes: runs training steps of the dense VAE
 * 784-400-20-400-784 at batch 128: prints the wall-clock time per step, split into the
 * loss and gradients and Adam's update; then, under `tf.profile`, the number of kernel calls
 * and the kernel time per step, and the time by TensorFlow.js kernel, largest first.
 *
 *   npx tsx scripts/profile.ts            the fastest backend here
 *   npx tsx scripts/profile.ts cpu        a given backend
 */
import * as tf from "@tensorflow/tfjs";
import { batches } from "../lib/data/batches";
import { loadMnistSplit } from "../lib/data/mnist";
import { VAE } from "../lib/models/vae";
import { Adam } from "../lib/fast/adam";
import { fastLoss } from "../lib/fast/fast-loss";
import { initBackend } from "../lib/runtime/backend";
import { Rng } from "../lib/runtime/seed";

const BATCH = 128;
const STEPS = 20;

async function main(): Promise<void> {
  const backend = await initBackend(process.argv[2], { quiet: true });
  const train = loadMnistSplit("train", { limit: BATCH * (2 * STEPS + 5) });
  const vae = new VAE({ hiddenSizes: [400], latentDim: 20, seed: 1 });
  const optimizer = new Adam(1e-3);
  const rng = new Rng(1);
  const variables = vae.trainableVariables();
  const phases = { gradients: 0, update: 0 };
  const loss = fastLoss(vae)!; // the loss fit trains with
  const step = (x: tf.Tensor2D) => {
    const start = performance.now();
    const { value, grads } = optimizer.computeGradients(() => loss(x, { beta: 1, seed: rng.nextSeed() }).loss, variables);
    value.dataSync();
    const middle = performance.now();
    optimizer.applyGradients(grads);
    phases.gradients += middle - start;
    phases.update += performance.now() - middle;
    tf.dispose([value, ...Object.values(grads)]);
  };
  const list = [...batches(train, { batchSize: BATCH, rng })];
  list.slice(0, 5).forEach((b) => step(b.x)); // warm-up
  phases.gradients = phases.update = 0;
  list.slice(5, 5 + STEPS).forEach((b) => step(b.x));
  const ms = (total: number) => (total / STEPS).toFixed(1);
  console.log(`backend ${backend}: ${ms(phases.gradients + phases.update)} ms per step of ${BATCH} images (wall clock):`);
  console.log(`  ${ms(phases.gradients)} ms loss and gradients (forward and backward), ${ms(phases.update)} ms Adam's update`);
  const start = Date.now();
  const info = await tf.profile(() => list.slice(5 + STEPS).forEach((b) => step(b.x)));
  const wall = (Date.now() - start) / STEPS;
  // Leave out the wrappers of custom gradients and fused ops: their kernels are listed too.
  const kernels = info.kernels.filter((k) => tf.getKernel(k.name, backend) !== undefined);
  const byKernel = new Map<string, { ms: number; calls: number }>();
  for (const k of kernels) {
    const entry = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
    entry.ms += Number(k.kernelTimeMs) || 0;
    entry.calls += 1;
    byKernel.set(k.name, entry);
  }
  const kernelMs = kernels.reduce((sum, k) => sum + (Number(k.kernelTimeMs) || 0), 0) / STEPS;
  console.log(`under tf.profile (which slows steps down): ${wall.toFixed(1)} ms per step, ${kernels.length / STEPS} kernel calls, ${kernelMs.toFixed(1)} ms of kernel time`);
  const rows = [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15);
  console.table(rows.map(([kernel, e]) => ({ kernel, "ms per step": +(e.ms / STEPS).toFixed(2), "calls per step": e.calls / STEPS })));
  list.forEach((b) => b.x.dispose());
  optimizer.dispose();
  vae.dispose();
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
