"""Running notebooks headless without nbclient's widget stall.

Every place that runs a notebook in a fresh kernel (`grader autograde`, `progress`,
the tests) uses `NotebookRunner`, or `ShortPolls` mixed into an nbclient subclass.
`NotebookRunner` also kills its kernel at the end instead of waiting for it to exit.

Why this exists (hand-written: no release of nbclient or jupyter_client fixes it yet):
nbclient waits for a cell's reply with one long `poll` on the kernel's shell socket.
Now and then, while a cell sends many widget messages, that poll misses its wake-up
and returns only when the cell's *timeout* runs out, with the reply that was there all
along (jupyter/nbclient#312). In our test suite it happened in every full run: widget
cells of lessons 3, 4, 6 or 7 took exactly 120 s (the tests' cell timeout) instead of
under a second, so grading a class could lose a minute per widget cell. A miss on the
output socket would be worse: the cell's last outputs, a failed check's error among
them, could arrive too late to be recorded. Polling in short slices bounds any miss
to one slice, because each new poll looks at the socket afresh.
"""

from __future__ import annotations

import time
from queue import Empty

from jupyter_core.utils import run_sync
from nbclient import NotebookClient

SLICE = 0.5  # seconds: the longest a missed wake-up can delay a message


def poll_in_slices(channel) -> None:
    """Make `channel.get_msg(timeout)` poll in slices of at most SLICE seconds."""
    get_msg = channel.get_msg

    async def get_msg_in_slices(timeout: float | None = None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = SLICE if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                return await get_msg(timeout=min(SLICE, left))
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise

    channel.get_msg = get_msg_in_slices


class ShortPolls:
    """Mix into an nbclient NotebookClient (or a subclass) before it."""

    async def async_start_new_kernel_client(self):
        client = await super().async_start_new_kernel_client()
        for channel in (client.shell_channel, client.iopub_channel):
            poll_in_slices(channel)
        return client

    # nbclient's sync wrapper is bound to the base class's coroutine: rebind it to ours.
    start_new_kernel_client = run_sync(async_start_new_kernel_client)


class NotebookRunner(ShortPolls, NotebookClient):
    """nbclient's NotebookClient with short polls, whose kernel is killed as soon as the
    last cell's reply is in (nbclient's graceful shutdown waits ~0.3–0.5 s for it to
    exit). Every user reads the results from the notebook, not from the kernel's exit."""

    def __init__(self, nb, km=None, **kwargs):
        kwargs.setdefault("shutdown_kernel", "immediate")
        super().__init__(nb, km=km, **kwargs)
