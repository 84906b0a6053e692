"""The Word reader: converted real SOPs parse like their Markdown originals; hostile files are refused."""

from __future__ import annotations

import io
import struct
import time
import zipfile
from pathlib import Path

import pytest

from sops.errors import EmptyDocument, TooLarge, Unreadable
from sops.limits import DEFAULT_LIMITS, ReadLimits
from sops.parse import parse_sop
from sops.readers.docx import read
from sops.readers.docx_numbering import format_number

ROOT = Path(__file__).resolve().parents[2]
DOCX = ROOT / "tests" / "fixtures" / "docx"
ORIGINALS = ROOT / "lms" / "demo" / "sops"
CONVERTED = sorted(p for p in DOCX.glob("*.docx") if (ORIGINALS / f"{p.stem}.md").exists())
QA_012 = DOCX / "sop-qa-012-lockout.docx"


def _original(stem: str):
    path = ORIGINALS / f"{stem}.md"
    return parse_sop(path.read_bytes(), path.name)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _refused(data: bytes, error: type[Exception], *words: str, limits: ReadLimits = DEFAULT_LIMITS) -> str:
    started = time.perf_counter()
    with pytest.raises(error) as caught:
        parse_sop(data, "upload.docx", limits)
    assert time.perf_counter() - started < 2
    message = str(caught.value)
    assert message.startswith("upload.docx") and message.endswith(".")
    for word in words:
        assert word in message, message
    return message


def test_fixtures_are_there_and_small():
    assert len(CONVERTED) >= 4
    for path in [*CONVERTED, QA_012]:
        assert path.stat().st_size < 200_000, path


@pytest.mark.parametrize("path", CONVERTED, ids=lambda p: p.stem)
def test_converted_sop_parses_like_its_markdown_original(path):
    original = _original(path.stem)
    doc = parse_sop(path.read_bytes(), path.name)
    assert len(doc.steps) == len(original.steps)
    assert [s.number for s in doc.steps] == [s.number for s in original.steps]
    assert [s.kind for s in doc.sections] == [s.kind for s in original.sections]
    assert (doc.title, doc.code, doc.revision) == (original.title, original.code, original.revision)
    for step, expected in zip(doc.steps, original.steps, strict=True):
        assert step.text.replace("\u2019", "'") == expected.text.replace("\u2019", "'")


def test_converted_docx_keeps_its_attribution():
    with zipfile.ZipFile(CONVERTED[0]) as archive:
        custom = archive.read("docProps/custom.xml").decode("utf-8")
    assert 'name="source"' in custom and 'name="license"' in custom


def test_lockout_numbering_comes_from_word_numbering():
    path = DOCX / "safety-lockout-tagout-osha-typical-minimal-procedure.docx"
    assert b"(1) Notify" not in _members(path)["word/document.xml"]  # numbers are not typed text
    doc = parse_sop(path.read_bytes(), path.name)
    assert [s.number for s in doc.steps] == [f"({i})" for i in range(1, 9)] + [f"({i})" for i in range(1, 6)]
    assert doc.steps[6].warnings[0].startswith("Caution: Return operating control(s)")


def test_floodlamp_code_and_revision_from_the_body():
    doc = parse_sop((DOCX / "lab-reagent-prep-inactivation-saline-floodlamp.docx").read_bytes(), "f.docx")
    assert (doc.code, doc.revision, doc.effective_date) == ("SOP-101-A_2", "2", "2022-08-24")
    assert len(doc.steps) == 5


def test_multilevel_template_sop():
    doc = parse_sop(QA_012.read_bytes(), QA_012.name)
    assert (doc.code, doc.revision) == ("SOP-QA-012", "4")
    assert doc.title == "Lockout of Energy Isolating Devices"
    kinds = [(s.heading, s.kind) for s in doc.sections]
    assert kinds[1:] == [
        ("1 Purpose", "purpose"),
        ("2 Scope", "scope"),
        ("3 Responsibilities", "responsibilities"),
        ("4 Procedure", "procedure"),
        ("4.1 Sequence of Lockout", "procedure"),
        ("4.2 Restoring Equipment to Service", "procedure"),
        ("5 Revision History", "revision_history"),
    ]
    expected = [f"4.1.{i}" for i in range(1, 7)] + ["a)", "b)", "c)", "d)", "4.1.7", "4.1.8"]
    expected += [f"4.2.{i}" for i in range(1, 6)]
    assert [s.number for s in doc.steps] == expected
    assert [s.depth for s in doc.steps][5:11] == [0, 1, 1, 1, 1, 0]
    assert doc.steps[10].warnings[0].startswith("CAUTION: Return operating control(s)")
    assert doc.steps[-1].warnings[0].startswith("NOTE: The removal of some forms of blocking")
    assert "Authorized employees" in doc.roles
    for step in doc.steps:  # neither the page header nor the footer leaks into a step
        assert "Harbor Point" not in step.text and "SOP-QA-012" not in step.text
        assert "Uncontrolled" not in step.text and "Page 1" not in step.text
        assert "|" not in step.text and "**" not in step.text


