"""HTML tags -> Markdown blocks (the same blocks the DOCX reader renders).

Intranet SOP pages wrap the procedure in menus, banners, cookie forms and scripts; those elements are
dropped whole so their text never turns into steps. Lists keep their numbering as the browser shows it
(`<ol start="4">`, `type="a"`, `<li value>`), because steps are cited by those numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from sops.readers.docx_numbering import format_number, to_int
from sops.readers.docx_text import MdBlock

SKIPPED = frozenset(
    {
        "script",
        "style",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "noscript",
        "template",
        "svg",
        "math",
        "iframe",
        "object",
        "select",
        "button",
        "head",
        "dialog",
        "figcaption",  # image captions: pandoc repeats the alt text ("image") there
    }
)
_BLOCK = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "blockquote",
        "pre",
        "dd",
        "dt",
        "dl",
        "figure",
        "caption",
        "address",
        "details",
        "summary",
        "center",
        "body",
        "html",
        "hr",
    }
)
_VOID = frozenset(
    {"br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "source", "track", "wbr"}
)
_TYPES = {"a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman", "1": "decimal"}
_SPACE = re.compile(r"[ \t\r\n\f\v]+")
MAX_DEPTH = 8


@dataclass
class _List:
    ordered: bool
    fmt: str
    next_value: int


class BlockParser(HTMLParser):
    """Feed HTML text; read `.blocks` and `.title` afterwards."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[MdBlock] = []
        self.title = ""
        self.skip: list[str] = []  # open dropped elements (their names, innermost last)
        self.in_title = False
        self.lists: list[_List] = []
        self.buffer: list[str] = []
        self.pending: MdBlock | None = None  # the block the buffer will be written into
        self.pre = 0
        self.table: MdBlock | None = None
        self.tables = 0
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    # -- text sinks -------------------------------------------------------------------------------
    def flush(self) -> None:
        text = "".join(self.buffer)
        self.buffer = []
        block, self.pending = self.pending, None
        if self.pre:
            text = text.strip("\n")
        else:
            text = "\n".join(_SPACE.sub(" ", line).strip() for line in text.split("\n"))
        if not text.strip():
            return
        if block is None:
            block = MdBlock("code" if self.pre else "paragraph", depth=len(self.lists))
        block.text = text.strip("\n")
        self.blocks.append(block)

    def write(self, text: str) -> None:
        if self.cell is not None:
            self.cell.append(text)
        else:
            self.buffer.append(text)

    # -- events -----------------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and self.skip in ([], ["head"]):
            self.in_title = True
            return
        if self.skip or tag in SKIPPED:
            if tag in SKIPPED and tag not in _VOID:
                self.skip.append(tag)
            return
        attributes = {key: value or "" for key, value in attrs}
        if re.fullmatch(r"h[1-6]", tag) and self.cell is None:
            self.flush()
            self.pending = MdBlock("heading", level=int(tag[1]))
        elif tag in ("ol", "ul") and self.cell is None:
            self.flush()
            kind = _TYPES.get(attributes.get("type", "1"), "decimal")
            start = to_int(attributes.get("start"), 1)
            self.lists.append(_List(tag == "ol", kind, start))
        elif tag == "li" and self.cell is None:
            self.flush()
            self.pending = self._item(attributes)
        elif tag == "table":
            self.tables += 1
            if self.tables == 1:
                self.flush()
                self.table = MdBlock("table")
        elif tag == "tr" and self.tables == 1:
            self.row = []
        elif tag in ("td", "th") and self.tables == 1 and self.row is not None:
            self.cell = []
        elif tag == "br":
            self.write("\n")
        elif tag in ("strong", "b"):
            self.write("**")
        elif tag in _BLOCK and self.cell is None:
            self._paragraph_break()
        if tag == "pre":
            self.pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
            return
        if self.skip:
            if tag in self.skip:
                while self.skip and self.skip.pop() != tag:
                    pass
            return
        if re.fullmatch(r"h[1-6]", tag) and self.cell is None:
            self.flush()
        elif tag in ("ol", "ul") and self.cell is None:
            self.flush()
            if self.lists:
                self.lists.pop()
        elif tag == "li" and self.cell is None:
            self.flush()
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            text = " ".join(_SPACE.sub(" ", "".join(self.cell)).split())
            self.row.append(_tidy_bold(text).replace("|", "\\|"))
            self.cell = None
        elif tag == "tr" and self.row is not None and self.table is not None:
            self.table.rows.append(self.row)
            self.row = None
        elif tag == "table" and self.tables:
            self.tables -= 1
            if self.tables == 0 and self.table is not None:
                if any(any(c for c in row) for row in self.table.rows):
                    self.blocks.append(self.table)
                self.table = None
        elif tag in ("strong", "b"):
            self.write("**")
        elif tag in _BLOCK and self.cell is None:
            self._paragraph_break()
        if tag == "pre" and self.pre:
            self.pre -= 1

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
            return
        if self.skip:
            return
        self.write(data)

    # -- helpers ----------------------------------------------------------------------------------
    def _paragraph_break(self) -> None:
        """A new paragraph; inside a list item the first one still belongs to the item."""
        if self.pending is not None and self.pending.kind == "item" and not "".join(self.buffer).strip():
            return
        self.flush()

    def _item(self, attributes: dict[str, str]) -> MdBlock:
        if not self.lists:  # <li> outside any list: a bullet
            self.lists.append(_List(False, "decimal", 1))
        current = self.lists[-1]
        depth = min(len(self.lists) - 1, MAX_DEPTH)
        if not current.ordered:
            return MdBlock("item", marker="-", depth=depth)
        value = to_int(attributes.get("value"), current.next_value)
        current.next_value = value + 1
        shown = format_number(value, current.fmt)
        return MdBlock("item", marker=f"{shown}.", depth=depth)


def _tidy_bold(text: str) -> str:
    return text.replace("** **", " ").replace("****", "")


def parse_blocks(html: str) -> tuple[list[MdBlock], str]:
    """Blocks of the page body and its <title>."""
    parser = BlockParser()
    parser.feed(html)
    parser.close()
    parser.flush()
    for block in parser.blocks:
        block.text = _tidy_bold(block.text)
        if block.kind == "heading":
            block.text = " ".join(block.text.replace("**", "").split())
    return parser.blocks, " ".join(parser.title.split())
