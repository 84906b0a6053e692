"""Order-aware alignment of two sequences, and the text helpers the revision diff uses.

`align` pairs the items of an old and a new sequence in four passes:
1. anchors: `difflib.SequenceMatcher` over exact (normalised) keys, so the longest runs of identical
   items are matched in order first;
2. identical keys left over (an item moved elsewhere) are paired with each other;
3. the rest are paired greedily by similarity (caller-supplied, after a cheap upper-bound prefilter
   keeps the few best candidates per item), needing `threshold` between the same two anchors and the stricter
   `move_threshold` across anchors;
4. a weighted longest increasing subsequence over all pairs decides which pairs are in order; the
   others are "moved".
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict, deque
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

# A word, a number with its decimals/thousands ("2.5", "1,000") and a leading minus sign ("-20").
_TOKEN = re.compile(r"(?:(?<!\w)-(?=\d))?\w+(?:[.,]\d+)*")
_WORD = re.compile(r"\S+\s*")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
IN_GAP_BONUS = 0.05
FULL_SEARCH = 20_000  # leftover pairs bounded exhaustively; beyond, only nearby ones
WINDOW = 25  # old items either side of a new item's proportional position
RARE = 8  # a word in at most this many leftover old items makes them candidates


def tokens(text: str) -> tuple[str, ...]:
    """Case-, whitespace- and punctuation-insensitive words of `text` (signs and decimals kept)."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("\u2212", "-")
    return tuple(_TOKEN.findall(folded))


def tagged(words: Sequence[str]) -> frozenset[tuple[str, int]]:
    """The words as a set whose intersections count repeated words (a multiset as a set)."""
    seen: dict[str, int] = defaultdict(int)
    out = []
    for word in words:
        seen[word] += 1
        out.append((word, seen[word]))
    return frozenset(out)


def dice(a: frozenset, b: frozenset) -> float:
    """2|a∩b| / (|a|+|b|): for `tagged` sets, difflib's quick_ratio, an upper bound of ratio()."""
    total = len(a) + len(b)
    return 1.0 if total == 0 else 2 * len(a & b) / total


def word_segments(old_text: str, new_text: str) -> list[tuple[str, str]]:
    """Word-level inline diff: ("equal" | "delete" | "insert", text) runs.

    Joining the "equal" and "insert" texts gives the new text back; "equal" and "delete" the old one
    (whitespace inside equal runs as in the new text).
    """
    old_words = _WORD.findall(old_text)
    new_words = _WORD.findall(new_text)
    matcher = SequenceMatcher(
        None, [w.rstrip() for w in old_words], [w.rstrip() for w in new_words], autojunk=False
    )
    out: list[tuple[str, str]] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", "".join(new_words[j1:j2]))
        else:
            add("delete", "".join(old_words[i1:i2]))
            add("insert", "".join(new_words[j1:j2]))
    return out


def numbers_in(text: str) -> tuple[str, ...]:
    return tuple(_NUMBER.findall(text.replace(",", "")))


@dataclass
class Pair:
    old: int
    new: int
    similarity: float
    exact: bool
    in_order: bool = True


Score = Callable[[int, int], float]


def align(
    old_keys: Sequence[Hashable],
    new_keys: Sequence[Hashable],
    bound: Score,
    score: Score,
    threshold: float,
    move_threshold: float,
    top: int = 8,
    words: tuple[Sequence[Iterable[Hashable]], Sequence[Iterable[Hashable]]] | None = None,
) -> list[Pair]:
    """Pair old and new items; every index appears in at most one pair. Pairs sorted by new index.

    `score(i, j)` is the similarity 0-1 of old item i and new item j; `bound(i, j)` a cheap upper bound
    of it (e.g. difflib's quick_ratio); only the `top` best bounds per new item are scored. Up to
    `FULL_SEARCH` leftover pairs every pair is bounded; beyond, a new item is compared only with the old
    items near its position (`WINDOW`), between the same anchors, or sharing one of its rare `words`.
    """
    pairs: list[Pair] = []
    matcher = SequenceMatcher(None, list(old_keys), list(new_keys), autojunk=False)
    for block in matcher.get_matching_blocks():
        pairs.extend(Pair(block.a + k, block.b + k, 1.0, True) for k in range(block.size))
    old_free = _free(len(old_keys), (p.old for p in pairs))
    new_free = _free(len(new_keys), (p.new for p in pairs))

    # Gap numbers: items between the same two anchors share one, on both sides.
    old_gap = _gaps(len(old_keys), sorted(p.old for p in pairs))
    new_gap = _gaps(len(new_keys), sorted(p.new for p in pairs))

    # Identical items that are not anchors (moved, or duplicates): same gap first, then in order.
    by_key: dict[Hashable, deque[int]] = defaultdict(deque)
    for i in old_free:
        by_key[old_keys[i]].append(i)
    used_old: set[int] = set()
    used_new: set[int] = set()
    for j in new_free:
        queue = by_key.get(new_keys[j])
        if not queue:
            continue
        i = next((i for i in queue if old_gap[i] == new_gap[j]), queue[0])
        queue.remove(i)
        pairs.append(Pair(i, j, 1.0, True))
        used_old.add(i)
        used_new.add(j)
    old_free = [i for i in old_free if i not in used_old]
    new_free = [j for j in new_free if j not in used_new]

    # Fuzzy pairs, best first; between the same anchors preferred and held to the lower threshold.
    # Per new item, only the `top` old items with the highest cheap upper bound get the real score.
    candidates: list[tuple[float, float, int, int, float]] = []
    n_old, n_new = max(len(old_keys), 1), max(len(new_keys), 1)
    low = min(threshold, move_threshold)
    nearby = _nearby(old_free, new_free, old_gap, new_gap, words)
    for j in new_free:
        options: list[tuple[float, float, int, bool]] = []
        for i in nearby(j):
            limit = bound(i, j)
            if limit < low:
                continue
            inside = old_gap[i] == new_gap[j]
            if limit < (threshold if inside else move_threshold):
                continue
            distance = abs(i / n_old - j / n_new)
            options.append((-(limit + (IN_GAP_BONUS if inside else 0.0)), distance, i, inside))
        options.sort()
        for _, distance, i, inside in options[:top]:
            value = score(i, j)
            if value >= (threshold if inside else move_threshold):
                candidates.append((-(value + (IN_GAP_BONUS if inside else 0.0)), distance, i, j, value))
    candidates.sort()
    for _, _, i, j, value in candidates:
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        pairs.append(Pair(i, j, value, False))

    pairs.sort(key=lambda p: p.new)
    _mark_order(pairs)
    return pairs


