""" "Who is responsible": match roles to tasks (matching), or pick the role for one task (single choice).

Only the parser's step actors are used as keys (`Step.actor`: "The QA Manager shall ...", "Supervisor: ...",
a role heading or a participants table). The SopDocument does not carry the cells of a responsibilities
table, so the roles it lists (`SopDocument.roles`) serve as distractors, never as keys.

The task shown to the learner is the step text with its actor removed ("The Technician shall move the
samples" -> "Move the samples"), so the stem never names the answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from quizzes.text import clean, quote_prefix, sentence_spans, shorten
from quizzes.types.base import Candidate, Context, pick_distractors, place_key
from sops.actors import role_key
from sops.model import Step

TASK_LIMIT = 110
_MODAL = (
    r"(?:shall|must|should|will|is responsible for|are responsible for|is required to|are required to|"
    r"needs? to|has to|have to|is to|are to|may)"
)


def task_label(step: Step) -> str | None:
    """The step as a task without its actor, capitalised; None when the actor cannot be removed."""
    actor = step.actor or ""
    text = clean(step.text)
    if not actor:
        return None
    words = re.escape(actor).replace(r"\ ", r"\s+")
    text = re.sub(rf"\s*\((?:for\s+)?{words}\s+only\)", "", text, flags=re.IGNORECASE)
    label = re.match(rf"^\s*(?:the\s+)?{words}\s*:\s+", text, re.IGNORECASE)
    if label:
        text = text[label.end() :]
    else:
        subject = re.match(
            rf"^(?:(?:the|an?|all|each|every|any)\s+)?{words}\s+{_MODAL}\s+", text, re.IGNORECASE
        )
        if subject:
            text = text[subject.end() :]
    if re.search(rf"\b{words}\b", text, re.IGNORECASE) or len(text.split()) < 3:
        return None  # the task would name its own actor (or nothing is left)
    text = text[:1].upper() + text[1:]
    return shorten(text, TASK_LIMIT)


_GENERIC = re.compile(
    r"^(?:all\s+)?(?:employees?|staff|personnel|persons?|people|team members?|members?|users?|workers?|"
    r"everyone|other people.*|others?)$",
    re.IGNORECASE,
)


def actor_quote(ctx: Context, step: Step) -> str | None:
    """Verbatim text showing who performs the step: the sentence of the step that names the actor, or the
    step's first sentence when its section heading names the actor; None when the SOP text does not show
    it (an actor known only from a table the model does not keep)."""
    actor = step.actor or ""
    pattern = re.compile(r"\b" + r"\s+".join(map(re.escape, actor.split())), re.IGNORECASE)
    head = [w for w in role_key(actor).split() if w]
    for s0, e0 in sentence_spans(step.text):
        sentence = step.text[s0:e0]
        if pattern.search(sentence) or (head and all(w in role_key(sentence) for w in head)):
            return sentence
    if pattern.search(ctx.heading(step)) or role_key(ctx.heading(step)) == role_key(actor):
        return quote_prefix(step.text)
    return None


def _role_steps(ctx: Context) -> list[tuple[Step, str]]:
    """(step, task label) for usable steps whose actor the SOP text shows, labels unique within the SOP."""
    key = "_role_steps"
    if key in ctx.__dict__:
        return ctx.__dict__[key]
    out = []
    by_label: dict[str, set[str]] = {}
    for s in ctx.items:
        if s.actor and _plausible_role(clean(s.actor)) and ctx.usable(s) and actor_quote(ctx, s):
            lab = task_label(s)
            if lab:
                out.append((s, lab))
                by_label.setdefault(lab.casefold(), set()).add(role_key(s.actor))
    # a task done by two different roles cannot be matched to one of them
    out = [(s, lab) for s, lab in out if len(by_label[lab.casefold()]) == 1]
    ctx.__dict__[key] = out
    return out


def _display_roles(ctx: Context) -> dict[str, str]:
    """role key -> first spelling, from step actors then the SOP's role list."""
    names: dict[str, str] = {}
    for s in ctx.items:
        if s.actor:
            names.setdefault(role_key(s.actor), clean(s.actor))
    for r in ctx.doc.roles:
        names.setdefault(role_key(r), clean(r))
    return {k: v for k, v in names.items() if k and v and _plausible_role(v)}


