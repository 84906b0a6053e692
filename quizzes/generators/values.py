"""Questions on critical values: fill in the number (numeric) and pick the right value (single_choice)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from quizzes.answers import Numeric, SingleChoice
from quizzes.generators.base import Candidate, Context, not_longest, place_key
from quizzes.text import clean, drop_pointers, sentence_spans, shorten
from quizzes.value_text import ValueSpot, alternative_values, spot_number, substitute_number
from sops.actions import reads_like_action
from sops.model import Step

BLANK = "____"
APPROX = re.compile(r"(~|≈|\bapprox\.?|\bapproximately|\babout|\baround|\bcirca|\bca\.)\s*$", re.IGNORECASE)


def spot_sentence(step: Step, spot: ValueSpot) -> tuple[int, int]:
    """Span of the sentence holding the value (widened to the whole value text if it crosses a boundary)."""
    for s, e in sentence_spans(step.text):
        if s <= spot.num_start < e:
            return s, max(e, spot.end)
    return 0, len(step.text)


_MARK = "\ue000"  # a blank while the sentence is cleaned: two "____" would read as Markdown bold


def _blank(sentence: str, s0: int, a: int, b: int) -> str:
    """Blank sentence[a-s0 : b-s0] and every other standalone copy of that text in the sentence (as
    `_MARK`; `blanked` turns it into the blank the learner sees)."""
    target = sentence[a - s0 : b - s0]
    out = sentence[: a - s0] + _MARK + sentence[b - s0 :]
    out = re.sub(rf"(?<![\w.,]){re.escape(target)}(?![\w]|[.,]\d)", _MARK, out)
    return re.sub(rf"{_MARK}(?=[^\W\d_]|[µμ])", _MARK + " ", out)  # "____sec" reads "____ sec"


def blanked(sentence: str, s0: int, a: int, b: int) -> str | None:
    """The sentence as a fill-in shows it (`as_shown`), with the value blanked."""
    shown = as_shown(_blank(sentence, s0, a, b))
    return shown.replace(_MARK, BLANK) if shown is not None else None


_LEAD_WORD = re.compile(
    r"^\W*(?:then|next|now|finally|afterwards|therefore|thus|hence|also|additionally)\b,?\s*", re.IGNORECASE
)
# "Solution: ", "Note: ": a label, not the subject ("Poultry: 165 °F" keeps its "Poultry:")
_LABEL = re.compile(
    r"^\W*(?:note|notes|solution|tip|hint|important|remember|action|procedure):\s+(?=\S)", re.I
)
# a sentence opening with its verb ("Shouldn't be done ...") or a word whose referent is elsewhere
_NEEDS_REFERENT = re.compile(
    r"^\W*(?:should(?:n['\u2019]t)?|must|can|could|will|would|is|are|was|were|has|have)\b"
    r"|^\W*(?:(?:if|when|once|because|as)\s+)?(?:it|this|that|these|those|they|they're|them|in this case|"
    r"in that case|if so|so|otherwise|but|and|or|also|even if|e\.g\.|i\.e\.)\b"
    r"|^\W*the\s+[a-z]+\s+then\b|^\W*[a-z]+\s+then\s+(?:needs?|must|should|is|are|has|have)\b"  # "The
    # sensor then needs ...": what came before is its condition
    r"|^\W*(?:generally|typically|usually|normally|often|in most cases)\b",  # a rule of thumb, not the rule
    re.IGNORECASE,
)
# a volume loaded into a trough or strip to pipette from (dead volume), a quick spin's speed: trivia
_TRIVIA = re.compile(
    r"^\W*load\b.*\b(?:trough|reservoir|strip)\b|\b(?:briefly|quick(?:ly)?)\s+spin|\bspin\s+(?:down|up)\b",
    re.IGNORECASE,
)
_SOFT_AFTER = re.compile(r"^\W*\w*\W*(?:or until|or so|or more if|or as needed)\b", re.IGNORECASE)
_EITHER_BEFORE = re.compile(r"(?:\d\s*[^\s\d]{0,6}|room temperature|ambient)\s+or\s+(?:at\s+)?$", re.I)
_EITHER_AFTER = re.compile(r"^\s*[^\s\d]{0,6}\s*or\s+[-\u2212\u2013]?\d")
_NAMED_BY_VALUE = re.compile(r"^\s*(?:saturation\s+)?(?:bath|water|solution|standard|calibration)\b", re.I)
_ELSEWHERE = re.compile(
    r"\b(?:this|these)\s+(?!sop\b|procedure\b|protocol\b|document\b|way\b|time\b)[a-z]+|\bsteps?\s+\d"
    r"|\bas (?:before|above|described|previously)\b|\bsee above\b|\bthe previous step\b",
    re.IGNORECASE,
)
_SAME = " (it fills every blank)"
SELF_CONTAINED_WORDS = 14  # a shorter step ("Transfer ____ µL of supernatant") is told by the one before
MIN_STEM_WORDS = 6  # "Heat for ____ min" says not what is heated: a value needs its subject


def as_shown(sentence: str) -> str | None:
    """The sentence as a fill-in shows it: a leading "Then"/label and "(See Figure 3)" asides dropped;
    None when it opens with a word whose referent is elsewhere ("This", "In this case")."""
    text = drop_pointers(_LABEL.sub("", _LEAD_WORD.sub("", clean(sentence))))  # "(See Figure 3)": not shown
    if _NEEDS_REFERENT.match(text):
        return None
    return text if text[1:2].isupper() else text[:1].upper() + text[1:]  # "dNTPs" stays


def under(ctx: Context, step: Step, fill: str) -> str | None:
    """What the instruction applies to: for a short nested item ("Poultry: ____ °F for 15 s" under "Cook
    foods to these core temperatures:") ' under "<the parent step>"', None when it has none; else the
    section it is in (' from "Bottle Sterilization"': "Allow to sit for ____ minutes" says not what sits),
    "" when the heading says nothing more or holds a number (it could show the key); and for a short step
    of a procedure the step before it, which says what "the supernatant" or "the caps" are."""
    if len(fill.split()) >= MIN_STEM_WORDS:
        topic = ctx.topic(step)
        where = f' from "{topic}"' if topic and not re.search(r"\d", topic) else ""
        before = ctx.previous_step(step) if len(fill.split()) < SELF_CONTAINED_WORDS else None
        shown = as_shown(before.text) if before is not None else None
        if (
            shown
            and len(shown.split()) >= 3
            and reads_like_action(fill.strip('"'))
            and reads_like_action(shown)
            and not before.critical_values  # it would show values: one of them may be another key
        ):
            where += f', after "{shorten(shown.rstrip(" .:;"), 100)}"'  # "Transfer ____ µL of supernatant"
        return where
    parent = ctx.parent_step(step)
    lead = as_shown(parent.text) if parent is not None else None
    if len(fill.split()) < 3 or not lead or len(lead.split()) < 4 or BLANK in lead:
        return None
    return f' under "{shorten(lead.rstrip(" .:"), 120)}"'


def askable(ctx: Context, step: Step, spot: ValueSpot, sentence: str, s0: int) -> bool:
    """Is this value a fair fill-in? Not inside parentheses (an aside), not soft ("5 min or until clear"),
    not a number the sentence also gives in another unit (every copy is blanked), and not ambiguous: no
    other sentence of the SOP says (nearly) the same with another value in this unit."""
    before = sentence[: spot.num_start - s0]
    if before.count("(") > before.count(")") or _TRIVIA.search(sentence):
        return False
    if _SOFT_AFTER.match(step.text[spot.end :]):
        return False
    if _EITHER_BEFORE.search(sentence[: spot.num_start - s0]) or _EITHER_AFTER.match(step.text[spot.end :]):
        return False  # "a -20 or -80 °C freezer": either is right, one half is no key
    if spot.cv.unit.strip() == "%" and _NAMED_BY_VALUE.match(step.text[spot.end :]):
        return False  # "the 100 % bath": the bath's name, not a limit
    if _ELSEWHERE.search(sentence):
        return False  # "Add 700 µL of this mastermix", "the mixture from step 13": its subject is elsewhere
    like = step.text[spot.num_start : spot.num_end]
    if ctx.everywhere(spot.cv):
        return False  # "10% bleach" in every sterilisation step: the SOP's constant, not what a step asks
    if ctx.shared_value(spot.cv) and any(
        not ctx.shared_value(other.cv)
        for other in ctx.value_spots(step)
        if other is not spot and s0 <= other.num_start < s0 + len(sentence)
    ):
        return False  # the constant every wash shares, beside the value that differs: ask that one
    copies = re.findall(rf"(?<![\d.,]){re.escape(like)}(?![\d])(\s?[^\W\d_]*)", sentence)
    if len(copies) > 1 and len({c.casefold() for c in copies}) > 1:  # "10 mM each" and "10mM Tris"
        return False  # "5 mL ... 5 min": blanking every "5" would blank another value
    return not ctx.ambiguous_value(step, spot, sentence)


def _balanced(text: str) -> bool:
    """ "____) and record the fluorescence": a stem cut inside parentheses reads as a fragment."""
    return text.count("(") == text.count(")") and not text.lstrip(' "').startswith(")")


def _near(value: float, key: float) -> bool:
    """A sibling value within a factor of 10 of the key: 105 µL (the whole eluate) is no slip for 2 µL."""
    if key == 0 or value == 0 or (key < 0) != (value < 0):
        return abs(value - key) <= 10
    return 0.1 <= value / key <= 10


def numeric(ctx: Context) -> Iterator[Candidate]:
    for step in ctx.items:
        for spot in ctx.value_spots(step):
            s0, e0 = spot_sentence(step, spot)
            sentence = step.text[s0:e0]
            if not askable(ctx, step, spot, sentence, s0):
                continue
            fill = blanked(sentence, s0, spot.num_start, spot.num_end)
            where = under(ctx, step, fill) if fill and BLANK in fill else None
            if fill is None or where is None or not _balanced(fill):
                continue
            value = spot_number(step.text, spot)
            unit = spot.cv.unit
            approx = APPROX.search(step.text[max(0, spot.start - 16) : spot.start])
            shown = re.match(r"\s?[^\W\d_]|\s?[°%µμ\u00d7]", step.text[spot.num_end :])
            unit_hint = f" (in {unit})" if unit and not shown else ""
            if fill.count(BLANK) > 1:
                unit_hint += " (the same in every blank)"  # "more than ____ samples ... every ____ samples"
            quoted = f'"{fill}"'
            shared = 0.8 if ctx.shared_value(spot.cv) else 1.0  # the value that differs ranks first
            yield Candidate(
                kind="numeric",
                type=Numeric.name,
                stem=f"Fill in the missing value{unit_hint} in this SOP instruction{where}:\n{quoted}",
                options=[],
                answer={"value": value, "unit": unit, "tolerance": 0},
                step=step,
                quote=sentence,
                quality=round(min(1.0, ctx.info(step).importance * (0.6 if approx else 1.05) * shared), 3),
                rationale=ctx.why(step, f"asks for the value {clean(spot.cv.text) or value}"),
                slot=f"numeric:{step.id}:{spot.num_start}",
                step_ids=[step.id],
                extra={"values": [[spot.cv.value, spot.cv.unit.strip().casefold()]]},
            )


def value_choice(ctx: Context) -> Iterator[Candidate]:
    """Single choice: the step with its value blanked, options are values in the same unit."""
    for step in ctx.items:
        for spot in ctx.value_spots(step):
            s0, e0 = spot_sentence(step, spot)
            sentence = step.text[s0:e0]
            if not askable(ctx, step, spot, sentence, s0):
                continue
            like = step.text[spot.num_start : spot.num_end]
            if (
                spot.start <= spot.num_start
                and spot.end >= spot.num_end
                and spot.end - spot.start > len(like)
            ):
                vt_start, vt_end = spot.start, spot.end
                suffix = ""
            else:
                vt_start, vt_end = spot.num_start, spot.num_end
                suffix = f" {spot.cv.unit}" if spot.cv.unit else ""
            value_text = step.text[vt_start:vt_end]
            key = clean(value_text) + suffix
            rel_a, rel_b = spot.num_start - vt_start, spot.num_end - vt_start
            # a distractor must be wrong: for "at least 70%" below 70, for "no more than 5 min" above 5
            value = spot_number(step.text, spot)
            siblings = [v for v in ctx.sibling_values(spot.cv.unit, value, step) if _near(v, value)]
            if len(set(siblings)) < 2:
                continue  # options made by halving and doubling the key tempt nobody who read the SOP
            alts = alternative_values(value, spot.cv.unit, like, spot.direction, 6, siblings)
            alts = [v for v in alts if v in siblings]  # only the SOP's own values: 1100 nm is no light
            distractors = [clean(substitute_number(value_text, rel_a, rel_b, v)) + suffix for v in alts]
            distractors = not_longest(key, [d for d in dict.fromkeys(distractors) if d != key], 3)
            if len(distractors) < 2:
                continue
            fill = blanked(sentence, s0, vt_start, vt_end)
            where = under(ctx, step, fill) if fill and BLANK in fill else None
            if fill is None or where is None or not _balanced(fill):
                continue
            rng = ctx.rng("value_choice", step.id, spot.num_start)
            same = _SAME if fill.count(BLANK) > 1 else ""
            shared = 0.8 if ctx.shared_value(spot.cv) else 1.0
            options, idx = place_key(key, distractors, rng)
            yield Candidate(
                kind="value_choice",
                type=SingleChoice.name,
                stem=f'Which value completes this SOP instruction{where}{same}?\n"{fill}"',
                options=options,
                answer=idx,
                step=step,
                quote=sentence,
                quality=round(ctx.info(step).importance * 0.95 * shared, 3),
                rationale=ctx.why(step, f"asks which value the SOP specifies ({clean(spot.cv.text) or key})"),
                slot=f"choice:{step.id}",
                step_ids=[step.id],
                extra={
                    "direction": spot.direction,
                    "values": [[spot.cv.value, spot.cv.unit.strip().casefold()]],
                },
            )
