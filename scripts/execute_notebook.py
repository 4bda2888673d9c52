"""Execute one notebook in one Jupyter kernel and always write the executed copy.

    python3 scripts/execute_notebook.py NOTEBOOK KERNEL OUTPUT [--rerun]

Unlike `jupyter nbconvert --execute`, the copy is written even when a cell fails, so its
outputs (tslab reports a failing cell only through the reply status and stderr) can be read.
Deno's kernel sometimes publishes a cell's last outputs just after it reports the cell idle;
the client keeps listening for a short grace period after each cell so they are not lost.
A kernel that does not answer at start is started again (up to three times in all).
The copy's metadata names the kernel that ran it. Exit status: 0 when every cell ran, 1 when
a cell failed (the error is printed).

With `--rerun`, every code cell runs twice in a row, as a learner who reruns a cell does, and
`tf.memory().numTensors` is read in the same kernel just before and just after the second
run (the notebook must have imported TensorFlow.js as `tf`). The counts go, one record per
code cell, to OUTPUT with `.ipynb` replaced by `.reruns.json`; the executed copy holds the
outputs of the second runs. Exit status 1 also when a rerun grew the count, naming the cell.
"""
import json
import os
import re
import sys
from queue import Empty
from time import monotonic

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_core.utils import ensure_async, run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellExecutionError

GRACE_SECONDS = {"deno": 0.3}
# A kernel that never answers at start (as tslab 1.0.22 did on a loaded machine before
# patches/tslab+1.0.22.patch: it read its shell socket while still binding it, got EBUSY, and
# stopped reading) makes jupyter_client raise NO_KERNEL; the notebook then runs in a new kernel.
NO_KERNEL = "Kernel didn't respond"
KERNEL_STARTS = 3
PROBE = "console.log(JSON.stringify({ numTensors: tf.memory().numTensors }));"
PROBE_OUTPUT = re.compile(r'\{"numTensors":(\d+)\}')


class GraceClient(NotebookClient):
    """A NotebookClient that also collects a cell's outputs that arrive soon after idle."""

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        await super()._async_poll_output_msg(parent_msg_id, cell, cell_index)
        grace = GRACE_SECONDS.get(self.kernel_name, 0)
        while grace > 0:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=grace))
            except Empty:
                return
            if msg["parent_header"].get("msg_id") == parent_msg_id:
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    pass


class RerunClient(GraceClient):
    """Runs every code cell twice in a row and records tf.memory().numTensors around the rerun."""

    reruns: list

    async def async_execute(self, reset_kc=False, **kwargs):
        self.reruns = []
        self.reset_execution_trackers()
        async with self.async_setup_kernel(**kwargs):
            info = await self.async_wait_for_reply(await ensure_async(self.kc.kernel_info()))
            if info is not None and "language_info" in info["content"]:
                self.nb.metadata["language_info"] = info["content"]["language_info"]
            for index, cell in enumerate(self.nb.cells):
                await self.async_execute_cell(cell, index, execution_count=self.code_cells_executed + 1)
                if cell.cell_type != "code" or not cell.source.strip():
                    continue
                before = await self.count_tensors()
                await self.async_execute_cell(cell, index, execution_count=self.code_cells_executed + 1)
                after = await self.count_tensors()
                first_line = cell.source.strip().split("\n", 1)[0]
                self.reruns.append({"cell": index, "source": first_line, "before": before, "after": after})
        return self.nb

    execute = run_sync(async_execute)

    async def count_tensors(self) -> int:
        """Run the probe in the kernel (not stored in the notebook) and read the count it prints."""
        msg_id = await ensure_async(self.kc.execute(PROBE, store_history=False))
        reply = await self.async_wait_for_reply(msg_id)
        text, idle = "", False
        deadline = monotonic() + 60
        while not (idle and PROBE_OUTPUT.search(text)):
            # After idle, wait a little longer for output that Deno publishes late.
            timeout = 2.0 if idle else max(0.0, deadline - monotonic())
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=timeout))
            except Empty:
                break
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                text += msg["content"]["text"]
            elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
        match = PROBE_OUTPUT.search(text)
        if reply is None or reply["content"]["status"] != "ok" or not match:
            raise RuntimeError(f"the probe `{PROBE}` failed (does the notebook import TensorFlow.js as tf?): {text!r}")
        return int(match.group(1))


