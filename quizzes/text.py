"""Small text helpers the question generators share: sentences, shortening, requirements, pointers.

Everything here is pure string work on SOP step text; nothing knows about questions. Values in text (finding,
bounding and rewriting a number) are in `quizzes.value_text`.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache

from sops.model import Step

# ---------------------------------------------------------------- randomness


def make_rng(*parts: object) -> random.Random:
    """A seeded RNG (not for security): the same parts always give the same sequence, in every process."""
    return random.Random("\x1f".join(str(p) for p in parts))  # noqa: S311


# ---------------------------------------------------------------- sentences and shortening

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[A-Z0-9\"'(\[*])")
_ABBREV = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|approx|min|max|no|fig|vs|ca|cf|resp|incl)|\b[A-Z])\.$", re.IGNORECASE
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text`, trimmed, so `text[start:end]` is verbatim.

    Cached: every value of a step asks for its sentences, and one long step with many values (a list the
    parser could not split) would otherwise be scanned once per value, quadratic in its length."""
    return list(_sentence_spans(text))


@lru_cache(maxsize=4096)
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if _ABBREV.search(text[start : m.start()]):
            continue
        spans.append((start, m.start() + len(m.group(0).rstrip())))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        chunk = text[s:e]
        lead = len(chunk) - len(chunk.lstrip())
        s, e = s + lead, s + len(chunk.rstrip())
        if e > s:
            out.append((s, e))
    return tuple(out)


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def clean(text: str) -> str:
    """Collapse whitespace and strip markdown emphasis markers for display (not for quotes)."""
    text = re.sub(r"\*\*", "", text)
    text = re.sub(r"(?<!\w)__(\S(?:.*?\S)?)__(?!\w)", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def shorten(text: str, limit: int = 140) -> str:
    """A short form: the first sentence if it is informative, else a word-boundary cut with an ellipsis."""
    text = clean(text)
    if len(text) <= limit:
        return text
    first = sentences(text)[0] if text else text
    if 30 <= len(first) <= limit:
        return first
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-") + "…"


def words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9µμ°%]+", text)


def usable_step(step: Step) -> bool:
    """A step with enough text to be shown as an option or tested on its own."""
    t = clean(step.text)
    return len(words(t)) >= 3 and len(t) >= 12


# ---------------------------------------------------------------- requirements and negation

REQUIREMENT = re.compile(
    r"\b(must|shall|never|do not|don't|always|(?:is|are|be) required|at least|no more than|not more than|"
    r"at most|no less than|not less than|minimum|maximum|not exceed|ensure|mandatory)\b",
    re.IGNORECASE,
)


def requirement_words(text: str) -> list[str]:
    return [m.group(1).lower() for m in REQUIREMENT.finditer(text)]


_POINTER = re.compile(r"\s*\((?:see\b|refer to\b|cf\.)", re.IGNORECASE)


def drop_pointers(text: str) -> str:
    """ "(see paragraph (c)(3))" removed, nested parentheses and all: a pointer the quiz cannot follow. A
    pointer whose parenthesis is never closed is left as it is (the rest of the sentence is no pointer)."""
    start = 0
    while (m := _POINTER.search(text, start)) is not None:
        depth, end = 0, None
        for i in range(text.index("(", m.start()), len(text)):
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            if depth == 0:
                end = i + 1
                break
        if end is None:
            return text
        text, start = text[: m.start()] + text[end:], m.start()
    return text
