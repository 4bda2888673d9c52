/**
 * Compile the kit's WebAssembly source (`lib/runtime/wasm-adam.wat`) into
 * `lib/runtime/wasm-adam-module.ts`, which the library loads: run it after changing the source.
 *
 *   npm run build:wasm
 */
import writeFileAtomic from "write-file-atomic";
import { ADAM_MODULE_FILE, adamModuleFile } from "./wasm-modules";

async function main(): Promise<void> {
  await writeFileAtomic(ADAM_MODULE_FILE, await adamModuleFile());
  console.log(`wrote ${ADAM_MODULE_FILE}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
