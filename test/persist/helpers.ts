import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";

const created: string[] = [];

/** A fresh empty temporary folder, removed by `removeTempDirs`. */
export function tempDir(prefix = "vae-kit-persist-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Remove the folders made by `tempDir` (call it in `afterAll`). Symlinks inside are removed, not followed. */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Every file under `dir`, as paths relative to it with "/" separators, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p).split(path.sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

/** Largest absolute difference between the values of two lists of same-shaped tensors. */
export function maxAbsDiff(a: tf.Tensor[], b: tf.Tensor[]): number {
  if (a.length !== b.length) throw new Error(`maxAbsDiff: ${a.length} tensors against ${b.length}`);
  let max = 0;
  a.forEach((t, i) => {
    max = Math.max(max, tf.tidy(() => t.sub(b[i]).abs().max().dataSync()[0]));
  });
  return max;
}
