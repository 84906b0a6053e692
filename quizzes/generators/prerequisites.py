"""Sequence questions only where the SOP says the order matters: "what must you do before adding the DNA
to the Qubit tube?"

"Put these steps in order" was rejected almost every time (1 of 61, bench/ratings/): most orders are forced
by plain logic, and numbered lists are often no sequence. An explicit "Y before X" / "Before X, Y" is
different: the SOP itself says that Y must come first, so getting it wrong is an error. The key is Y as
the SOP words it; the distractors are steps the SOP places *after* X, so each is plausible to someone who
skimmed the procedure and clearly wrong to someone who read it. The step that does X must be one of the
next few steps of the same section (else "before your last day" or "before deployment" is far away, and
any step in between is also done before it). Distractors come from the same section only: a later section
may be a parallel method in which the same act comes first. A step that is itself something to do before X
is never a distractor. One question per section.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from quizzes.answers import SingleChoice
from quizzes.generators.base import Candidate, Context, not_longest, place_key, stands_out
from quizzes.generators.conditions import NOT_AN_ACT
from quizzes.generators.values import as_shown
from quizzes.text import clean, drop_pointers, sentence_spans
from sops.actions import base_verb
from sops.model import Step
from sops.values import find_values

# "Vortex the DNA before adding it to the tube": the act first; "Before filtering, run the water through"
_ACT_FIRST = re.compile(
    r"^(?P<act>[A-Z][^;:?]{8,160}?)\s+(?:before|prior to)\s+(?P<later>[a-z][^;:?]{3,90})$"
)
_LATER_FIRST = re.compile(
    r"^(?:before|prior to)\s+(?P<later>[a-z][^,;:?]{3,80}),\s*(?P<act>[a-z][^;:?]{8,160})$", re.I
)
# what X may be: an action ("adding it to the tube", "you open the door"), never a time or a place
_LATER_ACT = re.compile(r"^(?:[a-z]+ing\b|you\s+[a-z]+\b|(?:each|every|first)\s+use\b|use\b)", re.I)
_REASON = re.compile(
    r"\s*(?:,\s*|\s+)(?:to (?:allow|ensure|avoid|prevent|remove|clean|get|make|let)|so that|so it|in order "
    r"to|(?:so )?as (?:this|it|these|to)|because|since|otherwise|just so)\b.*$",
    re.IGNORECASE,
)
_MAKE_SURE = re.compile(r"^(?:make sure|be sure|ensure|remember)\s+(?:to\s+|that\s+)?", re.I)
# "When finished, decontaminate all surfaces": a later step's act, its timing dropped (it is after X anyway)
_TIMING = re.compile(r"^(?:when|once|after|then|next|finally)\b[^,;:]{0,60},\s*(?=[a-z])", re.I)
_ASIDE = re.compile(r"\s*\((?:usually|typically|approx|about|e\.g\.|i\.e\.)[^()]*\)", re.I)
_OFFSET = re.compile(
    r"(?<!\bfor )(?<!\bat least )\b\d[\d.,\s-]*\s?[a-zµ]*\.?$", re.I
)  # "Turn the dial to Load 5-10 min. before loading"
_VAGUE_LATER = re.compile(r"\b(?:proceed\w*|continu\w*|next step|moving on|going on|this|that|it)\b", re.I)
_STOP = frozenset(
    re.findall(
        r"\S+",
        "the a an of to in on at for and or is are be you your with by from into onto then each all any "
        "them it its this that use using before after prior",
    )
)
_DOCUMENT = re.compile(r"\b(?:steps?\s+\d|sections?\s+\d|see\b|figure|table|above|below)", re.I)
# "Leave the blower on for 5 minutes before beginning work": the order is asked, the duration is a value
_DURATION = re.compile(
    r"\s+for\s+(?:at least\s+|about\s+|~\s?)?\d[\d.,\s-]*\s?(?:min\w*|h\w*|sec\w*|s)\.?$", re.I
)
LOOK_AHEAD = 3  # X must be done by one of the next three steps of the section
MAX_LATER = 12  # distractors come from the next twelve steps after it
MAX_KEY_WORDS = 22
MIN_OPTIONS = 3


@dataclass(frozen=True)
class Prerequisite:
    step: Step
    sentence: str  # verbatim from step.text
    act: str  # what must come first, as an option shows it
    later: str  # what it must come before, as the SOP words it: "adding to the qubit tube"


def _content(text: str) -> set[str]:
    """Crude stems of the content words: "opening the door" and "Open the door" share "open"."""
    return {
        re.sub(r"(?:ing|ed|es|s)$", "", w)[:5]
        for w in re.findall(r"[a-z]{3,}", text.lower())
        if w not in _STOP
    }


def _first_verb(text: str) -> str:
    return text.split()[0].lower() if text.split() else ""


def _as_option(text: str) -> str | None:
    """An act as an option shows it: no reason clause, no "make sure to", a capital; None unless it is an
    instruction of a few words that stands on its own."""
    text = _ASIDE.sub("", _TIMING.sub("", drop_pointers(clean(text))))
    text = re.sub(r"\s+(?:before|prior to)\s.*$", "", text)  # a later step's own "before ..." is not shown
    text = re.sub(r",\s+(?:any|the|all|this|it|they)\s.*$", "", text)  # "..., any waste should also be ..."
    text = _MAKE_SURE.sub("", _REASON.sub("", text).rstrip(" .;:!,"))
    shown = as_shown(text)
    if not shown or not 3 <= len(shown.split()) <= MAX_KEY_WORDS or shown.count("(") != shown.count(")"):
        return None
    first = shown.split()[0].lower()
    if (
        first in NOT_AN_ACT
        or not base_verb(first)
        or re.search(r"\b(?:before|prior to|as before)\b", shown, re.I)
    ):
        return None
    return shown


def prerequisites(ctx: Context, step: Step) -> list[Prerequisite]:
    """The step's "Y before X" sentences whose Y is an instruction and X an action."""
    out = []
    for s0, e0 in sentence_spans(step.text):
        sentence = step.text[s0:e0]
        text = clean(sentence).rstrip(" .;:!")
        m = _LATER_FIRST.match(text) or _ACT_FIRST.match(text)
        if not m:
            continue
        later = re.sub(r"\s*\([^()]*\)", "", _REASON.sub("", m.group("later"))).rstrip(" ,")
        if not _LATER_ACT.match(later) or _VAGUE_LATER.search(later) or re.search(r"\d", later):
            continue  # "before 2020", "before the meeting", "before proceeding": no act to put second
        if _OFFSET.search(m.group("act")):
            continue  # "5-10 min. before loading": when, not what, comes first
        act = _as_option(_DURATION.sub("", m.group("act")))
        if act and not (_content(act) <= _content(later)):
            out.append(Prerequisite(step, sentence, act, later))
    return out


