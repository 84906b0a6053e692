"""Score candidates before selection: is the key supported by the quote, how plausible are the distractors.

    supported(c) -> bool        # a candidate whose key the quote does not support is dropped
    plausibility(c) -> 0..1     # distractors like the key in length and form score higher
    rescore(c)                  # quality = criticality x form prior x plausibility; extra["scores"]

Criticality (warnings, must/never, critical values, safety sections) is already in the generators'
quality via Context.info(step).importance; rescoring keeps that order and adds the other two criteria.
"""

from __future__ import annotations

import math
import re

from quizzes.answers import answer_type
from quizzes.generators.base import Candidate
from quizzes.text import clean
from quizzes.value_text import NUMBER, _parse_num


def _norm(text: str) -> str:
    return clean(text).rstrip("…").rstrip(" .:;,").casefold()


def _numbers(text: str) -> list[float]:
    out = []
    for m in NUMBER.finditer(text):
        try:
            out.append(_parse_num(m.group(1), m.group(2)))
        except ValueError:
            continue
    return out


def supported(c: Candidate) -> bool:
    """The quote is verbatim step text and carries the key (per question kind)."""
    if not c.quote.strip() or c.quote not in c.step.text:
        return False
    if c.kind == "numeric":
        v = float(c.answer["value"])
        return any(math.isclose(abs(x), abs(v)) for x in _numbers(c.quote))
    if c.kind == "value_choice":
        key = _numbers(c.options[c.answer])
        return bool(key) and any(math.isclose(abs(x), abs(key[0])) for x in _numbers(c.quote))
    if c.kind == "statement_choice":
        return _norm(c.options[c.answer]) in _norm(c.quote)
    return True


def plausibility(c: Candidate) -> float:
    """0-1: how much the distractors look like the key (length, form); 1 for types without options."""
    keys = answer_type(c.type).key_options(c.answer)
    if keys is None or len(c.options) < 2:
        if c.answer is False:  # a falsified statement: how far from the SOP's own sentence it reads
            how = c.extra.get("falsification")
            return {"value": 1.0, "direction": 0.9, "negation": 0.8}.get(how or "", 0.85)
        return 1.0
    key_len = sum(len(c.options[k]) for k in keys) / len(keys)
    wrong = [len(o) for i, o in enumerate(c.options) if i not in keys]
    if not wrong:
        return 0.5
    mean = sum(wrong) / len(wrong)
    balance = min(key_len, mean) / max(key_len, mean, 1)
    caps = sum(1 for o in c.options if o[:1].isupper() == c.options[min(keys)][:1].isupper()) / len(c.options)
    ends = sum(1 for o in c.options if re.search(r"[.…]$", o) is not None)
    parallel = 1.0 if ends in (0, len(c.options)) else 0.85
    return round(0.5 * balance + 0.3 * caps + 0.2 * parallel, 3)


# How often reviewers publish a form unchanged, relative to the best form: the share of A ratings per form
# on the sets we tune on (tuning and exposed), rounds tune-3..6 and after-3..5 (bench/ratings/; numeric 52
# of 85, value_choice 20 of 41, permission 8 of 18, statement_choice 10 of 27, condition_swap 1 of 3,
# who_does 3 of 10, condition_choice 2 of 14). A score that ignores the form ranked a rejected "when do
# you ...?" above a published fill-in (AUC 0.57 in tune-5).
FORM_PRIOR = {
    "numeric": 1.0,
    "value_choice": 0.8,
    "permission": 0.72,
    "statement_choice": 0.6,
    "condition_swap": 0.55,
    "who_does": 0.5,
    "condition_choice": 0.23,
}


def rescore(c: Candidate) -> Candidate:
    p = plausibility(c)
    base = c.quality
    prior = FORM_PRIOR.get(c.kind, 0.5)
    c.quality = round(max(0.0, min(1.0, base * prior * (0.8 + 0.2 * p))), 3)
    c.extra = {
        **c.extra,
        "scores": {"criticality": round(base, 3), "form": prior, "plausibility": p, "supported": True},
    }
    return c
