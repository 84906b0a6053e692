"""Conditional clauses of a step ("if ...", "when ...", "unless ...", "in case ...").

Quiz questions about *when* a step applies need the clause as written, so we cut it out up to the
end of the clause (a comma, semicolon, colon or full stop outside parentheses, or "then").
"""

from __future__ import annotations

import re

_START = re.compile(
    r"\b(?:if|when|whenever|unless|in case(?: of)?|in the event(?: of| that)?|provided that|only if)\b",
    re.IGNORECASE,
)
_MAX = 220


def find_conditions(text: str) -> list[str]:
    """Each conditional clause in `text`, in order, without trailing punctuation, de-duplicated."""
    found: list[str] = []
    position = 0
    while True:
        match = _START.search(text, position)
        if not match:
            break
        end = _clause_end(text, match.start())
        clause = text[match.start() : end].strip(" ,;:.-\u2013—")
        position = max(end, match.end())
        if len(clause.split()) < 2:
            continue
        if clause.lower() not in (c.lower() for c in found):
            found.append(clause)
    return found


def _clause_end(text: str, start: int) -> int:
    depth = 0
    i = start
    limit = min(len(text), start + _MAX)
    while i < limit:
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            if depth == 0:
                return i
            depth -= 1
        elif depth == 0:
            if ch in ",;:!?" or (ch == "." and (i + 1 >= len(text) or text[i + 1] in " \"')\u201d")):
                return i
            if ch == " " and text.startswith((" then ", " \u2013 ", " — "), i):
                return i
        i += 1
    return limit
