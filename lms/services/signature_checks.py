"""Does a signature still bind to what it signed (21 CFR Part 11 §11.70)? Every view of a signature and the
inspector's exports ask this, so a signature copied to other content or an SOP revision edited in the
database shows as broken."""

from __future__ import annotations

from lms.db import db
from lms.models import Attempt, Signature, SopRevision
from sops.model import SopDocument


def signature_problem(signature: Signature) -> str | None:
    """Why the signature no longer binds to what it signed, or None when it does.

    The signature's hash must equal the revision's stored content hash, and that hash must still be the
    hash of the revision's stored content, so neither copying a signature to other content nor editing
    the revision in the database goes unnoticed.
    """
    revision = db.session.get(SopRevision, signature.revision_id)
    if revision is None:
        return "The signed SOP revision no longer exists."
    if signature.content_hash != revision.content_hash:
        return "The signed SOP revision's content hash has changed since it was signed."
    try:
        recomputed = SopDocument.from_dict(revision.structure).content_hash
    except (KeyError, TypeError, ValueError):
        return "The signed SOP revision's stored content can no longer be read."
    if recomputed != revision.content_hash:
        return "The signed SOP revision's content no longer matches its content hash."
    if signature.attempt_id is not None:
        attempt = db.session.get(Attempt, signature.attempt_id)
        if attempt is None or attempt.user_id != signature.user_id or not attempt.passed:
            return "The signed quiz attempt is missing or no longer a pass."
        if attempt.enrolment.revision_id != signature.revision_id:
            return "The signed quiz attempt belongs to another SOP revision."
    return None


def verify_signature(signature: Signature) -> bool:
    return signature_problem(signature) is None
