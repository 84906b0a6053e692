from __future__ import annotations

import pytest

from quizzes.scoring import Grade, ResponseError, grade, normalise_response, score_response

OPTS = ["alpha", "beta", "gamma", "delta"]


# ---------------------------------------------------------------- normalise_response


@pytest.mark.parametrize("qtype", ["single_choice", "scenario"])
@pytest.mark.parametrize(("raw", "expected"), [(2, 2), ("2", 2), (" 0 ", 0), ([3], 3), (1.0, 1)])
def test_single_choice_accepts(qtype, raw, expected):
    assert normalise_response(qtype, OPTS, raw) == expected


@pytest.mark.parametrize("raw", [4, -1, "9", "b", True, 1.5, None, [0, 1], {}, ""])
def test_single_choice_rejects(raw):
    with pytest.raises(ResponseError):
        normalise_response("single_choice", OPTS, raw)


def test_out_of_range_message_is_clear():
    with pytest.raises(ResponseError, match=r"Option 7 does not exist: choose a number from 0 to 3"):
        normalise_response("single_choice", OPTS, 7)


@pytest.mark.parametrize(
    ("raw", "expected"), [([2, 0], [0, 2]), (["1", "3"], [1, 3]), ("0,2", [0, 2]), ([], []), ((1,), [1])]
)
def test_multiple_response_accepts(raw, expected):
    assert normalise_response("multiple_response", OPTS, raw) == expected


@pytest.mark.parametrize("raw", [[0, 0], [0, 4], 2, ["x"], [True], {"a": 1}])
def test_multiple_response_rejects(raw):
    with pytest.raises(ResponseError):
        normalise_response("multiple_response", OPTS, raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (True, True),
        (False, False),
        ("true", True),
        ("False", False),
        (" TRUE ", True),
        ("yes", True),
        (0, False),
    ],
)
def test_true_false_accepts(raw, expected):
    assert normalise_response("true_false", ["True", "False"], raw) is expected


@pytest.mark.parametrize("raw", ["maybe", "", 2, 0.5, [True, False], None])
def test_true_false_rejects(raw):
    with pytest.raises(ResponseError):
        normalise_response("true_false", ["True", "False"], raw)


@pytest.mark.parametrize(("raw", "expected"), [([2, 0, 1, 3], [2, 0, 1, 3]), ("1,0,3,2", [1, 0, 3, 2])])
def test_ordering_accepts(raw, expected):
    assert normalise_response("ordering", OPTS, raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([0, 1, 2], "Put all 4 items in order"),
        ([0, 0, 1, 2], "exactly once"),
        ([0, 1, 2, 4], "Option 4 does not exist"),
        ([0, 1, 2, 3, 0], "Put all 4 items"),
        (3, "list of option numbers"),
        (["a", "b", "c", "d"], "option number"),
    ],
)
def test_ordering_rejects(raw, message):
    with pytest.raises(ResponseError, match=message):
        normalise_response("ordering", OPTS, raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (12.5, 12.5),
        (3, 3.0),
        ("12.5", 12.5),
        ("12,5", 12.5),
        (" -20 ", -20.0),
        ("\u221220", -20.0),
        ("1,250.5", 1250.5),
        (".5", 0.5),
        (["7"], 7.0),
    ],
)
def test_numeric_accepts(raw, expected):
    assert normalise_response("numeric", [], raw) == expected


@pytest.mark.parametrize("raw", ["abc", "", "12 min", "1,2,3", "nan", "inf", True, [1, 2], {}, "1.2.3"])
def test_numeric_rejects(raw):
    with pytest.raises(ResponseError):
        normalise_response("numeric", [], raw)


def test_matching_accepts_and_rejects():
    pairs = [["a", "x"], ["b", 1]]
    assert normalise_response("matching", ["x", "y"], pairs) == pairs
    assert normalise_response("matching", ["x", "y"], [("a", "x")]) == [["a", "x"]]
    for bad in ("a=x", [["a"]], [["a", "x", "y"]], [["a", None]], [["a", "x"], ["A", "y"]], [[True, "x"]]):
        with pytest.raises(ResponseError):
            normalise_response("matching", ["x", "y"], bad)


def test_no_answer_and_unknown_type():
    with pytest.raises(ResponseError, match="No answer"):
        normalise_response("numeric", [], None)
    with pytest.raises(ValueError, match="Unknown question type"):
        normalise_response("essay", [], "x")


