"""Sections -> procedure steps, in document order.

Three passes, each used only when the previous finds nothing (or too little):
1. "procedure": numbered items, numbered step headings and action bullet lists inside procedure sections;
2. "fallback": the same in any section except definitions, references, revision history, materials,
   purpose/scope, contents and asides (runbooks and checklists have no "Procedure" heading);
3. "implicit": also every bullet and every imperative sentence of the prose (handbook pages).
Bullet lists count only when most of their items read like instructions, so lists of examples
("Customer complaints", "Audit findings") are not steps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sops.actions import reads_like_action
from sops.actors import find_actor, tidy_role
from sops.blocks import WARNING_START, Block
from sops.inline import clean_inline
from sops.structure import Node

MODES = ("procedure", "fallback", "implicit")
_EXCLUDED = frozenset({"definitions", "references", "revision_history", "materials", "purpose", "scope"})
_EXCLUDED_RAW = frozenset({"aside", "contents"})
WARNING_LABEL = WARNING_START
_LABEL_ONLY = re.compile(r"^(?:warning|caution|note|important|danger|attention|notice)\s*[:!.]?$", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(\[])")
_PARTICIPANTS = re.compile(
    r"^(?:participants?|roles?|responsible|responsibility|who|performed by|actors?)$", re.I
)


@dataclass
class Draft:
    """A step before ids and generated numbers are assigned."""

    node: Node
    text: str
    depth: int
    number: str | None = None  # None: generated from the position (bullets, prose)
    parent: Draft | None = None
    actor: str | None = None
    warnings: list[str] = field(default_factory=list)
    context: str = ""  # extra prose searched for conditions and values (step headings)


@dataclass
class _Item:
    block: Block
    parent: _Item | None
    sequence: int
    text: str
    warning: bool = False
    step: bool = False
    draft: Draft | None = None


def _effective_kind(node: Node) -> str:
    current: Node | None = node
    while current is not None and current.raw_kind == "other" and not current.is_title:
        current = current.parent
    return current.raw_kind if current is not None else "other"


def eligible(node: Node, mode: str) -> bool:
    if mode == "procedure":
        return node.section.kind == "procedure"
    if node.section.kind in _EXCLUDED or node.raw_kind in _EXCLUDED_RAW:
        return False
    return _effective_kind(node) not in _EXCLUDED | _EXCLUDED_RAW


def is_warning(text: str) -> bool:
    return bool(WARNING_LABEL.match(text))


def participants(node: Node) -> list[str]:
    """Role names listed in a "Participants" table of the section."""
    for block in node.blocks:
        if block.kind == "table" and block.rows and _PARTICIPANTS.match(clean_inline(block.rows[0][0])):
            names = [clean_inline(row[0]) for row in block.rows[1:] if row and clean_inline(row[0])]
            return [tidy_role(name) for name in names]
    return []


def _items(node: Node) -> list[_Item]:
    items: list[_Item] = []
    open_items: list[_Item] = []
    sequence = 0
    for block in node.blocks:
        if block.kind != "item":
            if block.indent == 0 and (block.kind != "paragraph" or clean_inline(block.text)):
                sequence += 1
                open_items = []
            continue
        while open_items and open_items[-1].block.depth >= block.depth:
            open_items.pop()
        text = clean_inline(block.text)
        item = _Item(block, open_items[-1] if open_items else None, sequence, text, warning=is_warning(text))
        items.append(item)
        open_items.append(item)
    return items


def _choose(items: list[_Item], mode: str) -> None:
    """Mark which items are steps: numbered ones always, bullets by majority of their sibling run."""
    runs: dict[tuple[int, int, int], list[_Item]] = {}
    for item in items:
        key = (item.sequence, id(item.parent), item.block.depth)
        runs.setdefault(key, []).append(item)
    for run in runs.values():
        candidates = [i for i in run if not i.warning and i.text]
        bullets = [i for i in candidates if not i.block.ordered]
        actions = sum(1 for i in bullets if reads_like_action(i.text, clean=False))
        take_bullets = mode == "implicit" or (bullets and actions * 2 >= len(bullets))
        for item in candidates:
            item.step = item.block.ordered or bool(take_bullets)
        ordered = [i for i in candidates if i.block.ordered]
        numbers = {i.block.marker for i in ordered}
        if len(ordered) > 1 and len(numbers) == 1 and ordered[0].block.marker.isdigit():
            start = int(ordered[0].block.marker)
            for offset, item in enumerate(ordered):
                item.block.marker = str(start + offset)


def _dotted_base(items: list[_Item]) -> int:
    dotted = [i.block.marker.count(".") for i in items if re.fullmatch(r"\d+(?:\.\d+)+", i.block.marker)]
    return min(dotted) if dotted else 0


def _inline_warnings(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text)[1:] if is_warning(s)]


def section_steps(node: Node, mode: str) -> list[Draft]:
    """Steps found in one section's own blocks (heading step first, then items and prose)."""
    drafts: list[Draft] = []
    head: Draft | None = None
    if node.step_number and (mode == "procedure" or reads_like_action(node.step_text, clean=False)):
        prose = " ".join(clean_inline(b.text) for b in _before_rule(node.blocks) if b.kind == "paragraph")
        names = participants(node)
        actor = names[0] if names else (find_actor(node.step_text) or node.role)
        head = Draft(node, node.step_text, 0, node.step_number, actor=actor, context=prose)
        drafts.append(head)
    base = 1 if head else 0
    items = _items(node)
    _choose(items, mode)
    by_block = {id(i.block): i for i in items}
    dotted = _dotted_base(items)
    last: Draft | None = head
    pending_label = ""
    for block in node.blocks:
        item = by_block.get(id(block))
        if item is not None:
            if item.warning:
                owner = _owner(item) or last
                if owner is not None:
                    owner.warnings.append(item.text)
                continue
            if not item.step:
                continue
            depth = block.depth + base
            if re.fullmatch(r"\d+(?:\.\d+)+", block.marker):
                depth += block.marker.count(".") - dotted
            parent = _owner(item) or head
            number = block.marker if block.ordered else None
            actor = find_actor(item.text) or node.role
            draft = Draft(node, item.text, depth, number, parent, actor, _inline_warnings(item.text))
            item.draft = draft
            drafts.append(draft)
            last = draft
            continue
        if block.kind not in ("paragraph", "quote"):
            continue
        text = clean_inline(block.text)
        if not text:
            continue
        if pending_label:
            text, pending_label = f"{pending_label} {text}", ""
            if last is not None:
                last.warnings.append(text)
            continue
        if _LABEL_ONLY.match(text):
            pending_label = text if text.endswith(":") else text + ":"
            continue
        if is_warning(text):
            if last is not None:
                last.warnings.append(text)
            continue
        if mode == "implicit" and block.kind == "paragraph":
            for sentence in _SENTENCE.split(text):
                if reads_like_action(sentence, clean=False):
                    draft = Draft(node, sentence, base, None, head, find_actor(sentence) or node.role)
                    drafts.append(draft)
                    last = draft
    return drafts


