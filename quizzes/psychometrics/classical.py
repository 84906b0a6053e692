"""Classical item analysis exactly as Moodle's quiz statistics report computes it.

Sources (moodle/moodle): per-item statistics from `question/classes/statistics/questions/calculator.php`
(`initial_question_walker`, `secondary_steps_walker`, `secondary_question_walker`), whole-test statistics from
`mod/quiz/report/statistics/classes/calculator.php` (`calculate`), and the units the report shows from
`mod/quiz/report/statistics/statistics_table.php` (`col_facility`, `col_sd`, ...). Following Moodle keeps our
numbers comparable with what trainers already know from Moodle, including its edge cases: a statistic Moodle
leaves blank (division by zero, too few attempts) is `None` here.

Notation: for attempt i and item j, x_ij is the mark, T_i = sum_j x_ij the attempt total ("sumgrades"),
r_ij = T_i - x_ij the "rest" (Moodle's "othermarks"), s the number of attempts, p the number of items.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

# Moodle tests `if ($variance)` on PHP floats; we compute deviations from a floating-point mean, so a constant
# column can leave ~1e-33 instead of an exact 0. Anything this small is "zero" (a real variance of marks in
# [0, max mark] is many orders of magnitude larger).
_ZERO = 1e-12


@dataclass(frozen=True)
class ItemStats:
    """One item (Moodle: one question slot). Percent values are in Moodle's report units (0-100)."""

    item: str
    s: int
    max_mark: float
    mean_mark: float
    facility: float | None  # 100 * mean / max mark
    sd: float | None  # 100 * sd(marks, ddof=1) / max mark
    random_guess_score: float | None  # 100 * expected fraction when guessing (1 / number of options)
    discrimination_index: float | None  # 100 * corr(item mark, rest of the test)
    discriminative_efficiency: float | None  # 100 * cov(item, rest) / the largest cov the marginals allow
    effective_weight: float | None  # 100 * sqrt(cov(item, total)) / sum over items of the same
    mark_variance: float | None  # in marks^2 (ddof=1): feeds the test's alpha


@dataclass(frozen=True)
class TestStats:
    """The whole test (Moodle: "Quiz information"). `alpha`/`error_ratio` in percent, as Moodle shows them;
    `mean`, `median`, `sd` and `standard_error` in points of the raw total (sum of item marks)."""

    __test__ = False  # not a pytest test class, despite the name

    s: int
    items: int
    mean: float | None
    median: float | None
    sd: float | None
    skewness: float | None
    kurtosis: float | None
    alpha: float | None  # Moodle "coefficient of internal consistency" (Cronbach's alpha; KR-20 for 0/1)
    error_ratio: float | None  # 100 * sqrt(1 - alpha)
    standard_error: float | None  # error_ratio * sd / 100 = SEM


@dataclass(frozen=True)
class ItemAnalysis:
    items: list[ItemStats]
    test: TestStats

    def to_dict(self) -> dict[str, object]:
        return {"items": [asdict(i) for i in self.items], "test": asdict(self.test)}

    def items_frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(i) for i in self.items]).set_index("item")


def _nonzero(value: float | None) -> bool:
    return value is not None and abs(value) > _ZERO


def _item_stats(
    name: str, x: np.ndarray, total: np.ndarray, max_mark: float, options: int | None
) -> tuple[ItemStats, float | None]:
    """Moodle's question calculator for one slot; also returns cov(item, total) for the effective weight."""
    s = len(x)
    rest = total - x
    mean = float(x.mean())
    facility = 100 * mean / max_mark if max_mark else None
    guess = 100 / options if options else None
    if s <= 1:
        return ItemStats(name, s, max_mark, mean, facility, None, guess, None, None, None, None), None
    dx, dr, dt = x - mean, rest - rest.mean(), total - total.mean()
    var_x = float(dx @ dx) / (s - 1)
    var_r = float(dr @ dr) / (s - 1)
    cov = float(dx @ dr) / (s - 1)
    # covariancemax: both columns sorted independently (array_shift on sorted arrays), so the pairing is the
    # most concordant the two marginal distributions allow.
    cov_max = float((np.sort(x) - mean) @ (np.sort(rest) - rest.mean())) / (s - 1)
    cov_total = float(dx @ dt) / (s - 1)
    sd = 100 * math.sqrt(var_x) / max_mark if max_mark else None
    di = 100 * cov / math.sqrt(var_x * var_r) if _nonzero(var_x * var_r) else None
    de = 100 * cov / cov_max if _nonzero(cov_max) else None
    stats = ItemStats(name, s, max_mark, mean, facility, sd, guess, di, de, None, var_x)
    return stats, cov_total


