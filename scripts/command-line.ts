/**
 * What `npm run train` and `npm run train:pretrained` share on the command line: flag
 * parsing with readable errors, the common flag checks, and the exit codes (0 done, 1 failed,
 * 2 a command-line mistake, printed with the usage).
 */
import { parseArgs, ParseArgsConfig } from "node:util";
import { BACKENDS } from "../lib/runtime/backend";

/** A command-line mistake: printed with the usage, exit code 2. */
export class UsageError extends Error {}

/**
 * The flags of `argv`, strictly parsed (no positional arguments).
 * @throws UsageError naming the unknown flag or the bad value.
 */
export function parseFlags(argv: string[], options: ParseArgsConfig["options"]): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (err) {
    throw new UsageError(describeParseError(err as Error & { code?: string }));
  }
}

function describeParseError(err: Error & { code?: string }): string {
  const flag = /'([^' ]+)/.exec(err.message)?.[1];
  const message = err.message.replace(/\n/g, " ");
  switch (err.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown flag ${flag ?? err.message}.`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return `bad value for ${flag ?? "a flag"}: ${message.replace(/^Option '[^']+' /, "")}${/ambiguous/.test(message) ? "" : "."}`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument ${flag ?? ""}: every setting is a flag, e.g. --epochs 10.`;
    default:
      return message;
  }
}

/** `--flag` as an integer >= `min`. @throws UsageError naming the flag and the text. */
export function integerFlag(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isSafeInteger(n) || n < min) {
    const what = min === 1 ? "a positive integer" : "an integer";
    throw new UsageError(`--${flag} must be ${what}, but got '${text}'.`);
  }
  return n;
}

/** `--backend`, when given, as one of `BACKENDS`. @throws UsageError naming the value. */
export function backendFlag(text: string | undefined): string | undefined {
  if (text !== undefined && !(BACKENDS as readonly string[]).includes(text)) {
    throw new UsageError(`--backend must be one of ${BACKENDS.join(", ")}, but got '${text}'.`);
  }
  return text;
}

/** Run a command's body, turning its errors into messages and exit codes. */
export async function runCommand(name: string, usage: string, body: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await body();
  } catch (err) {
    const usageError = err instanceof UsageError;
    process.stderr.write(`${name}: ${err instanceof Error ? err.message : String(err)}\n${usageError ? `\n${usage}` : ""}`);
    process.exitCode = usageError ? 2 : 1;
  }
}
