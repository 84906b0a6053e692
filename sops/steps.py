"""Sections -> procedure steps, in document order.

Three passes, each used only when the previous finds nothing (or too little):
1. "procedure": numbered items, numbered step headings and action bullet lists inside procedure sections;
2. "fallback": the same in any section except definitions, references, revision history, materials,
   purpose/scope, contents and asides (runbooks and checklists have no "Procedure" heading);
3. "implicit": also every bullet and every imperative sentence of the prose (handbook pages).
Counting rules (tests/sops/test_real_fixtures.py follows them exactly):
- every numbered list item and every single-number step heading ("### 2. Root Cause Analysis") in an
  eligible section is a step; dotted section headings ("4.5 Analysis") only when they read as an order;
- an unnumbered bullet is a step when it reads as an instruction (imperative, "do not"/"make sure"
  opener, a modal near the start, or nothing but an inline command such as `sudo shutdown now`) and
  at least half of its sibling bullets do too; statements ("The chips are now ready ...") and
  parenthesised notes in such a list are not steps;
- sections headed "Not ..." / "Non-..." never hold steps; neither do tables, code blocks, fill-in fields;
- prose sentences are steps only in the implicit pass, and pointers ("Refer to ...", "Read more ...") never;
- a step's depth counts only its step ancestors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sops.actions import is_command, reads_like_action
from sops.actors import find_actor, tidy_role
from sops.blocks import WARNING_START, Block
from sops.inline import clean_inline
from sops.structure import Node
from sops.values import find_values

MODES = ("procedure", "fallback", "implicit")  # "numbered": other sections during the procedure pass
_EXCLUDED = frozenset({"definitions", "references", "revision_history", "materials", "purpose", "scope"})
_EXCLUDED_RAW = frozenset({"aside", "contents"})
WARNING_LABEL = WARNING_START
_LABEL_ONLY = re.compile(r"^(?:warning|caution|note|important|danger|attention|notice)\s*[:!.]?$", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(\[])")
_SENTENCE_GAP = re.compile(r"[.!?]\s")  # cheap test whether `_SENTENCE` can split at all
_NEGATED = re.compile(r"^(?:[\d.]+\s+)?(?:not|non)[\s-]", re.I)
_PAREN_NOTE = re.compile(r"^\(.*\)\.?$", re.S)
_POINTER = re.compile(r"^(?:read more|refer to|see|for more|find out)\b", re.I)
_DOTTED = re.compile(r"\d+(?:\.\d+)+")
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
    details: list[str] = field(default_factory=list)  # nested items that are no steps, joined to the text


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
    if _NEGATED.match(node.section.heading):  # "Not Responsibilities", "Non-routine tasks"
        return False
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
        if block.kind != "table" or not block.rows:
            continue
        if _PARTICIPANTS.match(clean_inline(block.rows[0][0])):  # a one-column list under the header
            names = [clean_inline(row[0]) for row in block.rows[1:] if row and clean_inline(row[0])]
            return [tidy_role(name) for name in names]
        for row in block.rows:  # a key/value table: | Participants | QMO |
            cells = [clean_inline(c) for c in row]
            if len(cells) >= 2 and _PARTICIPANTS.match(cells[0]) and cells[1]:
                return [tidy_role(cells[1])]
    return []


_WORDLIKE = re.compile(r"[^\W\d_]{2}")


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
        if not _WORDLIKE.search(text) and not find_values(text):
            continue  # "14.5 \\": a footer's number and a stray mark; a value alone ("95 °C") is kept
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
    # "numbered" mode: the section's top-level numbered items are steps when most of them give orders
    # (judged over the whole section: a NOTE between items 1 and 4 splits the list, not the procedure)
    top = [i for i in items if i.parent is None and i.block.ordered and not i.warning and i.text]
    numbered_procedure = len(top) >= 2 and sum(1 for i in top if _acts(i)) * 2 > len(top)
    for run in runs.values():
        candidates = [i for i in run if not i.warning and i.text]
        bullets = [i for i in candidates if not i.block.ordered]
        acting = {id(i) for i in bullets if _acts(i)}
        take_bullets = mode == "implicit" or (bullets and len(acting) * 2 >= len(bullets))
        if mode == "numbered":
            nested = run[0].parent is not None and run[0].parent.step
            for item in candidates:
                if item.block.ordered:
                    item.step = (numbered_procedure and item.parent is None) or nested
                else:
                    item.step = bool(nested and take_bullets and id(item) in acting)
            continue
        for item in candidates:
            if item.block.ordered:
                item.step = True
            elif mode == "implicit":
                item.step = not _PAREN_NOTE.match(item.text)
            else:
                item.step = bool(take_bullets) and id(item) in acting
        ordered = [i for i in candidates if i.block.ordered]
        numbers = {i.block.marker for i in ordered}
        if len(ordered) > 1 and len(numbers) == 1 and ordered[0].block.marker.isdigit():
            start = int(ordered[0].block.marker)
            for offset, item in enumerate(ordered):
                item.block.marker = str(start + offset)


# "**Allow Secure Boot for integrity validation** policy under ...": a setting's bold name, not an order
_NAMED_SETTING = re.compile(
    r"^\s*\*\*[^*]{2,120}\*\*\s+(?:policy|policies|setting|settings|option|field|button|menu|tab|column|"
    r"parameter|property|checkbox)\b",
    re.IGNORECASE,
)


def _acts(item: _Item) -> bool:
    """An unnumbered bullet that gives an instruction (not a parenthesised note or a statement)."""
    if _PAREN_NOTE.match(item.text) or _NAMED_SETTING.match(item.block.text):
        return False
    return reads_like_action(item.text, clean=False) or is_command(item.block.text)


def _dotted_base(items: list[_Item]) -> int:
    dotted = [i.block.marker.count(".") for i in items if _DOTTED.fullmatch(i.block.marker)]
    return min(dotted) if dotted else 0


def _inline_warnings(text: str) -> list[str]:
    if not _SENTENCE_GAP.search(text):
        return []
    return [s for s in _SENTENCE.split(text)[1:] if is_warning(s)]


def section_steps(node: Node, mode: str) -> list[Draft]:
    """Steps found in one section's own blocks (heading step first, then items and prose)."""
    drafts: list[Draft] = []
    head: Draft | None = None
    if node.step_number and (
        (mode == "procedure" and "." not in node.step_number)
        or reads_like_action(node.step_text, clean=False)
    ):
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
                owner = _owner(item)
                lead_in = owner is not None and (owner.text.rstrip().endswith(":") or bool(owner.details))
                short_value = len(item.text.split()) <= 12 and bool(re.search(r"\d", item.text))
                if (
                    owner is not None
                    and item.text
                    and not _PAREN_NOTE.match(item.text)
                    and (lead_in or short_value)
                ):
                    # a nested item that is no step of its own ("Poultry: 165 °F" under "Cook each food to
                    # its minimum internal temperature:") stays with its step, so a value keeps its subject
                    joiner = " " if owner.text.rstrip().endswith(":") or not owner.details else "; "
                    owner.text = f"{owner.text.rstrip()}{joiner}{item.text.rstrip(' ;.')}"
                    owner.details.append(item.text)
                continue
            owner = _owner(item)
            depth = owner.depth + 1 if owner is not None else base  # only steps count as levels
            if _DOTTED.fullmatch(block.marker):
                depth = block.depth + base + block.marker.count(".") - dotted
            parent = owner or head
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
                if reads_like_action(sentence, clean=False) and not _POINTER.match(sentence):
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
    """Steps of every eligible section. In the "procedure" pass a numbered list of actions is a procedure
    wherever it stands ("Storage and cleaning", "Calibration", "In situ intercomparison"), not only under a
    heading that says Procedure: such sections are read in the "numbered" mode."""
    by_node: list[list[Draft]] = []
    for node in nodes:
        if eligible(node, mode):
            by_node.append(section_steps(node, mode))
        elif mode == "procedure" and eligible(node, "fallback"):
            by_node.append(section_steps(node, "numbered"))
        else:
            by_node.append([])
    if mode == "procedure" and not any(
        found for node, found in zip(nodes, by_node, strict=True) if eligible(node, mode)
    ):
        return []  # no Procedure section holds steps: the fallback pass reads the whole document
    return drop_contents(nodes, [draft for found in by_node for draft in found])


