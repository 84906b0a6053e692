"""Small request-parsing guards shared by the views."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next_url(target: str | None) -> str | None:
    """Follow `?next=` only to a path on this site, never to another host (open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def page_number(raw: str | None) -> int:
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1


def form_status(form) -> int:
    """400 for a submitted form that failed validation (the page shows why), 200 for a fresh one."""
    return 400 if form.is_submitted() else 200
