"""An IRT fit (Rasch, or 2PL with enough answers; girth) of the item difficulties and learner abilities,
shown beside the classical statistics when a quiz has enough attempts for the fit to mean something."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

MIN_2PL_ANSWERS = 200  # answers per question before a 2PL fit's discriminations mean something
MIN_IRT_ATTEMPTS = 30  # fewer and a Rasch fit is mostly noise


@dataclass(frozen=True)
class IrtEstimate:
    """An IRT fit of the analysed attempts: which model, why, item parameters and each attempt's ability."""

    model: str  # "rasch", "2pl", or "" when no fit could be made
    note: str
    difficulty: dict[int, float] = field(default_factory=dict)
    discrimination: dict[int, float] = field(default_factory=dict)  # 2PL only
    abilities: dict[int, float] = field(default_factory=dict)  # attempt id -> MAP ability (logits)
    right_answers: dict[int, tuple[int, int]] = field(default_factory=dict)  # attempt -> (right, answered)


def estimate_irt(by_question: pd.DataFrame) -> IrtEstimate:
    """Item difficulty and learner ability on one scale (full marks count as right; a question not drawn is
    missing, not wrong). 2PL, which adds a discrimination per question, once every question placed has
    `MIN_2PL_ANSWERS` answers; Rasch below that, where a 2PL fit would mostly describe noise."""
    attempts = len(by_question)
    if attempts < MIN_IRT_ATTEMPTS:
        return IrtEstimate("", f"IRT needs at least {MIN_IRT_ATTEMPTS} attempts; this view has {attempts}.")
    right = (by_question >= 1).astype(float).where(by_question.notna())
    usable = [q for q in right.columns if right[q].notna().sum() >= 2 and right[q].dropna().nunique() == 2]
    if len(usable) < 2:
        return IrtEstimate("", "IRT needs at least two questions that some got right and some got wrong.")
    from quizzes.psychometrics.irt import estimate_abilities, fit_irt  # girth: imported only when asked for

    model = "2pl" if int(right[usable].notna().sum().min()) >= MIN_2PL_ANSWERS else "rasch"
    try:
        fit = fit_irt(right[usable], model=model)
        theta = estimate_abilities(right[usable], fit)
    except ValueError as error:
        return IrtEstimate("", f"IRT could not be estimated: {error}")
    if model == "2pl":
        note = (
            "IRT model: 2PL, each question's difficulty (b) and discrimination (a), as every question "
            f"placed has at least {MIN_2PL_ANSWERS} answers."
        )
    else:
        note = (
            "IRT model: Rasch, each question's difficulty only (2PL needs "
            f"{MIN_2PL_ANSWERS} answers to every question)."
        )
    note += " Difficulty and ability are in logits: 0 is average, higher is harder or more able."
    skipped = len(right.columns) - len(usable)
    if skipped:
        note += f" {skipped} question(s) everyone got right or wrong cannot be placed and show no value."
    return IrtEstimate(
        model,
        note,
        {int(q): float(b) for q, b in zip(usable, fit.b, strict=True)},
        {int(q): float(a) for q, a in zip(usable, fit.a, strict=True)} if model == "2pl" else {},
        # an attempt that answered none of the placed questions says nothing about its learner
        {int(a): float(value) for a, value in theta[right[usable].notna().any(axis=1)].items()},
        _right_answers(by_question),
    )


def _right_answers(by_question: pd.DataFrame) -> dict[int, tuple[int, int]]:
    """Per attempt: questions with full marks, questions answered."""
    marks = by_question.to_numpy()
    right = (np.nan_to_num(marks, nan=0.0) >= 1).sum(axis=1)
    answered = (~np.isnan(marks)).sum(axis=1)
    return {
        int(attempt): (int(r), int(n))
        for attempt, r, n in zip(by_question.index, right, answered, strict=True)
    }
