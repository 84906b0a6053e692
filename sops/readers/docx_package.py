"""Safety checks on an uploaded .docx before any XML in it is parsed.

A .docx is a ZIP archive, so an upload can be a zip bomb (a few KB expanding to gigabytes), a truncated
download, a renamed Excel file or a password-protected document (which Word saves as an OLE compound
file, not a ZIP). Each is refused here with a message the trainer can act on, using only the ZIP's
central directory, so nothing is decompressed until the declared sizes are known to be within limits.
"""

from __future__ import annotations

import io
import zipfile

from sops.errors import EmptyDocument, TooLarge, Unreadable
from sops.limits import ReadLimits

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_MARKERS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
# A member expanding more than this many times its compressed size is a zip bomb, not a Word file:
# real document.xml parts compress 5-30x; deflate's maximum is about 1030x.
MAX_RATIO = 200
_RATIO_FLOOR = 1024 * 1024  # small members may compress extremely well (repeated empty rows)
MAX_MEMBERS = 5000
MAIN_PART = "word/document.xml"
_OTHER_OFFICE = {
    "xl/workbook.xml": "an Excel workbook",
    "ppt/presentation.xml": "a PowerPoint presentation",
}


def _unreadable(name: str, problem: str, action: str) -> Unreadable:
    return Unreadable(f"{name} {problem}; {action}")


def check_package(data: bytes, name: str, limits: ReadLimits) -> zipfile.ZipFile:
    """Open the upload as a ZIP after refusing everything that is not a safe, plausible Word document."""
    if not data.strip():
        raise EmptyDocument(f"{name} is empty (0 bytes of content); upload the Word file that holds the SOP.")
    if data.startswith(_OLE):
        if any(marker in data for marker in _ENCRYPTION_MARKERS):
            raise _unreadable(
                name,
                "is password-protected (encrypted), so its text cannot be read",
                "remove the password in Word (File > Info > Protect Document) and upload it again.",
            )
        raise _unreadable(
            name,
            "is an old Word 97-2003 (.doc) file renamed to .docx",
            "open it in Word and save it as a Word Document (.docx), then upload it again.",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise _unreadable(
            name,
            "is not a valid Word document (the file is corrupt or truncated)",
            "open it in Word, save it again as .docx and upload the new file.",
        ) from None
    if len(members) > MAX_MEMBERS:
        raise TooLarge(
            f"{name} contains {len(members):,} files inside it, far more than a Word document has; "
            "it was refused as unsafe. Save the SOP again from Word and upload the new file."
        )
    _check_sizes(members, name, limits)
    names = {member.filename for member in members}
    if MAIN_PART not in names:
        for part, what in _OTHER_OFFICE.items():
            if part in names:
                raise _unreadable(
                    name,
                    f"is {what}, not a Word document",
                    "upload the SOP as a Word (.docx), PDF, HTML, Markdown or text file.",
                )
        raise _unreadable(
            name,
            "is a ZIP archive without a Word document body (word/document.xml is missing)",
            "open the SOP in Word, save it as .docx and upload it again.",
        )
    return archive


def _check_sizes(members: list[zipfile.ZipInfo], name: str, limits: ReadLimits) -> None:
    """Refuse by the sizes the archive declares; zipfile never returns more than the declared size."""
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_FLOOR and ratio > MAX_RATIO:
            raise TooLarge(
                f"{name} was refused as unsafe: a part inside it expands {ratio:,.0f} times "
                f"(to {member.file_size / 1048576:,.0f} MB), which is how zip bombs work, not Word files. "
                "Save the SOP again from Word and upload the new file."
            )
    if total > limits.max_unpacked_bytes:
        raise TooLarge(
            f"{name} expands to {total / 1048576:,.0f} MB when unpacked, more than the "
            f"{limits.max_unpacked_bytes / 1048576:,.0f} MB allowed; remove large embedded images or "
            "split the SOP, or ask an administrator to raise the limit."
        )
