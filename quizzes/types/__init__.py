"""Question-type generators. Each takes a Context and yields Candidates; GENERATORS is the registry.

Forms trainers reject whatever their wording (issue 10, ../shared/QUESTION-RUBRIC.md) are not generated:
"is done before" true/false, next/previous step, "which of these are steps of section X", "which section
holds ...", "which of these statements match" over unrelated sentences. Order is asked once per SOP, by
`ordering`, and only where the SOP gives a reason for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from quizzes.types.base import Candidate, Context
from quizzes.types.requirements import permission, statement_choice, true_false
from quizzes.types.roles import matching, who_does, who_responsible
from quizzes.types.scenario import scenario
from quizzes.types.sequence import ordering
from quizzes.types.values import numeric, value_choice

Generator = Callable[[Context], Iterator[Candidate]]

GENERATORS: dict[str, Generator] = {
    "permission": permission,
    "numeric": numeric,
    "value_choice": value_choice,
    "true_false": true_false,
    "scenario": scenario,
    "matching": matching,
    "who_responsible": who_responsible,
    "who_does": who_does,
    "statement_choice": statement_choice,
    "ordering": ordering,
}

__all__ = ["GENERATORS", "Candidate", "Context", "Generator"]
