"""SOP text as a lesson shows it: inline Markdown rendered and sanitised, list items nested by depth.

Uploaded SOPs are written by anyone, so nothing in them reaches the page unsanitised: markdown-it-py renders
the inline Markdown with raw HTML off, and nh3 keeps only links, emphasis and code (http, https and mailto
links, opened without a referrer).
"""

from __future__ import annotations

from typing import Any

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False})
_TAGS = {"a", "strong", "em", "code", "br"}


def inline_markdown(text: str) -> Markup:
    """One block's inline Markdown ("**Never** see [the form](https://...)") as safe HTML."""
    html = _MD.renderInline(text or "")
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        url_relative="deny",  # "//evil.example" or "/admin/...": only absolute http(s) and mailto links
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above


def nest(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A flat list of items with depths -> a tree ({"item": ..., "children": [...]}) the template renders
    as nested lists; a depth that jumps (0 -> 2) nests one level, as a browser would."""
    root: list[dict[str, Any]] = []
    stack: list[tuple[int, list[dict[str, Any]]]] = [(-1, root)]
    for item in items:
        depth = int(item.get("depth", 0))
        while len(stack) > 1 and stack[-1][0] >= depth:
            stack.pop()
        node = {"item": item, "children": []}
        stack[-1][1].append(node)
        stack.append((depth, node["children"]))
    return root
