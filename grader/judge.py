"""The judge: check cells run here, in the grader's process, never in a learner's kernel.

At autograde time (`grader.autograde.ResilientExecute`), a notebook's ordinary cells
run in the learner's sandboxed kernel; its check cells do not. For each check cell the
judge executes the instructor's own source of that cell (from the gradebook, hidden
tests included) in a namespace of its own, where `course.checks` calls the learner's
functions through a `KernelCaller`:

    judge process                               learner's kernel (sandboxed)
    check cell: ex.check(x, expect=...)  ──►  course.calls.serve(request)
      request = name + arguments as plain data     calls their function
      answers callbacks (test functions, ◄──►     Callback: asks over the input channel
        stand-ins for other exercises)
      decodes the reply (plain data only) ◄──    result, arguments after, warnings

Expected values, hints, hidden checks and stand-ins never leave this process; the
kernel only produces data. A check cell passes when every exercise it opened ran its
checks to the end with at least one check passed, and the judge alone writes its
outputs, so nothing the kernel prints or displays can make it count as passed.
"""

from __future__ import annotations

import contextlib
import io
import time
from queue import Empty

import nbformat
import numpy as np
from jupyter_core.utils import ensure_async, run_sync

from course import calls, checks, plaindata

# A callback's arguments and result, as JSON text: the check's own functions (a test
# function f, a stand-in) take numbers and small arrays; a kernel that sends more would
# make the judge's process do its work (10 * a 5-million-character string, say).
MAX_CALLBACK_CHARS = 1_000_000


class KernelGone(Exception):
    """The learner's kernel died or stopped answering: nothing after this can run."""


