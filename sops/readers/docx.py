"""Word (.docx) -> Markdown for the structure parser.

Headings come from paragraph styles and outline levels, list numbers are recomputed from Word's
numbering definitions (so "4.2.1" and "b)" survive as written), tables become Markdown rows, and the
page header is kept out of the body (it would otherwise repeat inside steps) except that its text is
put in a leading line when the body itself lacks the document number or revision.
"""

from __future__ import annotations

import os
import zipfile

from lxml import etree

from sops.errors import EmptyDocument, Unreadable
from sops.limits import ReadLimits
from sops.readers import Extracted
from sops.readers.docx_numbering import WT, Numbering, StyleLists
from sops.readers.docx_package import check_package
from sops.readers.docx_styles import Styles
from sops.readers.docx_text import body_blocks, header_lines, needs_header, render

_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


def _parse(archive: zipfile.ZipFile, part: str, name: str) -> etree._Element | None:
    """Parse one XML part without resolving any entity or fetching anything (no XXE, no DTD)."""
    if part not in archive.NameToInfo:
        return None
    raw = b""
    try:
        raw = archive.read(part)
        return etree.fromstring(raw, etree.XMLParser(**_PARSER_OPTIONS))  # entities off, see above
    except (zipfile.BadZipFile, etree.XMLSyntaxError, ValueError, OSError, EOFError, KeyError):
        if b"<!ENTITY" in raw:
            raise Unreadable(
                f"{name} was refused as unsafe: {part} declares XML entities, which Word never writes "
                "(the file was altered after saving); save the SOP again from Word and upload the new file."
            ) from None
        raise Unreadable(
            f"{name} is not a valid Word document (the file is corrupt or truncated: {part} cannot be "
            "read); open it in Word, save it again as .docx and upload the new file."
        ) from None


def _related_parts(archive: zipfile.ZipFile, kind: str, name: str) -> list[str]:
    """Parts the main document relates to with this relationship type (e.g. its page headers)."""
    rels = _parse(archive, "word/_rels/document.xml.rels", name)
    if rels is None:
        return []
    out = []
    for rel in rels:
        if isinstance(rel.tag, str) and (rel.get("Type") or "").endswith("/" + kind):
            target = (rel.get("Target") or "").lstrip("/")
            out.append(target if target.startswith("word/") else "word/" + target)
    return out


def read(data: bytes, filename: str, limits: ReadLimits) -> Extracted:
    """Read a .docx upload into Markdown; every failure is a `SopParseError` with a trainer-facing message."""
    name = os.path.basename(filename) or "The file"
    archive = check_package(data, name, limits)
    with archive:
        document = _parse(archive, "word/document.xml", name)
        styles = Styles(_parse(archive, "word/styles.xml", name))
        numbering = Numbering(_parse(archive, "word/numbering.xml", name), styles.num_ids())
        headers = [
            root
            for part in _related_parts(archive, "header", name)
            if (root := _parse(archive, part, name)) is not None
        ]
    body = document.find(f"{WT}body") if document is not None else None
    if body is None:
        raise Unreadable(
            f"{name} is not a valid Word document (it has no document body); open it in Word, save it "
            "again as .docx and upload the new file."
        )
    blocks = body_blocks(body, styles, numbering, StyleLists())
    text = render(blocks)
    if not text.strip():
        raise EmptyDocument(
            f"{name} has no text in its body (it is empty or holds only images); upload the Word file "
            "that holds the written procedure."
        )
    lines = header_lines(headers)
    if lines and needs_header(text, filename):
        text = render(blocks, ["\n".join(lines)])
    return Extracted(text, "markdown")
