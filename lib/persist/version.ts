import * as fs from "fs";
import * as tf from "@tensorflow/tfjs";
import { findUpward } from "../runtime/package-file";

/** Name and version of the kit library and of TensorFlow.js, as recorded in manifests. */
export interface LibraryVersion {
  /** `"vae-kit"`. */
  name: string;
  /** The `version` of lib/package.json, e.g. `"0.1.0"`; `"unknown"` when not found. */
  version: string;
  /** `tf.version.tfjs`, e.g. `"4.22.0"`. */
  tfjs: string;
}

let cached: LibraryVersion | undefined;

/**
 * The library's name and version, read once from its package.json (found in the folders
 * above this file: lib/ from the TypeScript sources, lib/dist/.. from the compiled code).
 */
export function libraryVersion(): LibraryVersion {
  if (cached === undefined) cached = { name: "vae-kit", version: readVersion(), tfjs: tf.version.tfjs };
  return { ...cached };
}

function readVersion(): string {
  const file = findUpward("package.json");
  try {
    const pkg = JSON.parse(fs.readFileSync(file ?? "", "utf8")) as { name?: string; version?: string };
    if (pkg.name === "vae-kit" && typeof pkg.version === "string") return pkg.version;
  } catch {
    // no package.json found, or not readable
  }
  return "unknown";
}
