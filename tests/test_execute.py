"""course_utils.execute: the one way make, the grader and the benchmarks run a notebook."""

import asyncio

import nbformat
import pytest
import zmq
import zmq.asyncio

from course_utils import execute


async def poll_after_a_missed_wake_up(waking):
    """A poll's result, or "stuck", when the message it waits for arrived but its wake-up was
    consumed (here by a synchronous look at EVENTS, as in pyzmq issue 2173)."""
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
        return await asyncio.wait_for(poll, 5)
    except asyncio.TimeoutError:
        return "stuck"
    finally:
        if waker:
            waker.cancel()
        sender.close(0)
        receiver.close(0)
        context.term()


def test_without_waking_a_poll_misses_a_waiting_message():
    # The failure that the waker is for: the poll would sit until its own timeout (60 s).
    assert asyncio.run(poll_after_a_missed_wake_up(waking=False)) == "stuck"


def test_waking_the_socket_hands_the_waiting_message_over():
    assert asyncio.run(poll_after_a_missed_wake_up(waking=True)) == zmq.POLLIN


def notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)
    return path


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


def test_a_notebook_is_executed_in_its_folder_with_its_streams_joined(tmp_path, wakers):
    (tmp_path / "data.txt").write_text("beside the notebook")
    source = notebook(tmp_path / "lecture.ipynb",
                      "print(open('data.txt').read())\nprint('second line')",
                      "from IPython.display import display\nprint('a'); display(1); print('b')")
    execute.main([str(source), "--out", str(tmp_path / "out")])
    nb = nbformat.read(tmp_path / "out" / "lecture.ipynb", as_version=4)
    first, second = nb.cells
    assert [o["output_type"] for o in first.outputs] == ["stream"]
    assert first.outputs[0]["text"] == "beside the notebook\nsecond line\n"
    # Only consecutive outputs of a stream are joined: a display between them stays between.
    assert [o.get("text") for o in second.outputs] == ["a\n", None, "b\n"]
    assert "execution" not in first.metadata  # no timing metadata
    assert not list((tmp_path / "out").glob(".kernel-*"))  # the IPC sockets are gone
    assert len(wakers) == 2 and all(len(sockets) == 2 for sockets in wakers)


def test_the_graders_cell_by_cell_execution_wakes_its_sockets_too(tmp_path, wakers):
    nb = nbformat.read(notebook(tmp_path / "lecture.ipynb", "6 * 7"), as_version=4)
    client = execute.WakingClient(nb, timeout=60, kernel_name="python3")
    with client.setup_kernel():
        client.execute_cell(nb.cells[0], 0)
    assert nb.cells[0].outputs[0]["data"]["text/plain"] == "42"
    assert len(wakers) == 1


def test_inplace_overwrites_the_notebook(tmp_path):
    source = notebook(tmp_path / "lecture.ipynb", "6 * 7")
    execute.main([str(source), "--inplace"])
    cell = nbformat.read(source, as_version=4).cells[0]
    assert cell.outputs[0]["data"]["text/plain"] == "42"


def test_a_failing_cell_stops_with_its_error_and_writes_nothing(tmp_path):
    source = notebook(tmp_path / "lecture.ipynb", "1 / 0")
    with pytest.raises(SystemExit) as stop:
        execute.main([str(source), "--out", str(tmp_path / "out")])
    assert "lecture.ipynb: a cell failed" in str(stop.value)
    assert "ZeroDivisionError" in str(stop.value)
    assert not (tmp_path / "out" / "lecture.ipynb").exists()
