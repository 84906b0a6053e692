"""Inline Markdown -> plain words.

Step text is read by trainees and compared by the quiz generator, so links become their text, emphasis
markers go, inline code stays as text, and conversion leftovers (pandoc `^o^C`, escapes, template tags)
are turned into what the author meant.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

# Every repeated span below is bounded so that hostile input ("[[[[...") stays linear, not quadratic.
_CODE_SPAN = re.compile(r"(`{1,5})([^`]{1,2000}?)\1")
_IMAGE = re.compile(r"!\[([^\]\[]{0,500})\]\([^()]{0,2000}\)")
_LINK = re.compile(r"\[([^\]\[]{0,500})\]\((?:[^()]|\([^)]{0,500}\)){0,2000}\)")
_REF_LINK = re.compile(r"\[([^\]\[]{1,500})\]\[[^\]]{0,200}\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto|ftp):[^>\s]+)>")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(
    r"</?(?:sup|sub|span|div|p|b|i|u|em|strong|a|img|font|center|small|big|mark|del|ins|s|strike|kbd)\b[^>]*>",
    re.IGNORECASE,
)
_CHECKBOX = re.compile(r"^\[[ xX]\]\s+")
_SUPERSCRIPT_DEGREE = re.compile(r"\s*\^\s*[oº°]\s*\^\s*")
_SUPERSCRIPT = re.compile(r"\^([^\s^]+)\^")
_OC = re.compile(r"(?<=\d)\s?o(?=[CF]\b)")
_DEGREE_LOOKALIKE = re.compile(r"[˚º](?=\s?[CF]\b)")
_BOLD = re.compile(r"\*\*(?=[^\s*])([^*]{1,500}?)(?<=\S)\*\*|(?<!\w)__(?=\S)([^_]{1,500}?)(?<=\S)__(?!\w)")
_ITALIC = re.compile(
    r"(?<![\w*])\*(?=[^\s*])([^*]{1,500}?)(?<=[^\s*])\*(?![\w*])|(?<!\w)_(?=[^\s_])([^_]{1,500}?)(?<=\S)_(?!\w)"
)
_STRIKE = re.compile(r"~~([^~]{1,500}?)~~")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~^$&\"'])")
_LONE_STAR = re.compile(r"(?:^|(?<=\s))\\?\*(?=\s)")
_SPACE = re.compile(r"\s+")


def _bold_or_italic(match: re.Match[str]) -> str:
    return match.group(1) or match.group(2)


def _plain(fragment: str) -> str:
    """Markup outside code spans removed.

    Each substitution runs only when the characters it needs are present: most step text has no
    markup at all, and ~20 regex passes over every fragment were most of the parser's time.
    """
    if "[" in fragment:
        fragment = _REF_LINK.sub(r"\1", _LINK.sub(r"\1", _IMAGE.sub("", fragment)))
    if "<" in fragment:
        fragment = _TAG.sub("", _BREAK.sub(" ", _AUTOLINK.sub(r"\1", fragment)))
    if "^" in fragment:
        fragment = _SUPERSCRIPT.sub(r"\1", _SUPERSCRIPT_DEGREE.sub("°", fragment))
    if "oC" in fragment or "oF" in fragment:
        fragment = _OC.sub("°", fragment)
    if "˚" in fragment or "º" in fragment:
        fragment = _DEGREE_LOOKALIKE.sub("°", fragment)
    for _ in range(2):
        if "*" not in fragment and "_" not in fragment:
            break
        fragment = _BOLD.sub(_bold_or_italic, fragment)
        fragment = _ITALIC.sub(_bold_or_italic, fragment)
    if "~~" in fragment:
        fragment = _STRIKE.sub(r"\1", fragment)
    if "&" in fragment:  # Markdown allows HTML entities: "56 &#176;C", "5 &micro;L" read as 56 °C, 5 µL
        fragment = html.unescape(fragment)
    if "\\" in fragment:
        fragment = _ESCAPE.sub(r"\1", fragment)
    return fragment


def _strip_between(text: str, start: str, end: str, keep_newlines: bool) -> str:
    """Remove every `start ... end` span (linear scan; an unclosed `start` is kept as text)."""
    out: list[str] = []
    position = 0
    while True:
        found = text.find(start, position)
        close = text.find(end, found + len(start)) if found >= 0 else -1
        if close < 0:
            out.append(text[position:])
            return "".join(out)
        out.append(text[position:found])
        if keep_newlines:
            out.append("\n" * text.count("\n", found, close))
        position = close + len(end)


def strip_template_tags(text: str, keep_newlines: bool = False) -> str:
    """HTML comments and Jekyll/Liquid/Hugo tags (`{% ... %}`, `{{ ... }}`) removed."""
    if "<!--" in text:
        text = _strip_between(text, "<!--", "-->", keep_newlines)
    if "{" not in text:
        return text
    text = _strip_between(text, "{%", "%}", keep_newlines)
    return _strip_between(text, "{{", "}}", keep_newlines)


def clean_inline(text: str) -> str:
    """Markdown inline markup removed, whitespace normalised to single spaces.

    Short texts (headings, steps, cells) are cached: the section builder, the step finder and the
    metadata and role readers each clean the same block text. Long ones are not, so the cache stays
    small whatever is uploaded.
    """
    return _clean_cached(text) if len(text) <= _CACHED_CHARS else _clean(text)


def _clean(text: str) -> str:
    text = strip_template_tags(text)
    if "  " in text or not text.isprintable():  # isprintable(): no whitespace but plain spaces
        text = _SPACE.sub(" ", text)
    if "[" in text:
        text = _REF_LINK.sub(r"\1", _LINK.sub(r"\1", _IMAGE.sub("", text)))
    if "`" not in text:
        result = _plain(text)
    else:
        parts: list[str] = []
        last = 0
        for match in _CODE_SPAN.finditer(text):
            parts.append(_plain(text[last : match.start()]))
            parts.append(match.group(2).strip())
            last = match.end()
        parts.append(_plain(text[last:]))
        result = "".join(parts)
    if "*" in result:
        result = _LONE_STAR.sub("", result)
    if any(glyph in result for glyph in _BOX_GLYPHS):
        result = _BOX_GLYPH.sub(" ", result)  # "Schedule ID Verification session ❏": a form's tick box
    result = " ".join(result.split())
    return _CHECKBOX.sub("", result) if result.startswith("[") else result


_BOX_GLYPHS = "\u274f\u2610\u2611\u2612\u25a1\u25a2"  # ❏ ☐ ☑ ☒ □ ▢
_BOX_GLYPH = re.compile(f"(?:^|(?<=\\s))[{_BOX_GLYPHS}](?=\\s|$)")


_CACHED_CHARS = 1000
_clean_cached = lru_cache(maxsize=2048)(_clean)


def normalise_space(text: str) -> str:
    """Runs of whitespace as one space, trimmed (str.split() knows the same whitespace as `\\s`)."""
    return " ".join(text.split())
