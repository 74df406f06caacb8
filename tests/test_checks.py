"""The checks' messages: type, then shape, then value; hints; bad input; tampering."""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pytest

from course import checks
from course.checks import CheckFailed


def raw_message(function, *args, expect, **options) -> str:
    """The message a learner sees when `function(*args)` is checked against `expect`."""
    with pytest.raises(CheckFailed) as failure:
        with checks.exercise(7, function) as ex:
            ex.check(*args, expect=expect, **options)
    return str(failure.value)


def run_check(function, *args, expect, **options) -> str:
    """The message on one line (lines wrap at word boundaries, so a phrase may span two)."""
    return " ".join(line.strip() for line in raw_message(function, *args, expect=expect,
                                                          **options).splitlines())


def answer(value):
    def returns(*_args):
        return value
    returns.__name__ = "returns"
    return returns


def test_message_shows_call_returned_expected_and_tolerance():
    message = run_check(answer(np.array([1.0, 2.5])), np.array([3, 4]), expect=[1.0, 2.0])
    assert "✘ Exercise 7 · returns: check 1 failed." in message
    assert "called    returns(array([3, 4]))" in message
    assert "returned  array([1. , 2.5])" in message
    assert "expected  array([1., 2.])" in message
    assert "1 of 2 values are wrong; the largest gap is 0.5 at index (1,)." in message
    assert "allowed" not in message  # far off: the tolerance would only distract
    near = run_check(answer(np.array([1.0, 2.00001])), np.array([3, 4]), expect=[1.0, 2.0])
    assert "1 of 2 values are wrong; the largest gap is 1e-05 at index (1,)" in near
    assert ("(allowed: each value within 1e-6 of the expected one, relative to its size, "
            "give or take 1e-9 of the largest expected value, 2)") in near
    assert "rtol" not in near and "atol" not in near
    whole = run_check(answer(np.array([5.0])), np.array([3, 4]), expect=[5, 6])
    assert "expected  array([5, 6])" in whole  # whole numbers shown as written


def test_none_is_reported_as_a_missing_return():
    assert "Did you forget the `return` statement?" in run_check(answer(None), expect=[1.0])


def test_a_list_instead_of_an_array_is_a_type_error():
    assert "Python list" in run_check(answer([1.0, 2.0]), expect=[1.0, 2.0])


def test_a_string_instead_of_a_number_is_a_type_error():
    assert "it should return a single number" in run_check(answer("3"), expect=3)


def test_a_bool_is_not_a_number():
    assert "a bool" in run_check(answer(True), expect=1)


def test_an_array_of_one_element_for_a_number_says_how_to_unwrap_it():
    assert "float(...)" in run_check(answer(np.array([3.0])), expect=3)


@pytest.mark.parametrize(("returned", "hint"), [
    (np.zeros((3, 2)), "transposed"),
    (np.zeros((2, 1)), "keepdims"),
    (np.zeros(4), "One element too many or too few"),
])
def test_wrong_shapes_get_a_hint(returned, hint):
    expect = np.zeros((2, 3)).tolist() if hint == "transposed" else [0.0, 0.0] if hint == "keepdims" else [0.0] * 3
    message = run_check(answer(returned), expect=expect)
    assert "shape" in message and hint in message


def test_nan_is_named_with_its_position():
    message = run_check(answer(np.array([1.0, np.nan])), expect=[1.0, 2.0])
    assert "NaN" in message and "[(1,)]" in message


def test_infinity_is_named():
    assert "infinite value" in run_check(answer(np.inf), expect=1.0)


def test_values_within_tolerance_pass_and_ints_match_floats(capsys):
    with checks.exercise(1, answer(np.array([1 + 1e-8, 2]))) as ex:
        ex.check(expect=[1, 2])
        ex.check(expect=[1.0, 2.0], rtol=0, atol=1e-6)
    assert "✔ Exercise 1 · returns: all 2 checks passed." in capsys.readouterr().out


def test_a_known_mistake_value_gives_its_hint():
    message = run_check(answer(40.0), expect=20,
                        mistakes=[(40, "You did not divide by b - a.")])
    assert "Hint: You did not divide by b - a." in message


def test_a_known_mistake_predicate_gives_its_hint():
    message = run_check(answer(np.array([9.0])), expect=[1.0],
                        mistakes=[(lambda out: out[0] > 5, "Too big: square root missing?")])
    assert "Hint: Too big: square root missing?" in message


def test_generic_hints_sign_and_factor():
    assert "wrong sign" in run_check(answer(np.array([-1.0, -2.0])), expect=[1.0, 2.0])
    assert "0.5 times the expected one" in run_check(answer(np.array([0.5, 1.0])), expect=[1.0, 2.0])


