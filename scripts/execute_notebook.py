"""Execute one notebook in one Jupyter kernel and always write the executed copy.

    python3 scripts/execute_notebook.py NOTEBOOK KERNEL OUTPUT

Unlike `jupyter nbconvert --execute`, the copy is written even when a cell fails, so its
outputs (tslab reports a failing cell only through the reply status and stderr) can be read.
Exit status: 0 when every cell ran, 1 when a cell failed (the error is printed).
"""
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def main(source: str, kernel: str, output: str) -> int:
    notebook = nbformat.read(source, as_version=4)
    client = NotebookClient(
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
    tmp = output + ".tmp"
    nbformat.write(notebook, tmp)
    os.replace(tmp, output)
    return status


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
