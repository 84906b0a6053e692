"""Training records for compliance officers: the people whose records there are, one person's record
(transcript) on screen and as PDF, one person's record on one SOP, and the SOP training record (everyone
trained on one revision) on screen and as CSV, XLSX or PDF. Part of the reports blueprint."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from lms.analytics import records
from lms.db import utcnow
from lms.formats.table import safe_name
from lms.services import evidence as evidence_packs
from lms.services import report_files, transcript
from lms.web.access import allow
from lms.web.downloads import download, organisation, stamp
from lms.web.identity import current_user
from lms.web.safety import page_number

READERS = ("compliance",)


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/people", view_func=people)
    bp.add_url_rule("/people/<int:user_id>", view_func=person)
    bp.add_url_rule("/people/<int:user_id>.pdf", view_func=person_pdf)
    bp.add_url_rule("/people/<int:user_id>/sops/<int:sop_id>", view_func=sop_record)
    bp.add_url_rule("/revisions/<int:revision_id>", view_func=revision)
    bp.add_url_rule("/revisions/<int:revision_id>.<any(csv, xlsx, pdf):file_format>", view_func=revision_file)
    bp.add_url_rule("/evidence/<any(person, job_role, revision):scope>/<int:key>.zip", view_func=evidence)


@allow(*READERS)
def people() -> str:
    search = (request.args.get("q") or "").strip()[:100]
    found = records.people_page(search, page_number(request.args.get("page")))
    return render_template("lms/reports/people.html", page=found, search=search)


@allow(*READERS)
def person(user_id: int) -> str:
    record = transcript.transcript_for(user_id, organisation=organisation())
    return render_template("lms/reports/person.html", record=record, user_id=user_id)


@allow(*READERS)
def person_pdf(user_id: int) -> Response:
    record = transcript.transcript_for(user_id, organisation=organisation())
    written = report_files.audited(
        iter([transcript.render_pdf(record)]), "transcript", "pdf", {"user": record.email}, current_user.id
    )
    return download(written, f"training-record-{safe_name(record.email)}-{stamp(record.generated_at)}.pdf")


@allow(*READERS)
def sop_record(user_id: int, sop_id: int) -> str:
    return render_template("lms/reports/sop_record.html", record=records.sop_record(user_id, sop_id))


@allow(*READERS)
def revision(revision_id: int) -> str:
    info = records.revision_info(revision_id)
    found = records.trained_page(info.id, page_number(request.args.get("page")))
    return render_template(
        "lms/reports/revision.html", revision=info, page=found, others=records.revisions_of(info.sop_id)
    )


@allow(*READERS)
def revision_file(revision_id: int, file_format: str) -> Response:
    now = utcnow()
    table = report_files.revision_table(revision_id)
    args = {"revision": table.subject}
    written = report_files.written(table, file_format, current_user, organisation(), now, args)
    return download(written, f"trained-on-{safe_name(table.subject)}-{stamp(now)}.{file_format}")


@allow(*READERS)
def evidence(scope: str, key: int) -> Response:
    now = utcnow()
    found = evidence_packs.scope_of(scope, key)
    chunks = evidence_packs.evidence_pack(found, organisation(), current_user._get_current_object(), now)
    return download(chunks, f"evidence-{safe_name(found.slug)}-{stamp(now)}.zip")
