import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { JUPYTER_PATH, KERNELS, ROOT, writeKernelspecs } from "../scripts/kernelspecs";
import { jupyterPython, NOTEBOOK_DIR } from "../scripts/notebook-runner";
import { CHECK, TRAINING_CELL } from "./interrupt-check";

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
      [path.join(ROOT, "scripts/interrupt_cell.py"), path.join(NOTEBOOK_DIR, "02-variational-autoencoder.ipynb"), kernel, TRAINING_CELL, CHECK],
      { env: { ...process.env, JUPYTER_PATH, VAE_QUICK: "1", VAE_RETRAIN: "1" }, cwd: ROOT, timeout: 600_000 },
    ).catch((error) => ({ stdout: String(error.stdout ?? "") + String(error.stderr ?? error.message) }));
    const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as InterruptResult;
    expect(result.check, stdout).toBe("ok");
    expect(JSON.parse(result.output!.trim().split("\n").at(-1)!)).toEqual({ finite: true, trained: true, stopped: true });
  }, 600_000);
});
