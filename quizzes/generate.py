"""Turn a parsed SOP into a traceable quiz: overgenerate candidates, score them, select a varied set.

    generate_questions(doc, count=10, seed=0) -> list[Question]

Deterministic for a given (doc, count, seed). Every question carries a Source whose quote occurs verbatim in
the text of the step it tests, a quality score (0-1) and a one-sentence rationale.
"""

from __future__ import annotations

import re
from collections import Counter

from quizzes.answers import answer_type
from quizzes.generators import GENERATORS, Candidate, Context
from quizzes.model import QUESTION_TYPES, Question, Source
from quizzes.quality import rescore, supported
from quizzes.text import make_rng
from sops.model import SopDocument, Step
from sops.values import find_values

MIN_QUALITY = 0.1


def candidates(
    doc: SopDocument,
    seed: int = 0,
    kinds: list[str] | None = None,
) -> list[Candidate]:
    """Every valid candidate question for the SOP (before selection), in generator order."""
    ctx = Context(doc, seed)
    out: list[Candidate] = []
    for name, gen in GENERATORS.items():
        if kinds is not None and name not in kinds:
            continue
        out.extend(rescore(c) for c in gen(ctx) if valid(c) and supported(c))
    return out


def valid(c: Candidate) -> bool:
    """Structural rules every question must meet; a candidate that breaks one is dropped, never repaired."""
    if c.type not in QUESTION_TYPES or not c.stem.strip() or c.quality < MIN_QUALITY:
        return False
    if not c.quote.strip() or c.quote not in c.step.text:
        return False
    opts = c.options
    if any(not o.strip() for o in opts) or len({o.strip().casefold() for o in opts}) != len(opts):
        return False
    if any("all of the above" in o.lower() or "none of the above" in o.lower() for o in opts):
        return False
    return answer_type(c.type).drafted_ok(opts, c.answer)


def _select(cands: list[Candidate], count: int, seed: int, doc: SopDocument) -> list[Candidate]:
    rng = make_rng(seed, "select", len(cands))
    jitter = [rng.random() * 0.06 for _ in cands]
    order = sorted(range(len(cands)), key=lambda i: -(cands[i].quality + jitter[i]))
    n_sections = len({s.section_id for s in doc.steps}) or 1
    chosen: list[int] = []
    used_slots: set[str] = set()
    step_use: Counter[str] = Counter()
    section_use: Counter[str] = Counter()
    type_use: Counter[str] = Counter()
    kind_use: Counter[str] = Counter()
    balance = [answer_type(c.type).balance_key(c.answer) for c in cands]
    balanced: dict[str, Counter] = {c.type: Counter() for c in cands}
    kind_steps: dict[str, set[str]] = {}
    used_signatures: set[tuple] = set()
    used_facts: set[str] = set()  # one question per fact: a sentence of the SOP is tested once
    signatures = [_signature(c) for c in cands]  # computed once: the loop below visits each many times
    touches = [_pair_key(c) for c in cands]
    facts = [" ".join(c.quote.split()).casefold() for c in cands]
    values = [{(v[0], v[1]) for v in c.extra.get("values", [])} for c in cands]
    used_values: set[tuple[float, str]] = set()
    shown_values: set[tuple[float, str]] = set()  # values the chosen stems show
    mentioned = [_stem_values(c, values[i]) for i, c in enumerate(cands)]
    families = [_family(c.kind) for c in cands]
    while len(chosen) < count:
        best, best_score = None, float("-inf")
        for i in order:
            c = cands[i]
            if c.slot in used_slots or signatures[i] in used_signatures or facts[i] in used_facts:
                continue
            if values[i] & used_values:
                continue  # a value is asked once per pool, however many sentences repeat it
            if values[i] & shown_values or mentioned[i] & used_values:
                continue  # one stem would show the other's key ("... in 98% ethanol" beside "____% ethanol")
            touched = touches[i]
            overlap = 1 if families[i] == "roles" else 2  # a task matched to its role is asked once
            if touched and len(touched & kind_steps.get(families[i], set())) >= overlap:
                continue  # overlaps a chosen question of the same family (same steps, same skill)
            score = c.quality + jitter[i]
            uses = step_use[c.step.id]
            score += 0.35 if uses == 0 else -0.15 * uses
            if section_use[c.step.section_id] == 0 and n_sections > 1:
                score += 0.15
            score += 0.12 if type_use[c.type] == 0 else -0.1 * type_use[c.type]
            score -= 0.06 * kind_use[c.kind]
            if balance[i] is not None:  # e.g. as many true as false statements
                kept = balanced[c.type]
                diff = 2 * kept[balance[i]] - sum(kept.values())
                score += 0.05 if diff < 0 else (-0.3 if diff > 0 else 0)
            if score > best_score:
                best, best_score = i, score
        if best is None:
            break
        c = cands[best]
        chosen.append(best)
        used_slots.add(c.slot)
        used_signatures.add(signatures[best])
        used_facts.add(facts[best])
        used_values |= values[best]
        shown_values |= mentioned[best]
        kind_steps.setdefault(families[best], set()).update(touches[best])
        step_use[c.step.id] += 1
        section_use[c.step.section_id] += 1
        type_use[c.type] += 1
        kind_use[c.kind] += 1
        if balance[best] is not None:
            balanced[c.type][balance[best]] += 1
    return [cands[i] for i in chosen]


