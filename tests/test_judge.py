"""The judge (grader/judge.py): check cells run in this process, the kernel only answers
calls with plain data. One real kernel for the module; each test defines the learner's
functions in it, then judges a check cell's source against them."""

from __future__ import annotations

import textwrap

import pytest
from jupyter_client.manager import start_new_kernel

from grader.judge import Judge, KernelCaller, KernelGone

# grader/kernels.py and grader/judge.py lean on nbclient's and jupyter_client's internals
# (channels, get_msg, the sync wrappers): the deprecation warnings that would announce a
# change there fail these tests instead of being ignored like everywhere else.
pytestmark = pytest.mark.filterwarnings("error::DeprecationWarning",
                                        "error::PendingDeprecationWarning")

SETUP = "import numpy as np\nfrom course import checks\n"


@pytest.fixture(scope="module")
def kernel():
    km, kc = start_new_kernel(kernel_name="python3")
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def learner(kernel, code: str) -> None:
    """Run a learner's cell in the kernel, as nbclient would."""
    reply = kernel[1].execute_interactive(textwrap.dedent(code), timeout=30,
                                          output_hook=lambda msg: None)
    assert reply["content"]["status"] == "ok", reply["content"]


def in_kernel(kernel, expression: str):
    """The value of an expression in the kernel (its repr, evaluated here)."""
    reply = kernel[1].execute_interactive("", timeout=30, output_hook=lambda msg: None,
                                          user_expressions={"v": expression})
    return eval(reply["content"]["user_expressions"]["v"]["data"]["text/plain"])


def judge(kernel, check: str, timeout: float = 10) -> tuple[str, bool]:
    the_judge = Judge(KernelCaller(kernel[1], kernel[0], timeout))
    the_judge.given(SETUP)
    outputs, passed = the_judge.check(textwrap.dedent(check), "check_f")
    text = "\n".join(o.get("text") or "\n".join(o.get("traceback", [])) for o in outputs)
    return text, passed


def test_a_right_answer_passes_and_a_wrong_one_gets_its_hint(kernel):
    learner(kernel, "def f(x):\n    return 2 * x")
    text, passed = judge(kernel, """
        with checks.exercise(1, "f") as ex:
            ex.check(np.array([1.0, 2.0]), expect=[2.0, 4.0])
    """)
    assert passed and "✔ Exercise 1 · f: all 1 checks passed." in text
    learner(kernel, "def f(x):\n    return 3 * x")
    text, passed = judge(kernel, """
        with checks.exercise(1, "f") as ex:
            ex.check(np.array([1.0, 2.0]), expect=[2.0, 4.0],
                     mistakes=[([3.0, 6.0], "Times two, not three.")])
    """)
    assert not passed and "Hint: Times two, not three." in text


def test_expected_values_and_hints_never_reach_the_kernel(kernel):
    learner(kernel, """
        import sys
        def f(x):
            frames, frame = [], sys._getframe(1)
            while frame is not None:        # the cheat: read the check's locals
                frames.append(dict(frame.f_locals))
                frame = frame.f_back
            global spied
            spied = repr(frames)
            return x
    """)
    text, passed = judge(kernel, """
        secret = 98765.4321
        with checks.exercise(1, "f") as ex:
            ex.check(1.0, expect=secret, mistakes=[(1.0, "hint-7d1f0e")])
    """)
    assert not passed
    assert "98765" not in in_kernel(kernel, "spied")
    assert not in_kernel(kernel, "any('hint-7d1f0e' in str(x) or '98765' in str(x) "
                                 "for x in In + list(globals().values()))")


def test_output_the_kernel_makes_cannot_forge_a_pass(kernel):
    learner(kernel, """
        import sys
        from IPython.display import display
        def f(x):
            print("✔ Exercise 1 · f: all 1 checks passed.")
            sys.displayhook("✔ passed")
            display(3)
            return -1.0
    """)
    text, passed = judge(kernel, """
        with checks.exercise(1, "f") as ex:
            ex.check(1.0, expect=2.0)
    """)
    assert not passed and "✔" not in text and "check 1 failed" in text


def test_results_are_plain_data_only(kernel):
    learner(kernel, """
        class Liar(str):
            def __eq__(self, other):
                return True
        def f(x):
            return Liar("maximum")
        def g(x):
            return lambda: 1
    """)
    text, passed = judge(kernel, """
        with checks.exercise(1, "f") as ex:
            ex.check(1.0, expect="minimum")
    """)
    assert not passed and "the string 'maximum'" in text
    text, passed = judge(kernel, """
        with checks.exercise(2, "g") as ex:
            ex.check(1.0, expect=1.0)
    """)
    assert not passed and "a function" in text


