"""Questions on where steps belong: which of these are steps of a given section (multiple response)."""

from __future__ import annotations

from collections.abc import Iterator

from quizzes.text import quote_prefix, shorten
from quizzes.types.base import Candidate, Context, place_key


def section_members(ctx: Context) -> Iterator[Candidate]:
    by_section: dict[str, list] = {}
    for s in ctx.steps:
        if ctx.usable(s):
            by_section.setdefault(s.section_id, []).append(s)
    if any(ctx.heading_is_step(s) for steps in by_section.values() for s in steps):
        return  # headings that name the steps would give the answer away
    headings = {sid: ctx.heading(steps[0]) for sid, steps in by_section.items()}
    # headings must tell the sections apart, or the question is unanswerable
    if (
        len(by_section) < 2
        or len({h.casefold() for h in headings.values()}) < len(headings)
        or not all(headings.values())
    ):
        return
    for sid, members in by_section.items():
        others = [s for s in ctx.steps if ctx.usable(s) and s.section_id != sid]
        if len(members) < 2 or len(others) < 2:
            continue
        rng = ctx.rng("section_members", sid)
        keys = sorted(members, key=lambda s: -ctx.info(s).importance)[:4]
        rng.shuffle(keys)
        keys = keys[:2]
        wrong = others[:]
        rng.shuffle(wrong)
        wrong = wrong[:2]
        key_labels = [shorten(s.text, 120) for s in keys]
        opts = key_labels + [shorten(s.text, 120) for s in wrong]
        if len({o.casefold() for o in opts}) < 4:
            continue
        rng.shuffle(opts)
        answer = sorted(opts.index(k) for k in key_labels)
        first = keys[0]
        imp = sum(ctx.info(s).importance for s in keys) / 2
        yield Candidate(
            kind="section_members",
            type="multiple_response",
            stem=f'Which of these are steps of "{headings[sid]}"? Select all that apply.',
            options=opts,
            answer=answer,
            step=first,
            quote=quote_prefix(first.text),
            quality=round(imp * 0.55, 3),
            rationale=ctx.why(
                first, f'checks that the learner knows which steps belong to "{headings[sid]}"'
            ),
            slot=f"section_members:{sid}",
            step_ids=[s.id for s in keys + wrong],
        )


def step_section(ctx: Context) -> Iterator[Candidate]:
    """Single choice: in which part of the SOP does this step appear (options are section headings)."""
    headings: dict[str, str] = {}
    if any(ctx.heading_is_step(s) for s in ctx.steps if ctx.usable(s)):
        return  # headings that name the steps would give the answer away
    for s in ctx.steps:
        if ctx.usable(s) and s.section_id not in headings:
            headings[s.section_id] = ctx.heading(s)
    distinct = {h.casefold() for h in headings.values() if h}
    if len(headings) < 3 or len(distinct) < len(headings):
        return
    for step in ctx.steps:
        if not ctx.usable(step):
            continue
        key = headings[step.section_id]
        others = [h for sid, h in headings.items() if sid != step.section_id]
        rng = ctx.rng("step_section", step.id)
        rng.shuffle(others)
        options, idx = place_key(key, others[:3], rng)
        yield Candidate(
            kind="step_section",
            type="single_choice",
            stem=f'In which part of the SOP does this step appear?\n"{shorten(step.text, 300)}"',
            options=options,
            answer=idx,
            step=step,
            quote=quote_prefix(step.text),
            quality=round(ctx.info(step).importance * 0.45, 3),
            rationale=ctx.why(step, f'checks that the learner knows it belongs to "{key}"'),
            slot=f"step_section:{step.id}",
            step_ids=[step.id],
        )