def test_strings_are_compared_exactly():
    assert "'maximum'" in run_check(answer("maximum"), expect="minimum")
    assert "a string like 'minimum'" in run_check(answer(1), expect="minimum")


def test_tuples_are_checked_element_by_element():
    assert "in the second of the two values" in run_check(answer((30.0, 75.0)), expect=(30, -15))
    assert "should return 2" in run_check(answer((1.0, 2.0, 3.0)), expect=(1, 2))
    assert "a tuple of 2 values" in run_check(answer(5.0), expect=(1, 2))


def test_dicts_are_checked_key_by_key(capsys):
    want = {"dW1": [[1.0, 2.0]], "db1": [[0.5]]}
    assert "should return a dict with the keys ['dW1', 'db1']" in run_check(
        answer([1.0]), expect=want)
    assert "(missing ['db1'])" in run_check(answer({"dW1": np.array([[1.0, 2.0]])}), expect=want)
    message = run_check(answer({"dW1": np.array([[2.0, 1.0]]), "db1": np.array([[0.5]])}),
                        expect=want)
    assert "for the key 'dW1'" in message
    message = run_check(answer({"dW1": np.array([[1.0, 2.0]]), "db1": np.array([0.5])}),
                        expect=want)
    assert "shape (1,) for the key 'db1'" in message and "keepdims" in message
    with checks.exercise(7, answer({"dW1": np.array([[1.0, 2.0]]), "db1": np.array([[0.5]])})) as ex:
        ex.check(expect=want)
    assert "all 1 checks passed" in capsys.readouterr().out


def test_unwritten_function_says_what_to_do():
    def stub(x):
        """Exercise 7."""
        raise NotImplementedError()
    message = run_check(stub, 1, expect=1)
    assert "You have not written `stub` yet" in message and "raise NotImplementedError()" in message


def test_a_crash_in_learner_code_shows_the_error_and_the_line():
    def broken(x):
        return x / 0 + {}["missing"]
    message = run_check(broken, 1, expect=1)
    assert "Your function raised ZeroDivisionError: division by zero" in message
    assert "in your line: return x / 0 + {}[\"missing\"]" in message


def test_missing_or_overwritten_function_is_explained():
    with pytest.raises(CheckFailed, match="is not defined yet"):
        checks.exercise(1, "no_such_function_anywhere").__enter__()
    globals()["not_a_function"] = 42
    try:
        with pytest.raises(CheckFailed, match="should be a function"):
            checks.exercise(1, "not_a_function").__enter__()
    finally:
        del globals()["not_a_function"]


def test_learner_warnings_and_stderr_never_reach_stderr(capfd):
    def noisy(x):
        warnings.warn("careful", RuntimeWarning, stacklevel=1)
        print("debug", file=sys.stderr)
        return np.exp(np.array([1000.0])) * 0 + np.log(np.array([0.0])) * 0 + x
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning escaping the check would raise here
        with pytest.raises(CheckFailed):
            with checks.exercise(1, noisy) as ex:
                ex.check(1.0, expect=[1.0])
    assert capfd.readouterr().err == ""


def test_monkeypatched_numpy_cannot_pass_a_wrong_answer(monkeypatch):
    for name in ("allclose", "isclose", "array_equal", "abs", "isnan", "isfinite", "all"):
        monkeypatch.setattr(np, name, lambda *args, **kwargs: True)
    monkeypatch.setattr(np, "errstate", None)
    with pytest.raises(CheckFailed, match="largest gap"):
        with checks.exercise(1, answer(np.array([5.0, 5.0]))) as ex:
            ex.check(expect=[1.0, 2.0])


def test_an_array_subclass_cannot_lie_about_equality():
    class Liar(np.ndarray):
        def __eq__(self, other):
            return True
        __le__ = __eq__
    lying = np.array([5.0, 5.0]).view(Liar)
    assert "largest gap" in run_check(answer(lying), expect=[1.0, 2.0])


def test_require_and_messages_render_without_traceback():
    with pytest.raises(CheckFailed) as failure:
        with checks.exercise(3, answer(1)) as ex:
            ex.require(False, "The path should start at x0.")
    rendered = failure.value._render_traceback_()
    assert rendered[1] == "✘ Exercise 3 · returns: check 1 failed."
    assert "  The path should start at x0." in rendered
    assert not any("Traceback" in line for line in rendered)