def matching(ctx: Context) -> Iterator[Candidate]:
    """Match 3-4 tasks to the roles that perform them (one task per role, so every pairing is unique)."""
    pairs = _role_steps(ctx)
    by_role: dict[str, list[tuple[Step, str]]] = {}
    for s, lab in pairs:
        by_role.setdefault(role_key(s.actor or ""), []).append((s, lab))
    if len(by_role) < 3:
        return
    names = _display_roles(ctx)
    roles = sorted(by_role, key=lambda r: -max(ctx.info(s).importance for s, _ in by_role[r]))[:4]
    seen: set[tuple] = set()
    for variant in range(2):
        rng = ctx.rng("matching", variant)
        chosen = []
        for r in roles:
            tasks = sorted(by_role[r], key=lambda p: -ctx.info(p[0]).importance)
            s, lab = tasks[min(variant, len(tasks) - 1)]
            chosen.append((s, lab, names.get(r, clean(s.actor or ""))))
        signature = tuple(s.id for s, _, _ in chosen)
        if signature in seen:
            continue
        seen.add(signature)
        rights = [right for _, _, right in chosen]
        if len({x.casefold() for x in rights}) < len(rights):
            continue
        chosen.sort(key=lambda t: ctx.position[id(t[0])])
        answer = [[left, right] for _, left, right in chosen]
        options = rights[:]
        rng.shuffle(options)
        anchor = max(chosen, key=lambda t: ctx.info(t[0]).importance)[0]
        imp = sum(ctx.info(s).importance for s, _, _ in chosen) / len(chosen)
        yield Candidate(
            kind="matching",
            type="matching",
            stem="Who is responsible? Match each task to the role the SOP assigns it to.",
            options=options,
            answer=answer,
            step=anchor,
            quote=actor_quote(ctx, anchor) or "",
            quality=round(min(1.0, imp * 0.95 + 0.05), 3),
            rationale=f"The SOP assigns these tasks to {len(chosen)} different roles; the question checks "
            "who does what.",
            slot=f"matching:{variant}",
            step_ids=[s.id for s, _, _ in chosen],
            extra={
                "left": [left for _, left, _ in chosen],
                "pairs_source": [
                    {"step_id": s.id, "quote": actor_quote(ctx, s) or "", "actor": clean(s.actor or "")}
                    for s, _, _ in chosen
                ],
                "covers": [s.id for s, _, _ in chosen],
            },
        )


_FUSED = re.compile(r"\b[A-Z][a-z]+\s+(?:An|A|The)\s", re.UNICODE)  # "Recusal An employee": heading + text


def _plausible_role(name: str) -> bool:
    return len(name.split()) <= 4 and not _FUSED.search(name)


def who_responsible(ctx: Context) -> Iterator[Candidate]:
    """Single choice: which role performs this task (distractors: the other roles this SOP names)."""
    names = _display_roles(ctx)
    for step, lab in _role_steps(ctx):
        if len(lab.split()) < 5:
            continue  # a heading or a fragment ("Supervisors only", "use this survey") is not a task
        k = role_key(step.actor or "")
        key = names.get(k, clean(step.actor or ""))
        own = [v for rk, v in names.items() if rk != k and not _GENERIC.match(v) and _plausible_role(v)]
        rng = ctx.rng("who_responsible", step.id)
        distractors = pick_distractors(key, [own], 3, rng)  # roles this SOP names, never other SOPs'
        if not _plausible_role(key):
            continue
        distractors = [d for d in distractors if role_key(d) != k]
        if len(distractors) < 2:
            continue
        options, idx = place_key(key, distractors, rng)
        from_sop = sum(1 for d in distractors if d in own)
        yield Candidate(
            kind="who_responsible",
            type="single_choice",
            stem=f'Who is responsible for this task according to the SOP?\n"{lab}"',
            options=options,
            answer=idx,
            step=step,
            quote=actor_quote(ctx, step) or "",
            quality=round(ctx.info(step).importance * (0.8 if from_sop >= 2 else 0.65), 3),
            rationale=ctx.why(step, f"checks that the learner knows the {key} performs it"),
            slot=f"who:{step.section_id}",  # one per list: a handoff list asked line by line repeats itself
            step_ids=[step.id],
        )
