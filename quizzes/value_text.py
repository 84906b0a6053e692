"""Values in SOP text for the question generators: where a value sits in a step, which way a limit points
("at least 5 min"), and the same sentence with another value written the way the SOP writes numbers.

Pure string work, like `quizzes.text`; nothing here knows about questions.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from quizzes.text import words
from sops.model import CriticalValue, Step

MINUS_SIGNS = "-\u2212\u2013"  # hyphen-minus, minus sign, en dash
NUMBER = re.compile(r"(?<![\w.,/])([-\u2212\u2013]?)(\d{1,3}(?:,\d{3})+(?![\d.,])|\d+(?:[.,]\d+)?)")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")


@dataclass(frozen=True)
class ValueSpot:
    """Where a critical value sits in a step: the value, its text span in step.text and its number span."""

    cv: CriticalValue
    start: int  # of cv.text in step.text
    end: int
    num_start: int  # of the number (with sign) in step.text
    num_end: int
    direction: str  # "min" (at least), "max" (no more than) or "exact"


def _parse_num(sign: str, digits: str) -> float:
    v = float(digits.replace(",", "") if _THOUSANDS.fullmatch(digits) else digits.replace(",", "."))
    return -v if sign else v


_LOWER = (
    "at least",
    "minimum of",
    "a minimum",
    "min.",
    "not less than",
    "no less than",
    "more than",
    "greater than",
    "above",
    "longer than",
    "over",
    "exceed",
    ">=",
    "≥",
    ">",
)
_UPPER = (
    "no more than",
    "not more than",
    "at most",
    "maximum of",
    "a maximum",
    "max.",
    "up to",
    "not exceed",
    "not to exceed",
    "never exceed",
    "less than",
    "fewer than",
    "below",
    "under",
    "within",
    "shorter than",
    "no longer than",
    "<=",
    "≤",
    "<",
)
_AFTER_LOWER = ("or more", "or longer", "or greater", "or above", "or higher", "minimum")
_AFTER_UPPER = ("or less", "or fewer", "or below", "or lower", "or shorter", "maximum")


def bound_direction(text: str, start: int, end: int) -> str:
    """Is the value at text[start:end] a lower limit ("min"), an upper limit ("max") or an exact value?"""
    before = text[max(0, start - 40) : start].lower()
    after = text[end : end + 20].lower().lstrip()
    for p in _AFTER_UPPER:
        if after.startswith(p):
            return "max"
    for p in _AFTER_LOWER:
        if after.startswith(p):
            return "min"
    best: tuple[int, str] | None = None
    # the phrase ending closest to the number wins; upper phrases first so "no more than" beats "more than"
    for phrases, kind in ((_UPPER, "max"), (_LOWER, "min")):
        for p in phrases:
            i = before.rfind(p)
            if i < 0:
                continue
            if p.isalpha() or " " in p:
                ok_left = i == 0 or not before[i - 1].isalnum()
                j = i + len(p)
                ok_right = j == len(before) or not before[j].isalnum()
                if not (ok_left and ok_right):
                    continue
            endpos = i + len(p)
            gap = before[endpos:]
            if len(words(gap)) > 3:
                continue
            if best is None or endpos > best[0]:
                best = (endpos, kind)
    return best[1] if best else "exact"


def locate_value(step: Step, cv: CriticalValue) -> ValueSpot | None:
    """Find a critical value in the step text; None when the text does not show it recognisably."""
    text = step.text
    candidates: list[tuple[int, int]] = []
    if cv.text and cv.text in text:
        i = text.find(cv.text)
        candidates.append((i, i + len(cv.text)))
    # fall back to the number itself
    for m in NUMBER.finditer(text):
        try:
            val = _parse_num(m.group(1), m.group(2))
        except ValueError:
            continue
        if math.isclose(val, cv.value) or math.isclose(abs(val), abs(cv.value)):
            candidates.append((m.start(), m.end()))
            break
    for s, e in candidates:
        for m in NUMBER.finditer(text, s, e):
            val = _parse_num(m.group(1), m.group(2))
            if math.isclose(val, cv.value) or math.isclose(abs(val), abs(cv.value)):
                ns, ne = m.start(), m.end()
                if not m.group(1) and cv.value < 0:
                    continue
                if m.group(1) and cv.value > 0:
                    ns += len(m.group(1))
                if in_range(text, ns, ne):
                    return None  # "2-8 °C", "3 to 4 s": one end of a range is not a value on its own
                return ValueSpot(cv, s, e, ns, ne, bound_direction(text, s, e))
    return None


_RANGE_BEFORE = re.compile(r"\d\s*(?:[-\u2013\u2212/]|to|and)\s*$")
_RANGE_AFTER = re.compile(r"\s*(?:[-\u2013\u2212/]|to|and)\s*\d")


def in_range(text: str, start: int, end: int) -> bool:
    """Is text[start:end] one end of a range or ratio ("2-8", "3 to 4", "1/2")?"""
    return bool(_RANGE_BEFORE.search(text[max(0, start - 8) : start]) or _RANGE_AFTER.match(text, end))


def spot_number(text: str, spot: ValueSpot) -> float:
    """The number as the step text writes it (sign included when it is part of the span)."""
    m = NUMBER.fullmatch(text[spot.num_start : spot.num_end])
    return _parse_num(m.group(1), m.group(2)) if m else spot.cv.value


def format_like(value: float, like: str) -> str:
    """Format `value` the way the number `like` is written (decimals, decimal comma, minus sign)."""
    sign_char = like[0] if like[:1] in MINUS_SIGNS else "-"
    body = like.lstrip(MINUS_SIGNS)
    if _THOUSANDS.fullmatch(body):
        return (sign_char if value < 0 else "") + f"{round(abs(value)):,}"
    comma = "," in body
    decimals = len(body.split(",")[-1] if comma else body.split(".")[-1]) if ("." in body or comma) else 0
    if decimals == 0 and not float(value).is_integer():
        decimals = 1 if abs(value) < 10 else 0
    s = f"{abs(value):.{decimals}f}"
    if comma:
        s = s.replace(".", ",")
    return (sign_char if value < 0 else "") + s


def _nice(x: float, integer: bool) -> float:
    if x == 0:
        return 0.0
    if integer:
        r = round(x)
        if abs(x) >= 20:
            mag = 10 ** (len(str(abs(int(r)))) - 2)
            r = round(x / mag) * mag
        return float(r)
    mag = 10 ** math.floor(math.log10(abs(x)))
    return round(x / mag, 1) * mag


_TEMP_UNITS = {"°c", "c", "degc", "℃", "°f", "f", "degrees c", "degrees celsius"}
_TEMPS_C = [-80.0, -20.0, 4.0, 20.0, 37.0, 56.0, 65.0, 95.0]


def alternative_values(
    value: float, unit: str, like: str, direction: str = "exact", n: int = 3, siblings: Sequence[float] = ()
) -> list[float]:
    """Plausible but wrong values in the same unit; for limits they lie on the wrong side of the limit.

    `siblings` are the other values the SOP itself gives in this unit: they come first, because a learner
    who skimmed the SOP confuses those (10 minutes for the incubation, 2 minutes for the UV), while a
    value made up by scaling is a last resort.
    """
    integer = "." not in like and "," not in like
    unit_l = unit.strip().lower()
    from_sop: list[float] = []
    for v in sorted(dict.fromkeys(siblings), key=lambda v: abs(math.log1p(abs(v)) - math.log1p(abs(value)))):
        if _reads_back(v, like):
            from_sop.append(v)
            if len(from_sop) >= 3 * n:  # the nearest few are enough; a long SOP has hundreds
                break
    raw: list[float] = list(from_sop)
    if direction == "min":
        raw += (
            [value * f for f in (0.5, 0.75, 0.25, 0.6, 0.9)]
            if value > 0
            else [value - d for d in (5, 10, 20, 1)]
        )
    elif direction == "max":
        raw += [value * f for f in (2, 1.5, 3, 4, 1.25)] if value > 0 else [value + d for d in (5, 10, 20, 1)]
    elif unit_l in _TEMP_UNITS:
        raw += [*sorted(_TEMPS_C, key=lambda t: abs(t - value)), value + 10, value - 10]
    elif unit_l == "ph":
        raw += [value + 1, value - 1, value + 2, value - 2, value + 0.5, value - 0.5]
    elif unit_l == "%":
        raw += [value - 20, value + 20, value / 2, value - 10, value + 10, value * 2, value / 10]
    else:
        raw += [value * f for f in (2, 0.5, 5, 10, 0.1, 3)] if value != 0 else [1, 2, 5]
    out: list[float] = []
    for r in raw:
        v = r if r in from_sop else _nice(r, integer)
        if (unit_l == "%" and not (0 < v <= 100)) or (unit_l == "ph" and not (0 <= v <= 14)):
            continue
        if value > 0 and v <= 0 and unit_l not in _TEMP_UNITS:
            continue
        if direction == "min" and not v < value:
            continue
        if direction == "max" and not v > value:
            continue
        if math.isclose(v, value) or any(math.isclose(v, o) for o in out):
            continue
        if format_like(v, like) == format_like(value, like):
            continue
        out.append(v)
        if len(out) == n:
            break
    return out


def _reads_back(value: float, like: str) -> bool:
    """Is `value`, written the way `like` is, still `value` (2.5 written like "10" would read 2)?"""
    shown = format_like(value, like).replace(",", ".").lstrip(MINUS_SIGNS)
    try:
        return math.isclose(float(shown), abs(value))
    except ValueError:
        return False


_NOUNS = (
    "minute hour second day week month year time cycle drop tube sample wash rinse inversion unit replicate"
)
_COUNT_NOUNS = {w: w + ("es" if w.endswith(("sh", "ch", "s", "x")) else "s") for w in _NOUNS.split(" ")}
_SINGULAR = {v: k for k, v in _COUNT_NOUNS.items()}


def agree(after: str, old: float, new: float) -> str:
    """Make the count noun after a number agree with its new value (1 minute -> 2 minutes)."""
    m = re.match(r"(\s*-?\s*)([A-Za-z]+)", after)
    if not m:
        return after
    word = m.group(2)
    low = word.lower()
    was_one, is_one = math.isclose(abs(old), 1.0), math.isclose(abs(new), 1.0)
    if is_one and not was_one and low in _SINGULAR:
        out = _SINGULAR[low]
    elif was_one and not is_one and low in _COUNT_NOUNS and not m.group(1).strip():
        out = _COUNT_NOUNS[low]
    else:
        return after
    if word.isupper() and len(word) > 1:
        out = out.upper()
    elif word[0].isupper():
        out = out.capitalize()
    return after[: m.start(2)] + out + after[m.end(2) :]


def substitute_number(text: str, a: int, b: int, new_value: float) -> str:
    """Replace the number text[a:b] by `new_value`, written like the original; the unit word agrees."""
    like = text[a:b]
    m = NUMBER.fullmatch(like)
    old = _parse_num(m.group(1), m.group(2)) if m else new_value
    return text[:a] + format_like(new_value, like) + agree(text[b:], old, new_value)


def replace_value(text: str, spot: ValueSpot, new_value: float) -> str:
    return substitute_number(text, spot.num_start, spot.num_end, new_value)
