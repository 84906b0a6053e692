"""sop-lms: SOP training and assessment, as a standalone app or an extension mounted in a host Flask app."""

from lms.app import create_app
from lms.extension import SopLms

__all__ = ["SopLms", "create_app"]
