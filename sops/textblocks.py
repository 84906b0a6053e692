"""Plain text -> the same blocks as Markdown, by layout instead of markup.

Text exports of Word SOPs have no `#`; headings are short lines in capitals, numbered section titles
("5. PROCEDURE", "5.1 Scope") or "Procedure:" labels, and lists are numbered or bulleted lines.
"""

from __future__ import annotations

import re

from sops.blocks import WARNING_START, Block, _item_match, is_ordered, normalise_marker
from sops.section_kinds import raw_heading_kind

_SECTION_NUMBER = re.compile(r"^(?:(?:section|chapter)\s+)?(\d+(?:\.\d+)*)[.)]?\s+(\S.*)$", re.I)
_UNDERLINE = re.compile(r"^\s*(=+|-+)\s*$")


def _heading_level(line: str) -> int | None:
    """Level of a heading-looking line, or None."""
    text = line.strip()
    words = text.split()
    if not words or len(words) > 10 or text.endswith((".", ",", ";")):
        return None
    numbered = _SECTION_NUMBER.match(text)
    body = numbered.group(2) if numbered else text
    known = raw_heading_kind(body.rstrip(":")) != "other"
    letters = [c for c in body if c.isalpha()]
    caps = len(letters) >= 3 and all(c.isupper() for c in letters)
    if numbered and (known or caps) and len(body.split()) <= 8:
        return numbered.group(1).count(".") + 1
    if caps:
        return 1
    if known and len(words) <= 6 and (text.endswith(":") or len(words) <= 3):
        return 2
    return None


def text_blocks(text: str) -> list[Block]:
    """Scan plain text into blocks: headings, list items and paragraphs."""
    blocks: list[Block] = []
    lines = text.split("\n")
    current: Block | None = None
    stack: list[int] = []
    for i, raw in enumerate(lines):
        line = raw.expandtabs(4).rstrip()
        stripped = line.strip()
        if not stripped:
            current = None
            continue
        if (
            _UNDERLINE.match(line)
            and current is not None
            and current.kind == "paragraph"
            and "\n" not in current.text
        ):
            current.kind, current.level = "heading", 1 if stripped.startswith("=") else 2
            current = None
            continue
        level = _heading_level(stripped)
        if level is not None:
            blocks.append(Block("heading", stripped.rstrip(":"), level=level, line=i))
            current, stack = None, []
            continue
        match = _item_match(line)
        indent = len(line) - len(line.lstrip(" "))
        if match:
            while stack and stack[-1] >= indent - 1:
                stack.pop()
            marker = match.group("marker")
            current = Block(
                "item",
                match.group("text").strip(),
                marker=normalise_marker(marker),
                ordered=is_ordered(marker),
                indent=indent,
                depth=len(stack),
                line=i,
            )
            stack.append(indent)
            blocks.append(current)
            continue
        if current is not None and not stripped.startswith("(") and not WARNING_START.match(stripped):
            current.text += "\n" + stripped
            continue
        if indent == 0:
            stack = []
        current = Block("paragraph", stripped, indent=indent, line=i)
        blocks.append(current)
    return blocks