# ---------------------------------------------------------------- score_response


def test_single_choice_scores():
    assert score_response("single_choice", OPTS, 2, 2) == 1.0
    assert score_response("single_choice", OPTS, 2, "2") == 1.0
    assert score_response("single_choice", OPTS, 2, 1) == 0.0
    assert score_response("scenario", OPTS, 0, 0) == 1.0


def test_true_false_scores():
    assert score_response("true_false", ["True", "False"], False, "false") == 1.0
    assert score_response("true_false", ["True", "False"], False, True) == 0.0


def test_multiple_response_partial_credit():
    key = [0, 2]
    assert score_response("multiple_response", OPTS, key, [2, 0]) == 1.0
    assert score_response("multiple_response", OPTS, key, [0]) == 0.5
    assert score_response("multiple_response", OPTS, key, [0, 1]) == 0.0  # (1 - 1) / 2
    assert score_response("multiple_response", OPTS, key, [0, 2, 3]) == 0.5
    assert score_response("multiple_response", OPTS, key, [1, 3]) == 0.0  # floored at 0
    assert score_response("multiple_response", OPTS, key, []) == 0.0
    assert score_response("multiple_response", OPTS, key, [0], partial=False) == 0.0
    assert score_response("multiple_response", OPTS, key, [0, 2], partial=False) == 1.0


def test_ordering_scores():
    key = [2, 0, 3, 1]
    assert score_response("ordering", OPTS, key, [2, 0, 3, 1]) == 1.0
    assert score_response("ordering", OPTS, key, [2, 0, 1, 3]) == 0.0
    assert score_response("ordering", OPTS, key, [2, 0, 1, 3], partial=True) == 0.5
    assert score_response("ordering", OPTS, key, [0, 1, 2, 3], partial=True) == 0.0


def test_numeric_scores_with_tolerance():
    ans = {"value": 5.0, "unit": "min", "tolerance": 0}
    assert score_response("numeric", [], ans, "5") == 1.0
    assert score_response("numeric", [], ans, "5,0") == 1.0
    assert score_response("numeric", [], ans, 5.1) == 0.0
    tol = {"value": 70.0, "unit": "%", "tolerance": 2}
    assert score_response("numeric", [], tol, 68) == 1.0
    assert score_response("numeric", [], tol, "72") == 1.0
    assert score_response("numeric", [], tol, 72.5) == 0.0
    assert score_response("numeric", [], {"value": 0.1, "unit": "mL", "tolerance": 0}, 0.1) == 1.0
    assert score_response("numeric", [], {"value": -20.0, "unit": "°C", "tolerance": 0}, "-20") == 1.0


def test_matching_scores():
    key = [["a", "x"], ["b", "y"]]
    assert score_response("matching", ["x", "y"], key, [["b", "y"], ["a", "x"]]) == 1.0
    assert score_response("matching", ["x", "y"], key, [["a", "x"], ["b", "x"]]) == 0.5
    assert score_response("matching", ["x", "y"], key, [["a", "x"]], partial=False) == 0.0


def test_score_rejects_malformed_response():
    with pytest.raises(ResponseError):
        score_response("ordering", OPTS, [0, 1, 2, 3], [0, 1])
    with pytest.raises(ResponseError):
        score_response("numeric", [], {"value": 1, "unit": "", "tolerance": 0}, "one")


# ---------------------------------------------------------------- grade


def test_grade():
    g = grade([(1.0, 1), (0.5, 2), (0.0, 1)], 50)
    assert g == Grade(score_percent=50.0, passed=True, earned=2.0, possible=4.0)
    assert not grade([(1.0, 1), (0.0, 2)], 80).passed
    assert grade([(1.0, 1), (1.0, 1), (1.0, 1), (0.0, 1)], 0.75).passed  # a fraction is read as 75 %
    assert grade([(1, 3), (0, 1)], 75).passed  # exactly at the mark passes
    assert grade([(2 / 3, 1)], 66.67).score_percent == 66.67


def test_grade_edge_cases():
    assert grade([], 80) == Grade(0.0, False, 0.0, 0.0)
    assert grade([(1.0, 0)], 0).passed is False
    assert grade([(0.0, 1)], 0).passed is True
    for bad in ([(1.5, 1)], [(-0.1, 1)], [(0.5, -1)]):
        with pytest.raises(ValueError):
            grade(bad, 50)
    with pytest.raises(ValueError):
        grade([(1, 1)], 150)
