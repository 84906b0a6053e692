"""Blocks -> sections: one per heading, each with its kind, level, own prose and own blocks.

Besides Markdown headings, two heading forms common in converted SOPs become sections too: run-in
headings ("Restoring Equipment to Service. When the servicing ...", regulatory style) and bold label
paragraphs naming an SOP part ("**Procedure:**"). Sub-sections of a procedure whose own heading says
nothing ("Preparation", "### 1. Input for CAPA") are procedure too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sops.actions import VERBS
from sops.actors import has_role_noun, is_role, tidy_role
from sops.blocks import Block
from sops.inline import clean_inline, normalise_space
from sops.model import Section
from sops.section_kinds import public_kind, raw_heading_kind

_SMALL = r"(?:of|to|and|the|for|in|on|a|an|with|from|by|or|at)"
_CAP = r"[A-Z][\w'\u2019/-]*"
_RUN_IN = re.compile(rf"^(?P<label>{_CAP}(?:\s+(?:{_CAP}|{_SMALL})){{1,6}})\.\s+(?P<rest>[A-Z(].*)$", re.S)
_BOLD_LABEL = re.compile(r"^\s*(?:\*\*|__)(?P<label>[^*_]{2,60}?)(?:\*\*|__)\s*:?\s*$")
_LABEL_WORDS = re.compile(r"(?i)^(?:warning|caution|note|important|danger|attention|notice)\b")
_ROLE_LABEL = re.compile(
    r"^\s*(?:\*\*|__)?(?:delegate to|performed by|responsible|owner|actor|who)\s*:\s*(?:\*\*|__)?\s*"
    r"(?:\*\*|__)?\s*(?P<role>[^\n*]{2,60}?)\s*(?:\*\*|__)?\s*$",
    re.I,
)
_FIRST_MARKERS = frozenset({"1", "1)", "(1)", "a", "a)", "(a)", "1.1"})
_STEP_HEADING = re.compile(r"^(?:step\s+)?(?P<number>\d{1,3}(?:\.\d{1,3})*)[.):]?\s+(?P<text>\S.*)$", re.I)


@dataclass
class Node:
    """A section under construction: the public `Section` plus what the step finder needs."""

    section: Section
    raw_kind: str
    parent: Node | None = None
    blocks: list[Block] = field(default_factory=list)
    is_title: bool = False
    role: str | None = None
    step_number: str | None = None
    step_text: str = ""


def title_heading_index(blocks: list[Block], title: str) -> int | None:
    """Index of the first heading when it is the document's own title (single top-level heading)."""
    headings = [(i, b) for i, b in enumerate(blocks) if b.kind == "heading"]
    if not headings:
        return None
    index, first = headings[0]
    top = min(b.level for _, b in headings)
    text = clean_inline(first.text).lower()
    same_level = sum(1 for _, b in headings if b.level == first.level)
    wanted = title.lower()
    if (first.level == top and same_level == 1) or (text and (text in wanted or wanted in text)):
        return index
    return None


def _names_role(heading: str) -> bool:
    """A heading that is just a role ("Supervisor", "People-Ops Team"), not "Handing off IC"."""
    words = heading.split()
    first = words[0].lower() if words else ""
    return (
        len(words) <= 4
        and is_role(heading)
        and has_role_noun(heading)  # "PREP" is an all-caps heading, not a role abbreviation
        and first not in VERBS
        and not first.endswith("ing")
    )


def _run_in(block: Block) -> tuple[str, str] | None:
    if block.kind != "paragraph" or block.indent:
        return None
    match = _RUN_IN.match(clean_inline(block.text))
    if not match:
        return None
    label = match.group("label")
    words = label.split()
    if len([w for w in words if w[0].isupper()]) < 2 or not words[-1][0].isupper():
        return None
    return label, match.group("rest")


