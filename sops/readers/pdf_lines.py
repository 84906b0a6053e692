"""A PDF page's text as lines that remember their layout (position, font size, bold, italic, monospace).

pypdf's own `extract_text()` already decides well where words and lines break; its visitor hands us
every piece of text it outputs together with the text matrix and font, in output order. So we keep
pypdf's spacing by concatenating the pieces exactly as it does, split at its newlines, and give each
line the layout of the pieces on it. Headings are then found from size and weight, paragraphs from
vertical gaps, and running headers from position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_BOLD = re.compile(r"(?i)bold|black|heavy|semibold|demi|,b\b")
_ITALIC = re.compile(r"(?i)italic|oblique|,i\b")
_MONO = re.compile(r"(?i)mono|courier|consol|code|typewriter")


@dataclass
class Line:
    """One output line of a page; `y` grows upwards (PDF space), `size` is the effective font size."""

    text: str
    page: int
    x: float = 0.0
    y: float = 0.0
    size: float = 0.0
    bold: bool = False
    italic: bool = False
    mono: bool = False
    lead: str = ""  # the bold text a not-all-bold line starts with ("Note:", "Glove Sterilization:")


_Style = tuple[bool, bool, bool]  # bold, italic, monospace: read from the font name once per font
_Piece = tuple[str, float, float, float, str, _Style]  # text, x, y, effective size, font name, style


def page_lines(page: Any, page_index: int) -> list[Line]:
    """The lines of one pypdf page, in pypdf's output order.

    The visitor only records what it is given: it runs for every piece of text, so any work done
    there is paid thousands of times per page (the benchmark counts it against the extraction).
    """
    raw: list[tuple[str, list[float], list[float], Any, float]] = []
    append = raw.append
    page.extract_text(
        visitor_text=lambda text, cm, tm, font, size: text and append((text, cm, tm, font, size))
    )
    fonts: dict[int, tuple[str, _Style]] = {}
    pieces: list[_Piece] = []
    for text, cm, tm, font, font_size in raw:
        known = fonts.get(id(font))
        if known is None:
            name = _font_name(font)
            known = fonts[id(font)] = (name, _style(name))
        scale_y = abs(tm[3] * cm[3]) or abs(tm[1] * cm[2]) or 1.0
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        pieces.append((text, x, y, float(font_size or 0) * scale_y, *known))
    return _split_lines(pieces, page_index)


def _font_name(font: Any) -> str:
    try:
        return str(font.get("/BaseFont", "")) if font else ""
    except Exception:  # a broken font dictionary only costs us the style
        return ""


def _style(font_name: str) -> _Style:
    return bool(_BOLD.search(font_name)), bool(_ITALIC.search(font_name)), bool(_MONO.search(font_name))


def _split_lines(pieces: list[_Piece], page_index: int) -> list[Line]:
    lines: list[Line] = []
    current: list[_Piece] = []
    for piece in pieces:
        if "\n" not in piece[0]:
            current.append(piece)
            continue
        for i, part in enumerate(piece[0].split("\n")):
            if i:
                lines.append(_make_line(current, page_index))
                current = []
            if part:
                current.append((part, *piece[1:]))
    lines.append(_make_line(current, page_index))
    return [line for line in lines if line.text]


# soft hyphens and zero-width characters (a Google Docs export puts a zero-width space around every link,
# which made each link a paragraph of its own): never text
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def _make_line(pieces: list[_Piece], page_index: int) -> Line:
    text = _INVISIBLE.sub("", "".join(p[0] for p in pieces)).replace("\t", " ")
    text = " ".join(text.split())
    inked = [p for p in pieces if p[4] and not p[0].isspace()]
    if not text or not inked:
        return Line(text, page_index)
    first = inked[0]
    weight = sum(len(p[0]) for p in inked)
    lead = ""
    for piece in pieces:
        if not piece[0].isspace() and not (piece[4] and piece[5][0]):
            break
        lead += piece[0]
    styled = [0, 0, 0]  # characters set bold, italic, monospace
    for piece in inked:
        for k, on in enumerate(piece[5]):
            if on:
                styled[k] += len(piece[0])
    bold, italic, mono = (count >= 0.9 * weight for count in styled)
    return Line(
        text=text,
        page=page_index,
        x=first[1],
        y=first[2],
        size=round(max(p[3] for p in inked) * 2) / 2,
        bold=bold,
        italic=italic,
        mono=mono,
        lead=" ".join(lead.split()) if len(lead.strip()) < len(text) else "",
    )
