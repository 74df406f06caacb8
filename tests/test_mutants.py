"""Mutation testing of the check cells (benchmarks/mutants.py), a seeded sample in CI.

- Every reference answer passes its own check cell, as the learner sees it (visible
  checks, self-study) and as the grader runs it (hidden checks too, the cell in a
  namespace of its own).
- A seeded sample of every exercise's mutants: each one is killed, or listed in
  `EQUIVALENT` with the reason it behaves like the reference; none passes the visible
  checks and then fails the hidden ones. Every listed equivalent mutant is still made
  and still survives (no stale entry). The whole run is `python benchmarks/mutants.py`.
- Independence: an exercise whose answer calls another exercise's function keeps its
  points when that function is wrong or crashes, because its check cell puts a
  reference stand-in in its place while grading (`ex.stand_ins`).
"""

from __future__ import annotations

import re
import sys
from functools import cache

import pytest

from tests.answers import for_lesson
from tests.course_under_test import LESSONS, REPO, with_body

sys.path.insert(0, str(REPO / "benchmarks"))
import mutants  # noqa: E402

SAMPLE_PER_EXERCISE = 5
SEED = 2026
BROKEN = "raise RuntimeError('a broken answer of another exercise')"


@cache
def grader(lesson: str) -> mutants.Grader:
    return mutants.Grader(lesson)


@cache
def all_mutants(lesson: str) -> tuple[mutants.Mutant, ...]:
    return tuple(mutants.lesson_mutants(grader(lesson)))


@pytest.mark.parametrize("lesson", LESSONS)
def test_reference_answers_pass_their_checks_visible_and_graded(lesson):
    g = grader(lesson)
    for exercise in g.lesson.exercises:
        assert g.run_check(exercise, hidden=False) is None, exercise
        assert g.run_check(exercise, hidden=True) is None, exercise


@pytest.mark.parametrize("lesson", LESSONS)
def test_a_seeded_sample_of_mutants_is_killed_unless_listed_equivalent(lesson):
    made = all_mutants(lesson)
    assert {m.exercise for m in made} == set(grader(lesson).lesson.exercises)
    sample = mutants.sample(list(made), SAMPLE_PER_EXERCISE, SEED)
    verdicts = [mutants.grade(grader(lesson), m) for m in sample]
    survivors = [v.mutant.description for v in verdicts if not v.killed and not v.equivalent]
    assert survivors == [], "mutants no check kills (fix the checks, or list them with a reason)"
    stale = [v.mutant.description for v in verdicts if v.killed and v.equivalent]
    assert stale == [], "listed as equivalent, but a check kills them"
    only_hidden = [v.mutant.description for v in verdicts if v.only_hidden]
    assert only_hidden == [], "pass every visible check, fail a hidden one"


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_listed_equivalent_mutant_is_made_and_survives(lesson):
    listed = {key for key in mutants.EQUIVALENT if key[0] == lesson}
    made = {m.key: m for m in all_mutants(lesson)}
    assert listed <= set(made), f"stale entries in EQUIVALENT: {sorted(listed - set(made))}"
    for key in sorted(listed):
        verdict = mutants.grade(grader(lesson), made[key])
        assert not verdict.killed, (key, verdict.hidden)
        assert verdict.visible is None, (key, verdict.visible)


def calls(body: str, name: str) -> bool:
    return re.search(rf"\b{name}\s*\(", body) is not None


def dependencies(lesson: str) -> list[tuple[str, str, str]]:
    """(exercise, body, other exercise it calls), for the reference and every correct
    alternative of tests/answers that calls another exercise's function."""
    g, answers = grader(lesson), for_lesson(lesson)
    found = []
    for exercise, ex in g.lesson.exercises.items():
        reference = ex.source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
        for body in [None, *answers.RIGHT[exercise]]:
            text = reference if body is None else body
            for other in g.lesson.exercises:
                if other != exercise and calls(text, other):
                    found.append((exercise, body, other))
    return found


EXPECTED_DEPENDENCIES = {
    "02-gradient-descent": {("classify_stationary_point", "second_derivative"),
                            ("best_of_starts", "gradient_descent")},
    "03-partial-derivatives": {("numerical_gradient", "partial_derivative")},
    "04-chain-rule": {("sigmoid_derivative", "sigmoid"), ("neuron_gradients", "sigmoid"),
                      ("neuron_gradients", "sigmoid_derivative")},
    "05-one-neuron": {("train_neuron", "neuron_forward"), ("train_neuron", "binary_cross_entropy"),
                      ("train_neuron", "neuron_gradients_batch")},
    "06-backprop": {("forward", "dense_forward"), ("backward", "dense_backward")},
    "07-training": {("train", "mini_batches"), ("train", "step_decay")},
}


@pytest.mark.parametrize("lesson", LESSONS)
def test_an_exercise_keeps_its_points_when_another_it_calls_is_wrong(lesson):
    """Graded as nbgrader grades (hidden checks, the judge's namespace): the answer of an
    exercise that calls another exercise passes its checks whatever that other function
    does, because the check stands in for it."""
    found = dependencies(lesson)
    assert {(e, o) for e, _, o in found} == EXPECTED_DEPENDENCIES.get(lesson, set())
    g, answers = grader(lesson), for_lesson(lesson)
    for exercise, body, other in found:
        answer = with_body(g.lesson.exercises[exercise].source, body)
        for broken in [BROKEN] + [w.body for w in answers.WRONG[other][:3]]:
            wrong_other = with_body(g.lesson.exercises[other].source, broken)
            problem = g.run_check(exercise, {exercise: answer, other: wrong_other})
            assert problem is None, (exercise, other, broken, problem)
