"""What every question-type generator gets (a Context over one SopDocument) and gives back (Candidates)."""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from quizzes.text import clean, make_rng, requirement_words, sentence_spans, usable_step, words
from quizzes.value_text import ValueSpot, locate_value
from sops.model import CriticalValue, Rule, SopDocument, Step

GENERIC_HEADING = re.compile(
    r"(?:the\s+)?(?:procedures?|steps?|methods?|instructions?|protocol|process|general|overview|details?|"
    r"introduction.*|notes?|(?:executive )?summary.*|comments|recommendations|requirements?|"
    r"responsibilities|purpose|scope|background|how to.*|"
    r"lay of the land|etiquette|related .*|references?|appendix.*|checklist|tasks?)",
    re.IGNORECASE,
)
SAFETY_HEADING = re.compile(r"safety|hazard|warning|caution|danger|ppe|protective", re.IGNORECASE)


@dataclass
class Candidate:
    """A generated question before selection: a Question without an id, plus what selection needs."""

    kind: str  # generator name, e.g. "next_step"
    type: str  # one of quizzes.model.QUESTION_TYPES
    stem: str
    options: list[str]
    answer: Any
    step: Step  # the step it tests
    quote: str  # verbatim from step.text
    quality: float
    rationale: str
    slot: str = ""  # candidates sharing a slot are alternatives: at most one is selected
    step_ids: list[str] = field(default_factory=list)  # every step the question touches
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class StepInfo:
    importance: float
    reasons: list[str]


def rule_as_step(rule: Rule) -> Step:
    """A prose rule in the shape the question forms read; its id ("rule-3") is the question's source."""
    return Step(
        id=rule.id,
        number="",
        depth=0,
        section_id=rule.section_id,
        text=rule.text,
        actor=rule.actor,
        critical_values=list(rule.critical_values),
        conditions=[rule.condition] if rule.condition else [],
    )


