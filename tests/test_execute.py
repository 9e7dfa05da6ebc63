"""course_utils.execute: the one way make, the grader and the benchmarks run a notebook."""

import asyncio
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest
import zmq
import zmq.asyncio
from jupyter_core.utils import ensure_event_loop

from course_utils import execute


async def poll_after_a_missed_wake_up(waking, patience):
    """A poll's result, or "stuck" after `patience` seconds, when the message it waits for arrived
    but its wake-up was consumed (here by a synchronous look at EVENTS, as in pyzmq issue 2173)."""
    context = zmq.asyncio.Context()
    sender, receiver = context.socket(zmq.PAIR), context.socket(zmq.PAIR)
    receiver.bind("inproc://reply")
    sender.connect("inproc://reply")
    poll = asyncio.ensure_future(receiver.poll(60_000))
    await asyncio.sleep(0.05)  # the poll is waiting
    zmq.Socket.shadow(sender.underlying).send(b"reply")
    zmq.Socket.shadow(receiver.underlying).get(zmq.EVENTS)
    waker = asyncio.ensure_future(execute.wake(lambda: [receiver], every=0.05)) if waking else None
    try:
        return await asyncio.wait_for(poll, patience)
    except asyncio.TimeoutError:
        return "stuck"
    finally:
        if waker:
            waker.cancel()
        sender.close(0)
        receiver.close(0)
        context.term()


def in_a_thread(function, *args):
    """function(*args) in a thread of its own: the browser tests leave an event loop running in
    this one, where asyncio.run and nbclient's own loop may not start."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(function, *args).result()


def test_without_waking_a_poll_misses_a_waiting_message():
    # The failure that the waker is for: the poll would sit until its own timeout (60 s). A poll
    # that works returns at once: the message is there.
    assert in_a_thread(asyncio.run, poll_after_a_missed_wake_up(False, patience=1)) == "stuck"


def test_waking_the_socket_hands_the_waiting_message_over():
    assert in_a_thread(asyncio.run, poll_after_a_missed_wake_up(True, patience=5)) == zmq.POLLIN


@pytest.fixture
def wakers(monkeypatch):
    """The sockets each started waker watches, one list per cell."""
    started = []
    real = execute.wake

    def recording(sockets, every=execute.WAKE_EVERY):
        started.append(sockets())
        return real(sockets, every)

    monkeypatch.setattr(execute, "wake", recording)
    return started


def notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)
    return path


def run(*args):
    """`python -m course_utils.execute ARGS`, as make runs it."""
    return subprocess.run([sys.executable, "-m", "course_utils.execute", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def test_a_notebook_is_executed_in_its_folder_with_its_streams_joined(tmp_path):
    (tmp_path / "data.txt").write_text("beside the notebook")
    source = notebook(tmp_path / "lecture.ipynb",
                      "print(open('data.txt').read())\nprint('second line')",
                      "from IPython.display import display\nprint('a'); display(1); print('b')")
    done = run(source, "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "over TCP" not in done.stderr  # ipykernel's line: the kernel talked over IPC
    nb = nbformat.read(tmp_path / "out" / "lecture.ipynb", as_version=4)
    first, second = nb.cells
    assert [o["output_type"] for o in first.outputs] == ["stream"]
    assert first.outputs[0]["text"] == "beside the notebook\nsecond line\n"
    # Only consecutive outputs of a stream are joined: a display between them stays between.
    assert [o.get("text") for o in second.outputs] == ["a\n", None, "b\n"]
    assert "execution" not in first.metadata  # no timing metadata


def test_inplace_overwrites_a_notebook_even_deep_in_the_file_system(tmp_path):
    # A Unix socket's path may not exceed about 100 characters: the kernel's go elsewhere.
    deep = tmp_path.joinpath(*["a_folder_with_a_long_name"] * 6)
    deep.mkdir(parents=True)
    source = notebook(deep / "06_neural_network_class.ipynb", "6 * 7")
    done = run(source, "--inplace")
    assert done.returncode == 0, done.stderr
    assert nbformat.read(source, as_version=4).cells[0].outputs[0]["data"]["text/plain"] == "42"


def test_a_failing_cell_stops_with_its_error_and_writes_nothing(tmp_path):
    source = notebook(tmp_path / "lecture.ipynb", "1 / 0")
    done = run(source, "--out", tmp_path / "out")
    assert done.returncode == 1
    assert "lecture.ipynb: a cell failed; nothing was written" in done.stderr
    assert "ZeroDivisionError" in done.stderr
    assert not (tmp_path / "out" / "lecture.ipynb").exists()


@pytest.mark.parametrize("content", [None, '{"cells": ['])
def test_a_missing_or_broken_notebook_is_named_and_nothing_runs(tmp_path, content):
    source = tmp_path / "lecture.ipynb"
    if content is not None:
        source.write_text(content)
    done = run(source, "--out", tmp_path / "out")
    assert done.returncode == 1
    assert "lecture.ipynb: cannot be read as a notebook" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out" / "lecture.ipynb").exists()


def test_every_cell_is_run_with_its_sockets_woken_whole_or_cell_by_cell(tmp_path, wakers):
    """execute() (make's route) and execute_cell (the grader's) both run the waking coroutine."""
    source = notebook(tmp_path / "lecture.ipynb", "x = 6", "x * 7")

    def both_routes():
        execute.execute(source, tmp_path / "whole.ipynb")
        nb = nbformat.read(source, as_version=4)
        client = execute.WakingClient(nb, timeout=60, kernel_name="python3")
        with client.setup_kernel():
            client.execute_cell(nb.cells[0], 0)
            client.execute_cell(nb.cells[1], 1)
        ensure_event_loop().close()  # nbclient's loop for this thread
        return nb

    nb = in_a_thread(both_routes)
    assert nb.cells[1].outputs[0]["data"]["text/plain"] == "42"
    assert len(wakers) == 4 and all(len(sockets) == 2 for sockets in wakers)
