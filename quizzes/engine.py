"""Per-attempt randomisation: which questions an attempt shows, and in which option order.

select_for_attempt(question_ids, size, seed, conflicts) -> list   # a random subset in random order
giveaways(questions) -> {id: ids it must not share an attempt with}
shuffle_options(options, answer, question_type, rng) -> (options, answer)
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

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


def key_texts(question_type: str, options: Sequence[str], answer: Any) -> list[str]:
    """What a learner has to come up with to answer: the key option(s), or the numeric value."""
    if question_type in ("single_choice", "scenario") and isinstance(answer, int):
        return [options[answer]] if 0 <= answer < len(options) else []
    if question_type == "multiple_response":
        return [options[i] for i in answer if 0 <= i < len(options)]
    if question_type == "numeric" and isinstance(answer, dict):
        value = float(answer.get("value", 0))
        shown = f"{value:g}"
        return [f"{shown} {answer.get('unit', '')}".strip()] if answer.get("unit") else []
    return []  # true/false, ordering and matching keys are not texts another stem could quote


def giveaways(questions: Sequence[tuple[Any, str, str, Sequence[str], Any]]) -> dict[Any, set]:
    """For (id, type, stem, options, answer) rows: which questions must not share an attempt, because the stem
    of one quotes the key of the other ("... in a 10% bleach solution" beside "Which concentration ...?").
    Keys of fewer than four characters are ignored: "5" is in too many stems to mean anything."""
    out: dict[Any, set] = {}
    for qid, qtype, _stem, options, answer in questions:
        for key in key_texts(qtype, options, answer):
            needle = " ".join(key.split()).casefold()
            if len(needle) < 4:
                continue
            for other, _t, stem, _o, _a in questions:
                if other != qid and needle in " ".join(stem.split()).casefold():
                    out.setdefault(qid, set()).add(other)
                    out.setdefault(other, set()).add(qid)
    return out


def shuffle_options(
    options: Sequence[str], answer: Any, question_type: str, rng: random.Random | int | str | None = None
) -> tuple[list[str], Any]:
    """Permute the options and remap the answer key to the new positions.

    single_choice/scenario: index remapped; multiple_response: indices remapped (sorted); ordering: the
    correct sequence of indices remapped; matching: options (the right-hand items) permuted, [left, right]
    pairs of texts unchanged and integer right-hand indices remapped. true_false and numeric (and questions
    without options) are returned unchanged: "True"/"False" keep their natural order.
    """
    options = list(options)
    if question_type in ("true_false", "numeric") or len(options) < 2:
        return options, answer
    r = rng if isinstance(rng, random.Random) else make_rng("shuffle", rng)
    perm = list(range(len(options)))
    r.shuffle(perm)  # new position i shows old option perm[i]
    new_pos = {old: new for new, old in enumerate(perm)}
    shuffled = [options[old] for old in perm]
    if question_type in ("single_choice", "scenario"):
        return shuffled, new_pos[int(answer)]
    if question_type == "multiple_response":
        return shuffled, sorted(new_pos[int(a)] for a in answer)
    if question_type == "ordering":
        return shuffled, [new_pos[int(a)] for a in answer]
    if question_type == "matching":
        pairs = []
        for left, right in answer:
            if isinstance(right, int) and not isinstance(right, bool):
                right = new_pos[right]
            pairs.append([left, right])
        return shuffled, pairs
    raise ValueError(f"Unknown question type {question_type!r}.")