def test_footer_is_ignored_and_header_only_fills_missing_metadata():
    text = read(QA_012.read_bytes(), QA_012.name, DEFAULT_LIMITS).text
    assert "Uncontrolled when printed" not in text
    assert text.count("SOP-QA-012 Rev 4") == 1
    floodlamp = DOCX / "lab-reagent-prep-inactivation-saline-floodlamp.docx"
    assert read(floodlamp.read_bytes(), floodlamp.name, DEFAULT_LIMITS).text.startswith("---\ntitle:")


def test_number_formats():
    assert [format_number(n, "lowerLetter") for n in (1, 2, 26, 27)] == ["a", "b", "z", "aa"]
    assert [format_number(n, "upperRoman") for n in (4, 9, 14)] == ["IV", "IX", "XIV"]
    assert format_number(3, "decimalZero") == "03"


# -- bad input -----------------------------------------------------------------------------------


def test_corrupt_and_truncated_files():
    _refused(b"this is not a zip file at all" * 20, Unreadable, "not a valid Word document", "save it again")
    data = QA_012.read_bytes()
    _refused(data[: len(data) // 2], Unreadable, "corrupt or truncated")
    _refused(data[:-30], Unreadable, "corrupt or truncated")


def test_empty_files():
    _refused(b"", EmptyDocument, "empty")
    buffer = io.BytesIO()
    import docx

    docx.Document().save(buffer)
    _refused(buffer.getvalue(), EmptyDocument, "no text")


def test_zip_without_word_body_and_renamed_workbook():
    _refused(_zip({"[Content_Types].xml": b"<Types/>"}), Unreadable, "word/document.xml is missing")
    _refused(_zip({"xl/workbook.xml": b"<workbook/>"}), Unreadable, "Excel workbook")


def test_zip_bomb_by_compression_ratio():
    bomb = _zip({"word/document.xml": b"<w:document>" + b" " * 60_000_000})
    assert len(bomb) < 200_000
    _refused(bomb, TooLarge, "unsafe", "zip bomb")


def test_total_unpacked_size_limit():
    data = QA_012.read_bytes()
    _refused(data, TooLarge, "expands to", "MB", limits=ReadLimits(max_unpacked_bytes=50_000))


def test_member_lying_about_its_size_is_not_expanded():
    members = _members(QA_012)
    members["word/document.xml"] = members["word/document.xml"] + b" " * 5_000_000
    data = bytearray(_zip(members))
    name = b"word/document.xml"
    for signature, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_offset = 30 if signature == b"PK\x03\x04" else 46
            if data[start + name_offset : start + name_offset + len(name)] == name:
                data[start + size_offset : start + size_offset + 4] = struct.pack("<I", 1000)
            start += 4
    _refused(bytes(data), Unreadable, "corrupt or truncated")


def _with_document(prolog: str, body_text: str) -> bytes:
    members = _members(QA_012)
    document = members["word/document.xml"].decode("utf-8")
    document = document.replace("<w:document", prolog + "<w:document", 1)
    document = document.replace("Verify that the controls are in neutral.", body_text, 1)
    members["word/document.xml"] = document.encode("utf-8")
    return _zip(members)


def test_external_entity_is_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN-4711", encoding="utf-8")
    prolog = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    data = _with_document(prolog, "Verify &xxe; that the controls are in neutral.")
    text = read(data, "xxe.docx", DEFAULT_LIMITS).text
    assert "TOP-SECRET-TOKEN-4711" not in text
    assert "Verify that the controls are in neutral." in text
    doc = parse_sop(data, "xxe.docx")
    assert len(doc.steps) == 17
    assert all("TOP-SECRET" not in step.text for step in doc.steps)


def test_entity_expansion_bomb_is_not_expanded():
    entities = '<!ENTITY a "aaaaaaaaaaaaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    )
    data = _with_document(
        f"<!DOCTYPE w:document [{entities}]>", "Verify &i; that the controls are in neutral."
    )
    _refused(data, Unreadable, "unsafe", "declares XML entities")


def test_password_protected_and_old_word_files():
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    encrypted = header + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 1024
    _refused(encrypted, Unreadable, "password-protected", "remove the password")
    _refused(header + b"\x00" * 2048, Unreadable, "Word 97-2003", "save it as a Word Document (.docx)")
