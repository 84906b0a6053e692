"""WordprocessingML body -> Markdown blocks (headings, list items, paragraphs, tables).

Only visible text is taken: deleted revisions, field instructions, comments and the duplicate fallback
copies of drawings are skipped, because any of them inside a step would teach trainees words the
approved document does not show.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field

from lxml import etree

from sops.blocks import ITEM_RE
from sops.readers.docx_numbering import WT, Numbering, StyleLists, to_int, wval
from sops.readers.docx_styles import Styles

_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SKIP = frozenset(
    f"{WT}{tag}"
    for tag in ("del", "moveFrom", "rPr", "pPr", "drawing", "pict", "object", "commentRangeStart")
) | {f"{_MC}Fallback"}
_CONTAINERS = frozenset(f"{WT}{tag}" for tag in ("sdt", "sdtContent", "customXml", "ins", "moveTo"))
_OFF = ("0", "false", "off")
_RULE_LINE = re.compile(r"^[\s\-_*=]{3,}$")
_NEEDS_ESCAPE = re.compile(r"^(#|>|\||`{3}|~{3}|[*+]\s)")
MAX_INDENT_DEPTH = 8


@dataclass
class MdBlock:
    kind: str  # title | heading | item | paragraph | table | code
    text: str = ""
    level: int = 0
    marker: str = ""
    depth: int = 0
    rows: list[list[str]] = field(default_factory=list)


def _bold(run: etree._Element) -> bool:
    rpr = run.find(f"{WT}rPr")
    if rpr is None:
        return False
    bold = rpr.find(f"{WT}b")
    if bold is not None:
        return wval(bold) not in _OFF
    style = wval(rpr.find(f"{WT}rStyle")) or ""
    return style.lower() in ("strong", "strongemphasis")


def _segments(element: etree._Element, out: list[tuple[str, bool]]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP or tag == f"{WT}p":
            continue  # entity references, comments, hidden parts, nested text-box paragraphs
        if tag == f"{WT}r":
            bold = _bold(child)
            for piece in child:
                kind = piece.tag
                if kind == f"{WT}t":  # an unresolved entity reference keeps the text after it as tail
                    out.append(("".join([piece.text or "", *(c.tail or "" for c in piece)]), bold))
                elif kind in (f"{WT}tab", f"{WT}ptab"):
                    out.append((" ", bold))
                elif kind == f"{WT}cr" or (
                    kind == f"{WT}br" and piece.get(f"{WT}type") not in ("page", "column")
                ):
                    out.append(("\n", False))
                elif kind == f"{WT}noBreakHyphen":
                    out.append(("-", bold))
        else:
            _segments(child, out)


def run_text(paragraph: etree._Element, markup: bool = True) -> str:
    """The paragraph's visible text; bold spans become `**...**` so bold labels and warnings survive."""
    segments: list[tuple[str, bool]] = []
    _segments(paragraph, segments)
    merged: list[list] = []
    for text, bold in segments:
        if merged and (merged[-1][1] == bold or not text.strip()):
            merged[-1][0] += text
        else:
            merged.append([text, bold])
    parts = []
    for text, bold in merged:
        core = text.strip()
        if markup and bold and core and "\n" not in core and "*" not in core:
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()) :]
            parts.append(f"{lead}**{core}**{trail}")
        else:
            parts.append(text)
    return "".join(parts).replace("\u00a0", " ")


def _numbering_of(ppr: etree._Element | None) -> tuple[str | None, int | None]:
    num_pr = ppr.find(f"{WT}numPr") if ppr is not None else None
    if num_pr is None:
        return None, None
    ilvl = num_pr.find(f"{WT}ilvl")
    return wval(num_pr.find(f"{WT}numId")), to_int(wval(ilvl), 0) if ilvl is not None else None


