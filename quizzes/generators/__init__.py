"""Question-type generators. Each takes a Context and yields Candidates; GENERATORS is the registry.

Forms trainers reject whatever their wording (issue 10, ../shared/QUESTION-RUBRIC.md) are not generated:
"is done before" true/false, next/previous step, "which of these are steps of section X", "which section
holds ...", "which of these statements match" over unrelated sentences. Nor are these, by the stored
reviewer ratings (bench/ratings/):
- true/false on a sentence of the SOP (kept True, or False with one value changed): 8 of 79 publishable
  (1 of 24 in tune-2); they test recognising a number, not knowing the job. The same sentence is asked
  as a choice between it and its altered versions (`statement_choice`);
- "put these steps in order": 1 of 61 (orders forced by plain logic, lists that are not sequences); an
  order is asked only where the SOP states it ("Y before X", `prerequisite_choice`), with later steps as
  the distractors;
- scenarios cut from the SOP's "if" sentences: 0 of 66, the blind ones included (the situation lacks its
  context, or another option is also right). Decisions are asked the other way round (`condition_choice`:
  "when do you abort the run?") and as a branch's condition swapped for its sibling's (`condition_swap`);
  "Once ..."/"When ..." timing clauses are neither (2 of 11 publishable in tune-5, both "If ..." ones);
- "who is responsible for this task?" on a step with an actor, and matching tasks to roles: 0 of 22 and
  0 of 5 publishable on the sets we tune on (the options were one group under several names, or the task
  cut from its context); responsibilities are asked from the SOP's own sentences (`who_does`);
- a range against the SOP's other ranges ("shake for 1-2 / 2-3 / 7-10 minutes"): 0 of 2 in tune-5 (rinse
  and shake times are trivia, and neighbouring ranges overlap).
A trainer writes those (the ordering and scenario answer types remain) until a form earns its place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from quizzes.generators.base import Candidate, Context
from quizzes.generators.conditions import condition_choice, condition_swap
from quizzes.generators.prerequisites import prerequisite_choice
from quizzes.generators.requirements import permission, statement_choice
from quizzes.generators.roles import who_does
from quizzes.generators.values import numeric, value_choice

Generator = Callable[[Context], Iterator[Candidate]]

GENERATORS: dict[str, Generator] = {
    "permission": permission,
    "numeric": numeric,
    "value_choice": value_choice,
    "who_does": who_does,
    "statement_choice": statement_choice,
    "condition_choice": condition_choice,
    "condition_swap": condition_swap,
    "prerequisite_choice": prerequisite_choice,
}

__all__ = ["GENERATORS", "Candidate", "Context", "Generator"]
