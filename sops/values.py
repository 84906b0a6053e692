"""Critical values: numbers with units (temperatures, durations, volumes, concentrations, speeds ...).

These are what a trainee must get exactly right, so each is kept as written (`text`) with a float
`value` (the first number of a range) and a lightly normalised `unit` ("°C", "min", "mL", "µL").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from sops.model import CriticalValue

# (pattern for the unit as written, normalised unit); longer/more specific first.
_UNITS: tuple[tuple[str, str], ...] = (
    (r"(?:K|(?:°|º|˚)\s?C)\s?/\s?min", "K/min"),  # a heating rate ("< 10 K/min"), before °C
    (r"(?:°|º|˚|deg(?:rees?)?\.?\s?)\s?C(?:elsius)?|oC", "°C"),
    (r"(?:°|º|˚|deg(?:rees?)?\.?\s?)\s?F(?:ahrenheit)?|oF", "°F"),
    (r"°", "°"),
    (r"ng\s?/\s?(?:µ|μ|u)[lL]", "ng/µL"),
    (r"(?:µ|μ|u)g\s?/\s?m[lL]", "µg/mL"),
    (r"mg\s?/\s?m[lL]", "mg/mL"),
    (r"mg\s?/\s?[lL]", "mg/L"),
    (r"g\s?/\s?[lL]", "g/L"),
    (r"(?:µ|μ|u)[lL]|(?i:micro-?lit(?:re|er)s?)", "µL"),
    (r"n[lL]", "nL"),
    (r"m[lL]|(?i:millilit(?:re|er)s?)", "mL"),
    (r"L|(?i:lit(?:re|er)s?)", "L"),
    (r"(?i:gal(?:lons?)?)", "gal"),
    (r"KB|kB", "kB"),  # disk and memory sizes ("at least 50 MB free"), before M (molar)
    (r"MB", "MB"),
    (r"GB", "GB"),
    (r"TB", "TB"),
    (r"(?:µ|μ|u)M", "µM"),
    (r"mM", "mM"),
    (r"nM", "nM"),
    (r"M|(?i:molar)", "M"),
    (r"%|(?i:percent)", "%"),
    (r"(?:µ|μ|u)g", "µg"),
    (r"ng", "ng"),
    (r"mg", "mg"),
    (r"kg", "kg"),
    (r"g|(?i:grams?)", "g"),
    (r"[x\u00d7]\s?g|(?i:rcf)", "\u00d7g"),
    (r"(?i:rpm)", "rpm"),
    (r"(?i:min(?:ute)?s?)", "min"),
    (r"(?i:s(?:ec(?:ond)?s?)?|secs)", "s"),
    (r"(?i:h(?:(?:ou)?rs?)?)", "h"),
    (r"(?i:(?:business|working|work)\s+days?)", "business day"),  # not a calendar day
    (r"(?i:(?:(?:elapsed\s+)?calendar\s+)?days?)", "d"),
    (r"(?i:weeks?)", "week"),
    (r"(?i:months?)", "month"),
    (r"(?i:years?)", "year"),
    (r"(?i:inch(?:es)?)", "in"),
    (r"(?:µ|μ|u)m|(?i:microns?)", "µm"),
    (r"nm", "nm"),
    (r"mm", "mm"),
    (r"cm", "cm"),
    (r"m|(?i:met(?:re|er)s?)", "m"),
    (r"(?i:ft|feet|foot)", "ft"),
    (r"(?i:psi)", "psi"),
    (r"kPa", "kPa"),
    (r"hPa", "hPa"),
    (r"(?i:mbar)", "mbar"),
    (r"(?i:torr)", "Torr"),
    (r"(?i:bar)", "bar"),
)
_NUMBER = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?"
_PATTERN = re.compile(
    r"(?:(?<![\w.,/-])(?P<sign>[-\u2212\u2013])(?=\d)|(?<![\w.,/\-\u2212\u2013]))(?P<num>" + _NUMBER + r")"
    r"(?:\s?(?:-|\u2013|—|to)\s?(?P<num2>" + _NUMBER + r"))?"
    r"\s?(?P<unit>" + "|".join(f"(?:{p})" for p, _ in _UNITS) + r")(?![A-Za-zµμΩ0-9])"
)
_FORCE_CONTEXT = re.compile(r"(?:(?<!\w)[x\u00d7@]\s*$)|centrifug|\bspin(?:s|ning)?\b|\brcf\b", re.I)
_PH = re.compile(r"\bpH\s?(?P<num>\d+(?:\.\d+)?)")
# "a field blank every 50 samples", "must not exceed 200,000 records": a count that is a threshold or a
# frequency, of whatever the SOP counts; a bare "96 samples" is only how many there are
_COUNT = re.compile(
    r"\b(?:every|each|per|more than|over|fewer than|less than|at least|at most|up to|no more than|"
    r"no fewer than|no less than|after|exceed(?:s|ing)?|(?:a )?(?:maximum|minimum|limit) of)\s+"
    r"(?P<all>(?P<num>\d{1,3}(?:,\d{3})+(?!\d)|\d{1,5})\s+(?P<noun>days of use|[a-z]{2,}(?<![siu])s))\b",
    re.IGNORECASE,
)
# not what a threshold counts: "up to 4 degrees" (a unit without its scale), "at least 2 times"
_NOT_COUNTED = frozenset(re.findall(r"\S+", "times others ones steps sections items things pages degrees"))
_UNIT_LOOKUP = tuple((re.compile(f"(?:{p})$"), unit) for p, unit in _UNITS)
# Where a value can start. `_PATTERN` opens with look-behinds, so the regex engine has no fast scan for
# it and would try its ~40 unit branches' preamble at every character; jumping between these first is
# several times faster and finds the same leftmost matches.
_START = re.compile(r"[-\u2212\u2013\d]")


@lru_cache(maxsize=256)
def _unit(written: str) -> str:
    for pattern, unit in _UNIT_LOOKUP:
        if pattern.match(written):
            return unit
    return written


def _matches(text: str) -> Iterator[re.Match[str]]:
    """`_PATTERN.finditer(text)`, trying the pattern only where a sign or digit starts."""
    position = 0
    while start := _START.search(text, position):
        match = _PATTERN.match(text, start.start())
        if match:
            yield match
            position = match.end()
        else:
            position = start.start() + 1


def find_values(text: str) -> list[CriticalValue]:
    """Every number-with-unit in `text`, in order of appearance."""
    found: list[tuple[int, CriticalValue]] = []
    for match in _matches(text):
        unit_text = match.group("unit")
        unit = _unit(unit_text)
        if unit == "°" and text[match.end() : match.end() + 1].isalpha():
            continue
        value = float(match.group("num").replace(",", ""))
        if match.group("sign"):
            value = -value
        clause = re.split(r"[,;]|\bthen\b", text[max(0, match.start() - 40) : match.start()])[-1]
        if unit == "g" and value >= 500 and _FORCE_CONTEXT.search(clause):
            unit = "\u00d7g"  # "@ X 7,000 g", "spin at 13,000 g": a centrifugal force, not a mass
        found.append((match.start(), CriticalValue(match.group(0).strip(), value, unit)))
    taken = {start for start, _ in found}
    for match in _COUNT.finditer(text):
        noun = match.group("noun").lower()
        if match.start("all") in taken or noun in _NOT_COUNTED:
            continue  # "over 30 days" is a duration, found above; "at least 2 times" counts nothing
        number = float(match.group("num").replace(",", ""))
        found.append((match.start("all"), CriticalValue(match.group("all"), number, noun)))
    if "pH" in text:
        for match in _PH.finditer(text):
            found.append((match.start(), CriticalValue(match.group(0), float(match.group("num")), "pH")))
    found.sort(key=lambda pair: pair[0])
    return [value for _, value in found]
