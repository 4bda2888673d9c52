// Trains a small VAE on the wasm backend with VAE_WASM_THREADS threads and prints what it saw
// as one JSON line; run by wasm-threads.test.ts in a process of its own, since the thread
// count is fixed when the backend starts. It does not call process.exit: the test checks that
// the process ends by itself.
import * as tf from "@tensorflow/tfjs";
import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { loadMnistSplit } from "../../lib/data/mnist";
import { VAE } from "../../lib/models/vae";
import { initBackend } from "../../lib/runtime/backend";
import { fit } from "../../lib/train/fit";

async function main(): Promise<void> {
  await initBackend("wasm", { quiet: true });
  const pool = (tf.backend() as unknown as { wasm: { PThread?: { runningWorkers: unknown[] } } }).wasm.PThread;
  const train = loadMnistSplit("train", { limit: 512 });
  const test = loadMnistSplit("test", { limit: 256 });
  const vae = new VAE({ hiddenSizes: [400], latentDim: 20, seed: 1 });
  const { history } = await fit(vae, { train, test }, { epochs: 2, batchSize: 128, seed: 1, progress: "none" });
  vae.dispose();
  console.log(JSON.stringify({
    backend: tf.getBackend(),
    threads: getThreadsCount(),
    runningWorkers: pool?.runningWorkers.length ?? 0,
    trainNegElbo: history.map((h) => h.train.negElbo),
    testNegElbo: history.map((h) => h.test!.negElbo),
  }));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
