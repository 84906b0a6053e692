"""Section blocks -> `Rule`s: sentences that oblige, forbid, limit or condition, wherever they are written.

Most of what a new hire must certainly learn is not a numbered step: "If the spill is over 10 mL, tell the
safety officer", "Never leave dirty cloths overnight", "Report to the committee within 24 hours", "No more
than 200,000 records per file". Those sentences sit in responsibilities, warnings, monitoring, corrective
action, prerequisites, or plain prose, so rules are read from every section's paragraphs and list items,
and a rule remembers the step it sits in (when it does) so nothing is counted twice.
"""

from __future__ import annotations

import re

from sops.actions import base_verb, reads_like_action
from sops.actors import NOT_ROLE_OPENERS, find_actor, has_role_noun, present_verb, role_key, tidy_role
from sops.conditions import find_conditions
from sops.inline import clean_inline
from sops.model import Rule, Step
from sops.values import find_values

_PROHIBITION = re.compile(
    r"\b(?:never|do not|don['\u2019]t|must not|mustn['\u2019]t|shall not|should not|may not|cannot|"
    r"can['\u2019]t|not (?:be )?(?:permitted|allowed)|prohibited|forbidden|no one may)\b",
    re.IGNORECASE,
)
_LIMIT = re.compile(
    r"\b(?:at least|at most|no more than|no less than|not (?:more|less) than|not exceed|maximum|minimum|"
    r"within|up to|or (?:more|less|fewer|longer|shorter))\b",
    re.IGNORECASE,
)
_OBLIGATION = re.compile(
    r"\b(?:must|shall|is required|are required|required to|needs? to|have to|has to|only|always|ensure|"
    r"make sure|before|until|immediately|mandatory)\b",
    re.IGNORECASE,
)
_CONDITION = re.compile(r"^\W*(?:if|when|whenever|unless|in case|in the event|once|should)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?;])\s+(?=[A-Z(\"'])")
_NOT_A_RULE = re.compile(
    r"[?,:;]\s*$|\bthe following\b|\b(?:non-mandatory|recommendations?|hopefully|motto|especially)\b"
    r"|^\W*(?:see|refer to|for more|for example|e\.g\.|i\.e\.|this (?:document|procedure|sop|appendix)|our|"
    r"note that|it is (?:recommended|suggested|useful))\b"
    r"|\b(?:this (?:template|notice)|copyright|all rights reserved)\b",  # a template's footer
    re.IGNORECASE,
)
# table cells a PDF's text layer runs together ("98 Must be qubit specific", "MANUFACTURER QUANTITY REMARK")
_CELL_RUN = re.compile(
    r"(?:^|\S\s)\W*\d+\s+[A-Z][a-z]|\b[A-Z]{3,}\s+[A-Z]{3,}\s+[A-Z]{3,}|^\W*[a-z]"
    r"|\b[a-z]+\s+(?:Can|Must|Should|Shall|May|Needs)\b"
)
# "Can be substituted with generic", "Must be sterilized before use", "Optional, only needed ...": a table
# cell's remark, which a PDF's text layer gives as a line of prose; a sentence has a subject
_NO_SUBJECT = re.compile(
    r"^\W*(?:can|could|must|should(?!\s+(?:a|an|the|any|you|it|there|this)\b)|shall|may|will|needs?\s+to|"
    r"does\s+not|doesn['\u2019]t|is\s+not|are\s+not|not(?!\s+(?:all|every|any|more|less)\b)|optional)\b",
    re.IGNORECASE,
)
_RESPONSIBLE = re.compile(r"\b(?:is|are)\s+(?:responsible|accountable)\s+for\b", re.IGNORECASE)
# "If X, the QMO coordinates ...": an optional lead clause or adverb, an article, then the subject's words
_LEAD = re.compile(r"^(?:(?:if|when|once|after|before)\b[^,]{0,200},\s*|[A-Z][a-z]+,\s+)?(?:the\s+)?", re.I)
MIN_WORDS, MAX_WORDS = 4, 60
_ACTION_OPENERS = frozenset(
    re.findall(r"\S+", "use put place add wear keep store check make take turn open close")
)


def acting_role(sentence: str, roles: dict[str, str]) -> str | None:
    """The role the sentence makes its subject, e.g. "QMO" for "If immediate action is necessary, the QMO
    consults ...": one of `roles` (role key -> spelling) or a phrase ending in a role noun; else None."""
    lead = _LEAD.match(sentence)
    words = sentence[lead.end() if lead else 0 :].split()
    for n in range(1, min(5, len(words) - 1) + 1):
        subject = " ".join(words[:n])
        if "'" in subject or "\u2019" in subject or words[0].lower() in NOT_ROLE_OPENERS:
            return None
        if not present_verb(subject, words[n], words[n + 1] if n + 1 < len(words) else ""):
            continue
        known = roles.get(role_key(subject))
        if known:
            return known
        if has_role_noun(subject) and subject[:1].isupper():
            return tidy_role(subject)
    return None


