"""Multiple response on sub-steps: which of these are part of step N ("Update your accounts")?

Works where section_members cannot (headings that name the steps): the stem names the parent step, the
keys are two of its direct sub-steps, the distractors are sub-steps of other parent steps.
"""

from __future__ import annotations

from collections.abc import Iterator

from quizzes.text import clean, quote_prefix, shorten
from quizzes.types.base import Candidate, Context
from sops.model import Step


def _children(ctx: Context, parent: Step) -> list[Step]:
    i = ctx.position[id(parent)]
    out = []
    for s in ctx.steps[i + 1 :]:
        if s.depth <= parent.depth:
            break
        if s.depth == parent.depth + 1 and ctx.usable(s):
            out.append(s)
    return out


def substep_members(ctx: Context) -> Iterator[Candidate]:
    families = [(p, kids) for p in ctx.steps if ctx.usable(p) and len(kids := _children(ctx, p)) >= 2]
    if len(families) < 2:
        return
    for parent, kids in families:
        others = [s for p, ks in families if p is not parent for s in ks if s not in kids]
        if len(others) < 2:
            continue
        rng = ctx.rng("substep_members", parent.id)
        keys = sorted(kids, key=lambda s: -ctx.info(s).importance)[:4]
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
        title = shorten(clean(parent.text), 90)
        imp = sum(ctx.info(s).importance for s in keys) / 2
        yield Candidate(
            kind="substep_members",
            type="multiple_response",
            stem=f'Which of these are part of {ctx.label(parent).lower()}, "{title}"? Select all that apply.',
            options=opts,
            answer=answer,
            step=parent,
            quote=quote_prefix(parent.text),
            quality=round(imp * 0.6, 3),
            rationale=ctx.why(parent, "checks which actions it consists of"),
            slot=f"substep_members:{parent.id}",
            step_ids=[s.id for s in keys + wrong],
            extra={"covers": [s.id for s in keys], "key_step_ids": [s.id for s in keys]},
        )
