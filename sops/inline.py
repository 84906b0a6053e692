"""Inline Markdown -> plain words.

Step text is read by trainees and compared by the quiz generator, so links become their text, emphasis
markers go, inline code stays as text, and conversion leftovers (pandoc `^o^C`, escapes, template tags)
are turned into what the author meant.
"""

from __future__ import annotations

import re

TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
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
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)")
_ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])|(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)")
_STRIKE = re.compile(r"~~(.+?)~~")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~^$&\"'])")
_LONE_STAR = re.compile(r"(?:^|(?<=\s))\\?\*(?=\s)")
_SPACE = re.compile(r"\s+")


def _plain(fragment: str) -> str:
    fragment = _IMAGE.sub("", fragment)
    fragment = _LINK.sub(r"\1", fragment)
    fragment = _REF_LINK.sub(r"\1", fragment)
    fragment = _AUTOLINK.sub(r"\1", fragment)
    fragment = _BREAK.sub(" ", fragment)
    fragment = _TAG.sub("", fragment)
    fragment = _SUPERSCRIPT_DEGREE.sub("°", fragment)
    fragment = _SUPERSCRIPT.sub(r"\1", fragment)
    fragment = _OC.sub("°", fragment)
    fragment = _DEGREE_LOOKALIKE.sub("°", fragment)
    for _ in range(2):
        fragment = _BOLD.sub(lambda m: m.group(1) or m.group(2), fragment)
        fragment = _ITALIC.sub(lambda m: m.group(1) or m.group(2), fragment)
    fragment = _STRIKE.sub(r"\1", fragment)
    fragment = _ESCAPE.sub(r"\1", fragment)
    return fragment


def clean_inline(text: str) -> str:
    """Markdown inline markup removed, whitespace normalised to single spaces."""
    text = _SPACE.sub(" ", TEMPLATE_TAG.sub("", HTML_COMMENT.sub("", text)))
    text = _LINK.sub(r"\1", _IMAGE.sub("", text))
    parts: list[str] = []
    last = 0
    for match in _CODE_SPAN.finditer(text):
        parts.append(_plain(text[last : match.start()]))
        parts.append(match.group(2).strip())
        last = match.end()
    parts.append(_plain(text[last:]))
    result = _SPACE.sub(" ", _LONE_STAR.sub("", "".join(parts))).strip()
    result = _CHECKBOX.sub("", result)
    return result


def normalise_space(text: str) -> str:
    return _SPACE.sub(" ", text).strip()
