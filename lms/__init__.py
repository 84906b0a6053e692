"""sop-lms: SOP training and assessment, as a standalone app or an extension mounted in a host Flask app."""

from lms.app import create_app
from lms.extension import SopLms
from lms.services.host_users import HostIdentity

__all__ = ["HostIdentity", "SopLms", "create_app"]