def _sections(ctx: Context) -> tuple[dict[str, list[Step]], dict[int, int]]:
    """The steps of each section in order, and each step's index in its section: built once per SOP, so a
    long section costs linear time, not a scan of the document per "before" sentence."""
    cache = ctx.__dict__.get("_prerequisite_sections")
    if cache is None:
        by_section: dict[str, list[Step]] = {}
        for s in ctx.steps:
            by_section.setdefault(s.section_id, []).append(s)
        index = {id(s): i for steps in by_section.values() for i, s in enumerate(steps)}
        cache = ctx.__dict__["_prerequisite_sections"] = (by_section, index)
    return cache


def _doer(steps: list[Step], at: int, p: Prerequisite) -> int | None:
    """Index (in the section's steps) of the step that does X: one of the next LOOK_AHEAD steps sharing a
    word with X; None when X is not done nearby."""
    wanted = _content(p.later)
    for i in range(at + 1, min(len(steps), at + 1 + LOOK_AHEAD)):
        if wanted & _content(steps[i].text):
            return i
    return None


def _first_option(ctx: Context, step: Step) -> str | None:
    """The step's first sentence as an option (`_as_option`), computed once per step."""
    cache = ctx.__dict__.setdefault("_prerequisite_options", {})
    if id(step) not in cache:
        spans = sentence_spans(step.text)
        cache[id(step)] = _as_option(step.text[spans[0][0] : spans[0][1]]) if spans else None
    return cache[id(step)]


def prerequisite_choice(ctx: Context) -> Iterator[Candidate]:
    """Single choice: "Under this SOP, what must you do before adding to the qubit tube?" The key is the
    act the SOP puts first; the options are acts of steps after the one that does X (the nearest
    MAX_LATER of them: a skimmer confuses those, and the work stays linear in the section's length)."""
    by_section, index = _sections(ctx)
    for step in ctx.steps:
        for p in prerequisites(ctx, step):
            section = by_section[step.section_id]
            doer = _doer(section, index[id(step)], p)
            if doer is None:
                continue
            after = section[doer + 1 : doer + 1 + MAX_LATER]
            echo = _content(p.later)  # X's words: a later step that must also come before X is a key
            verb = _first_verb(p.act)
            others: list[str] = []
            for s in after:  # a later section may be a parallel method, where the same act comes first
                if re.search(r"\b(?:before|prior to)\b", s.text, re.I) and _content(s.text) & echo:
                    continue  # another thing to do before X: a second key
                option = _first_option(ctx, s)
                if not option or _first_verb(option) == verb:
                    continue
                if any(_content(option) == _content(o) for o in others):
                    continue
                others.append(option)
            if len(others) < MIN_OPTIONS:
                continue
            others.sort(key=lambda o: bool(find_values(o)))  # an option's value may be another question's key
            distractors = not_longest(p.act, others, MIN_OPTIONS)
            if stands_out(p.act, distractors):
                continue
            topic = ctx.topic(step)
            where = f' ("{topic}")' if topic and not (_content(topic) & _content(p.act)) else ""
            rng = ctx.rng("prerequisite_choice", step.id, p.sentence)
            options, idx = place_key(p.act, distractors, rng)
            yield Candidate(
                kind="prerequisite_choice",
                type=SingleChoice.name,
                stem=f"Under this SOP{where}, what must you do before {p.later}?",
                options=options,
                answer=idx,
                step=step,
                quote=p.sentence,
                quality=round(min(1.0, ctx.info(step).importance + 0.1), 3),
                rationale=f'{ctx.label(step)} says what must come first ("... before {p.later}"); the '
                "other options are steps the SOP places after it.",
                slot=f"before:{step.section_id}",  # one sequence question per section
                step_ids=[step.id, section[doer].id],
            )
            break
