"""Interrupt a notebook's training cell as a learner does, then run one more cell.

    python3 scripts/interrupt_cell.py NOTEBOOK KERNEL PATTERN CHECK

Runs the code cells of NOTEBOOK in KERNEL up to the first code cell whose source contains
PATTERN; starts that cell, waits for its first output (training has begun), interrupts the
kernel one second later (the notebook's stop button sends the same interrupt), waits for the
cell to end, and then runs the code CHECK in the same kernel. Prints one JSON line:
{"interrupted": status of the interrupted cell, "seconds": how long it ran after the
interrupt, "check": status of CHECK, "output": what CHECK printed}.
Exit status: 0 when CHECK ran with status "ok" after the interrupt, 1 otherwise (the JSON
says what happened).
"""
import asyncio
import json
import os
import sys
import time
from queue import Empty

import nbformat
from jupyter_core.utils import ensure_async, run_sync
from nbclient import NotebookClient

WAIT_FOR_OUTPUT_SECONDS = 600
DELAY_SECONDS = 1.0
OUTPUT_GRACE_SECONDS = 30


async def messages_of(client, msg_id, until):
    """Yield the iopub messages of one request until `until` seconds (monotonic) pass."""
    while time.monotonic() < until:
        try:
            msg = await ensure_async(client.kc.iopub_channel.get_msg(timeout=max(0.01, until - time.monotonic())))
        except Empty:
            return
        if msg["parent_header"].get("msg_id") == msg_id:
            yield msg


def printed(msg):
    """The text a stream or error message shows, else ""."""
    if msg["msg_type"] == "stream":
        return msg["content"]["text"]
    if msg["msg_type"] == "error":
        return f"{msg['content']['ename']}: {msg['content']['evalue']}\n"
    return ""


async def run_request(client, code, timeout=600):
    """Execute code, wait for its reply; return (status, printed text)."""
    msg_id = await ensure_async(client.kc.execute(code))
    text = ""
    async for msg in messages_of(client, msg_id, time.monotonic() + timeout):
        text += printed(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    reply = await client.async_wait_for_reply(msg_id)
    # Deno's kernel can publish a cell's output just after the cell went idle: wait a little for it.
    async for msg in messages_of(client, msg_id, time.monotonic() + (0 if text else OUTPUT_GRACE_SECONDS)):
        text += printed(msg)
        if text:
            break
    return reply["content"]["status"], text


async def interrupt_run(client, source, pattern, check):
    async with client.async_setup_kernel():
        await client.async_wait_for_reply(await ensure_async(client.kc.kernel_info()))
        cells = client.nb.cells
        target = next((i for i, c in enumerate(cells) if c.cell_type == "code" and pattern in c.source), None)
        if target is None:
            raise SystemExit(f"no code cell of {source} contains {pattern!r}")
        for index, cell in enumerate(cells[:target]):
            await client.async_execute_cell(cell, index)
        msg_id = await ensure_async(client.kc.execute(cells[target].source))
        started = False
        async for msg in messages_of(client, msg_id, time.monotonic() + WAIT_FOR_OUTPUT_SECONDS):
            if msg["msg_type"] in ("stream", "display_data", "update_display_data"):
                started = True
                break
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
        if not started:
            return {"interrupted": "finished before any output", "check": "not run"}
        await asyncio.sleep(DELAY_SECONDS)
        await ensure_async(client.km.interrupt_kernel())
        interrupted_at = time.monotonic()
        async for msg in messages_of(client, msg_id, interrupted_at + 300):
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
        reply = await client.async_wait_for_reply(msg_id)
        status = reply["content"]["status"]
        seconds = round(time.monotonic() - interrupted_at, 2)
        await asyncio.sleep(DELAY_SECONDS)  # a learner reads the message before the next cell
        check_status, output = await run_request(client, check)
        return {"interrupted": status, "seconds": seconds, "check": check_status, "output": output}


def main(source, kernel, pattern, check):
    notebook = nbformat.read(source, as_version=4)
    client = NotebookClient(notebook, kernel_name=kernel, timeout=600, resources={"metadata": {"path": os.path.dirname(os.path.abspath(source))}})
    result = run_sync(interrupt_run)(client, source, pattern, check)
    print(json.dumps(result))
    return 0 if result.get("check") == "ok" else 1


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
