"""Leading YAML front matter (`---` ... `---`): split it off and read its flat `key: value` pairs.

Only flat scalar keys matter to us (title, document number, version, dates), so a tiny reader is
enough and keeps `sops` free of a YAML dependency; nested YAML is skipped, never an error.
"""

from __future__ import annotations

import re

_KEY = re.compile(r"^([A-Za-z_][\w -]*?)\s*:\s*(.*)$")
_MAX_LINES = 200


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        return re.sub(r"\\(.)", r"\1", inner) if value[0] == '"' else inner.replace("''", "'")
    return value


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Return (front-matter fields with lower-case keys, the rest of the text).

    Text without a closed front-matter block is returned unchanged with no fields. A second block right
    after the first (a site's own Jekyll or Hugo header kept below ours) is front matter too, when every
    line of it reads as YAML: its "categories: - Basics" is no list of steps. The first block's fields win.
    """
    fields, rest = _split_one(text)
    if fields:
        stripped = rest.lstrip("\n")
        more, after = _split_one(stripped)
        if more and _all_yaml(stripped, after):
            return {**more, **fields}, after
    return fields, rest


def _all_yaml(block: str, after: str) -> bool:
    """Does every line between the block's fences read as YAML: `key: value`, an indented line, or a
    list item under a `key:` that opened one? ("- Put on gloves." after "Scope: all staff" is a list of
    the SOP's own, not YAML.)"""
    lines = block[: len(block) - len(after)].split("\n")
    inner = lines[1:]
    while inner and inner[-1].strip() in ("", "---", "..."):
        inner.pop()  # the closing fence and what follows it
    listing = False
    for line in inner:
        if not line.strip() or line[:1].isspace():
            continue
        if line.lstrip().startswith("- "):
            if not listing:
                return False
            continue
        match = _KEY.match(line)
        if not match:
            return False
        listing = not match.group(2).strip()  # "categories:" opens a list
    return True


def _split_one(text: str) -> tuple[dict[str, str], str]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    end = None
    for i in range(1, min(len(lines), _MAX_LINES)):
        if lines[i].strip() in ("---", "..."):
            end = i
            break
    if end is None:
        return {}, text
    fields: dict[str, str] = {}
    for line in lines[1:end]:
        if line[:1].isspace():
            continue
        match = _KEY.match(line)
        if match and match.group(2).strip():
            fields[match.group(1).strip().lower()] = _unquote(match.group(2))
    return fields, "\n".join(lines[end + 1 :])
