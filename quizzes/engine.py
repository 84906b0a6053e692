"""Per-attempt randomisation: which questions an attempt shows, and in which option order.

select_for_attempt(question_ids, size, seed, conflicts) -> list   # a random subset in random order
giveaways(questions) -> {id: ids it must not share an attempt with}
option_order(question_type, count, rng) -> the order an attempt shows the options in
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from quizzes.answers import answer_type
from quizzes.text import make_rng


def _rng(seed: Any) -> random.Random:
    if isinstance(seed, random.Random):
        return seed
    return make_rng("attempt", seed)


def select_for_attempt(
    question_ids: Sequence[Any], size: int, seed: Any, conflicts: Mapping[Any, set] | None = None
) -> list:
    """Up to `size` distinct ids in random order; the same seed, the same list.

    Use a different seed per attempt (e.g. the attempt id) so that retakes show different questions. Two ids
    that `conflicts` pairs (one's stem gives away the other's key) never land in the same attempt, even if
    the attempt comes out shorter than `size`.
    """
    ids = list(dict.fromkeys(question_ids))
    if size <= 0 or not ids:
        return []
    order = _rng(seed).sample(ids, len(ids))
    chosen: list = []
    barred: set = set()
    for qid in order:
        if len(chosen) == size:
            break
        if qid in barred:
            continue
        chosen.append(qid)
        barred |= (conflicts or {}).get(qid, set())
    return chosen


def giveaways(questions: Sequence[tuple[Any, str, str, Sequence[str], Any]]) -> dict[Any, set]:
    """For (id, type, stem, options, answer) rows: which questions must not share an attempt, because the stem
    of one quotes the key of the other ("... in a 10% bleach solution" beside "Which concentration ...?").
    Keys of fewer than four characters are ignored: "5" is in too many stems to mean anything."""
    out: dict[Any, set] = {}
    for qid, qtype, _stem, options, answer in questions:
        for key in answer_type(qtype).key_texts(options, answer):
            needle = " ".join(key.split()).casefold()
            if len(needle) < 4:
                continue
            for other, _t, stem, _o, _a in questions:
                if other != qid and needle in " ".join(stem.split()).casefold():
                    out.setdefault(qid, set()).add(other)
                    out.setdefault(other, set()).add(qid)
    return out


def option_order(question_type: str, count: int, rng: random.Random) -> list[int]:
    """The order an attempt shows a question's options in: `order[position]` is the option shown there.
    Types whose options have a natural order (true/false) or none (numeric) keep 0..count-1."""
    order = list(range(count))
    if answer_type(question_type).shuffled:
        rng.shuffle(order)
    return order