def main(source: str, kernel: str, output: str, *flags: str) -> int:
    if any(f != "--rerun" for f in flags):
        sys.exit(__doc__)
    rerun = "--rerun" in flags
    for attempt in range(1, KERNEL_STARTS + 1):
        notebook = nbformat.read(source, as_version=4)
        client = (RerunClient if rerun else GraceClient)(
            notebook,
            kernel_name=kernel,
            timeout=3600,
            resources={"metadata": {"path": os.path.dirname(os.path.abspath(source))}},
        )
        status = 0
        try:
            client.execute()
        except (CellExecutionError, RuntimeError) as error:
            if str(error).startswith(NO_KERNEL) and attempt < KERNEL_STARTS:
                print(f"{error}; starting the kernel again ({attempt + 1} of {KERNEL_STARTS})", file=sys.stderr)
                continue
            print(error, file=sys.stderr)
            report = failing_cell_report(notebook)
            if report:
                print(report, file=sys.stderr)
            status = 1
        break
    spec = KernelSpecManager().get_kernel_spec(kernel)
    # The copy names the kernel that ran it, so Jupyter reopens it in that kernel.
    notebook.metadata["kernelspec"] = {"name": kernel, "display_name": spec.display_name, "language": spec.language}
    write_atomic(output, lambda tmp: nbformat.write(notebook, tmp))
    if rerun:
        records = client.reruns
        write_atomic(re.sub(r"\.ipynb$", "", output) + ".reruns.json", lambda tmp: write_text(tmp, json.dumps(records, indent=1) + "\n"))
        for r in records:
            print(f"rerun of cell {r['cell']}: numTensors {r['before']} -> {r['after']}  ({r['source'][:60]})")
        sys.stdout.flush()  # the records first, then the failures, in a combined log
        for r in records:
            if r["after"] > r["before"]:
                print(f"Rerunning cell {r['cell']} (counting from 0, Markdown cells included: `{r['source']}`) grew tf.memory().numTensors from {r['before']} to {r['after']}.", file=sys.stderr)
                status = 1
    return status


def failing_cell_report(notebook) -> str:
    """What the failing cell printed, for the log: tslab sends a failing cell's message (a
    compile error, or the exception and its stack) to the cell's stderr stream and reports
    only `<Error>:` with an empty value in the execute reply, so the CellExecutionError alone
    does not say what went wrong. The failing cell is the last one that ran."""
    ran = [i for i, c in enumerate(notebook.cells) if c.cell_type == "code" and c.get("execution_count") is not None]
    if not ran:
        return ""
    index = ran[-1]
    cell = notebook.cells[index]
    streams = [o for o in cell.get("outputs", []) if o.get("output_type") == "stream"]
    text = "".join(o.get("text", "") for o in streams if o.get("name") == "stderr")
    if not text.strip():
        text = "".join(o.get("text", "") for o in streams)
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    text += "".join(f"{o.get('ename', '')}: {o.get('evalue', '')}\n" for o in errors)
    first_line = cell.source.strip().split("\n", 1)[0]
    lines = text.strip().split("\n")
    shown = "\n".join(lines[-20:])
    return f"The failing cell is cell {index} (counting from 0, Markdown cells included: `{first_line}`). It printed:\n{shown}"


def write_text(path: str, text: str) -> None:
    with open(path, "w") as f:
        f.write(text)


def write_atomic(path: str, write) -> None:
    tmp = path + ".tmp"
    write(tmp)
    os.replace(tmp, path)


if __name__ == "__main__":
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