def _effective_weights(cov_totals: list[float | None]) -> list[float | None]:
    """Moodle: 100 * sqrt(cov_j) / sum of sqrt(cov_k) over items with cov_k >= 0; blank if cov_j < 0."""
    denominator = sum(math.sqrt(c) for c in cov_totals if c is not None and c >= 0)
    if not denominator:
        return [None] * len(cov_totals)
    return [100 * math.sqrt(c) / denominator if c is not None and c >= 0 else None for c in cov_totals]


def _test_stats(total: np.ndarray, items: int, sum_of_mark_variance: float) -> TestStats:
    """Moodle's quiz calculator: sd needs s > 1; skewness, alpha, error ratio and SE need s > 2 and a
    non-zero variance of totals (k2); kurtosis needs s > 3."""
    s = len(total)
    mean = float(total.mean()) if s else None
    median = float(np.median(total)) if s else None
    sd = skew = kurt = alpha = error_ratio = standard_error = None
    if s > 1:
        d = total - total.mean()
        sd = math.sqrt(float(d @ d) / (s - 1))
    if s > 2:
        m2, m3, m4 = (float(np.sum(d**k)) / s for k in (2, 3, 4))
        k2 = s * m2 / (s - 1)
        k3 = s * s * m3 / ((s - 1) * (s - 2))
        if _nonzero(k2):
            skew = k3 / k2**1.5
            if s > 3:
                k4 = s * s * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2) / ((s - 1) * (s - 2) * (s - 3))
                kurt = k4 / (k2 * k2)
            if items > 1:
                alpha = (100 * items / (items - 1)) * (1 - sum_of_mark_variance / k2)
                # alpha <= 100 in exact arithmetic; clamp so rounding (alpha = 100 + 1e-14) cannot ask for
                # the square root of a negative number.
                error_ratio = 100 * math.sqrt(max(0.0, 1 - alpha / 100))
                standard_error = error_ratio * sd / 100
    return TestStats(s, items, mean, median, sd, skew, kurt, alpha, error_ratio, standard_error)


def item_analysis(
    marks: pd.DataFrame,
    max_marks: Mapping[str, float] | float = 1.0,
    options: Mapping[str, int] | None = None,
) -> ItemAnalysis:
    """Moodle's quiz statistics for a complete response matrix.

    `marks`: one row per attempt (already filtered to the attempts wanted, see `select_attempts`), one column
    per item, each cell the mark scored (with the default `max_marks=1.0`, the fraction of the item's mark).
    `options`: number of answer options per choice item, for the random-guess score (Moodle's multichoice
    single-answer guess score is the mean answer fraction, 1/k with one right answer); items left out get
    None.
    Missing cells are refused: Moodle's position statistics assume every attempt saw every slot.
    """
    values = marks.to_numpy(dtype=float)
    if np.isnan(values).any():
        raise ValueError("item analysis needs a mark for every attempt and item (found a missing value)")
    names = [str(c) for c in marks.columns]
    maxima = [float(max_marks if isinstance(max_marks, int | float) else max_marks[n]) for n in names]
    total = values.sum(axis=1)
    results = [
        _item_stats(n, values[:, j], total, maxima[j], (options or {}).get(n)) for j, n in enumerate(names)
    ]
    weights = _effective_weights([cov for _, cov in results])
    items = [
        ItemStats(**{**asdict(stats), "effective_weight": w})
        for (stats, _), w in zip(results, weights, strict=True)
    ]
    sum_of_mark_variance = sum(i.mark_variance or 0.0 for i in items)
    return ItemAnalysis(items, _test_stats(total, len(names), sum_of_mark_variance))


def pooled_item_analysis(
    marks: pd.DataFrame,
    slots: pd.DataFrame,
    max_marks: Mapping[str, float] | float = 1.0,
    options: Mapping[str, int] | None = None,
) -> ItemAnalysis:
    """Moodle's statistics for a quiz whose attempts drew different questions from a pool.

    Moodle handles random questions by position ("slot"): the whole-test statistics (alpha, error ratio,
    standard error) come from the slot matrix, where every attempt has a mark in every slot whatever
    question it drew there, and each question drawn into a slot gets its own row computed over the attempts
    that drew it, with the attempt's other marks as the "rest". We do the same:

    `marks`: one row per attempt, one column per question, NaN where the attempt did not draw it.
    `slots`: the same attempts (same index), one column per position in the attempt, no missing value.
    Effective weights are left out (None): they compare items that share every attempt.
    """
    values = marks.to_numpy(dtype=float)
    total = slots.to_numpy(dtype=float).sum(axis=1)
    if len(total) != len(values) or not marks.index.equals(slots.index):
        raise ValueError("marks and slots must describe the same attempts, in the same order")
    items = []
    for j, name in enumerate(str(c) for c in marks.columns):
        seen = ~np.isnan(values[:, j])
        max_mark = float(max_marks if isinstance(max_marks, int | float) else max_marks[name])
        stats, _ = _item_stats(name, values[seen, j], total[seen], max_mark, (options or {}).get(name))
        items.append(stats)
    return ItemAnalysis(items, item_analysis(slots).test)
