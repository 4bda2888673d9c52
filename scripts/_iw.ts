import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/runtime/backend";
import { VAE } from "../lib/models/vae";
import { vaeLogWeights } from "../lib/objectives/iwae";
(async () => {
  await initBackend();
  const vae = new VAE({ hiddenSizes: [400], latentDim: 20, seed: 1 });
  const x = tf.tidy(() => tf.randomUniform([1, 784]).greater(0.8).toFloat()) as tf.Tensor2D;
  const k = 2048 * 4;
  for (let r = 0; r < 3; r++) {
    let t = performance.now();
    tf.tidy(() => vaeLogWeights(vae, x, k, { seed: 1 }).dataSync());
    const ms = performance.now() - t;
    const flops = k * 2 * (20 * 400 + 400 * 784);
    console.log(`logWeights ${k} rows: ${ms.toFixed(0)} ms, ${(flops / ms / 1e6).toFixed(2)} GFLOP/s`);
    // matmul alone, same shapes, reused operands
    const z = tf.randomNormal([2048, 20]); const w1 = vae.decoder.getWeights()[0]; const w2 = vae.decoder.getWeights()[2];
    const h = tf.randomNormal([2048, 400]);
    t = performance.now();
    for (let i = 0; i < 4; i++) { tf.tidy(() => { tf.matMul(z, w1).dataSync(); tf.matMul(h, w2).dataSync(); }); }
    const mm = performance.now() - t;
    console.log(`matmul ${mm.toFixed(0)} ms, ${(flops / mm / 1e6).toFixed(2)} GFLOP/s`);
    tf.dispose([z, h]);
  }
  const prof = await tf.profile(() => tf.tidy(() => vaeLogWeights(vae, x, 2048, { seed: 1 }).dataSync()));
  const by: Record<string, number> = {};
  for (const k of prof.kernels) by[k.name] = (by[k.name] ?? 0) + (k.kernelTimeMs as number);
  console.log(Object.entries(by).sort((a, b) => b[1] - a[1]).map(([n, v]) => `${n} ${v.toFixed(1)}`).join("\n"));
})();