def _stem_values(c: Candidate, asked: set[tuple[float, str]]) -> set[tuple[float, str]]:
    """The SOP values (value, unit) the candidate's stem and options show besides the one it asks: every
    value of its step, found as a number followed by its unit."""
    shown = set()
    text = " ".join([c.stem, *c.options])
    for cv in c.step.critical_values:
        key = (cv.value, cv.unit.strip().casefold())
        if key in asked or not cv.unit.strip():
            continue
        number = f"{cv.value:g}"
        if re.search(rf"(?<![\d.,]){re.escape(number)}\s?{re.escape(cv.unit.strip())}", text, re.IGNORECASE):
            shown.add(key)
    return shown


_FAMILIES = {"who_does": "roles"}


def _signature(c: Candidate) -> tuple:
    """Identical wording = the same question (SOPs repeat steps verbatim in parallel sub-procedures)."""
    return (c.type, " ".join(c.stem.split()).casefold(), tuple(o.casefold() for o in c.options))


def _family(kind: str) -> str:
    return _FAMILIES.get(kind, kind)


def _pair_key(c: Candidate) -> set[str]:
    return set(c.step_ids) if _family(c.kind) == "roles" else set()


def _covers(c: Candidate) -> list[str]:
    """The steps whose content the key tests (bench coverage): the source step."""
    return [c.step.id]


def _to_question(qid: str, c: Candidate) -> Question:
    step_ids = list(dict.fromkeys([c.step.id, *c.step_ids]))
    extra = {"kind": c.kind, "step_ids": step_ids, "covers": _covers(c), **c.extra}
    return Question(
        id=qid,
        type=c.type,
        stem=c.stem,
        options=list(c.options),
        answer=c.answer,
        source=Source(step_id=c.step.id, section_id=c.step.section_id, quote=c.quote),
        quality=round(max(0.0, min(1.0, c.quality)), 3),
        rationale=c.rationale,
        extra=extra,
    )


def generate_questions(doc: SopDocument, count: int = 10, seed: int = 0) -> list[Question]:
    """Up to `count` questions for the SOP: important steps first, covering many steps, sections and types.

    Returned in document order of the step each question tests; ids q1, q2, ... in that order. A tiny SOP
    may yield fewer than `count` questions: nothing is padded.
    """
    if count <= 0 or not doc.steps:
        return []
    cands = candidates(doc, seed)
    picked = _select(cands, count, seed, doc)
    position = {id(s): i for i, s in enumerate(doc.steps)}
    kind_rank = {k: i for i, k in enumerate(GENERATORS)}
    picked.sort(key=lambda c: (position.get(id(c.step), 0), kind_rank.get(c.kind, 99)))
    return [_to_question(f"q{n}", c) for n, c in enumerate(picked, 1)]


def alternatives(doc: SopDocument, step_id: str, seed: int = 0) -> list[Question]:
    """Every question the generator can draft from one step (or prose rule), best first: what a trainer's
    "Regenerate" offers in place of a question on that step, whatever the pool selected."""
    found = [c for c in candidates(doc, seed) if c.step.id == step_id]
    found.sort(key=lambda c: -c.quality)
    return [_to_question(f"alt{n}", c) for n, c in enumerate(found, 1)]


def asked_values(question_type: str, options: list[str], answer: object) -> set[tuple[float, str]]:
    """The values (value, unit) a question's key gives: a numeric answer, or the numbers of the chosen
    option of a single choice."""
    return answer_type(question_type).key_values(options, answer)


def shown_values(stem: str, options: list[str]) -> set[tuple[float, str]]:
    """The values (value, unit) a question's text shows, stem and options."""
    return {(v.value, v.unit.strip().casefold()) for v in find_values(" ".join([stem, *options]))}


Shown = tuple[str, list[str], str, object]  # a question as the learner sees it: stem, options, type, answer


def gives_away(question: Shown, others: list[Shown]) -> bool:
    """Would `question` and one of `others` give each other's key away: one shows the value the other
    asks, anywhere in its stem or options? Pool selection checks this for the values of each question's
    own step; a regenerated question is held to it for every value it shows."""
    stem, options, question_type, answer = question
    asked = asked_values(question_type, options, answer)
    shown = shown_values(stem, options) - asked
    for other_stem, other_options, other_type, other_answer in others:
        theirs = asked_values(other_type, other_options, other_answer)
        if asked & shown_values(other_stem, other_options) or shown & theirs:
            return True
    return False


def sources(doc: SopDocument) -> dict[str, Step]:
    """Everything a question may cite, by id: the steps, and the rules written outside them ("rule-3")."""
    return {s.id: s for s in Context(doc).items}


MIN_POOL, MAX_POOL = 8, 40
ATTEMPT_SIZE = 12  # an attempt draws this many questions from a larger pool


def pool_size(doc: SopDocument) -> int:
    """How many questions to draft: one per step the SOP has (a fixed 12 left most must-learn items of a long
    SOP untested), within 8-40; selection stops earlier when the SOP has fewer facts worth asking."""
    return max(MIN_POOL, min(MAX_POOL, len(doc.steps)))


def draft_pool(doc: SopDocument, seed: int = 0) -> list[Question]:
    """The pool the app drafts on upload, and `sop-lms generate-quiz FILE` prints without --count."""
    return generate_questions(doc, count=pool_size(doc), seed=seed)
