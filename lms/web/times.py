"""Times on screen in the viewer's own time zone (their account setting); files keep ISO 8601 with offset."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lms.web.identity import current_user


def local_time(value: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """`value` in the signed-in person's zone, with the zone's abbreviation ("2026-12-03 14:05 CET")."""
    if value is None:
        return ""
    try:
        zone = ZoneInfo(getattr(current_user, "timezone", None) or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    shown = value.astimezone(zone)
    return f"{shown.strftime(pattern)} {shown.tzname()}"