def test_functions_of_the_check_stay_in_the_judge_and_are_called_back(kernel):
    learner(kernel, """
        def f(df, x):
            global kept
            kept = df
            return df(x) + df(x + 1)
    """)
    text, passed = judge(kernel, """
        calls = []
        def slope(x):
            calls.append(x)
            return 10 * x
        with checks.exercise(1, "f") as ex:
            ex.check(checks.fn(slope, "df(x) = 10x"), 1.0, expect=30.0)
            ex.require(calls == [1.0, 2.0], f"called with {calls}")
    """)
    assert passed, text
    assert in_kernel(kernel, "type(kept).__name__") == "Callback"
    assert in_kernel(kernel, "repr(kept)") == "df(x) = 10x"


def test_stand_ins_are_callbacks_and_go_away_after_the_call(kernel):
    learner(kernel, """
        def helper(x):
            return 0.0
        def f(x):
            return helper(x) + 1
    """)
    text, passed = judge(kernel, """
        with checks.exercise(1, "f") as ex, ex.stand_ins(helper=lambda x: 2 * x):
            ex.check(3.0, expect=7.0)
    """)
    assert passed, text
    assert in_kernel(kernel, "helper(3.0)") == 0.0


def test_a_function_that_changes_its_input_is_seen_by_the_check(kernel):
    learner(kernel, """
        def f(x, params):
            x -= 1
            params["W"] *= 2
            return 0.0
    """)
    text, passed = judge(kernel, """
        x, params = np.array([3.0, 4.0]), {"W": np.ones(2)}
        with checks.exercise(1, "f") as ex:
            ex.call(x, params)
            ex.require(x.tolist() == [3.0, 4.0], f"x changed: {x.tolist()}")
    """)
    assert not passed and "x changed: [2.0, 3.0]" in text


def test_warnings_are_recorded_in_the_kernel(kernel):
    learner(kernel, "import numpy as np\ndef f(z):\n    return 1 / (1 + np.exp(-z))")
    text, passed = judge(kernel, """
        with checks.exercise(1, "f") as ex:
            ex.require(not ex.warnings_of(np.array([-1000.0])), "it overflowed")
    """)
    assert not passed and "it overflowed" in text


def test_unfinished_missing_and_crashing_functions_get_their_messages(kernel):
    learner(kernel, "def f(x):\n    raise NotImplementedError()\n"
                    "def g(x):\n    return x[5]\nh = 3")
    assert "You have not written `f` yet" in judge(kernel, """
        with checks.exercise(1, "f") as ex:
            ex.check(1.0, expect=1.0)""")[0]
    text = judge(kernel, """
        with checks.exercise(1, "g") as ex:
            ex.check([1.0], expect=1.0)""")[0]
    assert "raised IndexError" in text and "in your line: return x[5]" in text
    assert "should be a function, but it is a int" in judge(kernel, """
        with checks.exercise(1, "h") as ex:
            ex.check(1.0, expect=1.0)""")[0]
    assert "is not defined yet" in judge(kernel, """
        with checks.exercise(1, "nowhere") as ex:
            ex.check(1.0, expect=1.0)""")[0]


def test_a_cell_with_no_finished_check_does_not_pass(kernel):
    text, passed = judge(kernel, "x = 1")
    assert not passed and "No check ran to the end" in text


def test_an_endless_loop_is_stopped_and_fails_its_check(kernel):
    learner(kernel, "def f(x):\n    while True:\n        pass")
    text, passed = judge(kernel, """
        with checks.exercise(1, "f") as ex:
            ex.check(1.0, expect=1.0)""", timeout=2)
    assert not passed and "ran longer than 2 s" in text
    learner(kernel, "y = 1")  # the kernel still works


def test_a_kernel_that_dies_in_a_call_stops_the_notebook():
    km, kc = start_new_kernel(kernel_name="python3")
    try:
        learner((km, kc), "import os\ndef f(x):\n    os._exit(1)")
        with pytest.raises(KernelGone):
            judge((km, kc), """
                with checks.exercise(1, "f") as ex:
                    ex.check(1.0, expect=1.0)""")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_arguments_are_named_as_the_learners_function_names_them(kernel):
    learner(kernel, "def f(sales, rate):\n    return 0.0")
    text, passed = judge(kernel, """
        with checks.exercise(1, "f") as ex:
            ex.check(np.arange(40.0), 0.5, expect=1.0)""")
    assert not passed and "f(sales, 0.5)" in text and "sales: array (40,)" in text
