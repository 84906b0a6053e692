"""Input that is not an SOP is refused with the documented error and a message a trainer can act on."""

from __future__ import annotations

import pytest

from sops.errors import EmptyDocument, NoSteps, NotText, SopParseError, UnsupportedFormat
from sops.parse import parse_sop

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)
ZIP = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(range(256))


def _message(exc: pytest.ExceptionInfo[SopParseError]) -> str:
    message = str(exc.value)
    assert message[0].isupper() or message[0].isalnum()
    assert message.endswith(".") and message.count(". ") == 0 and "\n" not in message
    return message


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n"])
def test_empty_or_whitespace_only(data):
    with pytest.raises(EmptyDocument) as exc:
        parse_sop(data, "empty.md")
    assert _message(exc).startswith("The file is empty")


@pytest.mark.parametrize(("data", "what"), [(PNG, "PNG image"), (ZIP, "ZIP archive")])
def test_binary_renamed_to_markdown(data, what):
    with pytest.raises(NotText) as exc:
        parse_sop(data, "x.md")
    message = _message(exc)
    assert "x.md looks like a binary file, not Markdown/text" in message
    assert what in message


def test_nul_bytes_are_binary():
    with pytest.raises(NotText, match="looks like a binary file, not Markdown/text"):
        parse_sop(b"# SOP\n\n1. Do it\x00\x00\x00", "x.txt")


def test_many_control_characters_are_binary():
    with pytest.raises(NotText, match="binary file"):
        parse_sop(bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 20 + b"# SOP\n1. Step", "x.md")


def test_latin1_text_names_the_encoding_problem():
    data = "# Procédure\n\n1. Chauffer à 37 °C.\n".encode("latin-1")
    with pytest.raises(NotText) as exc:
        parse_sop(data, "proc.md")
    message = _message(exc)
    assert "not valid UTF-8" in message
    assert "byte offset 6" in message and "0xE9" in message
    assert "UTF-8" in message and "upload it again" in message


@pytest.mark.parametrize("name", ["virus.exe", "sop.doc", "sop.odt", "README", "notes.md.exe"])
def test_unsupported_extensions(name):
    with pytest.raises(UnsupportedFormat) as exc:
        parse_sop(b"# SOP\n\n1. Do this.\n2. Do that.\n", name)
    message = _message(exc)
    for accepted in (".md", ".txt", ".html", ".docx", ".pdf"):
        assert accepted in message


@pytest.mark.parametrize("name", ["sop.md", "SOP.MD", "sop.markdown", "sop.txt", "sop.text"])
def test_accepted_extensions(name):
    doc = parse_sop(b"Procedure\n\n1. Do this.\n2. Do that.\n", name)
    assert [s.text for s in doc.steps] == ["Do this.", "Do that."]


def test_heading_and_prose_only_has_no_steps():
    data = b"# Cleaning policy\n\nThe lab is kept clean at all times. Everyone is responsible for it.\n"
    with pytest.raises(NoSteps) as exc:
        parse_sop(data, "policy.md")
    message = _message(exc)
    assert "No procedure steps were found in policy.md" in message
    assert "numbered list" in message


def test_errors_are_value_errors():
    """Callers may catch `SopParseError` (or plain `ValueError`) for every refusal."""
    for error in (EmptyDocument, NotText, NoSteps, UnsupportedFormat):
        assert issubclass(error, SopParseError) and issubclass(error, ValueError)


def test_utf8_bom_and_crlf_are_fine():
    data = "\ufeff---\r\ntitle: Café SOP\r\n---\r\n# Procedure\r\n1. Warm to 37 °C.\r\n2. Mix.\r\n".encode()
    doc = parse_sop(data, "cafe.md")
    assert doc.title == "Café SOP"
    assert [s.text for s in doc.steps] == ["Warm to 37 °C.", "Mix."]
