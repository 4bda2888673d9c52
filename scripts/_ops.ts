import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/runtime/backend";
import { bernoulliLogLikelihood } from "../lib/objectives/bernoulli";
(async () => {
  await initBackend();
  const S = 2048, B = 1;
  const l = tf.randomNormal([S * B, 784], 0, 3) as tf.Tensor2D;
  const x = tf.tidy(() => tf.randomUniform([B, 784]).greater(0.8).toFloat()) as tf.Tensor2D;
  const time = (name: string, f: () => tf.Tensor) => {
    f().dispose();
    const t = performance.now();
    for (let i = 0; i < 5; i++) tf.tidy(() => { f().dataSync(); });
    console.log(name, ((performance.now() - t) / 5).toFixed(1), "ms");
  };
  time("tile", () => tf.tile(x, [S, 1]));
  time("readable bernoulli (with tile)", () => bernoulliLogLikelihood(tf.tile(x, [S, 1]) as tf.Tensor2D, l));
  time("broadcast mul sum", () => l.reshape([S, B, 784]).mul(x.reshape([1, B, 784])).sum(2));
  time("matMul x dot", () => tf.matMul(l, x.transpose()));
  time("relu sum", () => tf.relu(l).sum(1));
  time("sigmoid abs", () => tf.sigmoid(tf.abs(l)));
  time("sigmoid abs prod16 log sum", () => tf.log(tf.prod(tf.sigmoid(tf.abs(l)).reshape([S * B, 49, 16]), 2)).sum(1));
  time("softplus sum", () => tf.softplus(l).sum(1));
  time("log1p exp -abs", () => tf.log1p(tf.exp(tf.abs(l).neg())).sum(1));
  time("logsigmoid", () => tf.logSigmoid(l).sum(1));
  time("relu", () => tf.relu(l));
  time("abs", () => tf.abs(l));
  time("sum", () => l.sum(1));
})();
