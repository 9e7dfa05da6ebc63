"""nbval on the executed copies: each committed output compared with what a fresh run gave.

    python -m pytest -p tests.nbval_executed --nbval-executed _build/executed \
        --nbval-sanitize-with tests/nbval_sanitize.cfg notebooks/*.ipynb

`make test` executes each lecture once (the copies in `_build/executed`, which the site, the PDFs
and the slides render). nbval would execute it again only to compare. This plugin hands nbval a
kernel that plays back the executed copy instead, so that nbval's own rules decide: its
sanitizers, its tags (`nbval-ignore-output`, `nbval-skip`, `raises-exception`), its coalescing of
streams and its report of what differs. `make portability` and `make pythons` run plain nbval.
"""

import queue
import uuid
from pathlib import Path

import nbformat
from nbval.plugin import IPyNbFile


def pytest_addoption(parser):
    parser.addoption("--nbval-executed", metavar="DIR",
                     help="compare each notebook with its executed copy in DIR (same file name)")


def pytest_collect_file(file_path, parent):
    if parent.config.option.nbval_executed and file_path.suffix == ".ipynb":
        return ExecutedNotebook.from_parent(parent, path=file_path)


class ExecutedNotebook(IPyNbFile):
    """nbval's notebook, its kernel replaced by the executed copy's outputs."""

    def setup(self):
        copy = Path(self.config.option.nbval_executed) / self.path.name
        if not copy.exists():
            raise FileNotFoundError(f"{copy} is missing: `make {copy}` executes {self.path.name}")
        if copy.stat().st_mtime < self.path.stat().st_mtime:
            raise RuntimeError(f"{copy} is older than {self.path}: run `make {copy}`")
        self.kernel = PlaybackKernel(copy)
        self.setup_sanitize_files()


class PlaybackKernel:
    """The part of nbval's RunningKernel that nbval's cells use, answering from a notebook: each
    executed source gets the outputs of the next code cell of `path` with that source, as the
    iopub messages a kernel would send, then `idle`."""

    def __init__(self, path):
        self.path = path
        self.cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        self.next = 0
        self.streams = {"iopub": queue.Queue(), "shell": queue.Queue()}

    def execute_cell_input(self, source, allow_stdin=None):
        while self.next < len(self.cells) and self.cells[self.next].source != source:
            self.next += 1  # cells that nbval skips were run in the copy all the same
        if self.next == len(self.cells):
            raise RuntimeError(f"{self.path} holds no cell with this source after the cells "
                               f"before it (is it older than the notebook?):\n{source[:200]}")
        outputs = self.cells[self.next].outputs
        self.next += 1
        parent = {"msg_id": uuid.uuid4().hex}
        for output in outputs:
            content = {key: value for key, value in output.items() if key != "output_type"}
            self._send("iopub", output.output_type, content, parent)
        self._send("iopub", "status", {"execution_state": "idle"}, parent)
        self._send("shell", "execute_reply", {"status": "ok"}, parent)
        return parent["msg_id"]

    def _send(self, stream, msg_type, content, parent):
        self.streams[stream].put({"msg_type": msg_type, "content": content,
                                  "parent_header": parent})

    def get_message(self, stream, timeout=None):
        return self.streams[stream].get_nowait()  # queue.Empty, as nbval expects, when none is left

    def await_reply(self, msg_id, timeout=None):
        while self.get_message("shell")["parent_header"]["msg_id"] != msg_id:
            pass

    def await_idle(self, parent_id, timeout):
        while True:
            msg = self.get_message("iopub")
            if (msg["parent_header"]["msg_id"] == parent_id and msg["msg_type"] == "status"
                    and msg["content"]["execution_state"] == "idle"):
                return

    def is_alive(self):
        return True

    def interrupt(self):
        pass

    def stop(self):
        pass