def rule_kind(sentence: str, roles: dict[str, str] | None = None) -> str | None:
    """What the sentence asks: "prohibition", "condition", "limit", "obligation", "responsibility" (a role
    named as the one who does something), or None (not a rule)."""
    if _NOT_A_RULE.search(sentence) or _CELL_RUN.search(sentence) or _NO_SUBJECT.match(sentence):
        return None
    if _RESPONSIBLE.search(sentence) and find_actor(sentence):
        return "responsibility"
    if _PROHIBITION.search(sentence):
        return "prohibition"
    if _CONDITION.match(sentence) or find_conditions(sentence):
        return "condition" if _OBLIGATION.search(sentence) or _imperative_after(sentence) else None
    if _LIMIT.search(sentence) and find_values(sentence):
        return "limit"
    if _OBLIGATION.search(sentence):
        return "obligation"
    if roles and acting_role(sentence, roles):
        return "responsibility"
    return None


def _imperative_after(sentence: str) -> bool:
    """ "If X, do Y": a clause after the first comma that opens with a verb-like word."""
    _head, sep, tail = sentence.partition(",")
    return bool(sep) and bool(re.match(r"\s*(?:then\s+)?[a-z]+\b", tail)) and len(tail.split()) >= 2


_FORBIDDING_LEAD = re.compile(
    r"^\W*(?P<lead>(?:never|do not|don['\u2019]t)\s+[a-z][\w-]*(?:\s+[a-z][\w-]*){0,4})\s*:?\s*$",
    re.IGNORECASE,
)


def _forbidding_lead(text: str) -> str:
    """ "Never autoclave" for a heading "Never autoclave" or a lead-in "Do not pour down the drain:"."""
    m = _FORBIDDING_LEAD.match(clean_inline(text or ""))
    if not m:
        return ""
    lead = m.group("lead")
    return lead[:1].upper() + lead[1:]


def _listed_thing(text: str) -> bool:
    """A short noun phrase ("Household bleach", "Any liquid in a sealed container"), not an order ("Call
    the supervisor on duty" under "Do not panic")."""
    words = text.split()
    return (
        1 <= len(words) <= 15
        and not _OBLIGATION.search(text)
        and not _PROHIBITION.search(text)
        and words[0].lower() not in _ACTION_OPENERS
        and not reads_like_action(text, clean=False)
        and not base_verb(words[0])  # "Evacuate the building"
    )


def sentences_of(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def find_rules(
    blocks_by_section: list[tuple[str, list]],
    steps: list[Step],
    roles: list[str] | None = None,
    headings: dict[str, str] | None = None,
) -> list[Rule]:
    """Every rule sentence of the document, in document order, with the step that holds it (if any).

    `blocks_by_section` pairs a section id with its blocks (paragraphs, items, quotes; tables and code
    are not prose). A sentence is tied to a step when the step's text contains it. What follows a
    horizontal rule in the last section is a footer (a template's copyright notice), not a rule.
    `roles` are the SOP's roles: a sentence whose subject is one of them says who does what. A list of
    things under a forbidding heading or lead-in ("Never autoclave:" over "Household bleach") gives one
    prohibition per thing, "Never autoclave: Household bleach.", as the lesson shows the pair.
    """
    last = blocks_by_section[-1][0] if blocks_by_section else None
    prose: list[tuple[str, str]] = []  # (section id, sentence), split once
    for section_id, blocks in blocks_by_section:
        lead = _forbidding_lead((headings or {}).get(section_id, ""))
        for block in blocks:
            if block.kind == "rule" and section_id == last:
                break  # a rule in the document's last section opens its footer
            text = clean_inline(block.text)
            if block.kind == "item" and lead and _listed_thing(text):
                prose.append((section_id, f"{lead}: {text.rstrip(' .;')}."))  # "Never autoclave: bleach."
                continue
            if block.kind == "paragraph":
                lead = _forbidding_lead(text) if text.rstrip().endswith(":") else ""  # a lead-in says ":"
            if block.kind in ("paragraph", "item", "quote"):
                prose.extend((section_id, sentence) for sentence in sentences_of(text))
    known = {role_key(r): r for r in roles or []}
    for _section_id, sentence in prose:  # "The QMO is responsible for ...": a role wherever it is named,
        actor = find_actor(sentence) if _RESPONSIBLE.search(sentence) else None  # even where a format
        if actor:  # loses the participants table that lists it
            known.setdefault(role_key(actor), actor)
    rules: list[Rule] = []
    seen: set[str] = set()
    steps_in: dict[str, list[Step]] = {}
    for step in steps:
        steps_in.setdefault(step.section_id, []).append(step)
    for section_id, sentence in prose:
        words = sentence.split()
        if not MIN_WORDS <= len(words) <= MAX_WORDS:
            continue
        kind = rule_kind(sentence, known)
        key = " ".join(words).casefold()
        if kind is None or key in seen:
            continue
        seen.add(key)
        holder = next((s for s in steps_in.get(section_id, []) if sentence in s.text), None)
        conditions = find_conditions(sentence)
        rules.append(
            Rule(
                id=f"rule-{len(rules) + 1}",
                section_id=section_id,
                kind=kind,
                text=sentence,
                condition=conditions[0] if conditions else None,
                actor=find_actor(sentence) or acting_role(sentence, known),
                critical_values=find_values(sentence),
                step_id=holder.id if holder else None,
            )
        )
    return rules