def _label(block: Block, following: Block | None) -> tuple[str, str] | None:
    """A stand-alone label paragraph that opens a sub-section.

    "**Bucket Sterilization:**" (bold, alone on its line) or "Tube Sterilization Method (RO Available):"
    directly followed by a list numbered from 1: field protocols use these as sub-procedure titles.
    """
    if block.kind != "paragraph":
        return None
    first, _, rest = block.text.strip().partition("\n")
    bold = _BOLD_LABEL.match(first)
    text = clean_inline(first).rstrip(":").strip()
    if not text or re.match(r"(?i)(?:table|figure|fig\.|image)\s*\d", text) or _LABEL_WORDS.match(text):
        return None
    if bold:
        return text, rest
    starts_list = following is not None and following.kind == "item" and following.marker in _FIRST_MARKERS
    plain = first.rstrip().endswith(":") and len(text.split()) <= 8 and not re.search(r"[,.;!?]", text)
    if starts_list and plain and not rest:
        return text, ""
    # "Method" / "MONITORING" alone on a line above a list (a PDF's text layer loses heading styles): a
    # section when it names a part of an SOP
    named = len(text.split()) <= 3 and not re.search(r"[,.;!?]", first) and raw_heading_kind(text) != "other"
    lists = following is not None and following.kind == "item"
    return (text, "") if named and lists and not rest and not block.indent else None


class _Builder:
    def __init__(self, title: str) -> None:
        self.title = title
        self.nodes: list[Node] = []
        self.stack: list[Node] = []
        self.heading_level = 1

    def open(self, heading: str, level: int, *, is_title: bool = False) -> Node:
        while self.stack and self.stack[-1].section.level >= level:
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        clean = clean_inline(heading)
        raw = raw_heading_kind(clean)
        if is_title and len(clean.split()) > 2:
            raw = "other"
        kind = public_kind(raw)
        if raw == "other" and parent is not None and parent.section.kind == "procedure":
            kind = "procedure"  # "Preparation" under "Procedure"; a long document-title heading is "other"
        node = Node(
            Section(f"sec-{len(self.nodes) + 1}", kind, clean, "", level), raw, parent, is_title=is_title
        )
        step = _STEP_HEADING.match(clean)
        if (
            step
            and raw == "other"
            and not step.group("number").endswith(".0")
            and step.group("number") != "0"
        ):
            node.step_number, node.step_text = step.group("number"), step.group("text")
        if raw == "other" and not is_title and _names_role(clean):
            node.role = tidy_role(clean)
        self.nodes.append(node)
        self.stack.append(node)
        return node


def build_sections(blocks: list[Block], title: str, title_index: int | None) -> list[Node]:
    """Group blocks under their headings, in document order."""
    builder = _Builder(title)
    current: Node | None = None
    for index, block in enumerate(blocks):
        if block.kind == "heading":
            builder.heading_level = block.level
            current = builder.open(block.text, block.level, is_title=index == title_index)
            continue
        run_in = _run_in(block) if current is not None else None
        if run_in and current is not None:
            current = builder.open(run_in[0], current.section.level)
            current.blocks.append(Block("paragraph", run_in[1], line=block.line))
            continue
        label = _label(block, blocks[index + 1] if index + 1 < len(blocks) else None)
        if label:
            if (
                current is None
            ):  # "**Start-up procedure**" on the first line: a section of the titled document
                builder.open(title, 1, is_title=True)
            current = builder.open(label[0], builder.heading_level + 1)
            if label[1].strip():
                current.blocks.append(Block("paragraph", label[1], line=block.line + 1))
            continue
        if current is None:
            if block.kind == "code" or not clean_inline(block.text):
                continue
            current = builder.open(title, 1, is_title=True)
        delegate = _ROLE_LABEL.match(block.text) if block.kind == "paragraph" else None
        if delegate and current.role is None and is_role(clean_inline(delegate.group("role"))):
            current.role = tidy_role(
                clean_inline(delegate.group("role"))
            )  # "**Delegate to:** Marketing Team"
            continue
        current.blocks.append(block)
    for node in builder.nodes:
        prose = [clean_inline(b.text) for b in node.blocks if b.kind in ("paragraph", "quote", "item")]
        node.section.text = normalise_space(" ".join(p for p in prose if p))
    return builder.nodes
