"""Paragraph styles (styles.xml) resolved through their `basedOn` chain.

Whether a Word paragraph is a heading or a numbered step is usually decided by its style, not by the
paragraph itself: "Heading 2", a company style "SOP Step" based on "List Number", or a style that
carries numbering (`numPr`) or an outline level. The chain is followed here once per style.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from sops.readers.docx_numbering import WT, to_int, wval

_HEADING_NAME = re.compile(r"^heading\s*([1-9])$")
_LIST_NAME = re.compile(r"^list\s+(number|bullet)(?:\s+([2-9]))?$")
# code written out (a Markdown or HTML <pre> saved as Word, a command listing): not prose, never steps
_CODE_NAME = re.compile(
    r"^(?:html\s+)?preformatted(?:\s+text)?$|^(?:source\s+)?code(?:\s+block)?$|^source text$"
)


@dataclass(frozen=True)
class StyleInfo:
    heading: int = 0  # 1-6 for headings and Title, 0 otherwise
    title: bool = False  # the "Title" style: the document's own title
    num_id: str | None = None
    ilvl: int | None = None
    list_kind: str | None = None  # "number" | "bullet" for List Number / List Bullet styles
    list_level: int = 0
    code: bool = False


@dataclass
class _Raw:
    name: str
    based_on: str | None
    num_id: str | None
    ilvl: int | None
    outline: int | None


def _raw(style: etree._Element) -> _Raw:
    ppr = style.find(f"{WT}pPr")
    num_pr = ppr.find(f"{WT}numPr") if ppr is not None else None
    outline = ppr.find(f"{WT}outlineLvl") if ppr is not None else None
    ilvl = num_pr.find(f"{WT}ilvl") if num_pr is not None else None
    return _Raw(
        name=(wval(style.find(f"{WT}name")) or "").strip().lower(),
        based_on=wval(style.find(f"{WT}basedOn")),
        num_id=wval(num_pr.find(f"{WT}numId")) if num_pr is not None else None,
        ilvl=to_int(wval(ilvl), 0) if ilvl is not None else None,
        outline=to_int(wval(outline), 9) if outline is not None else None,
    )


class Styles:
    """Style id -> resolved `StyleInfo`; unknown ids resolve to a plain paragraph."""

    def __init__(self, root: etree._Element | None) -> None:
        self.raw: dict[str, _Raw] = {}
        self.default: str | None = None
        if root is not None:
            for style in root.findall(f"{WT}style"):
                if style.get(f"{WT}type") not in (None, "paragraph", "numbering"):
                    continue
                style_id = style.get(f"{WT}styleId") or ""
                self.raw[style_id] = _raw(style)
                if style.get(f"{WT}default") in ("1", "true") and style.get(f"{WT}type") == "paragraph":
                    self.default = style_id
        self.cache: dict[str | None, StyleInfo] = {}

    def num_ids(self) -> dict[str, str]:
        """Style id -> numId, for list styles that numbering definitions link to (numStyleLink)."""
        return {key: raw.num_id for key, raw in self.raw.items() if raw.num_id}

    def info(self, style_id: str | None) -> StyleInfo:
        key = style_id if style_id in self.raw else self.default
        if key not in self.cache:
            self.cache[key] = self._resolve(key)
        return self.cache[key]

    def _resolve(self, style_id: str | None) -> StyleInfo:
        heading = 0
        num_id: str | None = None
        ilvl: int | None = None
        list_kind: str | None = None
        list_level = 0
        outline: int | None = None
        title = False
        code = False
        seen: set[str] = set()
        while style_id and style_id in self.raw and style_id not in seen:
            seen.add(style_id)
            raw = self.raw[style_id]
            match = _HEADING_NAME.match(raw.name)
            if not heading and match:
                heading = min(int(match.group(1)), 6)
            if not heading and raw.name == "title":
                heading, title = 1, True
            code = code or bool(_CODE_NAME.match(raw.name))
            listed = _LIST_NAME.match(raw.name)
            if list_kind is None and listed:
                list_kind, list_level = listed.group(1), to_int(listed.group(2), 1) - 1
            if num_id is None and raw.num_id is not None:
                num_id, ilvl = raw.num_id, raw.ilvl
            if outline is None and raw.outline is not None:
                outline = raw.outline
            style_id = raw.based_on
        if not heading and outline is not None and outline < 6:
            heading = outline + 1
        return StyleInfo(heading, title, num_id, ilvl, list_kind, list_level, code and not heading)
