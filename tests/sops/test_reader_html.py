"""The HTML reader: pandoc pages of real SOPs parse like their Markdown originals; bad pages are refused."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from sops.errors import EmptyDocument, NotText
from sops.limits import DEFAULT_LIMITS
from sops.parse import parse_sop
from sops.readers.html import read

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "tests" / "fixtures" / "html"
ORIGINALS = ROOT / "lms" / "demo" / "sops"
CONVERTED = sorted(HTML.glob("*.html"))


def _markdown(html: str | bytes, name: str = "page.html") -> str:
    data = html.encode("utf-8") if isinstance(html, str) else html
    return read(data, name, DEFAULT_LIMITS).text


def _refused(data: bytes, error: type[Exception], *words: str) -> str:
    started = time.perf_counter()
    with pytest.raises(error) as caught:
        parse_sop(data, "page.html")
    assert time.perf_counter() - started < 2
    message = str(caught.value)
    assert message.startswith("page.html") and message.endswith(".")
    for word in words:
        assert word in message, message
    return message


def test_fixtures_are_there_small_and_attributed():
    assert len(CONVERTED) >= 5
    for path in CONVERTED:
        assert path.stat().st_size < 200_000
        text = path.read_text(encoding="utf-8")
        assert '<meta name="source"' in text and '<meta name="license"' in text


@pytest.mark.parametrize("path", CONVERTED, ids=lambda p: p.stem)
def test_converted_sop_parses_like_its_markdown_original(path):
    source = ORIGINALS / f"{path.stem}.md"
    original = parse_sop(source.read_bytes(), source.name)
    doc = parse_sop(path.read_bytes(), path.name)
    assert len(doc.steps) == len(original.steps)
    # HTML has no "(1)" list style: the browser shows "1.", and that is what is read
    assert [s.number for s in doc.steps] == [re.sub(r"^\((\d+)\)$", r"\1", s.number) for s in original.steps]
    assert [s.kind for s in doc.sections] == [s.kind for s in original.sections]
    assert (doc.title, doc.code, doc.revision) == (original.title, original.code, original.revision)
    for step in doc.steps:
        assert (
            "</" not in step.text and "<p" not in step.text and "**" not in step.text and "|" not in step.text
        )


def test_lists_keep_their_numbering_and_nesting():
    text = _markdown(
        "<h1>Cleaning</h1><h2>Procedure</h2><ol start='4'><li>Wear <strong>gloves</strong>.</li>"
        "<li>Wipe the bench.<ol type='a'><li>Use 70% ethanol.</li><li value='5'>Wait 10 min.</li></ol></li>"
        "<li><p>Dry it.</p><p>Then log it.</p></li></ol><ul><li>Check stock</li></ul>"
    )
    assert "4. Wear **gloves**." in text
    assert "    a. Use 70% ethanol." in text and "    e. Wait 10 min." in text
    assert "6. Dry it.\n\n    Then log it." in text
    doc = parse_sop(
        b"<h1>Cleaning</h1><h2>Procedure</h2><ol start='4'><li>Wear gloves.</li>"
        b"<li>Wipe the bench.<ol type='a'><li>Use 70% ethanol.</li></ol></li></ol>",
        "c.html",
    )
    assert [(s.number, s.depth) for s in doc.steps] == [("4", 0), ("5", 0), ("a", 1)]


def test_page_furniture_is_dropped():
    page = (
        "<html><head><title>Glove change</title><style>p{}</style><script>var steps=1;</script></head>"
        "<body><header>ACME intranet</header><nav><ol><li>Home</li></ol></nav>"
        "<main><h2>Procedure</h2><ol><li>Remove gloves.</li><li>Wash hands<br>for 20 s.</li></ol>"
        "<table><tr><th>Role</th><th>Duty</th></tr>"
        "<tr><td>Technician</td><td>Change | gloves</td></tr></table>"
        "</main><aside>Related</aside><form><p>Search</p></form><footer>Page 1</footer></body></html>"
    )
    text = _markdown(page)
    assert text.startswith('---\ntitle: "Glove change"\n---')
    for furniture in ("ACME", "Home", "var steps", "Related", "Search", "Page 1", "p{}"):
        assert furniture not in text
    assert "2. Wash hands\n   for 20 s." in text
    assert "| Technician | Change \\| gloves |" in text
    doc = parse_sop(page.encode(), "glove.html")
    assert [s.text for s in doc.steps] == ["Remove gloves.", "Wash hands for 20 s."]


def test_encodings():
    cp1252 = "<meta charset='windows-1252'><h2>Procedure</h2><ol><li>Heat to 37 °C.</li></ol>"
    assert "37 °C" in _markdown(cp1252.encode("cp1252"))
    legacy = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>caf\xe9</p>'
    assert "café" in _markdown(legacy.encode("latin-1"))
    utf16 = "<h2>Procedure</h2><ol><li>Mix \u2013 5 min.</li></ol>".encode("utf-16")
    assert "Mix \u2013 5 min." in _markdown(utf16)
    assert "Mix" in _markdown("\ufeff<p>Mix</p>".encode())


def test_invalid_bytes_are_refused():
    _refused("<p>Heat to 37 °C</p>".encode("cp1252"), NotText, "not valid utf-8", "UTF-8")
    _refused(b"%PDF-1.7\n\x00\x01binary", NotText, "binary")


def test_empty_and_navigation_only_pages():
    _refused(b"", EmptyDocument, "empty")
    _refused(b"   \n ", EmptyDocument, "empty")
    nav_only = (
        b"<html><body><nav><ul><li><a href='/'>Home</a></li></ul></nav><footer>(c)</footer></body></html>"
    )
    _refused(nav_only, EmptyDocument, "navigation", "menus")
    _refused(b"<script>alert(1)</script><style>body{}</style>", EmptyDocument, "no SOP text")
