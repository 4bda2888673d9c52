/**
 * Test fixture: save checkpoints of one model into argv[2] in an endless loop, printing
 * "saved <i>" after each, until killed. Used to check that killing a save at a random
 * moment leaves a loadable checkpoint.
 */
import * as tf from "@tensorflow/tfjs";
import { VAE } from "../../lib/models/vae";
import { saveCheckpoint } from "../../lib/persist/save";

async function main(): Promise<void> {
  await tf.setBackend("cpu");
  const vae = new VAE({ hiddenSizes: [400], latentDim: 2, seed: 1 });
  for (let i = 1; ; i++) {
    await saveCheckpoint(process.argv[2], vae, { name: `v${i}` });
    process.stdout.write(`saved ${i}\n`);
  }
}

void main();
