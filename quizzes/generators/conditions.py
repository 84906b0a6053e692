"""Decision questions: *when* does the SOP call for an action ("If the leak does not stop, abort the run")?

A scenario cut from an "if" sentence and asked as "what do you do?" was rejected by every reviewer (0 of
66, bench/ratings/): most actions of a section are also right in the situation, so the key was never the
only defensible one. Asked the other way round, the question has one key: the action is specific, and the
options are the conditions the SOP attaches to *other* actions nearby, which a learner who skimmed
confuses ("If there is a leak" is when you tighten the hatch, not when you abort) and one who read does
not. An action the SOP also calls for under another listed condition is not asked.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from quizzes.answers import SingleChoice, TrueFalse
from quizzes.generators.base import Candidate, Context, not_longest, place_key, stands_out
from quizzes.text import clean, drop_pointers, sentence_spans
from sops.actions import base_verb
from sops.model import Step

# "If X, do Y" / "When X then Y": the condition first; "Do Y if X": the condition last
_LEADING = re.compile(
    r"^\W*(?P<cond>(?:if|when|whenever|once|in case)\b[^,;:()]{6,140}?)\s*(?:,\s*(?:then\s+)?|\s+then\s+)"
    r"(?P<act>[a-z].{8,})$",
    re.IGNORECASE,
)
_TRAILING = re.compile(
    r"^\W*(?P<act>[A-Z][^,;:()]{8,140}?)\s+(?P<cond>(?:if|when|whenever)\b[^,;:()]{6,140})$"
)
_MODAL = re.compile(r"^you\s+(?P<modal>must|should|need to|have to|will need to)\s+(?P<rest>[a-z].*)$", re.I)
# a condition that points elsewhere ("If so", "If this is not possible") or says nothing ("When finished")
_VAGUE = re.compile(
    r"\b(?:so|this|that|these|those|it|necessary|needed|required|possible|applicable|finished|done|"
    r"ready|appropriate|desired|any questions|reading this|good|ok|okay|fine)\b|[?\"\u201c\u201d]",
    re.IGNORECASE,
)
_ANAPHORA = re.compile(r"\b(?:it|its|this|that|these|those|they|them|their|there|above|below|same)\b", re.I)
_STOP = frozenset(
    re.findall(
        r"\S+",
        "the a an of to in on at for and or is are be you your with by from if when whenever once case then "
        "than has have had all any using used immediately complete completed there",
    )
)
_FEW = frozenset(re.findall(r"\S+", "the and you your with from when whenever once then than there"))
# no act to test ("have a timeline", "know what was compromised") or one that only points on ("continue")
NOT_AN_ACT = frozenset(
    re.findall(
        r"\S+",
        "have know feel see need want try continue proceed repeat refer follow let get recommend suggest",
    )
)
_NEGATION = re.compile(r"\b(?:not|no|never|cannot)\b|n['\u2019]t\b", re.IGNORECASE)
MIN_OPTIONS = 3


@dataclass(frozen=True)
class Decision:
    step: Step
    sentence: str  # verbatim from step.text
    condition: str  # as an option shows it: "If the leak does not stop"
    question: str | None  # "when do you abort the run ..."; None when what follows is no order
    act: str  # what is done, as "you ..." continues it: "abort the run ...", "must notify the QMO"
    said: frozenset[str]  # content words of what the sentence has done under the condition


@lru_cache(maxsize=4096)
def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z]{3,}", text.lower()) if w not in _FEW)


@lru_cache(maxsize=4096)
def _content(text: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z]{3,}", text.lower()) if w not in _STOP)


def _stems(words: set[str]) -> set[str]:
    """Crude stems, enough to see that "If you are retiring" echoes "Retirement FAQ"."""
    return {w[:5] for w in words}


def _alike(a: str, b: str) -> bool:
    """Do two conditions say (nearly) the same ("When the cycle is complete", "When sterilization is
    complete")? Unless one negates what the other says ("If there is a leak", "If the leak does not
    stop"): that contrast is the decision the question tests."""
    ca, cb = _words(a), _words(b)
    if not ca or not cb:
        return True
    if bool(_NEGATION.search(a)) != bool(_NEGATION.search(b)):
        return ca == cb
    return len(ca & cb) * 2 >= min(len(ca), len(cb))


def _when_question(act: str) -> str | None:
    """ "abort the run" -> "when do you abort the run"; "you must notify X" -> "when must you notify X";
    None when the clause is no instruction to the reader (a statement, a passive, a possibility)."""
    act = re.sub(r"^please\s+", "", act.rstrip(" .;:!"), flags=re.IGNORECASE)
    modal = _MODAL.match(act)
    if modal:
        rest = modal.group("rest")
        if not base_verb(rest.split()[0].lower()):
            return None
        word = modal.group("modal").lower()
        if word in ("must", "should"):
            return f"when {word} you {rest}"
        return (
            f"when do you {word.replace('will ', '')} {rest}"
            if word != "will need to"
            else f"when do you need to {rest}"
        )
    first = act.split()[0].lower()
    if first in NOT_AN_ACT or not base_verb(first):
        return None
    return f"when do you {first}{act[len(first) :]}"


def decisions(ctx: Context) -> list[Decision]:
    """Every "if X, ..." of the SOP whose condition stands on its own, with the question it answers when
    what follows is an order to the reader (the other conditions are options, never keys)."""
    cache = ctx.__dict__.get("_decisions")
    if cache is not None:
        return cache
    found: list[Decision] = []
    for step in ctx.items:
        for s0, e0 in sentence_spans(step.text):
            sentence = step.text[s0:e0]
            text = clean(sentence).rstrip(" .;:!")
            m = _LEADING.match(text) or _TRAILING.match(text)
            if not m:
                continue
            cond = " ".join(m.group("cond").split())
            act = drop_pointers(m.group("act").strip())
            if _VAGUE.search(cond) or not _content(cond) or not 3 <= len(cond.split()) <= 16:
                continue
            question = _when_question(act[:1].lower() + act[1:])
            if (
                question is None
                or not 7 <= len(question.split()) <= 30
                or question.split()[-1] in ("see", "to", "that", "whether", "if", "for", "of", "is")
                or _ANAPHORA.search(" ".join(act.split()[:4]))
                or act.count("(") != act.count(")")
            ):
                question = None
            said = frozenset(_content(act))
            done = re.sub(
                r"^when (?:do you |(must|should) you )",
                lambda m: f"{m.group(1)} " if m.group(1) else "",
                question or "",
            )
            found.append(Decision(step, sentence, cond[:1].upper() + cond[1:], question, done, said))
    ctx.__dict__["_decisions"] = found
    return found


_DECISION = re.compile(r"^(?:if|in case|in the event|unless)\b", re.IGNORECASE)
NEARBY_SECTIONS = 1  # distractors come from the step's section or the sections next to it
NEAREST = 40  # and from its nearest decisions: a long SOP's far ones tempt nobody (and cost time)


def condition_choice(ctx: Context) -> Iterator[Candidate]:
    """Single choice: "Under this SOP, when do you abort the run ...?" The key is an "If ..." of the SOP,
    the options are the SOP's other "If ..." conditions near it (same section first). "Once"/"When"
    clauses are neither: they time a step in a sequence, and reviewers rejected them as forced order; a
    condition from far away in the document tempts nobody; one whose words are the section's own
    ("If no RO is available" under "Method (RO Not Available)") is the section's condition, so no
    distractor. One question per section: two would share options and key each other."""
    found = [d for d in decisions(ctx) if _DECISION.match(d.condition)]
    order = {s.id: i for i, s in enumerate(ctx.doc.sections)}
    for at, d in enumerate(found):
        if d.question is None or re.search(r"\d", d.condition):
            continue  # a limit in the condition ("longer than 3 hours") is asked as a value
        asked = _content(d.question)
        heading = _stems(_content(ctx.heading(d.step)))
        here = order.get(d.step.section_id, 0)
        others: list[str] = []
        window = found[max(0, at - NEAREST) : at + NEAREST + 1]  # in document order: the nearest are here
        near = [o for o in window if abs(order.get(o.step.section_id, 0) - here) <= NEARBY_SECTIONS]
        nearest = heapq.nsmallest(
            NEAREST,
            near,
            key=lambda o: (
                o.step.section_id != d.step.section_id,
                abs(ctx.position.get(id(o.step), 0) - ctx.position.get(id(d.step), 0)),
            ),
        )
        for o in nearest:
            if o.sentence == d.sentence or _alike(o.condition, d.condition):
                continue  # the same condition
            if asked <= o.said | _content(o.condition):
                continue  # the same action under another condition: two keys
            if any(_alike(o.condition, x) for x in others) or _stems(_content(o.condition)) & heading:
                continue
            others.append(o.condition)
            if len(others) == MIN_OPTIONS:
                break
        if len(others) < MIN_OPTIONS - 1:
            continue
        if _stems(_content(d.condition)) & _stems(asked):
            continue  # the key repeats a word of the action ("If you are retiring": "Retirement FAQ"): a cue
        distractors = not_longest(d.condition, others, MIN_OPTIONS)
        if stands_out(d.condition, distractors):
            continue
        rng = ctx.rng("condition_choice", d.step.id, d.sentence)
        options, idx = place_key(d.condition, distractors, rng)
        yield Candidate(
            kind="condition_choice",
            type=SingleChoice.name,
            stem=f"Under this SOP, {d.question}?",
            options=options,
            answer=idx,
            step=d.step,
            quote=d.sentence,
            quality=round(min(1.0, ctx.info(d.step).importance + 0.1), 3),
            rationale=f'{ctx.label(d.step)} gives a decision ("{d.condition}, ..."); the question asks '
            "in which situation the SOP calls for this action.",
            slot=f"when:{d.step.section_id}",  # one question per section
            step_ids=[d.step.id],
        )


def condition_swap(ctx: Context) -> Iterator[Candidate]:
    """True/false on a decision of the SOP whose section gives another: "If there is a leak, you abort the
    run" is false (you tighten the hatch; you abort if the leak does not stop). The false statement joins
    one branch's condition to the other branch's action, as the SOP words both; the true one is the
    branch as written. One per section, true or false as the seed falls."""
    found = [d for d in decisions(ctx) if _DECISION.match(d.condition) and d.question]
    in_section: dict[str, list[Decision]] = {}
    for d in found:
        in_section.setdefault(d.step.section_id, []).append(d)
    for d in found:
        if re.search(r"\d", d.condition) or _stems(_content(d.condition)) & _stems(_content(d.act)):
            continue
        sibling = next(
            (
                o
                for o in in_section[d.step.section_id]
                if o.sentence != d.sentence
                and not _alike(o.condition, d.condition)
                and not (_content(o.act) <= d.said or _content(d.act) <= o.said)  # two different acts
                and not re.search(r"\d", o.condition)
            ),
            None,
        )
        if sibling is None:
            continue
        truth = ctx.rng("condition_swap", d.step.id, d.sentence).random() < 0.5
        condition = (d if truth else sibling).condition
        stem = f"True or false? Under this SOP, {condition[:1].lower() + condition[1:]}, you {d.act}."
        yield Candidate(
            kind="condition_swap",
            type=TrueFalse.name,
            stem=stem,
            options=["True", "False"],
            answer=truth,
            step=d.step,
            quote=d.sentence,
            quality=round(min(1.0, ctx.info(d.step).importance + 0.1), 3),
            rationale=f'{ctx.label(d.step)} gives a decision with a sibling ("{d.condition}" / '
            f'"{sibling.condition}"); the question asks which situation the action belongs to.',
            slot=f"when:{d.step.section_id}",  # one decision asked per section
            step_ids=[d.step.id, sibling.step.id],
            extra={"falsification": None if truth else "condition"},
        )
