"""Execute one notebook in one Jupyter kernel and always write the executed copy.

    python3 scripts/execute_notebook.py NOTEBOOK KERNEL OUTPUT

Unlike `jupyter nbconvert --execute`, the copy is written even when a cell fails, so its
outputs (tslab reports a failing cell only through the reply status and stderr) can be read.
Deno's kernel sometimes publishes a cell's last outputs just after it reports the cell idle;
the client keeps listening for a short grace period after each cell so they are not lost.
The copy's metadata names the kernel that ran it. Exit status: 0 when every cell ran, 1 when
a cell failed (the error is printed).
"""
import os
import sys
from queue import Empty

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_core.utils import ensure_async
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellExecutionError

GRACE_SECONDS = {"deno": 0.3}


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


def main(source: str, kernel: str, output: str) -> int:
    notebook = nbformat.read(source, as_version=4)
    client = GraceClient(
        notebook,
        kernel_name=kernel,
        timeout=3600,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(source))}},
    )
    status = 0
    try:
        client.execute()
    except CellExecutionError as error:
        print(error, file=sys.stderr)
        status = 1
    spec = KernelSpecManager().get_kernel_spec(kernel)
    # The copy names the kernel that ran it, so Jupyter reopens it in that kernel.
    notebook.metadata["kernelspec"] = {"name": kernel, "display_name": spec.display_name, "language": spec.language}
    tmp = output + ".tmp"
    nbformat.write(notebook, tmp)
    os.replace(tmp, output)
    return status


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
