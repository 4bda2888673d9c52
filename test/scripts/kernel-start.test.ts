import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/kernelspecs";
import { runNotebook } from "../../scripts/notebook-runner";

// tslab 1.0.22 reads its sockets before binding them, and on a loaded machine the first read
// fails with EBUSY and the kernel never answers. patches/tslab+1.0.22.patch (applied by
// patch-package at install) binds first; the runner also starts a kernel that does not answer
// at start again.
describe("the installed tslab", () => {
  it("binds its sockets before it reads them", () => {
    const source = fs.readFileSync(path.join(ROOT, "node_modules/tslab/dist/jupyter.js"), "utf8");
    const init = source.slice(source.indexOf("async init()"));
    const bind = init.indexOf("this.bindSocket(this.shell");
    const read = init.indexOf("__asyncValues(this.shell)");
    expect(bind).toBeGreaterThan(0);
    expect(read).toBeGreaterThan(bind);
  });
});

// Here the kernel named tslab hangs at its first start and is the real tslab at its second.
describe("the notebook runner on a kernel that does not answer at start", () => {
  it("starts the kernel again and runs the notebook", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kernel-start-"));
    const marker = path.join(dir, "started-once");
    const launcher = path.join(dir, "launch.sh");
    fs.writeFileSync(
      launcher,
      `if [ ! -e "${marker}" ]; then touch "${marker}"; exec sleep 600; fi\n` +
        `exec "${path.join(ROOT, "node_modules/.bin/tslab")}" kernel --config-path "$1"\n`,
    );
    const spec = path.join(dir, "jupyter", "kernels", "tslab");
    fs.mkdirSync(spec, { recursive: true });
    fs.writeFileSync(path.join(spec, "kernel.json"), JSON.stringify({ argv: ["bash", launcher, "{connection_file}"], display_name: "tslab", language: "typescript" }));
    const notebook = { cells: [{ cell_type: "code", metadata: {}, source: "console.log(6 * 7);", outputs: [], execution_count: null }], metadata: {}, nbformat: 4, nbformat_minor: 5 };
    fs.writeFileSync(path.join(dir, "answer.ipynb"), JSON.stringify(notebook));

    const run = await runNotebook("answer.ipynb", "tslab", { quick: true, dir, buildDir: path.join(dir, "build"), env: { JUPYTER_PATH: path.join(dir, "jupyter") } });

    expect(run.error).toBeUndefined();
    expect(fs.existsSync(marker)).toBe(true);
    const log = fs.readFileSync(run.executed.replace(/\.ipynb$/, ".log"), "utf8");
    expect(log).toContain("starting the kernel again (2 of 3)");
    const outputs = JSON.parse(fs.readFileSync(run.executed, "utf8")).cells[0].outputs;
    expect(outputs.map((o: { text?: string }) => o.text ?? "").join("")).toContain("42");
    fs.rmSync(dir, { recursive: true, force: true });
  }, 240_000);
});
