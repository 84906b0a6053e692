"""One reader per file format, chosen by extension.

A reader turns the uploaded bytes into text in one of the two forms the structure parser understands,
"markdown" or "text": a DOCX's heading styles and Word numbering, a PDF's layout and an HTML page's tags
all become Markdown headings and numbered lists, so one structure parser serves every format.
Readers are imported only when a file of their format arrives.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from typing import NamedTuple

from sops.errors import UnsupportedFormat
from sops.limits import ReadLimits


class Extracted(NamedTuple):
    text: str
    fmt: str  # "markdown" or "text"


Reader = Callable[[bytes, str, ReadLimits], Extracted]

# extension -> "module:function"
READERS: dict[str, str] = {
    ".md": "sops.readers.plain:read_markdown",
    ".markdown": "sops.readers.plain:read_markdown",
    ".rst": "sops.readers.plain:read_markdown",  # "===" / "---" underlined titles, "-" lists: read alike
    ".txt": "sops.readers.plain:read_text",
    ".text": "sops.readers.plain:read_text",
    ".html": "sops.readers.html:read",
    ".htm": "sops.readers.html:read",
    ".docx": "sops.readers.docx:read",
    ".pdf": "sops.readers.pdf:read",
}
ACCEPTED = (
    "Markdown (.md), reStructuredText (.rst), plain text (.txt), HTML (.html), Word (.docx) or PDF (.pdf)"
)


def reader_for(filename: str) -> Reader:
    """The reader for this file name's extension; anything else is refused with the accepted list."""
    name = os.path.basename(filename) or "The file"
    extension = os.path.splitext(name)[1].lower()
    target = READERS.get(extension)
    if target is None:
        shown = f"'{extension}' files are" if extension else "files without an extension are"
        raise UnsupportedFormat(
            f"{name} cannot be read: {shown} not supported; upload the SOP as {ACCEPTED}."
        )
    module_name, function = target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:  # a reader not written yet
        raise UnsupportedFormat(
            f"{name} cannot be read yet: {extension} support is not installed."
        ) from error
    return getattr(module, function)