class _Walker:
    def __init__(self, styles: Styles, numbering: Numbering, style_lists: StyleLists) -> None:
        self.styles = styles
        self.numbering = numbering
        self.style_lists = style_lists
        self.blocks: list[MdBlock] = []

    def walk(self, parent: etree._Element) -> None:
        for child in parent:
            tag = child.tag
            if tag == f"{WT}p":
                self.paragraph(child)
            elif tag == f"{WT}tbl":
                self.table(child)
            elif tag in _CONTAINERS:
                self.walk(child)

    def paragraph(self, p: etree._Element) -> None:
        ppr = p.find(f"{WT}pPr")
        info = self.styles.info(wval(ppr.find(f"{WT}pStyle")) if ppr is not None else None)
        num_id, ilvl = _numbering_of(ppr)
        if num_id is None:
            num_id = info.num_id
        if ilvl is None:
            ilvl = info.ilvl or 0
        ilvl = max(0, min(ilvl, MAX_INDENT_DEPTH))
        outline = ppr.find(f"{WT}outlineLvl") if ppr is not None else None
        heading = info.heading
        if outline is not None and to_int(wval(outline), 9) < 6:
            heading = to_int(wval(outline), 9) + 1
        marker = None
        if num_id and num_id != "0":
            marker = self.numbering.next_marker(num_id, ilvl)  # advance even for empty paragraphs
        if info.code and not marker:
            line = run_text(p, markup=False)
            if self.blocks and self.blocks[-1].kind == "code":
                self.blocks[-1].text += "\n" + line  # a listing is one paragraph per line
            elif line.strip():
                self.blocks.append(MdBlock("code", line))
            return
        text = run_text(p, markup=not heading)
        if not text.strip():
            return
        if info.title and not any(b.kind == "title" for b in self.blocks):
            self.blocks.append(MdBlock("title", " ".join(text.split())))
        elif heading:
            self.style_lists.reset()
            number = marker[0] + " " if marker and marker[1] else ""
            self.blocks.append(MdBlock("heading", number + " ".join(text.split()), level=heading))
        elif marker:
            self.blocks.append(MdBlock("item", text, marker=marker[0], depth=ilvl))
        elif info.list_kind and not num_id:
            shown, _ = self.style_lists.next_marker(info.list_level, info.list_kind == "number")
            self.blocks.append(MdBlock("item", text, marker=shown, depth=info.list_level))
        else:
            self.blocks.append(MdBlock("paragraph", text))

    def table(self, tbl: etree._Element) -> None:
        rows = [row for row in tbl.iter(f"{WT}tr") if _owning_table(row) is tbl]
        if rows and all(len(_cells(row)) <= 1 for row in rows):
            for row in rows:  # a one-column box (warning panel, framed step list): read its content
                for cell in _cells(row):
                    self.walk(cell)
            return
        table = MdBlock("table")
        for row in rows:
            cells: list[str] = []
            for cell in _cells(row):
                tcpr = cell.find(f"{WT}tcPr")
                merge = tcpr.find(f"{WT}vMerge") if tcpr is not None else None
                continued = merge is not None and wval(merge) != "restart"
                texts = [run_text(p) for p in cell.iter(f"{WT}p")]
                joined = "" if continued else " ".join(" ".join(t.split()) for t in texts if t.strip())
                cells.append(joined.replace("|", "\\|"))
                span = to_int(wval(tcpr.find(f"{WT}gridSpan")) if tcpr is not None else None, 1)
                cells.extend([""] * max(0, min(span, 50) - 1))
            table.rows.append(cells)
        if any(any(cell for cell in row) for row in table.rows):
            self.blocks.append(table)


def _owning_table(element: etree._Element) -> etree._Element | None:
    parent = element.getparent()
    while parent is not None and parent.tag != f"{WT}tbl":
        parent = parent.getparent()
    return parent


def _cells(row: etree._Element) -> list[etree._Element]:
    cells = []
    for child in row:
        if child.tag == f"{WT}tc":
            cells.append(child)
        elif child.tag in _CONTAINERS:  # cells wrapped in content controls
            cells.extend(_cells(child))
    return cells