_TOC_MARK = re.compile(r"[\s\u00b6#]+$")  # "Requirements ¶": the permalink mark of a generated manual


def _heading_key(text: str) -> str:
    return _TOC_MARK.sub("", clean_inline(text)).casefold()


_LEADER = re.compile(r"(?:\.{3,}|(?:\. ){3,})\s*\d+\s*$|\s\d+\s*$")  # "Scope ........ 3": a contents line


def only_contents(nodes: list[Node]) -> bool:
    """Is the document a table of contents and nothing else (every line an entry with a page number, or
    a "Contents" section and headings with nothing under them)?"""
    lines = [clean_inline(b.text) for n in nodes for b in n.blocks if b.kind in ("item", "paragraph")]
    lines = [t for t in lines if t]
    if any(n.raw_kind == "contents" for n in nodes):
        others = [
            t for n in nodes if n.raw_kind != "contents" for b in n.blocks if (t := clean_inline(b.text))
        ]
        return not others
    # only a line's end is searched: a contents entry ends in its page number, and a long line stays cheap
    return len(lines) >= 3 and sum(1 for t in lines if _LEADER.search(t[-120:])) * 3 >= len(lines) * 2


def drop_contents(nodes: list[Node], drafts: list[Draft]) -> list[Draft]:
    """A list whose items name the document's own headings is its table of contents, not steps: three or
    more such items in one section are dropped."""
    headings = {_heading_key(n.section.heading) for n in nodes}
    toc = [d for d in drafts if _heading_key(d.text) in headings and d.node.section.heading != d.text]
    per_node: dict[int, int] = {}
    for d in toc:
        per_node[id(d.node)] = per_node.get(id(d.node), 0) + 1
    gone = {id(d) for d in toc if per_node[id(d.node)] >= 3}
    return [d for d in drafts if id(d) not in gone]


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
