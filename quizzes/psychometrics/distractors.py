"""Distractor analysis: how often each option of a choice item is picked, per group (e.g. job role).

A distractor nobody picks does no work; one picked more than the key, or by one role far more than by others,
points at a misleading question or at a role that was never taught the step. Moodle's response analysis shows
the same counts per option ("Frequency"); we add the split by group that SOP training needs.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import pandas as pd

COLUMNS = ["item", "group", "option", "is_key", "count", "percent"]


def distractor_table(
    responses: pd.DataFrame,
    item: str = "item",
    option: str = "option",
    group: str | None = "role",
    keys: Mapping[str, str | Collection[str]] | None = None,
    options: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """Count the options chosen per item and group.

    `responses`: one row per (attempt, item) with the chosen option in column `option` (rows with no option,
    i.e. unanswered, are left out) and the group in column `group` (None: one group "all").
    `keys`: the right option(s) per item, to mark `is_key`. `options`: every option per item, so options no
    one chose appear with count 0. Returns the columns `item, group, option, is_key, count, percent`, where
    `percent` is the share of that item's answers within the group (0-100), sorted by item, group, count.
    """
    data = responses.dropna(subset=[option])
    groups = data[group].astype(str) if group else pd.Series("all", index=data.index)
    frame = pd.DataFrame(
        {"item": data[item].astype(str), "group": groups, "option": data[option].astype(str)}
    )
    counts = frame.value_counts(["item", "group", "option"]).rename("count").reset_index()
    if options:
        counts = _with_unchosen(counts, options)
    totals = counts.groupby(["item", "group"])["count"].transform("sum")
    counts["percent"] = 100 * counts["count"] / totals
    counts["is_key"] = [_is_key(keys, i, o) for i, o in zip(counts["item"], counts["option"], strict=True)]
    counts["count"] = counts["count"].astype(int)
    ordered = counts.sort_values(["item", "group", "count", "option"], ascending=[True, True, False, True])
    return ordered.loc[:, COLUMNS].reset_index(drop=True)


def _with_unchosen(counts: pd.DataFrame, options: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """Add a zero row for every listed option a group never chose, for the items and groups seen."""
    seen = counts[["item", "group"]].drop_duplicates()
    listed = pd.DataFrame(
        [(str(i), str(o)) for i, opts in options.items() for o in opts], columns=["item", "option"]
    )
    grid = seen.merge(listed, on="item")
    merged = grid.merge(counts, on=["item", "group", "option"], how="outer")
    return merged.fillna({"count": 0})


def _is_key(keys: Mapping[str, str | Collection[str]] | None, item: str, option: str) -> bool:
    if not keys or item not in keys:
        return False
    key = keys[item]
    return option == key if isinstance(key, str) else option in {str(k) for k in key}