def body_blocks(
    body: etree._Element, styles: Styles, numbering: Numbering, lists: StyleLists
) -> list[MdBlock]:
    walker = _Walker(styles, numbering, lists)
    walker.walk(body)
    return walker.blocks


def _safe_lines(text: str) -> list[str]:
    """Text lines that cannot be mistaken for Markdown structure they did not have in Word."""
    out = []
    for line in text.split("\n"):
        line = " ".join(line.split())
        if not line or _RULE_LINE.match(line):
            continue
        out.append("\\" + line if _NEEDS_ESCAPE.match(line) else line)
    return out


def parseable_marker(marker: str) -> str:
    """The marker, or the nearest form the structure parser reads as a list marker.

    The parser knows `1.`, `1.2.3`, `a)`, `(a)`, `(iv)` but not `A.` or `iv.`; those become `a.`/`(iv)`
    rather than losing their list item.
    """
    bare = marker.strip("().").lower()
    for candidate in (marker, marker.lower(), f"({bare})", f"{bare})"):
        if ITEM_RE.match(f"{candidate} x"):
            return candidate
    return "-"


def render(blocks: list[MdBlock], preamble: list[str] | None = None) -> str:
    """Markdown text; the Title-style paragraph becomes front matter, as the Markdown SOPs carry it."""
    chunks: list[str] = list(preamble or [])
    for block in blocks:
        if block.kind == "title":
            chunks.insert(0, f"---\ntitle: {json.dumps(block.text, ensure_ascii=False)}\n---")
        elif block.kind == "heading":
            chunks.append("#" * block.level + " " + block.text)
        elif block.kind == "table":
            width = max(len(row) for row in block.rows)
            lines = ["| " + " | ".join(row + [""] * (width - len(row))) + " |" for row in block.rows]
            lines.insert(1, "|" + " --- |" * width)
            chunks.append("\n".join(lines))
        elif block.kind == "code":  # a <pre> or a code-styled paragraph: never steps nor rules
            fence = "~~~~" if "```" in block.text else "```"
            chunks.append(f"{fence}\n{block.text}\n{fence}")
        elif block.kind == "item":
            lines = _safe_lines(block.text)
            if not lines:
                continue
            pad = " " * (4 * block.depth)
            first = lines[0][1:] if lines[0].startswith("\\") else lines[0]
            marker = parseable_marker(block.marker)
            chunks.append("\n".join([f"{pad}{marker} {first}"] + [pad + "   " + x for x in lines[1:]]))
        else:
            lines = _safe_lines(block.text)
            pad = " " * (4 * block.depth)  # > 0: a further paragraph of the list item above
            if lines:
                chunks.append("\n".join(pad + line for line in lines))
    return "\n\n".join(chunks) + "\n"


def header_lines(headers: list[etree._Element]) -> list[str]:
    """Distinct text lines of the page headers (table cells joined), in order."""
    lines: list[str] = []
    for root in headers:
        for element in root.iter(f"{WT}p", f"{WT}tr"):
            if element.tag == f"{WT}tr":
                cells = [" ".join(run_text(p, markup=False).split()) for p in element.iter(f"{WT}p")]
                line = "; ".join(c for c in cells if c)
            elif _owning_table(element) is None:
                line = " ".join(run_text(element, markup=False).split())
            else:
                continue
            if line and line not in lines:
                lines.extend(_safe_lines(line))
    return lines


def needs_header(markdown: str, filename: str) -> bool:
    """True when the structure parser would find no document number or no revision in the body."""
    from sops.blocks import markdown_blocks
    from sops.frontmatter import split_front_matter
    from sops.metadata import extract_metadata
    from sops.structure import title_heading_index

    front, body = split_front_matter(markdown)
    blocks = markdown_blocks(body)
    provisional = front.get("title") or os.path.splitext(os.path.basename(filename))[0]
    meta = extract_metadata(front, blocks, filename, title_heading_index(blocks, provisional))
    return not (meta.code and meta.revision)