class Context:
    """One SOP seen by the generators: usable steps, importance, seeded randomness."""

    def __init__(self, doc: SopDocument, seed: int = 0):
        self.doc = doc
        self.seed = seed
        self.steps = list(doc.steps)
        # what the question forms read: the steps, then the rules written outside any step (as steps of
        # their section without a number), so a rule in prose is asked like a step; sequences use steps only
        self.items = self.steps + [rule_as_step(r) for r in doc.prose_rules]
        self.position = {id(s): i for i, s in enumerate(self.items)}
        self._sections = {s.id: s for s in doc.sections}
        self._memo: dict[tuple, Any] = {}

    def rng(self, *parts: object) -> random.Random:
        return make_rng(self.seed, *parts)

    # ---------------------------------------------------------------- document structure

    def heading(self, step: Step) -> str:
        sec = self._sections.get(step.section_id)
        return clean(sec.heading).rstrip(" :;,.-") if sec and sec.heading else ""

    def section_kind(self, step: Step) -> str:
        sec = self._sections.get(step.section_id)
        return sec.kind if sec else "other"

    def topic(self, step: Step) -> str:
        """The section heading as the context a stem names ("Round Hatch Autoclave"), so that "Heat for
        ____ min" says what is heated; "" when the heading says nothing the stem does not (a generic
        "Procedure" or "Method", the document's own title, the step itself). Worked out once per section
        and step kind: the ambiguity check asks it for every value sentence of the SOP."""
        key = ("topic", step.section_id, self.heading_is_step(step))
        if key not in self._memo:
            self._memo[key] = self._topic(step)
        return self._memo[key]

    def _topic(self, step: Step) -> str:
        heading = re.sub(r"^\W*\d+(?:\.\d+)*\.?\s+(?=[A-Za-z])|[\s\u00b6#:]+$", "", self.heading(step))
        title = clean(self.doc.title or "").casefold()
        if (
            not heading
            or len(heading.split()) > 12
            or GENERIC_HEADING.fullmatch(heading)
            or heading.casefold() in title
            or self.heading_is_step(step)
        ):
            return ""
        return heading.capitalize() if heading.isupper() else heading

    def heading_is_step(self, step: Step) -> bool:
        """Is the section heading just the step itself ("### 3. Root Cause Analysis" holding that step)?"""
        key = ("heading_is_step", id(step))
        if key not in self._memo:
            self._memo[key] = self._heading_is_step(step)
        return self._memo[key]

    def _heading_is_step(self, step: Step) -> bool:
        h = re.sub(r"^[\W\d_]+", "", self.heading(step)).casefold()
        t = clean(step.text).rstrip(" .:").casefold()
        return bool(h) and bool(t) and (t in h or (h in t and len(h) >= 0.6 * len(t)))

    def label(self, step: Step) -> str:
        number = re.sub(r"^\W+|\W+$", "", step.number or "")
        if not number and step.id.startswith("rule-"):
            return "The rule"  # a sentence of the SOP's prose, not a numbered step ("Step rule-8")
        return f"Step {number}" if number else f"Step {step.id}"

    def parent_step(self, step: Step) -> Step | None:
        """The step a nested step sits under (its list's lead-in: "Cook to these core temperatures:"), or
        None for a top-level step or a prose rule."""
        if step.depth == 0 or id(step) not in self.position:
            return None
        for earlier in reversed(self.steps[: self.position[id(step)]]):
            if earlier.section_id != step.section_id:
                return None
            if earlier.depth < step.depth:
                return earlier
        return None

    def previous_step(self, step: Step) -> Step | None:
        """The step just before this one in its list (same section, same depth), or None for the first
        step of a list and for prose rules."""
        at = self.position.get(id(step))
        if at is None or at >= len(self.steps) or self.steps[at] is not step:
            return None
        for earlier in reversed(self.steps[:at]):
            if earlier.section_id != step.section_id or earlier.depth < step.depth:
                return None
            if earlier.depth == step.depth:
                return earlier
        return None

    def usable(self, step: Step) -> bool:
        key = ("usable", id(step))
        if key not in self._memo:
            self._memo[key] = usable_step(step)
        return self._memo[key]

    # ---------------------------------------------------------------- values and importance

    def value_spots(self, step: Step) -> list[ValueSpot]:
        """The step's values worth a question: each located in the text, none a container size, an
        estimate or an example (trainers reject those as trivia). A value many steps share is asked at
        most once per pool (selection) and ranks below the values that differ (`shared_value`)."""
        key = ("spots", id(step))
        if key not in self._memo:
            spots = []
            seen = set()
            for cv in step.critical_values[:MAX_VALUES_PER_STEP]:  # more is a list the parser did not split
                spot = locate_value(step, cv)
                if spot is None or (spot.num_start, spot.num_end) in seen:
                    continue
                seen.add((spot.num_start, spot.num_end))
                if worth_asking(step.text, spot):
                    spots.append(spot)
            self._memo[key] = spots
        return self._memo[key]

    def everywhere(self, cv: CriticalValue) -> bool:
        """Does this value recur in five or more steps (the one bleach strength of every sterilisation)?
        Reviewers rejected it as a blank each time: it is the SOP's constant, and what differs is asked."""
        return self._value_uses[_value_key(cv)] >= EVERYWHERE

    def shared_value(self, cv: CriticalValue) -> bool:
        """Does this value recur in three or more steps (the constant every wash shares)?"""
        return self._value_uses[_value_key(cv)] >= SHARED_CONSTANT

    @cached_property
    def _value_uses(self) -> Counter[tuple[float, str]]:
        """How many steps (and prose rules) give each value: a value in three or more is a shared constant
        ("spin for 1.5 min at 13,000 g" in every wash), and the value that differs is the one to ask."""
        return Counter(key for s in self.items for key in {_value_key(cv) for cv in s.critical_values})

    @cached_property
    def _values_by_unit(self) -> dict[str, list[float]]:
        out: dict[str, list[float]] = {}
        for step in self.items:
            for cv in step.critical_values:
                if cv.unit:
                    out.setdefault(cv.unit.strip().casefold(), []).append(cv.value)
        return out

    def sibling_values(self, unit: str, value: float, step: Step | None = None) -> list[float]:
        """The SOP's other values in this unit: the distractors a skimming learner would confuse. A
        percentage is a sibling only of percentages of the same thing ("10% bleach", "30% bleach"): a
        saturation, an ethanol and a bleach strength are different quantities, and "0.1 % water" where
        the SOP says "0 % water" tempts nobody."""
        unit = unit.strip().casefold()
        if unit == "%" and step is not None:
            what = self._percent_of(step, value)
            return [v for v, w in self._percents if v != value and w == what] if what else []
        return [v for v in self._values_by_unit.get(unit, []) if v != value]

    @cached_property
    def _percents(self) -> list[tuple[float, str]]:
        return [
            (cv.value, what)
            for item in self.items
            for cv in item.critical_values
            if cv.unit.strip() == "%" and (what := self._percent_of(item, cv.value))
        ]

    def _percent_of(self, step: Step, value: float) -> str:
        """The word a percentage qualifies in the step ("bleach" for "10% bleach"), "" if none."""
        for cv in step.critical_values:
            if cv.unit.strip() == "%" and cv.value == value and cv.text in step.text:
                after = step.text[step.text.find(cv.text) + len(cv.text) :]
                m = re.match(r"\s*(?:\(w/v\)\s*|v/v\s*)?([A-Za-z][\w-]+)", after)
                return m.group(1).casefold() if m else ""
        return ""

    @cached_property
    def _value_sentences(self) -> dict[str, list[tuple[Step, frozenset[str], float]]]:
        """unit -> (item, content words of the sentence without numbers, value) for every value spot."""
        out: dict[str, list[tuple[Step, frozenset[str], float]]] = {}
        for item in self.items:
            for spot in self.value_spots(item):
                for s0, e0 in sentence_spans(item.text):
                    if s0 <= spot.num_start < e0:
                        gist = frozenset(_gist(item.text[s0:e0]))
                        out.setdefault(spot.cv.unit.strip().casefold(), []).append(
                            (item, gist, spot.cv.value)
                        )
                        break
        return out

    def ambiguous_value(self, step: Step, spot: ValueSpot, sentence: str) -> bool:
        """Does another sentence of the SOP say (nearly) the same thing with another value in this unit
        ("Transfer 120 µL supernatant ..." and "Transfer 30 µL supernatant ...") in the same section, or in
        another when the stem cannot name its section? Then the blank has two defensible answers."""
        mine = frozenset(_gist(sentence))
        if len(mine) < 2:
            return False
        topic = self.topic(step)
        for item, gist, value in self._value_sentences.get(spot.cv.unit.strip().casefold(), []):
            if value == spot.cv.value or (item is step and gist == mine):
                continue
            if topic and item.section_id != step.section_id and self.topic(item) != topic:
                continue  # the stem names its section ("from 'Bucket Sterilization'"): the other is elsewhere
            if len(gist) >= 2 and len(mine & gist) / min(len(mine), len(gist)) >= 0.75:
                return True
        return False

    def info(self, step: Step) -> StepInfo:
        key = id(step)
        cache = self.__dict__.setdefault("_info", {})
        if key not in cache:
            cache[key] = self._compute_info(step)
        return cache[key]

    def _compute_info(self, step: Step) -> StepInfo:
        score = 0.35
        reasons: list[str] = []
        if step.warnings or re.search(r"\b(WARNING|CAUTION|DANGER)\b", step.text):
            score += 0.25
            reasons.append("a WARNING")
        spots = self.value_spots(step)
        if spots:
            score += 0.2
            vals = ", ".join(clean(s.cv.text) or str(s.cv.value) for s in spots[:2])
            reasons.append(f"a critical value ({vals})" if len(spots) == 1 else f"critical values ({vals})")
        req = requirement_words(step.text)
        if req:
            score += 0.15
            reasons.append(f"a requirement ('{req[0]}')")
        sec = self._sections.get(step.section_id)
        if self.section_kind(step) == "safety" or (sec and SAFETY_HEADING.search(sec.heading or "")):
            score += 0.1
            reasons.append("safety content")
        n = len(words(step.text))
        if n < 4:
            score -= 0.1
        elif n >= 15:
            score += 0.1
        elif n >= 8:
            score += 0.05
        return StepInfo(max(0.05, min(1.0, score)), reasons)

    def why(self, step: Step, what: str) -> str:
        """One-sentence rationale: what makes the step important, then what the question checks."""
        reasons = self.info(step).reasons
        if reasons:
            body = reasons[0] if len(reasons) == 1 else ", ".join(reasons[:-1]) + " and " + reasons[-1]
            return f"{self.label(step)} carries {body}; the question {what}."
        return f"{self.label(step)} is a procedure step; the question {what}."


