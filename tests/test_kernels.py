"""grader.kernels: headless runs poll the kernel in short slices (jupyter/nbclient#312)."""

from __future__ import annotations

import asyncio
import time
from queue import Empty

import nbformat
import pytest

from grader import kernels, settings

# grader/kernels.py and grader/judge.py lean on nbclient's and jupyter_client's internals
# (channels, get_msg, the sync wrappers): the deprecation warnings that would announce a
# change there fail these tests instead of being ignored like everywhere else.
pytestmark = pytest.mark.filterwarnings("error::DeprecationWarning",
                                        "error::PendingDeprecationWarning")


class MissesWakeUps:
    """A kernel channel at its worst: a poll notices a message only if it was already
    there when the poll began; otherwise it waits its whole timeout."""

    def __init__(self, message_after: float | None):
        self.ready_at = None if message_after is None else time.monotonic() + message_after
        self.polls: list[float | None] = []

    def ready(self) -> bool:
        return self.ready_at is not None and time.monotonic() >= self.ready_at

    async def get_msg(self, timeout=None):
        self.polls.append(timeout)
        if not self.ready():
            await asyncio.sleep(timeout)
        if self.ready():
            return {"msg_type": "execute_reply"}
        raise Empty


def sliced(channel: MissesWakeUps) -> MissesWakeUps:
    kernels.poll_in_slices(channel)
    return channel


def test_a_missed_wake_up_costs_one_slice_not_the_whole_timeout():
    channel = sliced(MissesWakeUps(message_after=0.2))
    assert asyncio.run(channel.get_msg(timeout=120)) == {"msg_type": "execute_reply"}
    # Unsliced, the one poll would have waited 120 s; sliced, it ends after one slice.
    assert channel.polls == [kernels.SLICE]


def test_the_timeout_still_holds():
    channel = sliced(MissesWakeUps(message_after=None))
    with pytest.raises(Empty):
        asyncio.run(channel.get_msg(timeout=1.2))
    assert sum(channel.polls) == pytest.approx(1.2, abs=0.1)
    assert max(channel.polls) <= kernels.SLICE


def test_no_timeout_waits_for_the_message():
    channel = sliced(MissesWakeUps(message_after=0.7))
    assert asyncio.run(channel.get_msg(timeout=None)) == {"msg_type": "execute_reply"}
    assert set(channel.polls) == {kernels.SLICE}


def test_notebook_runner_runs_a_notebook_and_polls_in_slices():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    runner = kernels.NotebookRunner(nb, timeout=settings.CELL_TIMEOUT, kernel_name="python3")
    polls = []
    runner.on_cell_execute = lambda **_: polls.extend(
        channel.get_msg.__name__ for channel in (runner.kc.shell_channel, runner.kc.iopub_channel))
    runner.execute()
    assert nb.cells[0].outputs[0]["text"] == "42\n"
    assert polls == ["get_msg_in_slices", "get_msg_in_slices"]
