"""Reading a learner's raw response: option numbers, lists, booleans and numbers as JSON or a form sends them.

Strings are accepted where they are unambiguous ("2", "true", "12,5", "2,0,1"); anything else raises
ResponseError with a message a learner can act on.
"""

from __future__ import annotations

import math
import re
from typing import Any


class ResponseError(ValueError):
    """A malformed response; the message says what is wrong (and can be shown to the learner)."""


_INT = re.compile(r"[+-]?\d+")
_NUM = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def as_index(raw: Any, n: int, what: str = "choice") -> int:
    if isinstance(raw, bool):
        raise ResponseError(f"The {what} must be an option number, not {raw!r}.")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, str) and _INT.fullmatch(raw.strip()):
        raw = int(raw.strip())
    if not isinstance(raw, int):
        raise ResponseError(f"The {what} must be an option number, not {raw!r}.")
    if not 0 <= raw < n:
        raise ResponseError(f"Option {raw} does not exist: choose a number from 0 to {n - 1}.")
    return raw


def as_list(raw: Any, what: str) -> list:
    if isinstance(raw, str):
        s = raw.strip()
        if s.startswith("[") and s.endswith("]"):
            s = s[1:-1]
        return [p for p in (x.strip() for x in s.split(",")) if p] if s else []
    if isinstance(raw, (list, tuple)):
        return list(raw)
    raise ResponseError(f"The {what} must be a list of option numbers, not {type(raw).__name__}.")


def as_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        s = raw.strip().lower()
        if s in ("true", "t", "yes", "1"):
            return True
        if s in ("false", "f", "no", "0"):
            return False
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    raise ResponseError(f"The answer must be true or false, not {raw!r}.")


def as_number(raw: Any) -> float:
    if isinstance(raw, bool):
        raise ResponseError(f"The answer must be a number, not {raw!r}.")
    if isinstance(raw, (int, float)):
        value = float(raw)
    elif isinstance(raw, str):
        s = raw.strip().replace("\u2212", "-").replace(" ", "").replace("\u00a0", "")
        if not s:
            raise ResponseError("The answer is empty: enter a number.")
        if _THOUSANDS.fullmatch(s):
            s = s.replace(",", "")
        elif s.count(",") == 1 and "." not in s:
            s = s.replace(",", ".")
        if not _NUM.fullmatch(s):
            raise ResponseError(f"{raw!r} is not a number.")
        value = float(s)
    else:
        raise ResponseError(f"The answer must be a number, not {type(raw).__name__}.")
    if not math.isfinite(value):
        raise ResponseError(f"{raw!r} is not a finite number.")
    return value


def single(raw: Any) -> Any:
    """A one-element list as its element: a form field sent once arrives as a list of one."""
    return raw[0] if isinstance(raw, (list, tuple)) and len(raw) == 1 else raw


def option_numbers(text: str, count: int, single_one: bool) -> list[int]:
    """Option numbers as a trainer types them, counting from 1 ("2, 1, 3"), as 0-based indices."""
    parts = [p for p in re.split(r"[,\s]+", text) if p]
    if not parts or not all(p.isdigit() for p in parts) or (single_one and len(parts) != 1):
        expected = "one option number" if single_one else "option numbers separated by commas"
        raise ResponseError(f"Type {expected}, counting from 1 (e.g. {'2' if single_one else '2, 1, 3'}).")
    numbers = [int(p) for p in parts]
    if any(not 1 <= n <= count for n in numbers):
        raise ResponseError(f"Option numbers run from 1 to {count}.")
    return [n - 1 for n in numbers]


def option_id(index: int) -> str:
    """An option's identifier in exported interaction patterns (SCORM, xAPI): o1, o2, ..."""
    return f"o{index + 1}"
