"""Evidence packs for an inspector: one ZIP per person, job role or SOP revision holding each person's
training record (PDF), every signature, every attempt with its answers, the text of every SOP revision
trained on as it was imported, the audit events behind them, a manifest of SHA-256 hashes and a README
saying how to check them.

The ZIP is written as it is sent (Python's zipfile on a write-only stream: each entry's sizes follow it),
one person's records at a time, so a pack of a 1,000-person job role starts at once and memory stays flat.
The export is audited when it starts; when the last byte is written, a second event records the hash of
the manifest, so a pack whose files and manifest were both replaced still shows against the trail.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, String, cast, or_, select

from lms.analytics import records
from lms.csv_export import csv_chunks
from lms.db import db
from lms.formats.table import iso, safe_name
from lms.models import (
    Attempt,
    AuditEvent,
    Enrolment,
    JobRole,
    Question,
    Response,
    Signature,
    Sop,
    SopRevision,
    User,
    user_job_roles,
)
from lms.services import audit, audit_search, exports, transcript
from lms.services.errors import InvalidInput, NotFound
from lms.services.transactions import transactional

LOG = logging.getLogger(__name__)
SCOPES = ("person", "job_role", "revision")
CSV_BATCH = 1000
RECORDS_PER_PDF = 250
MANIFEST = "manifest.sha256"


@dataclass(frozen=True)
class Scope:
    kind: str  # person, job_role, revision
    key: int
    title: str  # "Dana Reyes (dana@example.org)", "job role QC analyst", "QC-014 revision 3"
    slug: str  # for the file name
    people: Select  # the ids of the people the pack covers
    revision_id: int | None = None  # a revision's pack holds only what concerns that revision


def scope_of(kind: str, key: int) -> Scope:
    if kind == "person":
        person = db.session.get(User, key)
        if person is None:
            raise NotFound("No such person.")
        return Scope(
            kind, key, f"{person.name} ({person.email})", person.email, select(User.id).where(User.id == key)
        )
    if kind == "job_role":
        role = db.session.get(JobRole, key)
        if role is None:
            raise NotFound("No such job role.")
        members = select(user_job_roles.c.user_id).where(user_job_roles.c.job_role_id == key)
        return Scope(kind, key, f"job role {role.name}", f"role-{role.name}", members)
    if kind == "revision":
        found = records.revision_info(key)  # NotFound for an unknown revision
        trained = select(Enrolment.user_id).where(Enrolment.revision_id == key).distinct()
        return Scope(
            kind, key, f"{found.code} revision {found.label}", f"{found.code}-{found.label}", trained, key
        )
    raise InvalidInput(f"An evidence pack is made per {', '.join(SCOPES)}; not per “{kind[:20]}”.")


class _Sink(io.RawIOBase):
    """Where the ZIP is written: it keeps the bytes until they are taken and sent (not seekable, so
    zipfile writes each entry's sizes after its data)."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        taken = b"".join(self._parts)
        self._parts.clear()
        return taken


class _Pack:
    def __init__(self) -> None:
        self.sink = _Sink()
        self.zip = zipfile.ZipFile(self.sink, "w", compression=zipfile.ZIP_DEFLATED)
        self.hashes: list[tuple[str, str]] = []

    def add(self, name: str, data: bytes) -> bytes:
        self.hashes.append((hashlib.sha256(data).hexdigest(), name))
        info = zipfile.ZipInfo(name, date_time=time.gmtime()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        self.zip.writestr(info, data)
        return self.sink.take()

    def add_streamed(self, name: str, pieces: Iterable[str | bytes]) -> Iterator[bytes]:
        digest = hashlib.sha256()
        info = zipfile.ZipInfo(name, date_time=time.gmtime()[:6])  # UTC, as the README inside says
        info.compress_type = zipfile.ZIP_DEFLATED
        with self.zip.open(info, "w", force_zip64=True) as entry:
            for piece in pieces:
                data = piece.encode("utf-8") if isinstance(piece, str) else piece
                digest.update(data)
                entry.write(data)
                if taken := self.sink.take():
                    yield taken
        self.hashes.append((digest.hexdigest(), name))
        yield self.sink.take()

    def close(self) -> tuple[bytes, str]:
        """Write the manifest (of every file before it) and the ZIP's directory; the manifest's hash."""
        manifest = "".join(f"{digest}  {name}\n" for digest, name in self.hashes).encode()
        info = zipfile.ZipInfo(MANIFEST, date_time=time.gmtime()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        self.zip.writestr(info, manifest)
        self.zip.close()
        return self.sink.take(), hashlib.sha256(manifest).hexdigest()


def _people(scope: Scope) -> Iterator[int]:
    query = select(User.id).where(User.id.in_(scope.people)).order_by(User.name, User.id)
    yield from db.session.connection().execute(query.execution_options(yield_per=CSV_BATCH)).scalars()


def _enrolments(scope: Scope) -> Select:
    query = select(Enrolment.id).where(Enrolment.user_id.in_(scope.people))
    return query.where(Enrolment.revision_id == scope.revision_id) if scope.revision_id else query


def _streamed(query: Select) -> Iterator:
    return db.session.connection().execute(query.execution_options(yield_per=CSV_BATCH))


SIGNATURE_COLUMNS = (
    "person",
    "email",
    "sop",
    "revision",
    "kind",
    "meaning",
    "printed_name",
    "signed_at",
    "content_hash",
    "subject",
)


def _signatures(scope: Scope) -> Iterator[str]:
    query = (
        select(
            User.name,
            User.email,
            Sop.code,
            SopRevision.label,
            Signature.kind,
            Signature.meaning,
            Signature.printed_name,
            Signature.signed_at,
            Signature.content_hash,
            Signature.subject,
        )
        .join(User, User.id == Signature.user_id)
        .join(SopRevision, SopRevision.id == Signature.revision_id)
        .join(Sop, Sop.id == SopRevision.sop_id)
        .where(Signature.user_id.in_(scope.people))
        .order_by(User.name, User.id, Signature.signed_at, Signature.id)
    )
    if scope.revision_id:
        query = query.where(Signature.revision_id == scope.revision_id)
    rows = ((*row[:7], iso(row.signed_at), *row[8:]) for row in _streamed(query))
    return csv_chunks(SIGNATURE_COLUMNS, rows)


ANSWER_COLUMNS = (
    "person",
    "email",
    "sop",
    "revision",
    "attempt",
    "started_at",
    "submitted_at",
    "attempt_score_percent",
    "passed",
    "question",
    "question_text",
    "answer",
    "answer_score",
)


def _answers(scope: Scope) -> Iterator[str]:
    """Every attempt, one row per answer (an attempt never submitted: one row, without answers)."""
    query = (
        select(
            User.name,
            User.email,
            Sop.code,
            SopRevision.label,
            Attempt.number,
            Attempt.started_at,
            Attempt.submitted_at,
            Attempt.score_percent,
            Attempt.passed,
            Question.position,
            Question.stem,
            Response.value,
            Response.score,
        )
        .select_from(Attempt)
        .join(Enrolment, Enrolment.id == Attempt.enrolment_id)
        .join(User, User.id == Enrolment.user_id)
        .join(SopRevision, SopRevision.id == Enrolment.revision_id)
        .join(Sop, Sop.id == SopRevision.sop_id)
        .outerjoin(Response, Response.attempt_id == Attempt.id)
        .outerjoin(Question, Question.id == Response.question_id)
        .where(Enrolment.id.in_(_enrolments(scope)))
        .order_by(User.name, User.id, Attempt.started_at, Attempt.id, Question.position)
    )
    rows = (
        (
            *row[:5],
            iso(row.started_at),
            iso(row.submitted_at),
            row.score_percent,
            "" if row.passed is None else ("yes" if row.passed else "no"),
            row.position,
            row.stem,
            "" if row.value is None else json.dumps(row.value, ensure_ascii=False),
            row.score,
        )
        for row in _streamed(query)
    )
    return csv_chunks(ANSWER_COLUMNS, rows)


def _revision_ids(scope: Scope) -> list[int]:
    if scope.revision_id:
        return [scope.revision_id]
    query = select(Enrolment.revision_id).where(Enrolment.user_id.in_(scope.people)).distinct()
    return sorted(db.session.scalars(query))


def _behind(scope: Scope):
    """The audit events on the pack's people, their trainings, attempts and signatures (and the revision)."""

    def ids(query: Select):
        return select(cast(query.subquery().c[0], String))

    entity = AuditEvent.entity_type
    signatures = select(Signature.id).where(Signature.user_id.in_(scope.people))
    if scope.revision_id:
        signatures = signatures.where(Signature.revision_id == scope.revision_id)
    attempts = select(Attempt.id).where(Attempt.enrolment_id.in_(_enrolments(scope)))
    conditions = [
        (entity == "user") & AuditEvent.entity_id.in_(ids(select(User.id).where(User.id.in_(scope.people)))),
        (entity == "enrolment") & AuditEvent.entity_id.in_(ids(_enrolments(scope))),
        (entity == "attempt") & AuditEvent.entity_id.in_(ids(attempts)),
        (entity == "signature") & AuditEvent.entity_id.in_(ids(signatures)),
    ]
    if scope.revision_id:
        conditions.append((entity == "sop_revision") & (AuditEvent.entity_id == str(scope.revision_id)))
    return or_(*conditions)


def _training_records(pack: _Pack, scope: Scope, organisation: str, now: datetime) -> Iterator[bytes]:
    """A person's pack: their record as one PDF. Several people: their records in PDFs of up to
    `RECORDS_PER_PDF` people each (one font load per file, memory bounded), and an index of who is in
    which file from which page."""
    people = list(_people(scope))
    if scope.kind == "person":
        for user_id in people:
            record = transcript.transcript_for(user_id, now, organisation, scope.revision_id)
            yield pack.add(f"training-records/{safe_name(record.email)}.pdf", transcript.render_pdf(record))
        return
    index: list[tuple[str, str, str, int]] = []
    for part, start in enumerate(range(0, len(people), RECORDS_PER_PDF), 1):
        records = [
            transcript.transcript_for(uid, now, organisation, scope.revision_id)
            for uid in people[start : start + RECORDS_PER_PDF]
        ]
        name = f"training-records/records-{part:03d}.pdf"
        pages: list[int] = []
        yield pack.add(name, transcript.render_many(records, f"{scope.title}, part {part}", pages))
        index += [(r.name, r.email, name, page) for r, page in zip(records, pages, strict=True)]
    yield pack.add(
        "training-records/index.csv",
        "".join(csv_chunks(("person", "email", "file", "first_page"), index)).encode("utf-8"),
    )


def _readme(scope: Scope, organisation: str, by: str, now: datetime) -> bytes:
    return f"""Evidence pack: {scope.title}
Organisation: {organisation}
Generated: {iso(now)} by {by}

What is inside
  training-records/   each person's training record (PDF): every training, quiz attempt and signature
                      (a revision's pack: only what concerns that revision)
                      (several people: PDFs of up to 250 records, index.csv says whose starts where)
  signatures.csv      every electronic signature: meaning, printed name, time, hash of what was signed
  answers.csv         every quiz attempt, one row per answer, with the question as it was asked
  sop-revisions/      the text of every SOP revision trained on, as imported (with its content hash)
  audit-events.csv    the audit trail's events on these people, their trainings, attempts and signatures,
                      each with its hash and the hash of the event before it
  {MANIFEST}     the SHA-256 hash of every other file

How to check it
  Unpack the ZIP, then in its folder run:  sha256sum -c {MANIFEST}
  (on macOS: shasum -a 256 -c {MANIFEST}). Every line must say OK: a file changed since the pack was
  made fails. sop-lms records the manifest's own SHA-256 on its audit trail (event "evidence.sealed"),
  so a pack whose files and manifest were both replaced no longer matches the trail: compare
  `sha256sum {MANIFEST}` with that event. Times are UTC, in ISO 8601.
""".encode()


@transactional
def _seal(scope: Scope, manifest_hash: str, files: int, actor_id: int | None) -> None:
    audit.record(
        "evidence.sealed",
        "report",
        "evidence",
        {
            "scope": scope.kind,
            "key": scope.key,
            "title": scope.title,
            "manifest_sha256": manifest_hash,
            "files": files,
        },
        actor_id,
    )


def evidence_pack(scope: Scope, organisation: str, actor: User | None, now: datetime) -> Iterator[bytes]:
    """The pack's bytes, as they are written; the export recorded first, the manifest's hash last."""
    by = f"{actor.name} <{actor.email}>" if actor else "the sop-lms command line"
    exports.record_export(
        "evidence",
        "zip",
        {"scope": scope.kind, "key": scope.key, "title": scope.title},
        actor.id if actor else None,
    )
    return _written(scope, organisation, by, now, actor.id if actor else None)


def _written(
    scope: Scope, organisation: str, by: str, now: datetime, actor_id: int | None
) -> Iterator[bytes]:
    pack = _Pack()
    yield pack.add("README.txt", _readme(scope, organisation, by, now))
    yield from _training_records(pack, scope, organisation, now)
    yield from pack.add_streamed("signatures.csv", _signatures(scope))
    yield from pack.add_streamed("answers.csv", _answers(scope))
    for revision_id in _revision_ids(scope):
        found = db.session.execute(
            select(
                Sop.code,
                SopRevision.label,
                SopRevision.source_filename,
                SopRevision.source_blob,
                SopRevision.content_hash,
            )
            .join(Sop, Sop.id == SopRevision.sop_id)
            .where(SopRevision.id == revision_id)
        ).one()
        folder = f"sop-revisions/{revision_id}-{safe_name(found.code)}-{safe_name(found.label)}"
        stem, dot, extension = found.source_filename.rpartition(".")
        source = f"{safe_name(stem or 'source')}.{safe_name(extension)}" if dot else safe_name(extension)
        yield pack.add(f"{folder}/source/{source}", found.source_blob)
        yield pack.add(f"{folder}/content-hash.txt", f"{found.content_hash}\n".encode())
    yield from pack.add_streamed("audit-events.csv", audit_search.csv_chunks_where(_behind(scope)))
    files = len(pack.hashes)
    last, manifest_hash = pack.close()
    yield last  # the pack is whole before the seal is written: a failing seal cannot cut it short
    try:
        _seal(scope, manifest_hash, files, actor_id)
    except Exception:  # the client has its pack; the trail lacks the seal, and the log says so
        LOG.exception("could not seal the evidence pack of %s (manifest %s)", scope.title, manifest_hash)
