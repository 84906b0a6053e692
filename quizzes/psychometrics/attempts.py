"""Which attempts feed the statistics: Moodle's report offers first, last, highest-graded or all
attempts (`quiz_statistics_attempts_sql` with QUIZ_ATTEMPTFIRST, QUIZ_ATTEMPTLAST, QUIZ_GRADEHIGHEST,
QUIZ_GRADEAVERAGE). First attempts are the honest measure of what the SOP training taught; all attempts show
the pool as used."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import pandas as pd

Which = Literal["first", "last", "highest", "all"]


def select_attempts(
    attempts: pd.DataFrame,
    items: Sequence[str],
    which: Which = "first",
    learner: str = "learner",
    order: str = "attempt",
) -> pd.DataFrame:
    """Return the item-mark matrix (columns `items`) for the attempts `which` selects.

    `attempts` has one row per attempt: a `learner` column, an `order` column (attempt number or start time;
    smaller is earlier) and one column per item. "highest" keeps each learner's best total (the earliest of
    equal bests, as Moodle's grading picks one attempt). The index of `attempts` is kept.
    """
    if which == "all":
        return attempts.loc[:, list(items)]
    ordered = attempts.sort_values([learner, order], kind="stable")
    if which == "first":
        chosen = ordered.groupby(learner, sort=False).head(1)
    elif which == "last":
        chosen = ordered.groupby(learner, sort=False).tail(1)
    elif which == "highest":
        totals = ordered.loc[:, list(items)].sum(axis=1)
        chosen = ordered.loc[totals.groupby(ordered[learner], sort=False).idxmax()]
    else:
        raise ValueError(f"which must be first, last, highest or all, not {which!r}")
    return chosen.loc[:, list(items)].sort_index()