def test_labelled_functions_show_their_formula():
    message = run_check(answer(1.0), checks.fn(lambda x: x**3, "f(x) = x³"), 2, expect=2.0)
    assert "returns(f(x) = x³, 2)" in message


def test_stand_ins_replace_names_only_while_the_learners_function_runs():
    from IPython.testing.globalipapp import get_ipython

    shell = get_ipython()
    seen = []
    shell.user_ns["helper"] = lambda: "the learner's"
    shell.user_ns.pop("other", None)
    shell.user_ns["uses_helper"] = lambda: seen.append((helper_now(shell), "other" in shell.user_ns)) or 1.0
    try:
        with checks.exercise(1, "uses_helper") as ex, ex.stand_ins(helper=lambda: "the check's",
                                                                  other=print):
            ex.check(expect=1.0)
        assert seen == [("the check's", True)]
        assert shell.user_ns["helper"]() == "the learner's" and "other" not in shell.user_ns
        with pytest.raises(CheckFailed), checks.exercise(1, "uses_helper") as ex, \
                ex.stand_ins(helper=lambda: "again"):
            ex.check(expect=2.0)
        assert shell.user_ns["helper"]() == "the learner's"
    finally:
        for name in ("helper", "uses_helper"):
            shell.user_ns.pop(name, None)


def helper_now(shell):
    return shell.user_ns["helper"]()


def test_warnings_of_reports_overflow_but_not_underflow():
    def naive(z):
        return 1 / (1 + np.exp(-z))

    with checks.exercise(1, naive) as ex:
        caught = ex.warnings_of(np.array([-1000.0, 1000.0]))
        ex.require(True, "")
    assert any("overflow" in w for w in caught)
    with checks.exercise(1, lambda z: np.exp(z)) as ex:
        assert ex.warnings_of(np.array([-1000.0])) == []
        ex.require(True, "")


def test_results_go_through_plain_data_in_self_study_too():
    class Liar(str):
        def __eq__(self, other):
            return True

    with pytest.raises(CheckFailed, match="different word"):
        with checks.exercise(3, answer(Liar("maximum"))) as ex:
            ex.check(expect="minimum")


# --- the tolerance rule (course.checks._value_mismatch) ---------------------------------
SIZES = [1e-15, 1e-12, 1e-9, 1e-6, 1e-3, 1.0, 1e3, 1e6]


@pytest.mark.parametrize("size", SIZES)
def test_a_number_is_compared_relatively_at_any_size(size):
    """|got - want| <= rtol |want| + atol S with S = |want|: for one number the tolerance is
    relative (rtol + atol of the value), from 1e-15 to 1e6."""
    for want in (size, -3 * size):
        with checks.exercise(1, answer(want * (1 + 5e-7))) as ex:
            ex.check(expect=want)
        for wrong in (want * (1 + 3e-6), want * (1 - 3e-6), 0.0, -want):
            assert "is off by" in run_check(answer(wrong), expect=want), (want, wrong)


@pytest.mark.parametrize("size", SIZES)
def test_an_array_is_compared_relative_to_its_largest_expected_value(size):
    want = np.array([size, -2 * size, 0.5 * size])
    with checks.exercise(1, answer(want * (1 + 5e-7))) as ex:
        ex.check(expect=want.tolist())
    message = run_check(answer(want * np.array([1, 1, 1 + 3e-6])), expect=want.tolist())
    assert "1 of 3 values are wrong" in message and "relative to" in message
    assert "3 of 3 values are wrong" in run_check(answer(0 * want), expect=want.tolist())


def test_tiny_values_are_not_swallowed_by_an_absolute_tolerance():
    # the sigmoid's slope at ±30 is about 9.4e-14, far below the old absolute 1e-9
    slope = np.exp(-30.0) / (1 + np.exp(-30.0)) ** 2
    assert "2 of 2 values are wrong" in run_check(answer(np.zeros(2)), expect=[slope, slope])
    assert "is off by" in run_check(answer(0.0), expect=slope)
    with checks.exercise(2, answer(np.array([slope, slope]) * (1 + 1e-3))) as ex:
        ex.check(expect=[slope, slope], rtol=1e-2)


def test_round_off_next_to_large_values_and_exact_zeros_passes(capsys):
    # an element far smaller than the largest one may be off by atol of the array's size
    with checks.exercise(1, answer(np.array([1e-14, 3.0, -2.0]))) as ex:
        ex.check(expect=[0.0, 3.0, -2.0])
        ex.check(expect=[1e-13, 3.0, -2.0])
    assert "all 2 checks passed" in capsys.readouterr().out
    assert "1 of 3 values are wrong" in run_check(answer(np.array([1e-8, 3.0, -2.0])),
                                                  expect=[0.0, 3.0, -2.0])
    # all zeros: compared absolutely, within atol
    with checks.exercise(1, answer(np.array([1e-12, -1e-12]))) as ex:
        ex.check(expect=[0.0, 0.0])
    assert "(allowed: within 1e-9 of 0, as 0 is expected)" in run_check(answer(1e-6), expect=0.0)


