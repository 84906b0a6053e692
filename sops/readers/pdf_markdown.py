"""Layout lines -> Markdown: headings from font size and weight, paragraphs, numbered items, code.

A PDF has no structure, only ink at positions. The body size is the size most of the text is set in;
larger lines are headings (the larger, the higher), bold lines at body size that read like a heading
("5. PROCEDURE", "Sequence of Lockout") are the next level down, and an upper-case numbered line is a
heading even when not bold. Lines join into a paragraph until a vertical gap wider than the usual line
pitch, a change of style, or a list marker; a word hyphenated at a line end is rejoined when the
document spells it unhyphenated elsewhere (or never spells it hyphenated).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from statistics import median

from sops.blocks import ITEM_RE, WARNING_START
from sops.readers.pdf_lines import Line

MARKER = re.compile(
    r"^(?P<marker>[\u2022\u25aa\u25cf\u25e6\u2013\u2023\u2043\u25a0\u25a1\uf0b7\uf0a7*-]"
    r"|\d{1,3}(?:\.\d{1,3})+\.?|\d{1,3}[.)]|\(\d{1,3}\)|\([a-z]\)|[a-z][.)]"
    r"|\((?:i|ii|iii|iv|v|vi|vii|viii|ix|x)\)|[Ss]tep\s+\d{1,3}\s*[:.)\-\u2013])(?:\s+|$)(?P<text>.*)$"
)
_NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+\S")
_UPPER_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+[A-Z][A-Z0-9 ,&/()'\u2019-]{2,60}$")
_SENTENCE_END = re.compile(r"[.:;!?]['\")\u201d]?$")
_HYPHEN_END = re.compile(r"([A-Za-z]+)-$")
_LABEL = re.compile(r"^[A-Z][a-z]+(?: [A-Za-z][a-z]+){1,5}:\s*$")  # "Glove Sterilization:", not "Issue 1:"
_CAPTION = re.compile(r"(?i)^(?:table|figure|fig\.|exhibit)\s+\d")
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
_LETTER = re.compile(r"[A-Za-z]")
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass
class _Block:
    kind: str  # heading | item | para | code | label
    lines: list[Line] = field(default_factory=list)
    level: int = 0
    marker: str = ""
    depth: int = 0


class _Layout:
    """Document-wide measures: body size, heading sizes, line pitch, vocabulary for hyphens."""

    def __init__(self, lines: list[Line]) -> None:
        sizes: Counter[float] = Counter()
        for line in lines:
            if not line.mono and line.size:
                sizes[line.size] += len(line.text)
        self.body = sizes.most_common(1)[0][0] if sizes else 0.0
        big = sorted({s for s in sizes if s >= self.body * 1.1 and s - self.body >= 1}, reverse=True)
        self.levels = {size: i + 1 for i, size in enumerate(big)}
        gaps = [
            a.y - b.y
            for a, b in pairwise(lines)
            if a.page == b.page and a.size == b.size == self.body and 0 < a.y - b.y < 3 * self.body
        ]
        self.pitch = median(gaps) if gaps else self.body * 1.2
        self._lines = lines
        rows = _rows(lines)
        self.tabular = _tabular(rows)
        self.cells = _right_cells(rows)
        lengths = sorted(len(line.text) for line in lines if line.size == self.body and not line.mono)
        self.full = 0.7 * lengths[int(len(lengths) * 0.9)] if lengths else 60  # chars in a wrapped line

    @cached_property
    def words(self) -> Counter[str]:
        """How often each word is spelt, lower-cased: only needed once a line ends in a hyphen."""
        return Counter(w.lower() for line in self._lines for w in _WORD.findall(line.text))

    def heading_level(self, line: Line, before: bool, after: bool, upcoming: list[Line]) -> int:
        """0 when the line is not a heading, else its Markdown level.

        `before`/`after`: a vertical gap or new page precedes/follows the line; `upcoming`: the next two
        lines. A heading
        at body size must stand apart: a bold phrase running on inside a paragraph, a bold table cell
        or a bold "Note: ..." paragraph is not one.
        """
        if line.mono or len(line.text) > 120 or not _LETTER.search(line.text):
            return 0
        if line.size in self.levels:
            return self.levels[line.size]
        if line.size < self.body - 0.5 or len(line.text) > 90 or not before or id(line) in self.tabular:
            return 0
        if WARNING_START.match(line.text) or _SENTENCE_END.search(line.text) or _CAPTION.match(line.text):
            return 0
        next_line = upcoming[0] if upcoming else None
        wraps = (
            not after
            and next_line is not None
            and _same_style(line, next_line)
            and next_line.bold == line.bold
            and abs(next_line.x - line.x) < 2
            and not MARKER.match(next_line.text)
        )
        if wraps and len(line.text) < self.full:  # a short line that still wrapped: a table cell
            return 0
        if not after and next_line is not None and id(next_line) in self.tabular:  # a table header row
            return 0
        numbered = _NUMBERED_HEADING.match(line.text)
        emphasised = line.bold or (line.italic and after and len(line.text) < 70)
        if emphasised or _UPPER_HEADING.match(line.text):
            depth = line.text.split()[0].rstrip(".").count(".") if numbered else 0
            return min(6, len(self.levels) + 1 + depth)
        return 0

    def joined(self, left: str, right: str) -> str:
        """Two lines of one paragraph; a line-end hyphen is dropped when the joined word is the usual one."""
        hyphen = _HYPHEN_END.search(left)
        if hyphen and right[:1].islower():
            head = hyphen.group(1)
            tail = _WORD.match(right)
            tail_text = tail.group(0) if tail else ""
            whole = (head + tail_text).lower()
            split = f"{head}-{tail_text}".lower()
            if self.words[whole] >= self.words[split] or not self.words[split]:
                return left[:-1] + right
            return left + right
        if right[:1] in ",.;:!?)":
            return left + right  # "... the link" + ", please": no space before the punctuation
        return f"{left} {right}"


def _rows(lines: list[Line]) -> dict[int, list[Line]]:
    """Lines grouped by page and height (within 2 pt): more than one in a group is a table row."""
    rows: dict[int, list[Line]] = {}
    group: list[Line] = []
    for line in sorted(lines, key=lambda line: (line.page, -line.y)):
        if group and (line.page != group[0].page or group[0].y - line.y > 2):
            group = []
        group.append(line)
        rows[id(line)] = group
    return rows


def _tabular(rows: dict[int, list[Line]]) -> set[int]:
    """Lines in a table row (two or more lines side by side): bold there is a cell, not a heading."""
    return {key for key, row in rows.items() if len(row) > 1}


def _right_cells(rows: dict[int, list[Line]]) -> set[int]:
    """Lines with another line to their left at the same height: later table cells ("1.05 --")."""
    cells = set()
    for row in rows.values():
        left = min(line.x for line in row)
        cells.update(id(line) for line in row if line.x > left + 2)
    return cells


def _same_style(a: Line, b: Line) -> bool:
    return a.size == b.size and a.italic == b.italic and a.mono == b.mono


def _blocks(lines: list[Line], layout: _Layout) -> list[_Block]:
    blocks: list[_Block] = []
    stack: list[float] = []  # x of the open list markers, for nesting depth
    gaps = [_gap(a, b, layout) for a, b in zip([None, *lines], lines, strict=False)]
    space = [_gap(a, b, layout, style=False) for a, b in zip([None, *lines], lines, strict=False)]
    for i, line in enumerate(lines):
        current = blocks[-1] if blocks else None
        gap = gaps[i]
        after = i + 1 == len(lines) or space[i + 1]
        level = layout.heading_level(line, space[i], after, lines[i + 1 : i + 3])
        if level:
            if current and current.kind == "heading" and current.level == level and not gap:
                current.lines.append(line)
            else:
                blocks.append(_Block("heading", [line], level=level))
                stack = []
            continue
        numbered = MARKER.match(line.text) if line.mono else None  # "+ resource ...": a diff line, code
        listed = numbered and any(ch.isdigit() for ch in numbered.group("marker"))
        wrapped = current is not None and current.kind == "item" and current.lines[-1].mono and not gap
        if line.mono and not listed and wrapped:
            current.lines.append(line)  # a command item wrapped onto the next line
            continue
        if line.mono and (not listed or id(line) in layout.cells):  # "1. /chatops run ...": an item
            if current and current.kind == "code":
                current.lines.append(line)
            else:
                blocks.append(_Block("code", [line]))
            continue
        marker = MARKER.match(line.text) if id(line) not in layout.cells else None
        continues = current and current.kind in ("para", "item") and not gap
        if continues and current and _same_style(current.lines[-1], line) and not marker:
            current.lines.append(line)
            continue
        if marker and (not continues or _new_item(current, line)):
            while stack and stack[-1] > line.x + 2:
                stack.pop()
            if not stack or line.x > stack[-1] + 2:
                stack.append(line.x)
            blocks.append(_Block("item", [line], marker=marker.group("marker"), depth=len(stack) - 1))
            continue
        outdented = current is not None and current.kind == "item" and line.x + 5 < current.lines[0].x
        if continues and current and not marker and not outdented:  # back at the margin: a paragraph
            current.lines.append(line)
            continue
        if not stack or line.x <= stack[0] + 2:
            stack = []
        blocks.append(_Block("para", [line]))
    return blocks


def _new_item(current: _Block | None, line: Line) -> bool:
    """A marker line right under a block's text starts an item when the layout or the sentence says so.

    The previous sentence ended, the marker sits where the current item's marker sat, or it is not
    aligned with the line above; a wrapped paragraph line that happens to start "2. " is none of these.
    """
    if current is None:
        return True
    above = current.lines[-1]
    if _SENTENCE_END.search(above.text):
        return True
    if current.kind == "item" and abs(line.x - current.lines[0].x) <= 2:
        return True
    return abs(line.x - above.x) > 2


def _gap(previous: Line | None, line: Line, layout: _Layout, style: bool = True) -> bool:
    """True when `line` starts a new block: a wide gap, a new page or column, or (`style`) a new style."""
    if previous is None:
        return True
    if previous.page != line.page:
        return not line.text[:1].islower() or bool(_SENTENCE_END.search(previous.text))
    distance = previous.y - line.y
    if line.bold and not previous.bold and line.text.rstrip().endswith(":") and len(line.text) < 60:
        return True  # "Never autoclave:" in bold after a paragraph: the label of what follows
    if abs(distance) < 1 and not previous.mono and not line.mono:
        end = previous.x + 0.55 * max(previous.size, 1) * len(previous.text)  # about where it ends
        if previous.x < line.x <= end + 2 * max(line.size, 1):
            return False  # the same printed line, split where a link or a bold word changes the font
        # farther right on the same line: another column or table cell, a block of its own
    pitch = layout.pitch * max(line.size, 1) / max(layout.body, 1)
    return not 0 < distance <= pitch * 1.3 or (style and not _same_style(previous, line))


def _text(block: _Block, layout: _Layout) -> str:
    text = block.lines[0].text
    for line in block.lines[1:]:
        text = layout.joined(text, line.text)
    return text


def _escape(text: str, item: bool = False) -> str:
    """Keep body text from reading as Markdown structure it is not (heading, quote, table, list item).

    A paragraph that merely starts with a number ("1.05 --", a table cell) gets a no-break space after
    it, which the Markdown scanner does not take for a list marker and the text cleaner turns back
    into a plain space.
    """
    if text[:1] in "#>|":
        text = "\\" + text
    elif not item:
        marker = ITEM_RE.match(text)
        if marker and marker.group("text"):
            text = marker.group("marker") + "\u00a0" + marker.group("text")
    return text.replace("|", "/")


def to_markdown(lines: list[Line], leading: str = "") -> str:
    """The Markdown for a document's body lines (furniture already removed)."""
    layout = _Layout(lines)
    out: list[str] = []
    last_kind = ""
    blocks = _blocks(lines, layout)
    if leading and not (blocks and blocks[0].kind == "heading"):
        out += [leading, ""]
        leading = ""
    for block in blocks:
        text = _text(block, layout)
        if block.kind == "heading":
            out += ["", "#" * block.level + " " + text.lstrip("#").strip(), ""]
            if leading:  # right under the title, where metadata looks for the header block
                out += [leading, ""]
                leading = ""
        elif block.kind == "code":
            out += ["", "```", *(line.text for line in block.lines), "```", ""]
        elif block.kind == "item":
            body = MARKER.match(text)
            rest = body.group("text") if body else text
            marker = "-" if len(block.marker) == 1 and not block.marker.isalnum() else block.marker
            if last_kind != "item":
                out.append("")
            out.append("    " * block.depth + f"{marker} {_escape(rest, item=True)}".rstrip())
        elif all(line.bold for line in block.lines) and len(text) < 60 and text.endswith(":"):
            out += ["", f"**{text}**", ""]
        elif _LABEL.match(block.lines[0].lead) and text.startswith(block.lines[0].lead):
            lead = block.lines[0].lead  # "**Glove Sterilization:** When ..." keeps its label line
            out += ["", f"**{lead.strip()}**", _escape(text[len(lead) :].strip()), ""]
        else:
            out += ["", _escape(text), ""]
        last_kind = block.kind
    return _BLANK_LINES.sub("\n\n", "\n".join(out)).strip() + "\n"
