"""One page of a listing, shaped like Flask-SQLAlchemy's Pagination so the `pager` macro renders it, for
listings built from plain SQL rows rather than ORM queries."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, TypeVar

Item = TypeVar("Item")


def clamp_page(page: int, total: int, per_page: int) -> int:
    """The asked page, moved into 1..last so a stale link shows the last page instead of nothing."""
    return max(1, min(page, max(1, math.ceil(total / per_page))))


@dataclass(frozen=True)
class Page(Generic[Item]):
    items: list[Item]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1
