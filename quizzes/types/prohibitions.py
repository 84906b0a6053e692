"""Prohibitions -> "Which of these does the SOP tell you not to do?" (never, do not, DON'T lists).

What an SOP forbids is among what a new hire must certainly learn, and trainers publish a prohibition
question when the wrong options are things the SOP really asks for: someone who skimmed may pick any of
them, someone who read it knows which one is forbidden. So the key is the forbidden action written as an
instruction ("Do not use the same cloth for tables and floors" -> "Use the same cloth for tables and
floors"), and the distractors are required actions of the same SOP (imperative steps outside any
prohibition), nearest first. Nothing is negated or un-negated in a sentence the learner reads as the SOP's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from quizzes.text import clean, sentence_spans
from quizzes.types.base import Candidate, Context, pick_distractors, place_key
from quizzes.types.scenario import as_option, is_imperative, similar
from sops.model import Step

_FORBID = re.compile(
    r"^\W*(?:do not|don['\u2019]t|never|must not|should not|shall not|may not)\s+(?P<rest>\w.*)$",
    re.IGNORECASE | re.DOTALL,
)
_LABEL = re.compile(r"^\W*(?:warning|caution|danger|important|note|attention)\W*[:!\-\u2013]\s*", re.I)
_FORBIDDING_HEADING = re.compile(r"\b(?:do not|don['\u2019]t|never|prohibited|forbidden|not allowed)\b", re.I)
_SUBJECT_MODAL = re.compile(
    r"^\W*(?P<subject>[\w\s'-]{2,40}?)\s+(?:must|should|shall|may) not\s+(?P<rest>\w.*)$", re.I | re.DOTALL
)


def forbidden_action(ctx: Context, step: Step) -> tuple[str, str] | None:
    """(the forbidden action as an instruction, the sentence that forbids it), or None."""
    under_heading = bool(_FORBIDDING_HEADING.search(ctx.heading(step)))
    for s0, e0 in sentence_spans(step.text):
        sentence = step.text[s0:e0]
        text = _LABEL.sub("", clean(sentence))
        m = _FORBID.match(text)
        if m:
            action = m.group("rest")
            if re.match(r"(?:be|have|get)\b", action, re.I):
                continue  # "Do not be late": no instruction left to offer
            return as_option(action), sentence
        if under_heading and is_imperative(text):
            return as_option(text), sentence
    return None


def _required_actions(ctx: Context, exclude: Step) -> list[str]:
    """Instructions the SOP gives (not forbids), the steps nearest to `exclude` first."""
    i = ctx.position[id(exclude)]
    out = []
    for s in sorted(ctx.items, key=lambda s: abs(ctx.position[id(s)] - i)):
        if s is exclude or not ctx.usable(s) or forbidden_action(ctx, s) is not None:
            continue
        text = clean(s.text)
        first = text[: sentence_spans(text)[0][1]] if sentence_spans(text) else text
        option = as_option(first)
        negative = re.search(r"\b(?:not|never|no)\b", first, re.I)
        # a truncated option is one a trainer has to edit
        if is_imperative(first) and not negative and not option.endswith("\u2026"):
            out.append(option)
    return out


def prohibition(ctx: Context) -> Iterator[Candidate]:
    for step in ctx.items:
        found = forbidden_action(ctx, step)
        if found is None:
            continue
        key, sentence = found
        key = key.strip("\"'\u201c\u201d ")
        if len(key.split()) < 3 or key.endswith("\u2026"):
            continue
        rng = ctx.rng("prohibition", step.id)
        required = [a for a in _required_actions(ctx, step) if not similar(a, key)]
        distractors = pick_distractors(key, [required], 3, rng)
        if len(distractors) < 2:
            continue
        options, idx = place_key(key, distractors, rng)
        yield Candidate(
            kind="prohibition",
            type="single_choice",
            stem="Which of these does the SOP tell you NOT to do?",
            options=options,
            answer=idx,
            step=step,
            quote=sentence,
            quality=round(min(1.0, ctx.info(step).importance + 0.25), 3),
            rationale="The SOP forbids this; the other options are things it asks for, so only someone who "
            "read the prohibition picks the right one.",
            slot=f"prohibition:{step.id}",
            step_ids=[step.id],
        )