def _nearby(
    old_free: list[int],
    new_free: list[int],
    old_gap: list[int],
    new_gap: list[int],
    words: tuple[Sequence[Iterable[Hashable]], Sequence[Iterable[Hashable]]] | None,
) -> Callable[[int], Iterable[int]]:
    """Which leftover old items a leftover new item is compared with."""
    if len(old_free) * len(new_free) <= FULL_SEARCH:
        return lambda j: old_free
    rank = {j: r for r, j in enumerate(new_free)}
    by_gap: dict[int, list[int]] = defaultdict(list)
    for i in old_free:
        by_gap[old_gap[i]].append(i)
    postings: dict[Hashable, list[int]] = defaultdict(list)
    if words is not None:
        for i in old_free:
            for word in set(words[0][i]):
                postings[word].append(i)
    scale = len(old_free) / len(new_free)

    def nearby(j: int) -> Iterator[int]:
        seen: set[int] = set()
        centre = round(rank[j] * scale)
        groups = [old_free[max(0, centre - WINDOW) : centre + WINDOW + 1]]
        gap = by_gap.get(new_gap[j], [])
        if len(gap) <= 2 * WINDOW:
            groups.append(gap)
        if words is not None:
            for word in set(words[1][j]):
                posting = postings.get(word)
                if posting is not None and len(posting) <= RARE:
                    groups.append(posting)
        for group in groups:
            for i in group:
                if i not in seen:
                    seen.add(i)
                    yield i

    return nearby


def _free(n: int, taken) -> list[int]:
    taken = set(taken)
    return [i for i in range(n) if i not in taken]


def _gaps(n: int, anchors: list[int]) -> list[int]:
    gap = [0] * n
    k = 0
    current = 0
    for i in range(n):
        while k < len(anchors) and anchors[k] <= i:
            k += 1
            current = k
        gap[i] = current
    return gap


def _mark_order(pairs: list[Pair]) -> None:
    """Weighted longest increasing subsequence of old indices over pairs sorted by new index.

    Pairs outside it are out of order (moved). Exact pairs weigh slightly more than fuzzy ones.
    O(n log n) with a Fenwick tree of prefix maxima.
    """
    if not pairs:
        return
    size = max(p.old for p in pairs) + 1
    tree: list[tuple[float, int]] = [(0.0, -1)] * (size + 1)
    best: list[float] = []
    parent: list[int] = []
    for index, pair in enumerate(pairs):
        # best chain ending at an old index < pair.old
        found = (0.0, -1)
        k = pair.old  # Fenwick positions are 1-based: old index i lives at i + 1
        while k > 0:
            if tree[k] > found:
                found = tree[k]
            k -= k & -k
        weight = pair.similarity + (0.001 if pair.exact else 0.0)
        best.append(found[0] + weight)
        parent.append(found[1])
        k = pair.old + 1
        entry = (best[-1], index)
        while k <= size:
            if entry > tree[k]:
                tree[k] = entry
            k += k & -k
    end = max(range(len(pairs)), key=lambda n: best[n])
    keep = set()
    while end != -1:
        keep.add(end)
        end = parent[end]
    for index, pair in enumerate(pairs):
        pair.in_order = index in keep
