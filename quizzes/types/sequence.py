"""One question about the order of steps per SOP, and only where the SOP gives the order a reason.

Trainers reject sequence items asked several ways over the same steps, orders forced by plain logic, and
numbered lists that are not sequences (criteria, triggers, independent rules). So: a window of consecutive
steps of one procedure qualifies only when one of its steps says why the order matters ("before", "after",
"until", "once", "wait", "prior to"), and all windows share one slot, so selection keeps
at most one ordering question in a pool.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from quizzes.text import clean, quote_prefix
from quizzes.types.base import Candidate, Context
from quizzes.types.scenario import as_option
from sops.actions import strip_lead
from sops.model import Step

OPTION_LIMIT = 120

ORDER_CUE = re.compile(
    r"\b(?:before|after|afterwards|until|once|wait|prior to|only when|as soon as|no sooner than)\b",
    re.IGNORECASE,
)


def _where(ctx: Context, *steps: Step) -> str:
    """' in "<heading>"' when all the steps share a section with a heading that is not itself a step."""
    if len({s.section_id for s in steps}) != 1 or ctx.heading_is_step(steps[0]):
        return ""
    h = ctx.heading(steps[0])
    return f' in "{h}"' if h else ""


def _option_labels(window: list[Step]) -> list[str] | None:
    """Each step as an option without its lead clause ("When the pressure has reached 15 psi, load the
    items" -> "Load the items": the clause would give the order away), whole (never truncated), distinct."""
    labels = [as_option(strip_lead(clean(s.text))) for s in window]
    if any(
        len(label) > OPTION_LIMIT or label.endswith("\u2026") or len(label.split()) < 3 for label in labels
    ):
        return None
    if any(ORDER_CUE.search(label) for label in labels):
        return None  # "... after initiating ..." in an option cues its place
    return labels if len({label.casefold() for label in labels}) == len(labels) else None


def ordering(ctx: Context) -> Iterator[Candidate]:
    for run in ctx.runs:
        for size in (4, 3):
            if len(run) < size:
                continue
            starts = range(0, len(run) - size + 1, max(1, size - 1))
            for start in starts:
                window = run[start : start + size]
                if not all(ctx.usable(s) and not ctx.repeated(s) for s in window):
                    continue
                if not any(ORDER_CUE.search(s.text) for s in window):
                    continue  # no step says why the order matters
                labels = _option_labels(window)
                if labels is None:
                    continue
                rng = ctx.rng("ordering", window[0].id, size)
                perm = list(range(size))
                for _ in range(10):
                    rng.shuffle(perm)
                    if perm != sorted(perm):
                        break
                options = [labels[p] for p in perm]
                answer = [perm.index(i) for i in range(size)]
                imp = sum(ctx.info(s).importance for s in window) / size
                first, last = window[0], window[-1]
                where = _where(ctx, *window).replace(" in ", " of ", 1)
                yield Candidate(
                    kind="ordering",
                    type="ordering",
                    stem=f"Put these steps{where} in the order the SOP requires.",
                    options=options,
                    answer=answer,
                    step=first,
                    quote=quote_prefix(first.text),
                    quality=round(imp * (0.85 if size == 4 else 0.8), 3),
                    rationale=f"These steps ({ctx.label(first).lower()} to {ctx.label(last).lower()}) "
                    "must be done in this order: the SOP says what has to come first.",
                    slot="ordering",
                    step_ids=[s.id for s in window],
                )
