import * as tf from "@tensorflow/tfjs";

/**
 * The kit's WebAssembly kernels on the wasm backend's own heap: each is a small module
 * (`lib/runtime/*.wat`, compiled by `npm run build:wasm`) that imports the backend's memory,
 * so it reads its inputs and writes its outputs where the backend keeps tensors, copying nothing.
 * This file instantiates such a module on that memory.
 */

/** The slice of the WebAssembly API this file uses (the library compiles without the DOM typings that declare it). */
interface WasmMemory {
  buffer: ArrayBuffer | SharedArrayBuffer;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
};

/** The slice of the wasm backend the kit's kernels use: its module's memory, output allocation and heap offsets. */
export interface WasmBackend {
  wasm: { wasmMemory?: WasmMemory; asm: { memory?: WasmMemory } };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } | undefined };
}

/** A module compiled twice, base64: for the one-thread build's memory and for the threaded build's shared one. */
export interface CompiledModule {
  unshared: string;
  shared: string;
}

/** A module's exported function; its arguments are byte offsets into the heap, lengths and numbers. */
export type WasmFunction = (...args: number[]) => void;

/** One instance per compiled module and backend memory. */
const instances = new WeakMap<CompiledModule, WeakMap<WasmMemory, Record<string, unknown>>>();

/**
 * The function `name` of `compiled`, instantiated on the backend's memory on first use.
 * @param kernel the kernel's name, for the error.
 * @throws Error naming the kernel when the backend's memory is not where tfjs-backend-wasm 4.22 keeps it.
 */
export function wasmFunction(backend: WasmBackend, compiled: CompiledModule, name: string, kernel: string): WasmFunction {
  const memory = backend.wasm.wasmMemory ?? backend.wasm.asm.memory;
  if (!memory) throw new Error(`Error in ${kernel}: the wasm backend's memory was not found (tfjs-backend-wasm 4.22 keeps it in wasm.asm.memory, or wasm.wasmMemory when threaded).`);
  const byMemory = instances.get(compiled) ?? new WeakMap<WasmMemory, Record<string, unknown>>();
  instances.set(compiled, byMemory);
  let exports = byMemory.get(memory);
  if (!exports) {
    const module = new WebAssembly.Module(moduleBytes(compiled, memory.buffer instanceof SharedArrayBuffer));
    exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
    byMemory.set(memory, exports);
  }
  return exports[name] as WasmFunction;
}

/** The byte offset of a tensor's values in the backend's heap. */
export function heapOffset(backend: WasmBackend, t: tf.TensorInfo): number {
  return backend.dataIdMap.get(t.dataId)!.memoryOffset;
}

/** Whether this runtime can run the module (WebAssembly SIMD). */
export function canRun(compiled: CompiledModule): boolean {
  return WebAssembly.validate(moduleBytes(compiled, false));
}

function moduleBytes(compiled: CompiledModule, shared: boolean): Uint8Array {
  return Uint8Array.from(atob(shared ? compiled.shared : compiled.unshared), (c) => c.charCodeAt(0));
}
