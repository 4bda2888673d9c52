/**
 * Write the project-local Jupyter kernelspecs (tslab and Deno) under jupyter/kernels.
 *
 *   npx tsx scripts/kernels.ts           for the project's own scripts (JUPYTER_PATH=jupyter)
 *   npx tsx scripts/kernels.ts --user    also register them for your JupyterLab / VS Code
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { JUPYTER_PATH, writeKernelspecs } from "./kernelspecs";

const { values } = parseArgs({ options: { user: { type: "boolean", default: false } } });
writeKernelspecs(values.user);
console.log(
  `Kernelspecs tslab and deno written to ${path.join(JUPYTER_PATH, "kernels")}` +
    (values.user ? " and registered for this user." : "."),
);
