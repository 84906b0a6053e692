"""The distinct roles an SOP names: from responsibilities sections, participant tables and step actors.

Roles drive training curricula ("every QA Manager must be trained on SOP-QA-012"), so the list is
de-duplicated case- and plural-insensitively and keeps the first spelling seen.
"""

from __future__ import annotations

import re

from sops.actors import find_actor, is_role, role_key, tidy_role
from sops.inline import clean_inline
from sops.model import Step
from sops.steps import participants
from sops.structure import Node

_SENTENCE = re.compile(r"(?<=[.!?;])\s+")
_LEAD_LABEL = re.compile(r"^\s*\**(?P<role>[^*:\n]{2,50}?)\**\s*(?::|\s[-\u2013—]\s)")
_ROLE_TABLE = re.compile(r"^(?:roles?|position|title|who|responsible|participants?)$", re.I)


def _from_responsibilities(node: Node) -> list[str]:
    found: list[str] = []
    if node.role:
        found.append(node.role)
    for block in node.blocks:
        if block.kind == "table" and block.rows and _ROLE_TABLE.match(clean_inline(block.rows[0][0])):
            found.extend(tidy_role(clean_inline(r[0])) for r in block.rows[1:] if r and clean_inline(r[0]))
            continue
        if block.kind not in ("paragraph", "item"):
            continue
        label = _LEAD_LABEL.match(block.text)
        if label and is_role(clean_inline(label.group("role"))):
            found.append(tidy_role(clean_inline(label.group("role"))))
            continue
        for sentence in _SENTENCE.split(clean_inline(block.text)):
            actor = find_actor(sentence)
            if actor:
                found.append(actor)
    return found


def collect_roles(nodes: list[Node], steps: list[Step]) -> list[str]:
    names: list[str] = []
    for node in nodes:
        if node.section.kind == "responsibilities":
            names.extend(_from_responsibilities(node))
        names.extend(participants(node))
        if node.role:
            names.append(node.role)
    names.extend(step.actor for step in steps if step.actor)
    seen: set[str] = set()
    roles: list[str] = []
    for name in names:
        key = role_key(name)
        if key and key not in seen:
            seen.add(key)
            roles.append(name)
    return roles
