"""Word list numbering (numbering.xml) -> the numbers as the reader of the document sees them.

Word does not store "4.2.1" or "b)" in the text: a paragraph only says "list numId 7, level 2", and the
number is computed from the list definition (format, level text such as "%1.%2.%3", start value,
restarts) and from how many paragraphs of that list came before. Steps are cited by these numbers in
training records, so they are recomputed here the way Word displays them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WT = f"{{{W}}}"
_PLACEHOLDER = re.compile(r"%([1-9])")
_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)
MAX_LEVELS = 9


def wval(element: etree._Element | None, name: str = "val") -> str | None:
    """The `w:val` (or other w:) attribute of an element, None when the element is absent."""
    if element is None:
        return None
    return element.get(f"{WT}{name}")


def to_int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def roman(value: int) -> str:
    out = []
    for amount, letters in _ROMAN:
        while value >= amount:
            out.append(letters)
            value -= amount
    return "".join(out)


def letters(value: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa (Word repeats the letter rather than counting in base 26)."""
    value = max(value, 1)
    return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)


def format_number(value: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return letters(value)
    if fmt == "upperLetter":
        return letters(value).upper()
    if fmt == "lowerRoman":
        return roman(value)
    if fmt == "upperRoman":
        return roman(value).upper()
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "none":
        return ""
    return str(value)


@dataclass(frozen=True)
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    restart: int | None = None  # w:lvlRestart: 0 = never restart; n = restart after level n (1-based)
    legal: bool = False  # w:isLgl: every placeholder shown as a decimal number


def _level(element: etree._Element) -> Level:
    fmt = wval(element.find(f"{WT}numFmt")) or "decimal"
    text = wval(element.find(f"{WT}lvlText"))
    restart = wval(element.find(f"{WT}lvlRestart"))
    legal = element.find(f"{WT}isLgl")
    return Level(
        fmt=fmt,
        text=text if text is not None else "",
        start=max(to_int(wval(element.find(f"{WT}start")), 1), 0),
        restart=to_int(restart, 0) if restart is not None else None,
        legal=legal is not None and wval(legal) not in ("0", "false", "off"),
    )


def _levels(parent: etree._Element) -> dict[int, Level]:
    out: dict[int, Level] = {}
    for element in parent.findall(f"{WT}lvl"):
        ilvl = to_int(wval(element, "ilvl"), -1)
        if 0 <= ilvl < MAX_LEVELS:
            out[ilvl] = _level(element)
    return out


class Numbering:
    """The list definitions of one document plus the running counters, fed paragraph by paragraph."""

    def __init__(self, root: etree._Element | None, style_num_ids: dict[str, str]) -> None:
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.style_links: dict[str, str] = {}  # abstractNumId -> style id (numStyleLink)
        self.nums: dict[str, str] = {}  # numId -> abstractNumId
        self.overrides: dict[str, dict[int, Level | int]] = {}  # numId -> level -> Level or start
        self.counters: dict[str, dict[int, int]] = {}
        self.seen: set[str] = set()
        self.style_num_ids = style_num_ids
        if root is not None:
            self._load(root)

    def _load(self, root: etree._Element) -> None:
        for abstract in root.findall(f"{WT}abstractNum"):
            key = wval(abstract, "abstractNumId") or ""
            self.abstracts[key] = _levels(abstract)
            link = wval(abstract.find(f"{WT}numStyleLink"))
            if link:
                self.style_links[key] = link
        for num in root.findall(f"{WT}num"):
            num_id = wval(num, "numId") or ""
            self.nums[num_id] = wval(num.find(f"{WT}abstractNumId")) or ""
            overrides: dict[int, Level | int] = {}
            for override in num.findall(f"{WT}lvlOverride"):
                ilvl = to_int(wval(override, "ilvl"), -1)
                if not 0 <= ilvl < MAX_LEVELS:
                    continue
                level = override.find(f"{WT}lvl")
                start = override.find(f"{WT}startOverride")
                if level is not None:
                    overrides[ilvl] = _level(level)
                elif start is not None:
                    overrides[ilvl] = to_int(wval(start), 1)
            self.overrides[num_id] = overrides

    def _abstract_id(self, num_id: str) -> str | None:
        """Follow numStyleLink (a list style pointing at another definition) a few hops at most."""
        abstract = self.nums.get(num_id)
        for _ in range(4):
            if abstract is None:
                return None
            link = self.style_links.get(abstract)
            if link is None or self.abstracts.get(abstract):
                return abstract
            target = self.style_num_ids.get(link)
            abstract = self.nums.get(target) if target else None
        return abstract

    def level(self, num_id: str, ilvl: int) -> Level | None:
        abstract = self._abstract_id(num_id)
        if abstract is None:
            return None
        override = self.overrides.get(num_id, {}).get(ilvl)
        if isinstance(override, Level):
            return override
        base = self.abstracts.get(abstract, {}).get(ilvl)
        if base is None:
            return None
        return replace(base, start=override) if isinstance(override, int) else base

    def next_marker(self, num_id: str, ilvl: int) -> tuple[str, bool] | None:
        """Advance the list and return (marker as displayed, ordered); None when nothing is shown."""
        abstract = self._abstract_id(num_id)
        level = self.level(num_id, ilvl)
        if abstract is None or level is None:
            return None
        counters = self.counters.setdefault(abstract, {})
        if num_id not in self.seen:
            self.seen.add(num_id)
            for restarted in self.overrides.get(num_id, {}):
                counters.pop(restarted, None)
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else level.start
        for deeper in [k for k in counters if k > ilvl]:
            deeper_level = self.level(num_id, deeper)
            if deeper_level is None or deeper_level.restart != 0:
                del counters[deeper]
        if level.fmt == "bullet":
            return "-", False
        shown = _PLACEHOLDER.sub(lambda m: self._shown(num_id, int(m.group(1)) - 1, level), level.text)
        shown = shown.strip()
        if not shown or level.fmt == "none":
            return None
        return shown, True

    def _shown(self, num_id: str, ilvl: int, current: Level) -> str:
        level = self.level(num_id, ilvl) or Level()
        abstract = self._abstract_id(num_id) or ""
        value = self.counters.get(abstract, {}).get(ilvl, level.start)
        return format_number(value, "decimal" if current.legal else level.fmt)


class StyleLists:
    """Counters for list paragraphs styled "List Number"/"List Bullet" without real Word numbering."""

    def __init__(self) -> None:
        self.counters: dict[int, int] = {}

    def next_marker(self, ilvl: int, ordered: bool) -> tuple[str, bool]:
        for deeper in [k for k in self.counters if k > ilvl]:
            del self.counters[deeper]
        if not ordered:
            return "-", False
        self.counters[ilvl] = self.counters.get(ilvl, 0) + 1
        value = self.counters[ilvl]
        return (f"{value}." if ilvl == 0 else f"{letters(value)})"), True

    def reset(self) -> None:
        self.counters.clear()
