import * as crypto from "crypto";
import * as fs from "fs";

/** Size and SHA-256 digest of a file, as recorded in a checkpoint manifest. */
export interface FileDigest {
  /** Size in bytes. */
  bytes: number;
  /** SHA-256 of the content, 64 lower-case hex digits. */
  sha256: string;
}

/**
 * Size and SHA-256 digest (FIPS 180-4) of some bytes or text (text is hashed as UTF-8).
 *
 * @example
 * digestOf("abc").sha256; // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 */
export function digestOf(data: string | Uint8Array): FileDigest {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  return { bytes: bytes.length, sha256: crypto.createHash("sha256").update(bytes).digest("hex") };
}

/**
 * Size and SHA-256 digest of a file on disk.
 *
 * @throws Error from the file system when the file cannot be read (e.g. ENOENT).
 */
export function digestOfFile(file: string): FileDigest {
  return digestOf(fs.readFileSync(file));
}
