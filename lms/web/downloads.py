"""How every report leaves: streamed as it is produced, never kept by a browser or proxy (reports hold
personal data), under a file name that says what and when."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from flask import Response, current_app, stream_with_context

MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "zip": "application/zip",
}


def download(chunks: Iterator[str | bytes], filename: str) -> Response:
    extension = filename.rsplit(".", 1)[-1]
    response = Response(stream_with_context(chunks), mimetype=MIMETYPES.get(extension, "text/csv"))
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def stamp(moment: datetime) -> str:
    """The time part of a file name: 20261204T1830Z."""
    return f"{moment:%Y%m%dT%H%MZ}"


def organisation() -> str:
    """The organisation every report file names in its header (`LMS_ORGANISATION_NAME`)."""
    return current_app.config["LMS_ORGANISATION_NAME"]
