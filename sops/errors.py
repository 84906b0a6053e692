"""Errors a reader raises for input it cannot turn into an SOP.

Each message is shown to the uploader as is.
"""


class SopParseError(ValueError):
    """The document cannot be read as an SOP. The message says why, in words a trainer understands."""


class UnsupportedFormat(SopParseError):
    """The file type is not one sop-lms reads."""


class EmptyDocument(SopParseError):
    """The file has no text at all."""


class NotText(SopParseError):
    """The file claims to be text but holds binary data or an undecodable encoding."""


class NoSteps(SopParseError):
    """The document was read but no procedure step could be recognised in it."""


class TooLarge(SopParseError):
    """The document exceeds a configured size, page or expansion limit."""


class Unreadable(SopParseError):
    """The file is of a supported type but corrupt, truncated, encrypted or has no text layer."""
