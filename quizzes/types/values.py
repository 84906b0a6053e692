"""Questions on critical values: fill in the number (numeric) and pick the right value (single_choice)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from quizzes.text import ValueSpot, alternative_values, clean, sentence_spans, spot_number, substitute_number
from quizzes.types.base import Candidate, Context, place_key
from sops.model import Step

BLANK = "____"
APPROX = re.compile(r"(~|≈|\bapprox\.?|\bapproximately|\babout|\baround|\bcirca|\bca\.)\s*$", re.IGNORECASE)


def spot_sentence(step: Step, spot: ValueSpot) -> tuple[int, int]:
    """Span of the sentence holding the value (widened to the whole value text if it crosses a boundary)."""
    for s, e in sentence_spans(step.text):
        if s <= spot.num_start < e:
            return s, max(e, spot.end)
    return 0, len(step.text)


def _blank(sentence: str, s0: int, a: int, b: int) -> str:
    """Blank sentence[a-s0 : b-s0] and every other standalone copy of that text in the sentence."""
    target = sentence[a - s0 : b - s0]
    out = sentence[: a - s0] + BLANK + sentence[b - s0 :]
    return re.sub(rf"(?<![\w.,]){re.escape(target)}(?![\w]|[.,]\d)", BLANK, out)


def _context(ctx: Context, step: Step, blanked: str) -> str:
    """What the value applies to when the sentence alone does not say it: a short sentence ("145 °F for
    15 seconds") gets the heading of its section, never a step number the learner has never seen."""
    h = ctx.heading(step)
    if len(blanked.split()) >= 7 or not h or ctx.heading_is_step(step):
        return ""
    return f' (under "{h}")'


def numeric(ctx: Context) -> Iterator[Candidate]:
    for step in ctx.items:
        for spot in ctx.value_spots(step):
            s0, e0 = spot_sentence(step, spot)
            sentence = step.text[s0:e0]
            blanked = clean(_blank(sentence, s0, spot.num_start, spot.num_end))
            if BLANK not in blanked:
                continue
            value = spot_number(step.text, spot)
            unit = spot.cv.unit
            approx = APPROX.search(step.text[max(0, spot.start - 16) : spot.start])
            shown = re.match(r"\s?[^\W\d_]|\s?[°%µμ\u00d7]", step.text[spot.num_end :])
            unit_hint = f" (in {unit})" if unit and not shown else ""
            where, quoted = _context(ctx, step, blanked), f'"{blanked}"'
            shared = 0.8 if ctx.shared_value(spot.cv) else 1.0  # the value that differs ranks first
            yield Candidate(
                kind="numeric",
                type="numeric",
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
            siblings = ctx.sibling_values(spot.cv.unit, value)
            alts = alternative_values(value, spot.cv.unit, like, spot.direction, 3, siblings)
            distractors = [clean(substitute_number(value_text, rel_a, rel_b, v)) + suffix for v in alts]
            distractors = [d for d in dict.fromkeys(distractors) if d != key]
            if len(distractors) < 2:
                continue
            blanked = clean(_blank(sentence, s0, vt_start, vt_end))
            if BLANK not in blanked:
                continue
            rng = ctx.rng("value_choice", step.id, spot.num_start)
            shared = 0.8 if ctx.shared_value(spot.cv) else 1.0
            options, idx = place_key(key, distractors, rng)
            yield Candidate(
                kind="value_choice",
                type="single_choice",
                stem=f"Which value completes this SOP instruction{_context(ctx, step, blanked)}?"
                f'\n"{blanked}"',
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