SHARED_CONSTANT = 3
EVERYWHERE = 5
MAX_VALUES_PER_STEP = 12
_APPROX_BEFORE = re.compile(
    r"(?:~|\u2248|\babout|\bapprox(?:\.|imately)?|\baround|\bca\.|\broughly)\s*$", re.I
)
_CONTAINER_AFTER = re.compile(
    r"^\s*(?:[\w-]+\s+){0,2}?(?:tubes?|vials?|bottles?|flasks?|falcons?|beakers?|racks?|plates?|cuvettes?|"
    r"containers?|bags?|jars?|cups?|boxes|box|cartridges?|dish|dishes|petri|buckets?|carboys?)\b",
    re.IGNORECASE,
)
_EXAMPLE = re.compile(r"\b(?:for example|for instance|e\.g\.|such as|say)\b", re.IGNORECASE)


_GIST_STOP = frozenset(
    re.findall(
        r"\S+",
        "the a an of to in on at for and or is are be it you your this that with by from into then each all "
        "until before after",
    )
)


def _gist(sentence: str) -> list[str]:
    """Content words of a sentence, numbers and one-letter units left out: what it says, whatever value."""
    return [w for w in re.findall(r"[a-z][a-z-]+", sentence.lower()) if w not in _GIST_STOP and len(w) > 1]


