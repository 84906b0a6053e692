"""Question-type generators. Each takes a Context and yields Candidates; GENERATORS is the registry."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from quizzes.types.base import Candidate, Context
from quizzes.types.requirements import statement_choice, statement_set, true_false
from quizzes.types.roles import matching, who_responsible
from quizzes.types.scenario import scenario
from quizzes.types.sections import section_members, step_section
from quizzes.types.sequence import before_after, next_step, ordering, previous_step
from quizzes.types.substeps import substep_members
from quizzes.types.values import numeric, value_choice

Generator = Callable[[Context], Iterator[Candidate]]

GENERATORS: dict[str, Generator] = {
    "numeric": numeric,
    "value_choice": value_choice,
    "true_false": true_false,
    "scenario": scenario,
    "matching": matching,
    "who_responsible": who_responsible,
    "statement_choice": statement_choice,
    "next_step": next_step,
    "previous_step": previous_step,
    "ordering": ordering,
    "before_after": before_after,
    "statement_set": statement_set,
    "section_members": section_members,
    "step_section": step_section,
    "substep_members": substep_members,
}

__all__ = ["GENERATORS", "Candidate", "Context", "Generator"]
