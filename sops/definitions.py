"""Term/definition pairs from Definitions, Glossary and Acronyms sections.

Definitions feed vocabulary questions; they come as tables (`| Term | Definition |`), "Term: meaning"
lines, "**Term** - meaning" bullets, or a "What is X?" heading followed by prose.
"""

from __future__ import annotations

import re

from sops.blocks import Block
from sops.inline import clean_inline
from sops.model import Definition

_PAIR = re.compile(r"^\**(?P<term>[^*:\u2013—=]{1,60}?)\**\s*(?::|\s[-\u2013—=]\s)\s*(?P<definition>\S.*)$")
_WHAT_IS = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+)?what\s+is\s+(?:an?\s+|the\s+)?(?P<term>.+?)\??$", re.IGNORECASE
)
_HEADER_WORDS = re.compile(r"^(?:term|acronym|abbreviation|word|specialised term|specialized term)\b", re.I)


def _from_table(block: Block) -> list[Definition]:
    found: list[Definition] = []
    rows = block.rows[1:] if block.has_header else block.rows
    if not block.has_header and rows and _HEADER_WORDS.match(clean_inline(rows[0][0])):
        rows = rows[1:]
    for row in rows:
        cells = [clean_inline(c) for c in row]
        cells = [c for c in cells if c]
        if len(cells) >= 2:
            found.append(Definition(cells[0], cells[1]))
    return found


def _from_text(text: str) -> Definition | None:
    match = _PAIR.match(clean_inline(text)) if "**" not in text else None
    if match is None:
        bold = re.match(
            r"^\s*\*\*(?P<term>[^*]{1,60}?)\*\*\s*[:\-\u2013—=]*\s*(?P<definition>\S.*)$", text, re.S
        )
        if bold:
            term, definition = clean_inline(bold.group("term")), clean_inline(bold.group("definition"))
            return Definition(term.rstrip(":"), definition) if definition else None
        return None
    return Definition(match.group("term").strip(), match.group("definition").strip())


def extract_definitions(heading: str, blocks: list[Block]) -> list[Definition]:
    """Definitions found in one definitions-kind section (its heading and own blocks)."""
    found: list[Definition] = []
    what_is = _WHAT_IS.match(clean_inline(heading))
    for block in blocks:
        if block.kind == "table":
            found.extend(_from_table(block))
        elif block.kind in ("item", "paragraph"):
            lines = block.text.split("\n") if block.kind == "paragraph" else [block.text]
            pairs = [pair for pair in (_from_text(line) for line in lines) if pair]
            if len(pairs) > 1 or (pairs and len(lines) == 1):
                found.extend(pairs)
            elif pairs and block.kind == "paragraph":
                found.append(_from_text(" ".join(lines)) or pairs[0])
            elif (
                what_is
                and block.kind == "paragraph"
                and not any(d.term == what_is.group("term") for d in found)
            ):
                sentence = re.split(r"(?<=[.!?])\s+", clean_inline(block.text))[0]
                found.append(Definition(what_is.group("term").strip(), sentence))
    return found
