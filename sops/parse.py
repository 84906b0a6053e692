"""Entry point: an uploaded SOP file -> `SopDocument`.

`parse_sop` is what the Flask layer calls; `parse_sop_text` is the same pipeline for text already in
memory (tests, and the DOCX/PDF/HTML readers once they have extracted Markdown-like text).
"""

from __future__ import annotations

import os

from sops.blocks import Block, markdown_blocks
from sops.body import section_body
from sops.conditions import find_conditions
from sops.definitions import extract_definitions
from sops.errors import NoSteps, TooLarge, UnsupportedFormat
from sops.frontmatter import split_front_matter
from sops.limits import DEFAULT_LIMITS, ReadLimits
from sops.metadata import extract_metadata
from sops.model import SopDocument, Step
from sops.readers import reader_for
from sops.roles import collect_roles
from sops.rules import find_rules
from sops.steps import Draft, assign_numbers, find_drafts, only_contents
from sops.structure import build_sections, title_heading_index
from sops.textblocks import text_blocks
from sops.values import find_values


def parse_sop(data: bytes, filename: str, limits: ReadLimits = DEFAULT_LIMITS) -> SopDocument:
    """Read an uploaded SOP (bytes + original file name) into the structured model.

    Raises a `sops.errors.SopParseError` subclass whose message can be shown to the uploader.
    """
    name = os.path.basename(filename) or "The file"
    if len(data) > limits.max_bytes:
        raise TooLarge(
            f"{name} is {len(data) / 1048576:.1f} MB; the limit is {limits.max_bytes / 1048576:.0f} MB. "
            "Split the document or ask an administrator to raise the limit."
        )
    reader = reader_for(filename)
    text, fmt = reader(data, filename, limits)
    if len(text) > limits.max_text_chars:
        raise TooLarge(
            f"{name} holds {len(text):,} characters of text, more than the {limits.max_text_chars:,} "
            "an SOP may have; split it into several SOPs."
        )
    return parse_sop_text(text, fmt, filename=filename)


def parse_sop_text(text: str, fmt: str = "markdown", *, filename: str = "document.md") -> SopDocument:
    """Parse already-decoded text ("markdown" or "text")."""
    if fmt not in ("markdown", "text"):
        raise UnsupportedFormat(f"Unknown SOP text format {fmt!r}; use 'markdown' or 'text'.")
    front, body = split_front_matter(text.replace("\r\n", "\n").lstrip("\ufeff"))
    blocks: list[Block] = markdown_blocks(body) if fmt == "markdown" else text_blocks(body)
    provisional = front.get("title", "") or os.path.splitext(os.path.basename(filename))[0]
    title_index = title_heading_index(blocks, provisional)
    meta = extract_metadata(front, blocks, filename, title_index)
    nodes = build_sections(blocks, meta.title, title_index)
    drafts = find_drafts(nodes)
    if not drafts:
        name = os.path.basename(filename)
        if only_contents(nodes):
            raise NoSteps(
                f"{name} holds only a table of contents, no procedure: upload the SOP itself, with its "
                "steps written out."
            )
        raise NoSteps(
            f"No procedure steps were found in {name}; write the steps as a numbered list (1., 2., 3.) "
            "under a 'Procedure' heading and upload it again."
        )
    assign_numbers(drafts)
    steps = [_step(i, draft) for i, draft in enumerate(drafts, start=1)]
    definitions = [
        definition
        for node in nodes
        if node.section.kind == "definitions"
        for definition in extract_definitions(node.section.heading, node.blocks)
    ]
    roles = collect_roles(nodes, steps)
    for node in nodes:
        node.section.body = section_body(node.blocks, [s for s in steps if s.section_id == node.section.id])
    return SopDocument(
        title=meta.title,
        code=meta.code,
        revision=meta.revision,
        effective_date=meta.effective_date,
        sections=[node.section for node in nodes],
        steps=steps,
        roles=roles,
        definitions=definitions,
        rules=find_rules(
            [(node.section.id, node.blocks) for node in nodes],
            steps,
            roles,
            {node.section.id: node.section.heading for node in nodes},
        ),
    )


def _step(index: int, draft: Draft) -> Step:
    searched = f"{draft.text} {draft.context}".strip()
    warnings: list[str] = []
    for warning in draft.warnings:
        if warning not in warnings:
            warnings.append(warning)
    return Step(
        id=f"step-{index}",
        number=draft.number or str(index),
        depth=draft.depth,
        section_id=draft.node.section.id,
        text=draft.text,
        actor=draft.actor,
        warnings=warnings,
        critical_values=find_values(searched),
        conditions=find_conditions(searched),
    )
