"""Question-type generators. Each takes a Context and yields Candidates; GENERATORS is the registry.

Forms trainers reject whatever their wording (issue 10, ../shared/QUESTION-RUBRIC.md) are not generated:
"is done before" true/false, next/previous step, "which of these are steps of section X", "which section
holds ...", "which of these statements match" over unrelated sentences, and true/false on a sentence of the
SOP (kept True, or False with one value changed): reviewers rated 1 of 24 of those publishable (round
tune-2), since they test recognising a number, not knowing the job; the same sentence is asked as a choice
between it and its altered versions (`statement_choice`). Nor is "put these steps in order": reviewers
rated 1 of 17 publishable over five rounds (orders forced by plain logic, lists that are not sequences),
so a trainer who wants one writes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from quizzes.types.base import Candidate, Context
from quizzes.types.requirements import permission, statement_choice
from quizzes.types.roles import matching, who_does, who_responsible
from quizzes.types.scenario import scenario
from quizzes.types.values import numeric, value_choice

Generator = Callable[[Context], Iterator[Candidate]]

GENERATORS: dict[str, Generator] = {
    "permission": permission,
    "numeric": numeric,
    "value_choice": value_choice,
    "scenario": scenario,
    "matching": matching,
    "who_responsible": who_responsible,
    "who_does": who_does,
    "statement_choice": statement_choice,
}

__all__ = ["GENERATORS", "Candidate", "Context", "Generator"]
