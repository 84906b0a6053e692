"""Per-attempt randomisation: which questions an attempt shows, and in which option order.

select_for_attempt(question_ids, size, seed) -> list   # a random subset in random order
shuffle_options(options, answer, question_type, rng) -> (options, answer)
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from quizzes.text import make_rng


def _rng(seed: Any) -> random.Random:
    if isinstance(seed, random.Random):
        return seed
    return make_rng("attempt", seed)


def select_for_attempt(question_ids: Sequence[Any], size: int, seed: Any) -> list:
    """`size` distinct ids (all of them if there are fewer) in random order; the same seed, the same list.

    Use a different seed per attempt (e.g. the attempt id) so that retakes show different questions.
    """
    ids = list(dict.fromkeys(question_ids))
    if size <= 0 or not ids:
        return []
    rng = _rng(seed)
    return rng.sample(ids, min(size, len(ids)))


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
