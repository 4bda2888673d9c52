/**
 * Compile the kit's WebAssembly sources (`lib/runtime/*.wat`) into the TypeScript files the
 * library loads (`lib/runtime/*-module.ts`): run it after changing a source.
 *
 *   npm run build:wasm
 */
import writeFileAtomic from "write-file-atomic";
import { WASM_MODULES, wasmModuleFile } from "./wasm-modules";

async function main(): Promise<void> {
  for (const spec of Object.values(WASM_MODULES)) {
    await writeFileAtomic(spec.file, await wasmModuleFile(spec));
    console.log(`wrote ${spec.file}`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
