"""Questions on requirement statements (must/shall/never/limits/critical values).

A statement is one sentence of a step. Its falsifications are faithful to the wording: the value changed in
the same unit (another value the SOP gives for the same unit first, on the wrong side of a limit). Never an
added or deleted "not", and no flipped "before"/"after" or "at least"/"at most": trainers reject those as
absurd on their face, and the leftover wording cues the key.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from quizzes.text import (
    ValueSpot,
    alternative_values,
    clean,
    replace_value,
    requirement_words,
    sentence_spans,
    spot_number,
)
from quizzes.types.base import Candidate, Context, place_key
from sops.model import Step

_DANGLING_START = re.compile(
    r"^\W*(?:it|this|that|these|those|they|them|then|but|and|or|also|e\.g\.|i\.e\.|so)\b", re.IGNORECASE
)


@dataclass
class Statement:
    step: Step
    sentence: str  # verbatim from step.text
    falsified: list[str]  # wrong versions, best first (cleaned for display)
    how: list[str]  # how each falsification was made: "value"
    values: list[list]  # [value, unit] of the values it tests: one question per value in a pool


def statements(ctx: Context, step: Step) -> list[Statement]:
    """Requirement sentences of a step with their falsifications (only sentences that have at least one)."""
    cache = ctx.__dict__.setdefault("_statements", {})
    if id(step) in cache:
        return cache[id(step)]
    out = []
    spots = ctx.value_spots(step)
    for s0, e0 in sentence_spans(step.text):
        sentence = step.text[s0:e0]
        in_sentence = [sp for sp in spots if s0 <= sp.num_start < e0 and sp.num_end <= e0]
        if not in_sentence and not requirement_words(sentence):
            continue
        if len(clean(sentence).split()) < 6 or _DANGLING_START.match(clean(sentence)):
            continue  # a statement must stand alone: no "It"/"This"/"Then" whose referent was cut off
        falsified: list[str] = []
        how: list[str] = []
        for sp in in_sentence[:1]:
            like = step.text[sp.num_start : sp.num_end]
            value = spot_number(step.text, sp)
            siblings = ctx.sibling_values(sp.cv.unit, value)
            for v in alternative_values(value, sp.cv.unit, like, sp.direction, 3, siblings):
                local = ValueSpot(
                    sp.cv, sp.start - s0, sp.end - s0, sp.num_start - s0, sp.num_end - s0, sp.direction
                )
                falsified.append(clean(replace_value(sentence, local, v)))
                how.append("value")
        key = clean(sentence)
        seen = {key.casefold()}
        f2, h2 = [], []
        for f, h in zip(falsified, how, strict=True):
            if f.casefold() not in seen:
                seen.add(f.casefold())
                f2.append(f)
                h2.append(h)
        if f2:
            tested = [[sp.cv.value, sp.cv.unit.strip().casefold()] for sp in in_sentence[:1]]
            out.append(Statement(step, sentence, f2, h2, tested))
    cache[id(step)] = out
    return out


def true_false(ctx: Context) -> Iterator[Candidate]:
    """The faithful statement (True) or its best falsification (False); selection balances the two."""
    for step in ctx.items:
        for k, st in enumerate(statements(ctx, step)[:2]):
            imp = ctx.info(step).importance
            key = clean(st.sentence)
            variants = [
                (True, key, "states the requirement as written"),
                (False, st.falsified[0], f"alters it ({st.how[0]})"),
            ]
            for truth, text, what in variants:
                yield Candidate(
                    kind="true_false",
                    type="true_false",
                    stem=f'True or false? According to the SOP: "{text}"',
                    options=["True", "False"],
                    answer=truth,
                    step=step,
                    quote=st.sentence,
                    quality=round(imp * (0.9 if k == 0 else 0.8), 3),
                    rationale=ctx.why(step, f"{what} for a true/false check"),
                    slot=f"tf:{step.id}",
                    step_ids=[step.id],
                    extra={"falsification": None if truth else st.how[0], "values": st.values},
                )


def statement_choice(ctx: Context) -> Iterator[Candidate]:
    """Single choice: which statement matches the SOP; distractors are falsifications of the same sentence."""
    for step in ctx.items:
        for st in statements(ctx, step)[:1]:
            if len(st.falsified) < 2:
                continue
            key = clean(st.sentence)
            rng = ctx.rng("statement_choice", step.id)
            options, idx = place_key(key, st.falsified[:3], rng)
            yield Candidate(
                kind="statement_choice",
                type="single_choice",
                stem="Which of these statements is what the SOP requires?",
                options=options,
                answer=idx,
                step=step,
                quote=st.sentence,
                quality=round(ctx.info(step).importance * 0.9, 3),
                rationale=ctx.why(step, "asks to tell the exact requirement from altered versions"),
                slot=f"choice:{step.id}",
                step_ids=[step.id],
                extra={"values": st.values},
            )


_FORBIDS = re.compile(
    r"^\W*(?:(?:warning|caution|important|note)\W*[:!-]\s*)?"
    r"(?:never|do not|don['\u2019]t)\s+(?P<act>[a-z].*)$",
    re.IGNORECASE,
)
_REASON = re.compile(r"\s*(?:,\s*|\s+)(?:as|because|since|so that|otherwise|or else)\b.*$", re.IGNORECASE)


_SUBJECT_FORBIDDEN = re.compile(
    r"^\W*(?P<who>[A-Z][^.;:]{2,120}?)\s+(?:shall|must|may|should) not\s+(?P<act>[a-z].*)$"
)


def forbidden(sentence: str) -> str | None:
    """What a "Never X" / "Do not X" / "Employees shall not X" sentence forbids, as "X" or "employees ...
    X" (the subject kept, so the question says who may not), without its reason clause; or None."""
    text = clean(sentence)
    m = _FORBIDS.match(text)
    who = ""
    if not m:
        m = _SUBJECT_FORBIDDEN.match(text)
        if not m:
            return None
        who = m.group("who")
    act = _REASON.sub("", m.group("act")).rstrip(" .;:!")
    vague = r"(?:have|get|let|forget|hesitate)\b" if who else r"(?:be|have|get|let|forget|hesitate)\b"
    if len(act.split()) < 2 or re.match(vague, act, re.I):
        return None  # "Never hesitate to escalate": the prohibition is itself an instruction to act
    if who:
        return f"{who[:1].lower() + who[1:]} may {act}"
    return f"you may {act[:1].lower() + act[1:]}"


def permission(ctx: Context) -> Iterator[Candidate]:
    """True/false on a prohibition, asked as the permission a new hire might assume: "Under this SOP, you may
    pipette by mouth" is false. The SOP's sentence is never altered; the question asks about it."""
    for step in ctx.items:
        for s0, e0 in sentence_spans(step.text):
            sentence = step.text[s0:e0]
            act = forbidden(sentence)
            if act is None:
                continue
            yield Candidate(
                kind="permission",
                type="true_false",
                stem=f"True or false? Under this SOP, {act}.",
                options=["True", "False"],
                answer=False,
                step=step,
                quote=sentence,
                quality=round(min(1.0, ctx.info(step).importance + 0.15), 3),
                rationale="The SOP forbids this; the question checks that a new hire does not assume it is "
                "allowed.",
                slot=f"tf:{step.id}",
                step_ids=[step.id],
            )
            break
