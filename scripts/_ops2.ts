import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/runtime/backend";
(async () => {
  await initBackend();
  const S = 512, B = 4;
  const x = tf.tidy(() => tf.randomUniform([B, 784]).greater(0.8).toFloat()) as tf.Tensor2D;
  const time = (name: string, f: () => tf.Tensor) => {
    f().dispose();
    const t = performance.now();
    for (let i = 0; i < 5; i++) tf.tidy(() => { f().dataSync(); });
    console.log(name, ((performance.now() - t) / 5).toFixed(1), "ms");
  };
  time("tile", () => tf.tile(x, [S, 1]));
  time("broadcastTo", () => tf.broadcastTo(x.reshape([1, B, 784]), [S, B, 784]));
  time("add zeros", () => x.reshape([1, B, 784]).add(tf.zeros([S, 1, 1])));
  time("gather", () => tf.gather(x, tf.tensor1d(Array.from({ length: S * B }, (_, i) => i % B), "int32")));
})();
