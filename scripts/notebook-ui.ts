/**
 * Start the Jupyter Notebook web UI (Debian's `jupyter-notebook`, installed by setup.sh) on
 * the kit's notebooks, with its two kernels, bound to one address with a fresh token, and
 * print the URL to open.
 *
 *   npm run notebook-ui                         http://127.0.0.1:8888/tree?token=...
 *   npm run notebook-ui -- --port 9000
 *   npm run notebook-ui -- --ip 0.0.0.0         a class server: every learner who has the URL
 *   npm run notebook-ui -- --dir my-copies      another folder of notebooks (inside the kit, so
 *                                               the kernels find its node_modules)
 *
 * Ctrl-C stops the server (and its kernels). Exit codes: 0 stopped, 1 failed, 2 bad flags.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { integerFlag, parseFlags, runCommand, UsageError } from "./command-line";
import { JUPYTER_PATH, ROOT, writeKernelspecs } from "./kernelspecs";
import { jupyterPython, NOTEBOOK_DIR } from "./notebook-runner";

const USAGE = `Usage: npm run notebook-ui -- [--ip 127.0.0.1] [--port 8888] [--dir notebooks]

Starts the Jupyter Notebook web UI on notebooks/ (or --dir) with the kernels "TypeScript (tslab)" and
"Deno", and prints the URL with its token. Ctrl-C stops it.
`;

/** The URL of a started server; the token authenticates the browser that opens it. */
function notebookUrl(ip: string, port: number, token: string): string {
  const host = ip === "0.0.0.0" ? "127.0.0.1" : ip;
  return `http://${host}:${port}/tree?token=${token}`;
}

void runCommand("notebook-ui", USAGE, async () => {
  const flags = parseFlags(process.argv.slice(2), { ip: { type: "string" }, port: { type: "string" }, dir: { type: "string" }, help: { type: "boolean", short: "h" } });
  if (flags.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const ip = (flags.ip as string | undefined) ?? "127.0.0.1";
  const port = integerFlag("port", (flags.port as string | undefined) ?? "8888", 1);
  const dir = path.resolve((flags.dir as string | undefined) ?? NOTEBOOK_DIR);
  if (!fs.existsSync(dir)) throw new UsageError(`--dir: no folder ${dir}.`);
  const token = randomBytes(24).toString("hex");
  writeKernelspecs();
  const args = ["-m", "notebook", "--no-browser", `--ip=${ip}`, `--port=${port}`, "--port-retries=0", `--notebook-dir=${dir}`, `--NotebookApp.token=${token}`];
  // Jupyter refuses to run as root unless told (containers and CI machines often are root).
  if (process.getuid?.() === 0) args.push("--allow-root");
  const server = spawn(jupyterPython(), args, { cwd: ROOT, env: { ...process.env, JUPYTER_PATH }, stdio: ["ignore", "inherit", "pipe"] });
  let printed = false;
  server.stderr.on("data", (chunk: Buffer) => {
    process.stderr.write(chunk);
    if (!printed && /is running at/.test(chunk.toString())) {
      printed = true;
      console.log(`\nJupyter Notebook on ${dir}, kernels "TypeScript (tslab)" and "Deno". Open:\n\n    ${notebookUrl(ip, port, token)}\n`);
    }
  });
  // Ctrl-C here, or a SIGTERM to this process, stops the server and its kernels: Jupyter asks
  // for a confirmation on SIGINT, so it gets SIGTERM, which shuts it down at once.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill("SIGTERM"));
  const code = await new Promise<number>((done) => server.on("exit", (c) => done(c ?? 0)));
  if (!printed) process.stderr.write(`notebook-ui: the server did not start; is Debian's jupyter-notebook installed (bash scripts/setup.sh)?\n`);
  return printed ? 0 : code || 1;
});
