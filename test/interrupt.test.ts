import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { JUPYTER_PATH, KERNELS, ROOT, writeKernelspecs } from "../scripts/kernelspecs";
import { jupyterPython, NOTEBOOK_DIR } from "../scripts/notebook-runner";

// What a learner does in notebook 02: run the cells in order, press the stop button while the
// 20-D VAE trains, and use the model in the next cell. The model, declared a cell before the
// training cell, must still exist, hold finite weights that training changed, and no longer
// change (training must not go on in the background after the interrupt).
const CHECK = `
const weightSum = (m: kit.VAE) => tf.tidy(() => tf.addN(m.encoder.getWeights().map((w) => w.sum())).dataSync()[0]);
const afterInterrupt = weightSum(vae20);
await new Promise((resolve) => setTimeout(resolve, 1500));
const finite = tf.tidy(() => tf.all(tf.isFinite(vae20.sample(4, 1))).dataSync()[0] === 1);
console.log(JSON.stringify({ finite, trained: afterInterrupt !== weightSum(untrained20), stopped: weightSum(vae20) === afterInterrupt }));
`;

interface InterruptResult {
  interrupted: string;
  check: string;
  output?: string;
}

describe("interrupting a training cell (notebook 02, quick mode, training its models)", () => {
  it.each(KERNELS)("keeps the kernel alive and the model usable in %s", async (kernel) => {
    writeKernelspecs();
    const { stdout } = await promisify(execFile)(
      jupyterPython(),
      [path.join(ROOT, "scripts/interrupt_cell.py"), path.join(NOTEBOOK_DIR, "02-variational-autoencoder.ipynb"), kernel, 'loadOrTrain("vae-20d"', CHECK],
      { env: { ...process.env, JUPYTER_PATH, VAE_QUICK: "1", VAE_RETRAIN: "1" }, cwd: ROOT, timeout: 600_000 },
    ).catch((error) => ({ stdout: String(error.stdout ?? "") + String(error.stderr ?? error.message) }));
    const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as InterruptResult;
    expect(result.check, stdout).toBe("ok");
    expect(JSON.parse(result.output!.trim().split("\n").at(-1)!)).toEqual({ finite: true, trained: true, stopped: true });
  }, 600_000);
});
