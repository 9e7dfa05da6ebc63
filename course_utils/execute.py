"""Notebooks executed top to bottom in a fresh kernel, as `make` makes every output.

    python -m course_utils.execute notebooks/01_single_neuron.ipynb --out _build/executed
    python -m course_utils.execute notebooks/01_single_neuron.ipynb --inplace   (make execute)

run() executes a notebook held in memory (tools/student.py runs a lecture's exercises with it).

Each notebook runs in its own python3 kernel, started in the notebook's folder, with at most
TIMEOUT seconds a cell. Consecutive outputs of one stream are joined (nbconvert's
CoalesceStreamsPreprocessor) and no timing metadata is written, so that an output changes only
when the code's result does. The kernel talks over IPC (except on Windows), its sockets in a
temporary folder of its own: a local kernel needs no TCP port (so ipykernel's "Kernel is running
over TCP without encryption" line is not printed), and parallel executions never share a socket.

Why not `jupyter nbconvert --execute`: nbclient waits for each cell's reply in one poll of the
kernel's shell socket, and pyzmq's asyncio sockets can miss the edge-triggered wake-up of a
message that has already arrived (pyzmq issues 1558 and 2173). The poll then returns only when its
timeout ends: lecture 05 once waited the full 600 s after its cells had run. `WakingClient` asks
each socket for its events once a second while a cell runs, which makes pyzmq hand over any
message already waiting. The grader and the benchmarks run their notebooks with it too.
"""

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
from pathlib import Path

import nbformat
import zmq
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbclient.util import run_sync

TIMEOUT = 600  # seconds a cell may take; the longest lecture cell takes about 20 s
WAKE_EVERY = 1.0  # seconds between two looks at the sockets while a cell runs


async def wake(sockets, every=WAKE_EVERY):
    """Forever: every `every` seconds, read each open socket's EVENTS.

    On a pyzmq asyncio socket, reading EVENTS schedules the handling of what is waiting, so a
    receive or poll whose wake-up was missed completes within `every` seconds."""
    while True:
        await asyncio.sleep(every)
        for socket in sockets():
            if socket is not None and not socket.closed:
                socket.get(zmq.EVENTS)


class WakingClient(NotebookClient):
    """nbclient's NotebookClient, with the kernel's reply and output sockets woken while a cell
    runs (see the module's docstring)."""

    async def async_execute_cell(self, cell, cell_index, execution_count=None,
                                 store_history=True):
        waker = asyncio.ensure_future(wake(
            lambda: (self.kc.shell_channel.socket, self.kc.iopub_channel.socket)))
        try:
            return await super().async_execute_cell(cell, cell_index, execution_count,
                                                    store_history)
        finally:
            waker.cancel()

    # nbclient binds its synchronous wrapper to its own coroutine: bind it to this one.
    execute_cell = run_sync(async_execute_cell)


@contextlib.contextmanager
def over_ipc(client):
    """While in the block, `client` (a NotebookClient) has a kernel manager whose kernel talks
    over IPC, its sockets in a temporary folder of its own: no TCP port to race for between
    kernels started side by side, and no "running over TCP" line. On Windows, where zmq has no
    IPC, the kernel keeps TCP on 127.0.0.1."""
    with tempfile.TemporaryDirectory(prefix="course-kernel-") as sockets:
        client.km = client.create_kernel_manager()
        if os.name != "nt":
            # In a short folder of its own: a socket's path may not exceed about 100 characters.
            client.km.transport, client.km.ip = "ipc", os.path.join(sockets, "kernel")
        yield client


def run(nb, folder):
    """The notebook nb (a NotebookNode, changed in place) executed top to bottom in a fresh kernel
    started in `folder`, its streams joined; returns it.

    Raises nbclient's CellExecutionError (naming the cell) when a cell raises unexpectedly."""
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor

    client = WakingClient(
        nb, timeout=TIMEOUT, kernel_name="python3", record_timing=False,
        resources={"metadata": {"path": str(folder)}})
    with over_ipc(client):
        client.execute()
    nb, _ = CoalesceStreamsPreprocessor().preprocess(nb, {})
    return nb


def execute(source, target):
    """Execute the notebook at `source` in a fresh kernel in its folder; write it, with its
    outputs, to `target`. Raises CellExecutionError as run() does."""
    source = Path(source)
    nbformat.write(run(nbformat.read(source, as_version=4), source.parent), target)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", type=Path, help="write each executed notebook to this folder")
    where.add_argument("--inplace", action="store_true", help="overwrite each notebook")
    args = parser.parse_args(argv)
    for source in args.notebooks:
        target = source if args.inplace else args.out / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        print(f"executing {source} -> {target}", flush=True)
        try:
            nbformat.read(source, as_version=4)
        except (OSError, ValueError) as error:  # missing, unreadable, not a notebook's JSON
            sys.exit(f"{source}: cannot be read as a notebook ({error}); nothing was written.")
        try:
            execute(source, target)
        except CellExecutionError as error:
            sys.exit(f"{source}: a cell failed; nothing was written.\n{error}")


if __name__ == "__main__":
    main()