def test_each_array_of_a_tuple_or_dict_has_its_own_size():
    assert "in the first of the two values" in run_check(answer((0.0, 1.0)), expect=(1e-14, 1.0))
    assert "for the key 'db'" in run_check(answer({"dW": np.array([5e5]), "db": np.array([0.0])}),
                                           expect={"dW": [5e5], "db": [2e-12]})
    with checks.exercise(1, answer((2e-14 * (1 + 1e-7), 7e5 * (1 - 1e-7)))) as ex:
        ex.check(expect=(2e-14, 7e5))


# --- hints fire only on specific evidence (issue 11, point 5) ---------------------------
def test_a_literal_mistake_that_is_also_the_rounded_expected_value_gives_no_hint():
    # 32 is what // gives for 32.5, but also round(32.5): no evidence of //
    message = run_check(answer(32.0), expect=32.5, mistakes=[(32, "Use /, not //.")])
    assert "Hint" not in message and "is off by 0.5" in message
    # 1.23 could be 1.234 rounded to two decimals
    assert "Hint" not in run_check(answer(1.23), expect=1.234,
                                   mistakes=[(1.23, "Wrong formula.")])
    # a rounding that wipes out expected values is no plausible slip: plain ReLU is evidence
    assert "Hint: That is plain ReLU." in run_check(
        answer(np.array([0.0, 0.0, 0.5])), expect=[-0.02, -0.005, 0.5],
        mistakes=[([0.0, 0.0, 0.5], "That is plain ReLU.")])
    # a value no rounding of 1.75 gives is evidence
    assert "Hint: Use /, not //." in run_check(answer(1.0), expect=1.75,
                                                mistakes=[(1.0, "Use /, not //.")])


def test_a_literal_mistake_of_zeros_or_the_input_itself_gives_no_hint():
    assert "Hint" not in run_check(answer(np.zeros(2)), np.array([1.0, 3.0]), expect=[2.0, 4.0],
                                   mistakes=[([0, 0], "You forgot the bias.")])
    assert "Hint" not in run_check(answer(np.array([1.0, 3.0])), np.array([1.0, 3.0]),
                                   expect=[2.0, 4.0], mistakes=[([1, 3], "You forgot the bias.")])
    assert "Hint: You forgot the bias." in run_check(
        answer(np.array([1.0, 2.0])), np.array([1.0, 3.0]), expect=[2.0, 4.0],
        mistakes=[([1, 2], "You forgot the bias.")])


def test_a_predicate_is_explicit_evidence_and_always_fires():
    message = run_check(answer(0.0), expect=0.5,
                        mistakes=[(lambda out: out == 0, "Zero: the loop never ran.")])
    assert "Hint: Zero: the loop never ran." in message


def test_the_factor_hint_needs_two_nonzero_values_and_a_real_factor():
    assert "Hint" not in run_check(answer(2.0), expect=1.0)  # one number: no factor
    assert "Hint" not in run_check(answer(np.array([4.0, 0.0])), expect=[2.0, 0.0])
    message = run_check(answer(np.array([4.0, 0.0, 6.0])), expect=[2.0, 0.0, 3.0])
    assert "Hint: Every value is 2 times the expected one" in message
    # within round-off of 1 (a value far off in one place only) is no factor
    assert "times" not in run_check(answer(np.array([1.0 + 5e-7, 2.0 + 1e-6, 9.0])),
                                    expect=[1.0, 2.0, 3.0])
    assert "1 times" not in run_check(answer(np.array([1.0 + 2e-6, 2.0 + 4e-6])),
                                      expect=[1.0, 2.0], rtol=1e-7)
    assert "times" not in run_check(answer(np.zeros(2)), expect=[1.0, 2.0])
    # a value where 0 is expected breaks the factor
    assert "times" not in run_check(answer(np.array([2.0, 4.0, 1.0])), expect=[1.0, 2.0, 0.0])


def test_the_sign_hint_needs_a_nonzero_expected_value():
    assert "wrong sign" in run_check(answer(-10.0), expect=10)
    assert "wrong sign" in run_check(answer(np.array([-1.0, 0.0])), expect=[1.0, 0.0])
    assert "wrong sign" not in run_check(answer(np.array([1e-3, 0.0])), expect=[0.0, 0.0])