def _error(name: str, message: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("error", ename=name, evalue=message,
                                  traceback=["", *message.splitlines()])


class KernelCaller:
    """`course.checks`' caller at grading: each call is one request to the kernel."""

    def __init__(self, client, manager, timeout: float):
        self.kc, self.km, self.timeout = client, manager, timeout
        self.exercises: list[checks.Exercise] = []
        self._parameters: dict[str, list[str]] = {}

    def describe(self, name: str) -> str:
        reply = self._ask({"name": name, "describe": True}, {})
        if not isinstance(reply, dict):
            return "missing"
        names = reply.get("parameters")
        self._parameters[name] = [p for p in names if isinstance(p, str) and p.isidentifier()
                                  and len(p) <= 40][:20] if isinstance(names, list) else []
        state = reply.get("state", "missing")
        return state if isinstance(state, str) else "missing"

    def parameters(self, name: str) -> list[str]:
        """The parameter names the kernel gave for `name` (only to name arguments in
        messages: identifiers, nothing else)."""
        return self._parameters.get(name, [])

    def call(self, name: str, args: tuple, kwargs: dict, stand_ins: dict,
             want_warnings: bool = False) -> dict:
        callbacks: dict[int, object] = {}
        request = {"name": name, "args": args, "kwargs": kwargs, "stand_ins": stand_ins,
                   "warnings": want_warnings}
        reply = self._ask(request, callbacks)
        if not isinstance(reply, dict) or not ({"result", "error", "unfinished"} & reply.keys()):
            return {"error": ["ValueError", "the kernel's answer was not understood", ""]}
        copy_back(args, reply.pop("args", None))
        copy_back(kwargs, reply.pop("kwargs", None))
        if want_warnings and not isinstance(reply.get("warnings"), list):
            reply["warnings"] = ["(the kernel did not say)"]
        if "error" in reply and not _is_error_triple(reply["error"]):
            reply["error"] = ["Error", "(the kernel did not say which)", ""]
        return reply

    # -- the wire ---------------------------------------------------------------------
    def _ask(self, request: dict, callbacks: dict):
        def callback_id(function) -> int:
            callbacks[len(callbacks)] = function
            return len(callbacks) - 1

        text = plaindata.encode(request, callback_id)
        code = f"__import__('course.calls').calls.serve({text!r})"
        try:
            return run_sync(self._exchange)(code, callbacks)
        except plaindata.NotPlainData as problem:
            return {"error": ["ValueError", f"its answer is not plain data ({problem})", ""]}

    async def _exchange(self, code: str, callbacks: dict):
        """Send the call; answer the kernel's input requests (callbacks, then the outcome)
        until its execute reply comes. Waits on the input channel, where everything the
        judge needs arrives, and only glances at the shell channel until the outcome is in."""
        msg_id = self.kc.execute(code, silent=True, store_history=False, allow_stdin=True)
        deadline = time.monotonic() + self.timeout
        answer = None
        while True:
            if time.monotonic() > deadline:
                return await self._timed_out(msg_id)
            if answer is None:
                try:
                    msg = await ensure_async(self.kc.stdin_channel.get_msg(timeout=0.05))
                except Empty:
                    msg = None
                if msg is not None:
                    if msg["parent_header"].get("msg_id") == msg_id:
                        reply, answer = self._on_request(msg["content"].get("prompt", ""),
                                                         callbacks, answer)
                        self.kc.input(reply)
                    continue
            try:
                shell = await ensure_async(self.kc.shell_channel.get_msg(
                    timeout=0 if answer is None else 0.05))
            except Empty:
                if not await ensure_async(self.km.is_alive()):
                    raise KernelGone("died") from None
                continue
            if shell["parent_header"].get("msg_id") == msg_id:
                if answer is None:
                    status = shell["content"].get("status")
                    return {"error": ["Error", f"the kernel could not run the call ({status})", ""]}
                return answer

    def _on_request(self, prompt: str, callbacks: dict, answer):
        """Answer one input request of the kernel: a callback, or the call's outcome."""
        if not prompt.startswith(calls.PROMPT):
            return "", answer
        body = prompt[len(calls.PROMPT):]
        ours = self._ours(callbacks)
        if answer is None and body.startswith("outcome:"):
            return "", plaindata.decode(body[len("outcome:"):], ours)
        if len(body) > MAX_CALLBACK_CHARS:  # the check's functions take numbers, small arrays
            return plaindata.encode({"error": "arguments too large for the check's function"}), answer
        try:
            ask = plaindata.decode(body, ours)
            function = callbacks[ask["callback"]]
            with calls.quiet():
                result = function(*ask["args"], **ask["kwargs"])
            reply = plaindata.encode({"result": result})
            if len(reply) > MAX_CALLBACK_CHARS:
                return plaindata.encode({"error": "the check's function gave too large a result"}), answer
            return reply, answer
        except Exception as error:  # the check's own function failed on the learner's input
            return plaindata.encode({"error": f"{type(error).__name__}: {error}"[:500]}), answer

    @staticmethod
    def _ours(callbacks: dict):
        """Callbacks the kernel sends back are the judge's own functions, by number."""
        def ours(number, _label):
            if type(number) is not int or number not in callbacks:
                raise plaindata.NotPlainData("a callback the judge never sent")
            return callbacks[number]
        return ours

    async def _timed_out(self, msg_id: str):
        await ensure_async(self.km.interrupt_kernel())
        end = time.monotonic() + 10
        while time.monotonic() < end:
            try:
                shell = await ensure_async(self.kc.shell_channel.get_msg(timeout=0.2))
            except Empty:
                continue
            if shell["parent_header"].get("msg_id") == msg_id:
                return {"error": ["TimeoutError", f"it ran longer than {self.timeout:g} s "
                                  "(an endless loop?) and was stopped", ""]}
        raise KernelGone("stuck")


def _is_error_triple(value) -> bool:
    return isinstance(value, list) and len(value) == 3 and all(isinstance(v, str) for v in value)


def copy_back(mine, theirs) -> None:
    """Make the judge's arguments what the learner's function left of them (in place),
    so a check can see a function that changed its input."""
    if isinstance(mine, dict) and isinstance(theirs, dict):
        for key in list(mine):
            if key not in theirs:
                del mine[key]
        for key, value in theirs.items():
            if key in mine and _same_kind(mine[key], value):
                copy_back(mine[key], value)
            else:
                mine[key] = value
    elif isinstance(mine, list) and isinstance(theirs, list):
        if len(mine) == len(theirs):
            for i, value in enumerate(theirs):
                if _same_kind(mine[i], value):
                    copy_back(mine[i], value)
                else:
                    mine[i] = value
        else:
            mine[:] = theirs
    elif isinstance(mine, tuple) and isinstance(theirs, tuple) and len(mine) == len(theirs):
        for a, b in zip(mine, theirs, strict=True):
            copy_back(a, b)
    elif (isinstance(mine, np.ndarray) and isinstance(theirs, np.ndarray)
          and mine.shape == theirs.shape and mine.flags.writeable):
        with calls.quiet():
            mine[...] = theirs


def _same_kind(a, b) -> bool:
    return isinstance(a, dict | list | tuple) and type(a) is type(b) or (
        isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape)


class Judge:
    """One notebook's judge: the instructor's trusted cells, run in the grader's process."""

    def __init__(self, caller: KernelCaller):
        self.caller = caller
        self.namespace: dict = {"__name__": "__judge__"}

    def given(self, source: str) -> None:
        """Run a read-only cell of the lesson (imports, given functions) here too, so
        the check cells find what they use. Its output is not kept."""
        with contextlib.redirect_stdout(io.StringIO()), calls.quiet():
            try:
                exec(compile(source, "<given cell>", "exec"), self.namespace)
            except Exception:  # a given cell that needs the learner's work: not for us
                pass

    def check(self, source: str, grade_id: str) -> tuple[list, bool]:
        """Run one check cell's trusted source; (outputs, passed)."""
        self.caller.exercises = []
        printed = io.StringIO()
        outputs = []
        failure = None
        with contextlib.redirect_stdout(printed), checks.judged_by(self.caller):
            try:
                exec(compile(source, f"<check {grade_id}>", "exec"), self.namespace)
            except checks.CheckFailed as error:
                failure = _error("CheckFailed", str(error))
            except KernelGone:
                raise
            except Exception as error:  # a check that could not finish counts as failed
                failure = _error(type(error).__name__,
                                 f"The check could not finish: {type(error).__name__}: {error}")
        if printed.getvalue():
            outputs.append(nbformat.v4.new_output("stream", name="stdout", text=printed.getvalue()))
        opened = self.caller.exercises
        passed = failure is None and bool(opened) and all(ex.finished for ex in opened)
        if failure is None and not passed:
            failure = _error("CheckFailed", "No check ran to the end in this cell.")
        if failure is not None:
            outputs.append(failure)
        return outputs, passed
