"""Questions about the order of steps: what comes next / before, put steps in order, "A before B?"."""

from __future__ import annotations

from collections.abc import Iterator

from quizzes.text import distinct_labels, quote_prefix, shorten
from quizzes.types.base import Candidate, Context, pick_distractors, place_key
from sops.model import Step

OPTION_LIMIT = 140


def _distractor_tiers(ctx: Context, key: Step, exclude: set[int]) -> list[list[str]]:
    """Sibling steps (same section, nearest first) first, then nearby steps of other sections."""
    siblings, others = [], []
    i = ctx.position[id(key)]
    nearby = sorted(ctx.steps, key=lambda s: abs(ctx.position[id(s)] - i))[:40]
    for s in nearby:
        if id(s) in exclude or s is key or not ctx.usable(s):
            continue
        (siblings if s.section_id == key.section_id else others).append(ctx.short(s, OPTION_LIMIT))
    return [siblings, others]


def _step_choice(ctx: Context, kind: str, shown: Step, key: Step, stem: str, factor: float, what: str):
    rng = ctx.rng(kind, shown.id)
    key_label = ctx.short(key, OPTION_LIMIT)
    shown_label = ctx.short(shown, OPTION_LIMIT)
    tiers = _distractor_tiers(ctx, key, {id(shown)})
    distractors = pick_distractors(key_label, tiers, 3, rng, avoid={shown_label})
    if len(distractors) < 2:
        return None
    options, idx = place_key(key_label, distractors, rng)
    imp = ctx.info(key).importance * 0.7 + ctx.info(shown).importance * 0.3
    return Candidate(
        kind=kind,
        type="single_choice",
        stem=stem,
        options=options,
        answer=idx,
        step=key,
        quote=quote_prefix(key.text),
        quality=round(imp * factor, 3),
        rationale=ctx.why(key, what),
        slot=f"{kind}:{key.id}",
        step_ids=[shown.id, key.id],
    )


def _where(ctx: Context, *steps: Step) -> str:
    """' in "<heading>"' when all the steps share a section with a heading that is not itself a step."""
    if len({s.section_id for s in steps}) != 1 or ctx.heading_is_step(steps[0]):
        return ""
    h = ctx.heading(steps[0])
    return f' in "{h}"' if h else ""


def next_step(ctx: Context) -> Iterator[Candidate]:
    for a in ctx.steps:
        b = ctx.next_of(a)
        if b is None or not (ctx.usable(a) and ctx.usable(b)) or ctx.repeated(a):
            continue
        stem = f'What is the next step{_where(ctx, a, b)} after this one?\n"{shorten(a.text, 300)}"'
        c = _step_choice(
            ctx, "next_step", a, b, stem, 0.85, f"checks that the learner knows it follows {ctx.label(a)}"
        )
        if c:
            yield c


def previous_step(ctx: Context) -> Iterator[Candidate]:
    for a in ctx.steps:
        b = ctx.next_of(a)
        if b is None or not (ctx.usable(a) and ctx.usable(b)) or ctx.repeated(b):
            continue
        stem = f'Which step comes immediately before this one{_where(ctx, a, b)}?\n"{shorten(b.text, 300)}"'
        c = _step_choice(
            ctx, "previous_step", b, a, stem, 0.7, f"checks that the learner knows it precedes {ctx.label(b)}"
        )
        if c:
            yield c


def ordering(ctx: Context) -> Iterator[Candidate]:
    for run in ctx.runs:
        for size in (4, 3):
            if len(run) < size:
                continue
            starts = range(0, len(run) - size + 1, max(1, size - 1))
            for start in starts:
                window = run[start : start + size]
                if not all(ctx.usable(s) for s in window):
                    continue
                labels = distinct_labels([s.text for s in window], 110)
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
                    rationale=f"{ctx.label(first)} to {ctx.label(last).lower()} form a sequence whose order "
                    "matters.",
                    slot=f"ordering:{first.id}",
                    step_ids=[s.id for s in window],
                )


def before_after(ctx: Context) -> Iterator[Candidate]:
    """True/false: "A is done before B" with A, B one or two steps apart (true as stated or swapped)."""
    for run in ctx.runs:
        for i, a in enumerate(run):
            for gap in (1, 2):
                if i + gap >= len(run):
                    continue
                b = run[i + gap]
                if not (ctx.usable(a) and ctx.usable(b)) or ctx.repeated(a) or ctx.repeated(b):
                    continue
                la, lb = shorten(a.text, 120), shorten(b.text, 120)
                if la.casefold() == lb.casefold():
                    continue
                imp = (ctx.info(a).importance + ctx.info(b).importance) / 2
                for truth in (True, False):
                    first, second = (la, lb) if truth else (lb, la)
                    yield Candidate(
                        kind="before_after",
                        type="true_false",
                        stem=f'True or false? In the SOP, "{first}" is done before "{second}".',
                        options=["True", "False"],
                        answer=truth,
                        step=b,
                        quote=quote_prefix(b.text),
                        quality=round(imp * (0.6 if gap == 1 else 0.55), 3),
                        rationale=ctx.why(b, f"checks its order relative to {ctx.label(a).lower()}"),
                        slot=f"before_after:{a.id}:{b.id}",
                        step_ids=[a.id, b.id],
                    )