def _value_key(cv: CriticalValue) -> tuple[float, str]:
    return (cv.value, cv.unit.strip().casefold())


def worth_asking(text: str, spot: ValueSpot) -> bool:
    """Is this value a limit, quantity or time the SOP attaches to something, rather than a container size
    ("a 0.5 mL tube rack"), an estimate ("about 10 min") or an example ("for example, 1 hour left")?"""
    before, after = text[: spot.start], text[spot.end :]
    if _APPROX_BEFORE.search(before) or _CONTAINER_AFTER.match(after):
        return False
    return not _EXAMPLE.search(text[max(0, spot.start - 80) : spot.end + 40])


def pick_distractors(
    key: str, tiers: list[list[str]], n: int, rng: random.Random, avoid: set[str] | None = None
) -> list[str]:
    """Up to n distinct distractor texts, taken tier by tier (shuffled within a tier).

    If the key would be strictly the longest option although a longer candidate exists, the last pick is
    swapped for a longer one, so the key is not systematically the longest option.
    """
    seen = {key.casefold()} | {a.casefold() for a in (avoid or set())}
    pool: list[str] = []
    for tier in tiers:
        t = [x for x in dict.fromkeys(tier) if x.casefold() not in seen]
        rng.shuffle(t)
        for x in t:
            if x.casefold() not in seen:
                seen.add(x.casefold())
                pool.append(x)
    return not_longest(key, pool, n)


def not_longest(key: str, candidates: list[str], n: int) -> list[str]:
    """The first n distractors, but when the key would be the longest option (or tie for it) and a later
    candidate is longer, the last one is swapped for it: "190 µL" among "2 µL" and "10 µL" is a cue."""
    picked = candidates[:n]
    if picked and len(key) >= max(len(p) for p in picked):
        longer = [c for c in candidates[n:] if len(c) > len(key)]
        if longer:
            picked[-1] = longer[0]
    return picked


def stands_out(key: str, distractors: list[str]) -> bool:
    """Is the key far longer than every distractor (a third longer and more), so that length gives it away?"""
    return bool(distractors) and len(key) > 1.3 * max(len(d) for d in distractors) + 3


def place_key(key: str, distractors: list[str], rng: random.Random) -> tuple[list[str], int]:
    options = [key, *distractors]
    rng.shuffle(options)
    return options, options.index(key)
