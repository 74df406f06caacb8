"""course.gradcheck: the diagnostic gradient check names the arrays and entries that disagree."""

from __future__ import annotations

import numpy as np
import pytest

from course import gradcheck

PARAMS = {"W": np.array([[1.0, -2.0], [0.5, 3.0]]), "b": np.array([[0.25], [-1.0]])}


def loss(p):
    """sum(W³) + 2·sum(b²): its gradient is 3W² and 4b."""
    return float((p["W"] ** 3).sum() + 2 * (p["b"] ** 2).sum())


def exact():
    return {"dW": 3 * PARAMS["W"] ** 2, "db": 4 * PARAMS["b"]}


def test_central_differences_of_every_entry():
    numerical = gradcheck.central_differences(loss, PARAMS)
    assert set(numerical) == {"dW", "db"}
    np.testing.assert_allclose(numerical["dW"], exact()["dW"], rtol=1e-8)
    np.testing.assert_allclose(numerical["db"], exact()["db"], rtol=1e-8)


def test_params_are_never_modified():
    before = {k: v.copy() for k, v in PARAMS.items()}
    gradcheck.compare(loss, PARAMS, exact())
    for key in before:
        assert np.array_equal(PARAMS[key], before[key])


def test_correct_gradients_pass_with_a_readable_report():
    report = gradcheck.compare(loss, PARAMS, exact())
    assert report.ok and report.disagreeing == []
    assert report.max_relative_error < 1e-8
    text = str(report)
    assert "dW" in text and "db" in text and "every gradient agrees" in text


def test_report_names_the_array_and_the_entry_that_disagree():
    grads = exact()
    grads["dW"] = grads["dW"].copy()
    grads["dW"][1, 0] *= 1.5
    report = gradcheck.compare(loss, PARAMS, grads)
    assert not report.ok
    assert report.disagreeing == ["dW"]
    (check,) = [a for a in report.arrays if a.name == "dW"]
    assert [d.index for d in check.disagreements] == [(1, 0)]
    d = check.disagreements[0]
    assert d.computed == pytest.approx(1.125) and d.numerical == pytest.approx(0.75)
    assert d.relative_error == pytest.approx(0.375 / 1.875)
    text = report.text()
    assert "(1, 0)" in text and "Verdict: dW disagrees" in text


def test_keys_without_d_are_accepted():
    assert gradcheck.compare(loss, PARAMS, {"W": exact()["dW"], "b": exact()["db"]}).ok


@pytest.mark.parametrize(("grads", "problem"), [
    ({"dW": 3 * PARAMS["W"] ** 2}, "missing"),
    ({"dW": (3 * PARAMS["W"] ** 2).T.copy()[:, :1], "db": 4 * PARAMS["b"]}, "shape"),
    ({"dW": 3 * PARAMS["W"] ** 2, "db": 4 * PARAMS["b"].ravel()}, "shape"),
    ({"dW": 3 * PARAMS["W"] ** 2, "db": [[1.0], [-4.0]]}, "not a NumPy array"),
    ({"dW": 3 * PARAMS["W"] ** 2, "db": None}, "None"),
    ({"dW": np.full((2, 2), np.nan), "db": 4 * PARAMS["b"]}, "NaN"),
])
def test_malformed_gradients_are_reported_not_raised(grads, problem):
    report = gradcheck.compare(loss, PARAMS, grads)
    assert not report.ok
    assert problem in report.text()


def test_not_a_dict():
    report = gradcheck.compare(loss, PARAMS, None)
    assert not report.ok and "should be a dict" in report.text()


def test_transposed_gradient_is_named():
    params = {"W": np.arange(6.0).reshape(2, 3)}
    report = gradcheck.compare(lambda p: float((p["W"] ** 2).sum()), params,
                               {"dW": (2 * params["W"]).T})
    assert "transposed" in report.text()


def test_tiny_gaps_between_tiny_gradients_are_not_errors():
    params = {"w": np.array([0.0, 1.0])}
    # loss = w1²: the gradient of w0 is exactly 0; a computed 1e-12 is "zero" too.
    report = gradcheck.compare(lambda p: float(p["w"][1] ** 2), params,
                               {"dw": np.array([1e-12, 2.0])})
    assert report.ok


def test_relative_errors_entry_by_entry():
    got = gradcheck.relative_errors(np.array([1.0, 2.0, 0.0, -1.0]), np.array([1.0, 1.0, 0.0, 1.0]))
    np.testing.assert_allclose(got, [0.0, 1 / 3, 0.0, 1.0])


def test_float32_inputs_are_differentiated_in_float64():
    params = {"W": PARAMS["W"].astype(np.float32)}
    report = gradcheck.compare(lambda p: float((p["W"] ** 3).sum()), params,
                               {"dW": (3 * PARAMS["W"] ** 2).astype(np.float32)})
    assert report.ok


def test_loss_warnings_never_reach_stderr(capfd):
    params = {"w": np.array([1.0])}
    report = gradcheck.compare(lambda p: float(np.log(p["w"] - 1.0).sum()), params,
                               {"dw": np.array([1.0])})
    assert not report.ok
    assert capfd.readouterr().err == ""


def test_a_monkeypatched_numpy_does_not_change_the_verdict(monkeypatch):
    grads = exact()
    grads["db"] = grads["db"] * 2
    monkeypatch.setattr(np, "abs", lambda x: 0 * x)
    monkeypatch.setattr(np, "errstate", None)
    assert gradcheck.compare(loss, PARAMS, grads).disagreeing == ["db"]
