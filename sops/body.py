"""Section blocks -> the section's body as a lesson shows it: paragraphs, nested lists, tables, code, quotes
and warnings, in document order, each list item tied to the step it is (if any).

Lessons read like the SOP: a list stays a list and a table a table, a warning stands out, and a step is
printed once, where the SOP writes it, with its number as written. Text keeps its inline Markdown (links,
emphasis, code spans); the web layer renders and sanitises it.
"""

from __future__ import annotations

from typing import Any

from sops.blocks import WARNING_START, Block
from sops.inline import clean_inline, strip_template_tags
from sops.model import Step

Body = list[dict[str, Any]]


def _text(block: Block) -> str:
    return " ".join(strip_template_tags(block.text).split())


def _tie(text: str, remaining: list[Step]) -> Step | None:
    """The first untied step written as this item: its text, or its text with the nested details that
    joined it ("Cook each food ...: Poultry: 165 °F; ...")."""
    for i, step in enumerate(remaining):
        if step.text == text or (
            text and step.text.startswith(text) and step.text[len(text) : len(text) + 1] in " ;"
        ):
            return remaining.pop(i)
    return None


def section_body(blocks: list[Block], steps: list[Step]) -> Body:
    """The blocks of one section as body parts. A list item whose text is a step's text carries the
    step's id, so the lesson can anchor and number it; consecutive items form one list (nesting by depth)."""
    remaining = list(steps)  # in document order: repeated texts tie to their own copies in turn
    body: Body = []
    current: list[dict[str, Any]] | None = None
    for block in blocks:
        if block.kind == "item":
            if current is not None and block.depth == 0 and current[0]["ordered"] != block.ordered:
                current = None  # a bullet list after a numbered one is a list of its own
            if current is None:
                current = []
                body.append({"kind": "list", "items": current})
            step = _tie(clean_inline(block.text), remaining)
            current.append(
                {
                    "text": _text(block),
                    "depth": block.depth,
                    "ordered": block.ordered,
                    "marker": block.marker,
                    "step": step.id if step else None,
                    "warning": bool(WARNING_START.match(block.text)),
                }
            )
            continue
        if block.kind == "paragraph" and block.indent > 0 and current is not None:
            current[-1]["text"] += " " + _text(block)  # a paragraph indented under an item belongs to it
            continue
        current = None
        if block.kind in ("paragraph", "quote"):
            text = _text(block)
            if not clean_inline(text):
                continue
            kind = "warning" if WARNING_START.match(block.text) else block.kind
            body.append({"kind": kind, "text": text})
        elif block.kind == "table" and block.rows:
            rows = [[" ".join(strip_template_tags(c).split()) for c in row] for row in block.rows]
            body.append({"kind": "table", "rows": rows, "header": block.has_header})
        elif block.kind == "code" and block.text.strip():
            body.append({"kind": "code", "text": block.text.strip("\n")})
    return body
