"""Moodle's quiz statistics, checked against a 6 x 4 example computed by hand from Moodle's formulas
(question/classes/statistics/questions/calculator.php, mod/quiz/report/statistics/classes/calculator.php)
and against independent textbook formulas on a random matrix."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from quizzes.psychometrics import distractor_table, item_analysis, select_attempts

# Six attempts (A-F) x four 1-mark items; T = total, s = 6, so every "variance" divides by s - 1 = 5.
#        I1 I2 I3 I4   T
#   A     1  1  1  1   4
#   B     1  1  1  0   3
#   C     1  1  0  0   2
#   D     1  0  1  0   2
#   E     0  1  0  0   1
#   F     0  0  0  0   0
# Facility = mean mark: I1 4/6, I2 4/6, I3 3/6, I4 1/6.
# Mark variance (0/1 item) = 6 p (1 - p) / 5: I1 4/15, I2 4/15, I3 3/10, I4 1/6; SD = sqrt of it:
#   I1, I2 sqrt(4/15) = 51.64 %, I3 sqrt(.3) = 54.77 %, I4 sqrt(1/6) = 40.82 %.
# Discrimination index = cov(x, rest) / sqrt(var x var rest), rest = T - x:
#   I1: rest 3,2,1,1,1,0 (mean 4/3); sum dx*dr = 1/3 * 5/3 + (-2/3)(-5/3) = 5/3 -> cov 1/3;
#       sum dr^2 = 48/9 -> var 16/15; DI = (1/3) / sqrt(4/15 * 16/15) = 15/24 = 62.50 %.
#   I2: rest 3,2,1,2,0,0 (mean 4/3); sum dx*dr = 2/9 + 4/9 = 2/3 -> cov 2/15; var rest 22/15;
#       DI = (2/15) / sqrt(4/15 * 22/15) = 2 / sqrt(88) = 21.32 %.
#   I3: rest 3,2,2,1,1,0 (mean 1.5); sum dx*dr = .75 + .75 = 1.5 -> cov .3; var rest 1.1;
#       DI = .3 / sqrt(.3 * 1.1) = 52.22 %.
#   I4: rest 3,3,2,2,1,0 (mean 11/6); sum dx*dr = 7/6 -> cov 7/30; var rest 41/30;
#       DI = (7/30) / sqrt(1/6 * 41/30) = 48.89 %.
# Discriminative efficiency = cov / covmax, covmax pairing x and rest each sorted ascending:
#   I1: x 0,0,1,1,1,1 with rest 0,1,1,1,2,3 -> sum = 8/9 + 2/9 + 5/9 = 15/9 = the actual sum -> 100 %.
#   I2: x 0,0,1,1,1,1 with rest 0,0,1,2,2,3 -> sum = 16/9 + 8/9 = 24/9 -> covmax 8/15; DE = 25.00 %.
#   I3: x 0,0,0,1,1,1 with rest 0,1,1,2,2,3 -> sum = 1.25 + 1.25 = 2.5 -> covmax .5; DE = 60.00 %.
#   I4: the single 1 already sits with the largest rest (3) -> 100 %.
# Test: T = 4,3,2,2,1,0, mean 2, sum d^2 = 10 -> k2 = var T = 2, SD sqrt(2) = 1.4142 points.
#   Sum of item variances = (8 + 8 + 9 + 5) / 30 = 1.
#   alpha (CIC) = 100 * 4/3 * (1 - 1/2) = 66.67 %; error ratio = 100 * sqrt(1/3) = 57.74 %;
#   standard error = .5774 * 1.4142 = sqrt(2/3) = 0.8165 points.
#   Skewness: sum d^3 = 0 -> 0. Kurtosis: m2 = 10/6, m4 = 34/6,
#   k4 = 36 (7 * 34/6 - 15 (10/6)^2) / (5 * 4 * 3) = -1.2, kurtosis = k4 / k2^2 = -0.3.
# Effective weight: cov(x, T) = var x + cov(x, rest) = 9/15, 6/15, 9/15, 6/15;
#   I1 = 100 sqrt(9/15) / (2 sqrt(9/15) + 2 sqrt(6/15)) = 27.52 %.
HAND = pd.DataFrame(
    [[1, 1, 1, 1], [1, 1, 1, 0], [1, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0]],
    columns=["I1", "I2", "I3", "I4"],
    index=list("ABCDEF"),
)


def test_item_statistics_match_the_hand_computation() -> None:
    analysis = item_analysis(HAND, options={"I1": 4, "I3": 2})
    items = analysis.items_frame()
    assert items["facility"].tolist() == pytest.approx([400 / 6, 400 / 6, 50, 100 / 6])
    assert items["sd"].tolist() == pytest.approx([51.640, 51.640, 54.772, 40.825], abs=1e-3)
    assert items["discrimination_index"].tolist() == pytest.approx([62.5, 21.320, 52.223, 48.890], abs=1e-3)
    assert items["discriminative_efficiency"].tolist() == pytest.approx([100, 25, 60, 100])
    assert items.loc["I1", "effective_weight"] == pytest.approx(27.52, abs=0.01)
    assert [i.random_guess_score for i in analysis.items] == [25.0, None, 50.0, None]


def test_test_statistics_match_the_hand_computation() -> None:
    test = item_analysis(HAND).test
    assert (test.s, test.items, test.mean, test.median) == (6, 4, 2.0, 2.0)
    assert test.sd == pytest.approx(math.sqrt(2))
    assert test.alpha == pytest.approx(200 / 3)
    assert test.error_ratio == pytest.approx(100 * math.sqrt(1 / 3))
    assert test.standard_error == pytest.approx(math.sqrt(2 / 3))
    assert test.skewness == pytest.approx(0, abs=1e-12)
    assert test.kurtosis == pytest.approx(-0.3)


def test_agrees_with_textbook_formulas_on_partial_credit_marks() -> None:
    rng = np.random.default_rng(7)
    marks = pd.DataFrame(rng.integers(0, 5, size=(40, 6)) / 4, columns=[f"q{i}" for i in range(6)])
    analysis = item_analysis(marks)
    total = marks.sum(axis=1)
    for stats in analysis.items:
        rest = total - marks[stats.item]
        assert stats.discrimination_index == pytest.approx(100 * marks[stats.item].corr(rest))
        assert stats.sd == pytest.approx(100 * marks[stats.item].std(ddof=1))
    k = marks.shape[1]
    cronbach = k / (k - 1) * (1 - marks.var(ddof=1).sum() / total.var(ddof=1))
    assert analysis.test.alpha == pytest.approx(100 * cronbach)
    assert analysis.test.standard_error == pytest.approx(total.std(ddof=1) * math.sqrt(1 - cronbach))


def test_max_marks_scale_facility_and_sd_to_percent() -> None:
    doubled = item_analysis(HAND * 2, max_marks=2.0).items_frame()
    single = item_analysis(HAND).items_frame()
    for column in ("facility", "sd", "discrimination_index", "discriminative_efficiency"):
        assert doubled[column].tolist() == pytest.approx(single[column].tolist())


def test_undefined_statistics_are_none_as_moodle_leaves_them_blank() -> None:
    constant = HAND.assign(I4=1)  # everyone right: no variance, no correlation
    stats = {s.item: s for s in item_analysis(constant).items}["I4"]
    assert stats.facility == 100
    assert (stats.discrimination_index, stats.discriminative_efficiency) == (None, None)
    two = item_analysis(HAND.iloc[:2]).test  # Moodle needs s > 2 for alpha
    assert two.sd is not None and (two.alpha, two.error_ratio, two.standard_error) == (None, None, None)
    gap = HAND.astype(float)
    gap.loc["A", "I1"] = float("nan")
    with pytest.raises(ValueError, match="missing"):
        item_analysis(gap)


ATTEMPTS = pd.DataFrame(
    {
        "learner": ["ann", "ann", "bob", "cy", "cy", "cy"],
        "attempt": [1, 2, 1, 2, 1, 3],
        "q1": [0, 1, 1, 1, 0, 0],
        "q2": [0, 1, 0, 1, 1, 0],
    }
)


@pytest.mark.parametrize(
    ("which", "rows"),
    [("first", [0, 2, 4]), ("last", [1, 2, 5]), ("highest", [1, 2, 3]), ("all", [0, 1, 2, 3, 4, 5])],
)
def test_select_attempts(which, rows) -> None:
    chosen = select_attempts(ATTEMPTS, ["q1", "q2"], which=which)
    assert chosen.index.tolist() == rows
    assert chosen.columns.tolist() == ["q1", "q2"]


def test_distractor_table_counts_options_by_role() -> None:
    responses = pd.DataFrame(
        {
            "item": ["Q1"] * 7,
            "option": ["a", "b", "b", "a", "a", "c", None],
            "role": ["lab", "lab", "lab", "qa", "qa", "qa", "qa"],
        }
    )
    table = distractor_table(responses, keys={"Q1": "a"}, options={"Q1": ["a", "b", "c", "d"]})
    lab = table[table["group"] == "lab"].set_index("option")
    assert lab["count"].to_dict() == {"b": 2, "a": 1, "c": 0, "d": 0}
    assert lab.loc["b", "percent"] == pytest.approx(200 / 3)
    assert lab["is_key"].to_dict() == {"b": False, "a": True, "c": False, "d": False}
    qa = table[table["group"] == "qa"].set_index("option")["count"]
    assert qa.sum() == 3  # the unanswered row is left out
    overall = distractor_table(responses, group=None)
    assert overall.set_index("option")["count"].to_dict() == {"a": 3, "b": 2, "c": 1}
    assert set(overall["group"]) == {"all"}
