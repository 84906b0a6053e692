"""Scenario items from conditional steps: "If X, do Y" -> "Scenario: X. What do you do?" with key Y.

The situation and the action are cut from one sentence of the step text (which is the quote). Options are
actions written the same way (imperative, capitalised, no final full stop): the key, the actions of the
other decisions in the same section, then what that section asks at other moments; never steps of other
sections or SOPs, which nobody who skimmed this procedure would pick. A step whose own condition is
(nearly) the same situation never provides a distractor: its action would be right too. A key that bundles
both branches ("liquid cool (if liquids) or vent dry") tests no decision and is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from quizzes.text import clean, sentence_spans, shorten, words
from quizzes.types.base import Candidate, Context, pick_distractors, place_key, stands_out
from sops.actions import VERBS, strip_lead
from sops.model import Step

OPTION_LIMIT = 120
_COND_WORD = re.compile(
    r"^(?:if|when|whenever|in case(?: of)?|in the event(?: of| that)?|provided that|only if)\s+", re.I
)
_VAGUE = re.compile(
    r"\b(?:applicable|appropriate|necessary|possible|needed|required|you can|as needed|in doubt|"
    r"any questions|available|you are able|they agree|unless|do (?:that|this|so))\b",
    re.I,
)
_AUX = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|do|does|did|can|cannot|can't|could|will|would|should|must|"
    r"may|might|isn't|aren't|doesn't|don't|didn't|won't|'s|'re)\b|\w['\u2019](?:s|re)\b"
)
_DANGLING = frozenset(
    [
        "so",
        "that",
        "even",
        "and",
        "or",
        "but",
        "only",
        "as",
        "to",
        "because",
        "than",
        "the",
        "a",
        "an",
        "of",
        "for",
        "with",
    ]
)
_CONTINGENCY = re.compile(r"^\W*(?:if|in case|in the event|provided that|only if|unless)\b", re.I)
_BOTH_BRANCHES = re.compile(r"\(if\b|\bor\b.*\bif\b|\bif\b.*\bor\b", re.IGNORECASE)
_NEGATIVE_START = re.compile(r"^(?:do not|don't|never|avoid)\b", re.I)
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "and",
        "or",
        "is",
        "are",
        "be",
        "it",
        "you",
        "your",
        "this",
        "that",
        "if",
        "when",
        "with",
        "by",
    ]
)


def is_imperative(text: str) -> bool:
    """An instruction that stands on its own: imperative opening, no dangling end, no list to follow."""
    t = clean(text)
    if t.rstrip().endswith(":") or re.search(r"\bthe following\b", t, re.I):
        return False
    last = re.findall(r"[A-Za-z']+", t)
    if last and last[-1].lower() in _DANGLING:
        return False
    if _NEGATIVE_START.match(t):
        return True
    m = re.match(r"[A-Za-z'-]+", t)
    return bool(m) and m.group(0).lower() in VERBS


def as_option(text: str) -> str:
    """An action as an option: cleaned, capitalised, without a closing full stop/colon."""
    t = clean(text).strip(" ,;:-\u2013—")
    t = re.sub(r"^(?:then|immediately,?)\s+", "", t, flags=re.I) if not t.lower().startswith("then,") else t
    t = t.rstrip(" .;:")
    t = shorten(t, OPTION_LIMIT)
    return t[:1].upper() + t[1:]


def _content(text: str) -> set[str]:
    return {w.lower() for w in words(text) if w.lower() not in _STOP}


def similar(a: str, b: str) -> bool:
    x, y = _content(a), _content(b)
    return bool(x and y) and len(x & y) / len(x | y) >= 0.34


def split_conditional(step: Step, cond: str) -> tuple[str, str, str] | None:
    """(situation, action, quote) for a condition of the step, when the sentence reads "If X, do Y" or
    "Do Y if X"; None otherwise."""
    text = step.text
    at = text.find(cond)
    if at < 0:
        return None
    for s0, e0 in sentence_spans(text):
        if not s0 <= at < e0:
            continue
        sentence = text[s0:e0]
        rel = at - s0
        before, after = sentence[:rel], sentence[rel + len(cond) :]
        lead = re.sub(r"^\s*[\w /-]{1,30}:\s+", "", before) if before.strip() else ""
        if not lead.strip():
            action = re.sub(r"^\s*(?:[,:;\u2013—-]|\bthen\b)\s*", "", after)
            action = re.sub(r"^then\s+", "", action.strip(), flags=re.I)
        elif not re.sub(r"[\s.;:!]", "", after):
            action = before.rstrip(" ,;:-")
        else:
            return None
        return cond, action, sentence
    return None


def has_verb(situation: str) -> bool:
    """Does the situation read as a clause ("the incident lasts ...", "you are retiring")? A rough test
    that rejects noun phrases cut out by a stray "if" ("each tubes with sample names")."""
    s = situation.lower()
    if _AUX.search(s) or re.search(r"\w{3,}(?:ed|ing)\b", s):
        return True
    return bool(
        re.match(r"^(?:you|we|they|he|she|anyone|someone|somebody|nobody)\s+\w+", s)
        or re.match(r"^(?:the|a|an|your|our|any|this|that)\s+(?:[\w/-]+\s+){0,4}?\w+s\b", s)
    )


_REFERENT_CUT = re.compile(r"\b(?:that|it|this|them|so|there|to|one)$|^(?:we|they|it|this|that)\b", re.I)
# an option that would not stand in a quiz: an attitude ("Never feel ashamed ..."), its own justification
# ("Let others know since ..."), or a verb left without its object ("Try to identify", "Check to see")
_NOT_AN_OPTION = re.compile(
    r"^(?:never|do not|don['\u2019]t|avoid)\b|\b(?:since|because|as this|so that)\b|\bto\s+\w+$|\u2026$", re.I
)


def situation_text(cond: str) -> str | None:
    s = _COND_WORD.sub("", clean(cond)).strip(" ,.;:")
    if (
        len(s.split()) < 4
        or _VAGUE.search(s)
        or s.endswith(('"', "'"))
        or not has_verb(s)
        or _REFERENT_CUT.search(s)  # "You don't have that": what "that" is was cut off
    ):
        return None
    return s[:1].upper() + s[1:]


def _parent(ctx: Context, step: Step) -> Step | None:
    if step.depth == 0:
        return None
    i = ctx.position[id(step)]
    for s in reversed(ctx.steps[:i]):
        if s.section_id != step.section_id:
            return None
        if s.depth < step.depth:
            return s
    return None


def _items(ctx: Context) -> list[tuple[Step, str, str, str]]:
    """(step, situation, action option, quote) for every usable conditional sentence of the SOP."""
    key = "_scenario_items"
    if key in ctx.__dict__:
        return ctx.__dict__[key]
    out = []
    for step in ctx.items:
        if not step.conditions or not ctx.usable(step):
            continue
        for cond in step.conditions:
            split = split_conditional(step, cond)
            if split is None:
                continue
            if not _CONTINGENCY.match(clean(split[0])):
                continue  # "When the cycle is complete, ...": the next step of a sequence, not a decision
            situation = situation_text(split[0])
            action = split[1]
            if situation is None or len(words(action)) < 3 or not is_imperative(action):
                continue
            if _NOT_AN_OPTION.search(as_option(action)):
                continue
            out.append((step, situation, as_option(action), split[2]))
    by_situation: dict[str, set[str]] = {}
    for _step, situation, action, _quote in out:
        by_situation.setdefault(situation.casefold(), set()).add(action.casefold())
    # the same situation with two different actions (two autoclaves, "if the cycle is complete"): ambiguous
    out = [item for item in out if len(by_situation[item[1].casefold()]) == 1]
    ctx.__dict__[key] = out
    return out


def _action_of(ctx: Context, s: Step) -> str | None:
    """A step as a plain action option (its own lead condition removed), if it reads as an instruction."""
    cache = ctx.__dict__.setdefault("_actions", {})
    if id(s) not in cache:
        cache[id(s)] = _plain_action(s.text)
    return cache[id(s)]


def _plain_action(text: str) -> str | None:
    t = strip_lead(clean(text))
    first = re.split(r"(?<=[.!?])\s+", t, maxsplit=1)[0]
    if len(words(first)) < 3 or not is_imperative(first) or _NOT_AN_OPTION.search(as_option(first)):
        return None
    return as_option(first)


def scenario(ctx: Context) -> Iterator[Candidate]:
    items = _items(ctx)
    if not items:
        return
    for step, situation, key, quote in items:
        same = [
            s
            for s in ctx.items
            if s is not step and any(similar(_COND_WORD.sub("", clean(c)), situation) for c in s.conditions)
        ]
        if any(s.section_id == step.section_id and _action_of(ctx, s) != key for s in same):
            continue  # the same situation calls for another action elsewhere in this section: ambiguous
        excluded = {id(step), *(id(s) for s in same)}
        other_cond = [
            a for s, sit, a, _ in items if id(s) not in excluded and not similar(sit, situation) and a != key
        ]
        siblings = []
        for s in ctx.items:
            if id(s) in excluded or not ctx.usable(s):
                continue
            if any(similar(c, situation) for c in s.conditions):
                continue
            a = _action_of(ctx, s)
            if a and s.section_id == step.section_id:
                siblings.append(a)
        rng = ctx.rng("scenario", step.id, situation)
        # Distractors come from this procedure only: another branch of a decision first, then what the
        # same section asks at other moments. Actions of other sections or SOPs are never tempting to
        # someone who skimmed this one (a wet sponge offered when the autoclave door leaks).
        # Only what the SOP says to do in its other situations: a plain step of the procedure offered as
        # the answer to a situation was picked by elimination or also right (reviewers rejected all such
        # items, rounds tune-1 and tune-2)
        near = [d for d in other_cond if not d.endswith("\u2026") and not similar(d, key)]
        distractors = pick_distractors(key, [near], 3, rng)
        if len(distractors) < 2 or key.endswith("\u2026") or _BOTH_BRANCHES.search(key):
            continue
        if stands_out(key, distractors):
            continue  # the one long, careful option among short ones is picked for its length
        options, idx = place_key(key, distractors[:3], rng)
        parent = _parent(ctx, step)
        # the step it happens in, when that is an action ("Take your soil cores ..."), not a label ("Fix")
        doing = parent is not None and len(words(parent.text)) >= 4 and _plain_action(parent.text)
        context = f' (while doing: "{shorten(parent.text, 100)}")' if doing else ""
        imp = ctx.info(step).importance
        from_sop = sum(1 for d in distractors if d in other_cond)
        yield Candidate(
            kind="scenario",
            type="scenario",
            stem=f"Scenario{context}: {situation}. According to the SOP, what do you do?",
            options=options,
            answer=idx,
            step=step,
            quote=quote,
            quality=round(min(1.0, imp * (0.95 if from_sop >= 1 else 0.8) + 0.08), 3),
            rationale=ctx.why(step, f'asks what to do when "{situation.lower()}"'),
            slot=f"scenario:{step.id}:{situation[:40]}",
            step_ids=[step.id],
            extra={"condition": clean(situation), "covers": [step.id]},
        )
