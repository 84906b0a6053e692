"""How a signature is shown (21 CFR Part 11 §11.50): the printed name, the time in UTC and in the signer's
zone, the meaning, and the signed content's hash, on every page and record that carries it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lms.models import Signature
from lms.services.signature_checks import signature_problem

SHORT_HASH = 12


@dataclass(frozen=True)
class Manifestation:
    """What every view of a signed record shows: who, when (UTC and the signer's zone), what it means."""

    signature_id: int
    printed_name: str
    signed_at: datetime
    when: str  # "2026-11-25 14:03 UTC (15:03 Europe/Berlin)"
    meaning: str
    content_hash: str
    short_hash: str
    problem: str | None

    @property
    def valid(self) -> bool:
        return self.problem is None


def manifestation(signature: Signature, timezone: str | None = None) -> Manifestation:
    """The signature as shown to people; times in UTC and in `timezone` (default: the signer's zone)."""
    zone = timezone or (signature.user.timezone if signature.user else "UTC")
    return Manifestation(
        signature_id=signature.id,
        printed_name=signature.printed_name,
        signed_at=signature.signed_at,
        when=format_when(signature.signed_at, zone),
        meaning=signature.meaning,
        content_hash=signature.content_hash,
        short_hash=signature.content_hash[:SHORT_HASH],
        problem=signature_problem(signature),
    )


def format_when(moment: datetime, zone_name: str | None) -> str:
    """'2026-11-25 14:03 UTC (15:03 Europe/Berlin)'; the local date is repeated when it differs."""
    utc = moment.astimezone(UTC)
    text = f"{utc:%Y-%m-%d %H:%M} UTC"
    zone = _zone(zone_name)
    if zone is None:
        return text
    local = utc.astimezone(zone)
    shown = f"{local:%H:%M}" if local.date() == utc.date() else f"{local:%Y-%m-%d %H:%M}"
    return f"{text} ({shown} {zone_name})"


def _zone(name: str | None) -> ZoneInfo | None:
    if not name or name.upper() in ("UTC", "ETC/UTC", "Z"):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
