"""Entry point: an uploaded SOP file -> `SopDocument`.

`parse_sop` is what the Flask layer calls; `parse_sop_text` is the same pipeline for text already in
memory (tests, and the DOCX/PDF/HTML readers once they have extracted Markdown-like text).
"""

from __future__ import annotations

import os

from sops.blocks import Block, markdown_blocks
from sops.conditions import find_conditions
from sops.decode import decode_text
from sops.definitions import extract_definitions
from sops.errors import NoSteps, UnsupportedFormat
from sops.frontmatter import split_front_matter
from sops.metadata import extract_metadata
from sops.model import SopDocument, Step
from sops.roles import collect_roles
from sops.steps import Draft, assign_numbers, find_drafts
from sops.structure import build_sections, title_heading_index
from sops.textblocks import text_blocks
from sops.values import find_values

FORMATS = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".text": "text"}


def format_for(filename: str) -> str:
    """ "markdown" or "text" from the file extension; anything else is refused."""
    name = os.path.basename(filename) or "The file"
    extension = os.path.splitext(name)[1].lower()
    if extension not in FORMATS:
        shown = f"'{extension}' files are" if extension else "files without an extension are"
        raise UnsupportedFormat(
            f"{name} cannot be read: {shown} not supported; upload the SOP as Markdown (.md, .markdown) "
            "or plain text (.txt, .text)."
        )
    return FORMATS[extension]


def parse_sop(data: bytes, filename: str) -> SopDocument:
    """Read an uploaded SOP (bytes + original file name) into the structured model.

    Raises a `sops.errors.SopParseError` subclass whose message can be shown to the uploader.
    """
    fmt = format_for(filename)
    text = decode_text(data, filename)
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
    return SopDocument(
        title=meta.title,
        code=meta.code,
        revision=meta.revision,
        effective_date=meta.effective_date,
        sections=[node.section for node in nodes],
        steps=steps,
        roles=collect_roles(nodes, steps),
        definitions=definitions,
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