# --- the check's own helper failing ---------------------------------------------------
def test_a_failing_helper_names_the_helper_and_shows_the_learners_line():
    def calls_f_wrongly(f, x):
        return f("x", x)  # gives f two arguments

    message = run_check(calls_f_wrongly, checks.fn(lambda x: x**3, "f(x) = x³"), 2.0, expect=8.0)
    assert ("The check's helper f(x) = x³ failed because your function gave it ('x', 2): "
            "TypeError:") in message
    assert 'in your line: return f("x", x)  # gives f two arguments' in message
    assert "x**3" not in message


def test_a_failing_stand_in_reads_like_a_helper_too():
    from IPython.testing.globalipapp import get_ipython

    shell = get_ipython()
    exec("def uses_square(x):\n    return square(x, 2)\n", shell.user_ns)
    try:
        def square(x):
            return x * x
        with pytest.raises(CheckFailed) as failure, checks.exercise(1, "uses_square") as ex, \
                ex.stand_ins(square=square):
            ex.check(3.0, expect=9.0)
        message = " ".join(str(failure.value).split())
        assert ("The check's helper square failed because your function gave it (3, 2): "
                "TypeError:") in message
    finally:
        shell.user_ns.pop("uses_square", None)


def test_helper_failures_read_the_same_at_grading():
    """At grading the judge runs the helper; the kernel's Callback raises RuntimeError
    "<label> failed: HelperFailed: ..."; the message is the self-study one."""
    try:
        checks.fn(lambda x: x + 1, "f(x) = x + 1")("a")
    except checks.HelperFailed as error:
        local = checks.helper_message("HelperFailed", str(error))
        graded = checks.helper_message(
            "RuntimeError", f"f(x) = x + 1 failed: HelperFailed: {error}")
    assert local == graded
    assert local.startswith("The check's helper f(x) = x + 1 failed because your function "
                            "gave it ('a'): TypeError:")
    assert checks.helper_message("RuntimeError", "f failed: ValueError: bad") == (
        "The check's helper f failed because of what your function gave it: ValueError: bad")
    assert checks.helper_message("ValueError", "it failed: no") is None


# --- names, arguments, layout --------------------------------------------------------
def test_tuple_elements_are_named_by_names_or_the_docstring():
    def backward(dA, cache):
        """Exercise 7.

        Returns:
            (dA_prev, dW, db): the gradients.
        """
        return np.ones(2), np.ones(2), np.zeros(2)

    want = ([1.0, 1.0], [1.0, 1.0], [1.0, 1.0])
    assert "in db (the third of the three values)" in run_check(backward, 1, 2, expect=want)
    assert "in bias (the third of the three values)" in run_check(
        backward, 1, 2, expect=want, names=("dA", "dw", "bias"))
    assert "in the third of the three values" in run_check(answer((1.0, 1.0, 0.0)),
                                                           expect=(1, 1, 1))
    assert "position" not in run_check(backward, 1, 2, expect=want)


def test_arguments_are_shown_by_name_with_shape_dtype_and_a_preview():
    def predict(X, w):
        return X[0] * 0

    X = np.arange(800.0).reshape(2, 400) / 100
    message = raw_message(predict, X, 0.5, expect=np.ones(400))
    assert "called    predict(X, 0.5)" in message
    assert "X: array (2, 400) float64 [[0, 0.01, 0.02, …], [4, 4.01, 4.02, …]]" in message
    assert "returned  array (400,) float64 [0, 0, 0, …]" in message
    assert len(message.splitlines()) <= 12


def test_message_lines_wrap_at_word_boundaries():
    hint = ("Scale each feature (row) over the examples: take min and max along axis=1 "
            "and keep the axis with keepdims=True so the shapes broadcast back.")
    message = raw_message(answer(np.array([1.0, 2.0])), expect=[1.0, 3.0],
                          mistakes=[([1.0, 2.0], hint)])
    lines = message.splitlines()
    assert all(len(line) <= 88 for line in lines), lines
    assert " ".join(line.strip() for line in lines).count(hint) == 1
    words = set(hint.split())
    assert all(word in words or not line.strip().startswith("Hint")
               for line in lines for word in line.split()[1:2])


def test_a_value_that_is_not_plain_data_is_named_by_its_type():
    def generator(x):
        return (v for v in [x])

    with pytest.raises(CheckFailed, match="It returned a generator"):
        with checks.exercise(1, generator) as ex:
            ex.check(1.0, expect=1.0)
