import * as tf from "@tensorflow/tfjs";
import * as fs from "fs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../lib/runtime/backend";
import { registerWasmTranspose } from "../../lib/runtime/wasm-transpose";
import { WASM_MODULES, wasmModuleFile } from "../../scripts/wasm-modules";
import { size, values } from "./backend-comparison";

/** Shapes and permutations: the kit's kernel takes those that swap the last two axes, the backend's the rest. */
const CASES: { shape: number[]; perm: number[] }[] = [
  { shape: [1, 1], perm: [1, 0] },
  { shape: [4, 4], perm: [1, 0] },
  { shape: [3, 5], perm: [1, 0] },
  { shape: [7, 13], perm: [1, 0] },
  { shape: [128, 784], perm: [1, 0] },
  { shape: [784, 400], perm: [1, 0] },
  { shape: [401, 21], perm: [1, 0] },
  { shape: [3, 6, 9], perm: [0, 2, 1] },
  { shape: [2, 3, 5, 4], perm: [0, 1, 3, 2] },
  { shape: [3, 6, 9], perm: [2, 0, 1] },
  { shape: [0, 5], perm: [1, 0] },
];

/** The bits of the transpose of a seeded tensor of one case, on one backend. */
function transposed(backend: string, shape: number[], perm: number[], dtype: "float32" | "int32"): number[] {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const x = dtype === "float32" ? tf.tensor(values(size(shape), 1), shape) : tf.tensor(Int32Array.from(values(size(shape), 1), (v) => Math.round(v * 2 ** 30)), shape, "int32");
    const t = tf.transpose(x, perm);
    expect(t.shape).toEqual(perm.map((p) => shape[p]));
    return Array.from(new Int32Array(t.dataSync().buffer.slice(0)));
  });
}

describe("the wasm backend's transpose", () => {
  beforeAll(() => initBackend("wasm", { quiet: true }));

  it("is compiled from the current wasm-transpose.wat", async () => {
    expect(fs.readFileSync(WASM_MODULES.transpose.file, "utf8")).toBe(await wasmModuleFile(WASM_MODULES.transpose));
  });

  it("is registered by initBackend, and only once", () => {
    expect(registerWasmTranspose()).toBe(false);
  });

  for (const { shape, perm } of CASES) {
    for (const dtype of ["float32", "int32"] as const) {
      it(`gives the cpu backend's bits: [${shape}] by [${perm}], ${dtype}`, () => {
        const backend = tf.engine().findBackend("wasm")!;
        const [tensors, data] = [tf.memory().numTensors, backend.numDataIds()];
        const wasm = transposed("wasm", shape, perm, dtype);
        expect([tf.memory().numTensors, backend.numDataIds()]).toEqual([tensors, data]);
        expect(wasm).toEqual(transposed("cpu", shape, perm, dtype));
        tf.setBackend("wasm");
      });
    }
  }

  it("moves NaN, infinities and -0 as they are", () => {
    const x = tf.tensor2d([[NaN, Infinity, -Infinity, -0, 1], [2, 3, 4, 5, 6], [7, 8, 9, 10, 11], [12, 13, 14, 15, 16]]);
    const t = tf.transpose(x);
    const expected = [NaN, 2, 7, 12, Infinity, 3, 8, 13, -Infinity, 4, 9, 14, -0, 5, 10, 15, 1, 6, 11, 16];
    expect(Array.from(t.dataSync()).every((v, i) => Object.is(v, expected[i]))).toBe(true);
    tf.dispose([x, t]);
  });
});
