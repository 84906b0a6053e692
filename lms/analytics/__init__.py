"""Analytics (issue 6): aggregates computed in SQL, shaped with pandas, drawn with plotly.

`gaps` (miss rate by SOP step and job role), `items` (item analysis of one quiz) and `overview` (completion,
scores, pass rate over revisions) run GROUP BY queries and return small results; `figures` turns them into
plotly figures and serves the plotly.js bundle that ships inside the installed plotly package (no CDN).
"""

from __future__ import annotations

from sqlalchemy import Executable

from lms.db import db


def percent(part: float, whole: float, empty: float | None = 0.0) -> float | None:
    """`part` as a percentage of `whole`, to one decimal, as every analytics table shows it; `empty` when
    `whole` is 0."""
    return round(100.0 * part / whole, 1) if whole else empty


def fetch(query: Executable) -> list:
    """All rows of a column query, run on the session's connection (same transaction) as a Core statement:
    the ORM's per-row machinery is skipped, which is a large share of the time on the big aggregates."""
    return db.session.connection().execute(query).all()