def _before_rule(blocks: list[Block]) -> list[Block]:
    """Blocks up to a horizontal rule (what follows one is usually a page footer)."""
    kinds = [b.kind for b in blocks]
    return blocks[: kinds.index("rule")] if "rule" in kinds else blocks


def _owner(item: _Item) -> Draft | None:
    parent = item.parent
    while parent is not None:
        if parent.draft is not None:
            return parent.draft
        parent = parent.parent
    return None


def collect(nodes: list[Node], mode: str) -> list[Draft]:
    drafts: list[Draft] = []
    for node in nodes:
        if eligible(node, mode):
            drafts.extend(section_steps(node, mode))
    return drafts


def find_drafts(nodes: list[Node]) -> list[Draft]:
    """Steps of the first pass that finds any (the implicit pass only when fewer than 3 were found)."""
    drafts = collect(nodes, "procedure")
    if drafts:
        return drafts
    drafts = collect(nodes, "fallback")
    if len(drafts) >= 3:
        return drafts
    implicit = collect(nodes, "implicit")
    return implicit if len(implicit) > len(drafts) else drafts


def assign_numbers(drafts: list[Draft]) -> None:
    """Bullets and prose steps get "<parent number>.<position>" or "<group>.<position>"."""
    groups: dict[int, int] = {}
    positions: dict[int, int] = {}
    for draft in drafts:
        group = groups.setdefault(id(draft.node), len(groups) + 1)
        if draft.number is not None:
            continue
        key = id(draft.parent) if draft.parent is not None else -id(draft.node)
        positions[key] = positions.get(key, 0) + 1
        if draft.parent is not None and draft.parent.number:
            prefix = re.sub(r"[()]", "", draft.parent.number).rstrip(".")
        else:
            prefix = str(group)
        draft.number = f"{prefix}.{positions[key]}"
