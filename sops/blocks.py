"""Markdown -> a flat list of blocks (heading, list item, paragraph, table, code, quote).

A small line scanner rather than a Markdown library: uploaded SOPs are often broken Markdown (escaped
numbering `1\\)`, `(1)` paragraphs, tables without leading pipes, lazy continuation lines) and we need
list markers and indentation exactly as written, which HTML-oriented parsers throw away.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from sops.inline import strip_template_tags


@dataclass
class Block:
    """One structural unit of the document; `text` keeps inline Markdown (cleaned later)."""

    kind: str  # heading | item | paragraph | table | code | quote
    text: str = ""
    level: int = 0  # heading level
    marker: str = ""  # list marker as written, e.g. "1.", "(3)", "b)", "4.2.1", "-"
    ordered: bool = False
    indent: int = 0  # column of the list marker
    depth: int = 0  # list nesting depth, 0 = top level
    rows: list[list[str]] = field(default_factory=list)
    has_header: bool = False  # table: first row is a header (separator line seen)
    line: int = 0


ITEM_RE = re.compile(
    r"^(?P<indent>[ ]*)(?P<marker>"
    r"[-*+•▪●◦]"
    r"|\d{1,3}(?:\.\d{1,3})+\.?"
    r"|\d{1,3}[.)]|\d{1,3}\\[.)]"
    r"|\(\d{1,3}\)|\\\(\d{1,3}\\\)|\([a-z]\)|\((?:i|ii|iii|iv|v|vi|vii|viii|ix|x)\)"
    r"|[a-z][.)]"
    r"|[Ss][Tt][Ee][Pp]\s+\d{1,3}(?:\s*[:.)]|\s+[-\u2013—])"
    r")(?:[ \t]+|$)(?P<text>.*)$"
)
_UNIT_START = re.compile(r"^(?:[µμu]?[lLgmM]|mL|ml|mg|ng|mm|cm|°|%|min|h\b|s\b|kg|rpm|x\s?g)(?![a-z])")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_HR = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]{1,200}\]:\s+\S+(?:\s+[\"'(].*)?$")
_PAREN_LINE = re.compile(r"^\(.*\)\.?$")
_STEP_MARKER = re.compile(r"(?i)step\s+(\d+)")
_DOTTED = re.compile(r"\d+(?:\.\d+)+\.?")
_LETTER_MARKER = re.compile(r"[a-z][.)]")
# "2.2.55 to 2.2.57) is easier": a wrapped sentence that goes on after a version number
_VERSION_TAIL = re.compile(r"(?:to|or|and|of|for|in|is|are|was|were|with|from|through)\b|[)\],;]")
WARNING_START = re.compile(
    r"^[*_>\s]*(?:warning|caution|note|important|danger|attention|notice)\b[\s*_]*(?:[:!.\-\u2013\u2014]|$)",
    re.IGNORECASE,
)


def normalise_marker(marker: str) -> str:
    """`1.` -> `1`, `1\\)` -> `1)`, `\\(1\\)` -> `(1)`, `Step 3:` -> `3`; other markers as written."""
    marker = marker.replace("\\", "").strip()
    step = _STEP_MARKER.match(marker)
    if step:
        return step.group(1)
    return marker[:-1] if marker.endswith(".") else marker


def is_ordered(marker: str) -> bool:
    return marker not in "-*+•▪●◦"


def _is_separator(line: str) -> bool:
    stripped = line.strip()
    return "|" in stripped and "---" in stripped and not re.sub(r"[|:\-\s]", "", stripped)


def split_row(line: str) -> list[str]:
    stripped = line.strip()
    if stripped.startswith("|"):
        stripped = stripped[1:]
    if stripped.endswith("|") and not stripped.endswith("\\|"):
        stripped = stripped[:-1]
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", stripped)]


def _item_match(line: str) -> re.Match[str] | None:
    match = ITEM_RE.match(line)
    if not match:
        return None
    marker, rest = match.group("marker"), match.group("text")
    if _DOTTED.fullmatch(marker) and (_UNIT_START.match(rest) or not rest or _VERSION_TAIL.match(rest)):
        return None
    if _DOTTED.fullmatch(marker) and re.search(r"\.0\d\d", marker):
        return None  # "5.003 or newer": a version number that a line wrap put first, not a step "5.3"
    if _LETTER_MARKER.fullmatch(marker) and not rest:
        return None
    return match


# "* 1. Open ..." (a bullet around a number), "**6.2.1** Open ..." (a bold number): numbered as written
_WRAPPED_NUMBER = re.compile(
    r"^(?P<indent>[ ]*)(?:[-*+]\s+(?=\d{1,3}[.)]\s)|\*\*(?=\d[\d.]*\.?\*\*\s))(?P<rest>.*)$"
)
_BOLD_NUMBER = re.compile(r"^(?P<number>\d{1,3}(?:\.\d{1,3})*\.?)\*\*\s+(?P<text>\S.*)$")
# "1 Open the valve": a number and a capitalised word, as a PDF's text layer gives a numbered list
_BARE_NUMBER = re.compile(r"^(?P<indent>[ ]*)(?P<number>\d{1,3})\s+(?P<text>[A-Z][a-z].*)$")


_RUN_START = re.compile(r"^(?P<indent>[ ]*)(?P<number>\d{1,2})(?P<mark>[.)])\s+(?=\S)")


def split_numbered_run(line: str) -> list[str]:
    """ "1) Thaw the mix. 2) Vortex for 3 s. 3) Add ...": a numbered list that lost its line breaks (a
    Word paragraph, an HTML paragraph, a PDF line) split back into its items, when the line opens with a
    number and at least two more follow in sequence, each after a space and before a capital letter."""
    m = _RUN_START.match(line)
    if not m:
        return [line]
    n, mark, indent = int(m.group("number")), re.escape(m.group("mark")), m.group("indent")
    cuts = []
    position = m.end()
    while True:
        nxt = re.compile(rf"\s(?={n + len(cuts) + 1}{mark}\s+[A-Z(])").search(line, position)
        if not nxt:
            break
        cuts.append(nxt.end())
        position = nxt.end() + 2
    if len(cuts) < 2:
        return [line]
    bounds = [len(indent), *cuts, len(line)]
    return [indent + line[a:b].strip() for a, b in itertools.pairwise(bounds)]


def number_lines(lines: list[str]) -> list[str]:
    """Numbered lines written without list markup, rewritten as the list items they are: a number inside a
    bullet or in bold, and runs of at least two lines numbered n, n+1, ... with no punctuation after the
    number (a PDF's text layer). Other lines are returned unchanged."""
    out = []
    fenced = []  # lines inside ``` or ~~~ fences are code: never rewritten
    inside = False
    for line in lines:
        if _FENCE.match(line):
            inside = not inside
            fenced.append(True)
            out.append(line)
            continue
        fenced.append(inside)
        if inside:
            out.append(line)
            continue
        *before, line = split_numbered_run(line)
        for item in before:
            fenced.append(False)
            out.append(item)
        wrapped = _WRAPPED_NUMBER.match(line) if line.lstrip()[:1] in ("-", "*", "+") else None
        if wrapped:
            rest = wrapped.group("rest")
            bold = _BOLD_NUMBER.match(rest)
            if bold:
                rest = f"{bold.group('number').rstrip('.')} {bold.group('text')}"
            line = wrapped.group("indent") + rest
        out.append(line)
    bare = [None if code else _BARE_NUMBER.match(line) for line, code in zip(out, fenced, strict=True)]
    for i, m in enumerate(bare):
        if m is None:
            continue
        n = int(m.group("number"))
        before = next((b for b in reversed(bare[max(0, i - 2) : i]) if b is not None), None)
        after = next((b for b in bare[i + 1 : i + 3] if b is not None), None)
        linked = (before is not None and int(before.group("number")) == n - 1) or (
            after is not None and int(after.group("number")) == n + 1
        )
        if linked:
            out[i] = f"{m.group('indent')}{n}. {m.group('text')}"
    return out


class _Scanner:
    """Line-by-line state machine; see `markdown_blocks`."""

    def __init__(self, text: str) -> None:
        text = strip_template_tags(text, keep_newlines=True)
        self.lines = number_lines(text.split("\n"))
        self.blocks: list[Block] = []
        self.current: Block | None = None  # open paragraph or item (for continuation lines)
        self.blank = False  # a blank line since `current` was last extended
        self.stack: list[int] = []  # indents of open list items

    def close(self, reset_lists: bool = False) -> None:
        self.current = None
        if reset_lists:
            self.stack = []

    def emit(self, block: Block) -> Block:
        self.blocks.append(block)
        return block

    def run(self) -> list[Block]:
        i = 0
        lines = self.lines
        while i < len(lines):
            raw = lines[i].expandtabs(4)
            stripped = raw.strip()
            indent = len(raw) - len(raw.lstrip(" "))
            if not stripped:
                self.blank = True
                if self.current is not None and self.current.kind == "paragraph":
                    self.current = None
                i += 1
                continue
            # Each structure regex below can only match when the line starts with its character; testing
            # that first spares the ordinary text line five regex calls.
            first = stripped[0]
            fence = _FENCE.match(raw) if first in "`~" else None
            if fence:
                i = self.code(i, fence.group(1))
                continue
            heading = _ATX.match(raw) if first == "#" else None
            if heading:
                self.close(reset_lists=True)
                self.emit(
                    Block("heading", (heading.group(2) or "").strip(), level=len(heading.group(1)), line=i)
                )
                i += 1
                continue
            para = self.current
            if (
                first in "=-"
                and para is not None
                and para.kind == "paragraph"
                and not self.blank
                and _SETEXT.match(raw)
            ):
                para.kind, para.level = "heading", 1 if stripped.startswith("=") else 2
                para.text = " ".join(para.text.split("\n"))
                self.close(reset_lists=True)
                i += 1
                continue
            if first in "-*_" and _HR.match(raw):
                self.close(reset_lists=True)
                self.emit(Block("rule", line=i))
                i += 1
                continue
            if stripped.startswith(">"):
                i = self.quote(i)
                continue
            if stripped.startswith("|") or (
                "|" in stripped and i + 1 < len(lines) and _is_separator(lines[i + 1])
            ):
                i = self.table(i, indent)
                continue
            if first == "[" and _LINK_DEFINITION.match(raw):  # "[ref]: https://... "title"" is not text
                self.close()
                i += 1
                while i < len(lines) and re.match(r"^\s*[\"'(].*[\"')]\s*$", lines[i]):
                    i += 1  # a link title on its own line
                continue
            item = _item_match(raw)
            if item:
                self.item(item, i)
                i += 1
                continue
            self.text_line(stripped, indent, i)
            i += 1
        return self.blocks

    def code(self, i: int, fence: str) -> int:
        self.close()
        body: list[str] = []
        j = i + 1
        while j < len(self.lines) and not self.lines[j].strip().startswith(fence[0] * len(fence)):
            body.append(self.lines[j])
            j += 1
        self.emit(Block("code", "\n".join(body), line=i))
        self.blank = False
        return j + 1

    def quote(self, i: int) -> int:
        self.close(reset_lists=True)
        body: list[str] = []
        j = i
        while j < len(self.lines) and self.lines[j].strip():
            line = self.lines[j].strip()
            line = line[1:].lstrip() if line.startswith(">") else line
            body.append(re.sub(r"^#{1,6}\s+", "", line))
            j += 1
        self.emit(Block("quote", "\n".join(body), line=i))
        return j

    def table(self, i: int, indent: int) -> int:
        self.close(reset_lists=indent == 0)
        block = Block("table", line=i)
        j = i
        while j < len(self.lines) and self.lines[j].strip() and "|" in self.lines[j]:
            line = self.lines[j]
            if _is_separator(line):
                block.has_header = block.has_header or len(block.rows) == 1
            else:
                block.rows.append(split_row(line))
            j += 1
        block.text = "\n".join(" | ".join(c for c in row if c) for row in block.rows)
        self.emit(block)
        return j

    def item(self, match: re.Match[str], i: int) -> None:
        indent = len(match.group("indent"))
        while self.stack and self.stack[-1] >= indent - 1:
            self.stack.pop()
        depth = len(self.stack)
        self.stack.append(indent)
        marker = match.group("marker")
        block = Block(
            "item",
            match.group("text").strip(),
            marker=normalise_marker(marker),
            ordered=is_ordered(marker),
            indent=indent,
            depth=depth,
            line=i,
        )
        self.current = self.emit(block)
        self.blank = False

    def text_line(self, stripped: str, indent: int, i: int) -> None:
        current = self.current
        if current is not None and current.kind == "item":
            lazy = not self.blank and not _PAREN_LINE.match(stripped) and not WARNING_START.match(stripped)
            if lazy or (self.blank and indent > current.indent):
                current.text += "\n" + stripped
                self.blank = False
                return
        elif current is not None and not self.blank:
            current.text += "\n" + stripped
            return
        self.close(reset_lists=indent == 0 or not self.stack)
        self.current = self.emit(Block("paragraph", stripped, indent=indent, line=i))
        self.blank = False


def markdown_blocks(text: str) -> list[Block]:
    """Scan Markdown (front matter already removed) into blocks in document order."""
    return _Scanner(text).run()
