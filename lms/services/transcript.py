"""A learner's personal training record (transcript): every enrolment with its outcome, as data and as PDF.

The PDF is drawn with fpdf2 in DejaVu Sans (bundled in static/lms/fonts, subset to Latin, Greek, Cyrillic
and common symbols); a character the font lacks is printed as "?" rather than silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF, FontFace
from sqlalchemy import select, true

from lms.analytics import completion
from lms.db import db, utcnow
from lms.models import Attempt, Enrolment, JobRole, Signature, Sop, SopRevision, User, user_job_roles
from lms.models.enrolment import status_of
from lms.services.errors import NotFound

FONTS = Path(__file__).resolve().parent.parent / "static" / "lms" / "fonts"
REGULAR = FONTS / "DejaVuSans.ttf"
BOLD = FONTS / "DejaVuSans-Bold.ttf"

STATUS_LABELS = {status: label.lower() for status, label in completion.STATUS_LABELS.items()}


@dataclass(frozen=True)
class TranscriptRow:
    sop_code: str
    title: str
    revision: str
    status: str
    assigned_at: datetime
    due_at: datetime
    completed_at: datetime | None
    best_score: float | None
    attempts: int


@dataclass(frozen=True)
class AttemptLine:
    sop_code: str
    revision: str
    number: int
    started_at: datetime
    submitted_at: datetime | None
    score_percent: float | None
    passed: bool | None


@dataclass(frozen=True)
class SignatureLine:
    sop_code: str
    revision: str
    meaning: str
    printed_name: str
    signed_at: datetime
    content_hash: str


@dataclass(frozen=True)
class Transcript:
    name: str
    email: str
    job_roles: list[str]
    generated_at: datetime
    rows: list[TranscriptRow]
    organisation: str = "sop-lms"
    attempts: list[AttemptLine] = field(default_factory=list)
    signatures: list[SignatureLine] = field(default_factory=list)


def transcript_for(
    user_id: int, now: datetime | None = None, organisation: str = "sop-lms", revision_id: int | None = None
) -> Transcript:
    """The training record of one person: every enrolment they ever had, by SOP code then date assigned,
    every quiz attempt and every electronic signature, under the organisation's name (with `revision_id`,
    only what concerns that revision). Plain columns in five queries (no ORM objects, no revision's source
    file): an evidence pack reads a thousand of these."""
    connection = db.session.connection()
    user = connection.execute(select(User.id, User.name, User.email).where(User.id == user_id)).first()
    if user is None:
        raise NotFound("No such user.")
    now = now or utcnow()
    trainings = connection.execute(
        select(
            Enrolment.id,
            Enrolment.status,
            Enrolment.assigned_at,
            Enrolment.due_at,
            Enrolment.completed_at,
            SopRevision.status.label("revision_status"),
            SopRevision.title,
            SopRevision.label,
            Sop.code,
        )
        .join(SopRevision, SopRevision.id == Enrolment.revision_id)
        .join(Sop, Sop.id == SopRevision.sop_id)
        .where(Enrolment.user_id == user.id)
        .where(Enrolment.revision_id == revision_id if revision_id is not None else true())
        .order_by(Enrolment.assigned_at, Enrolment.id)
    ).all()
    every_attempt = connection.execute(
        select(
            Attempt.enrolment_id,
            Attempt.number,
            Attempt.started_at,
            Attempt.submitted_at,
            Attempt.score_percent,
            Attempt.passed,
        )
        .where(Attempt.user_id == user.id)
        .order_by(Attempt.started_at, Attempt.id)
    ).all()
    submitted: dict[int, list] = {}
    for attempt in every_attempt:
        if attempt.submitted_at is not None:
            submitted.setdefault(attempt.enrolment_id, []).append(attempt)
    training_of = {t.id: t for t in trainings}
    attempts = [
        AttemptLine(
            training_of[a.enrolment_id].code,
            training_of[a.enrolment_id].label,
            a.number,
            a.started_at,
            a.submitted_at,
            a.score_percent,
            a.passed,
        )
        for a in every_attempt
        if a.enrolment_id in training_of
    ]
    signed = connection.execute(
        select(
            Sop.code,
            SopRevision.label,
            Signature.meaning,
            Signature.printed_name,
            Signature.signed_at,
            Signature.content_hash,
        )
        .join(SopRevision, SopRevision.id == Signature.revision_id)
        .join(Sop, Sop.id == SopRevision.sop_id)
        .where(Signature.user_id == user.id)
        .where(Signature.revision_id == revision_id if revision_id is not None else true())
        .order_by(Signature.signed_at, Signature.id)
    ).all()
    rows = []
    for training in trainings:
        done = submitted.get(training.id, [])
        scores = [a.score_percent for a in done if a.score_percent is not None]
        status = status_of(training.status, training.due_at, training.revision_status, now)
        rows.append(
            TranscriptRow(
                sop_code=training.code,
                title=training.title,
                revision=training.label,
                status=STATUS_LABELS.get(status, status.replace("_", " ")),
                assigned_at=training.assigned_at,
                due_at=training.due_at,
                completed_at=training.completed_at,
                best_score=max(scores) if scores else None,
                attempts=len(done),
            )
        )
    rows.sort(key=lambda row: row.sop_code.casefold())  # stable: within an SOP, in the order assigned
    held = connection.execute(
        select(JobRole.name, JobRole.department)
        .join(user_job_roles, user_job_roles.c.job_role_id == JobRole.id)
        .where(user_job_roles.c.user_id == user.id)
        .order_by(JobRole.name)
    )
    roles = [f"{name} ({department})" if department else name for name, department in held]
    return Transcript(
        user.name,
        user.email,
        roles,
        now,
        rows,
        organisation,
        attempts,
        [SignatureLine(*row) for row in signed],
    )


COLUMNS = (  # heading, width in mm (A4 landscape, 273 mm between the margins)
    ("SOP code", 40),
    ("Title", 71),
    ("Revision", 19),
    ("Status", 25),
    ("Assigned", 22),
    ("Due", 22),
    ("Completed at", 30),
    ("Best score", 22),
    ("Attempts", 22),
)


class _Document(FPDF):
    def __init__(self, transcript: Transcript) -> None:
        super().__init__(orientation="landscape", unit="mm", format="A4")
        self.transcript = transcript
        self.add_font("DejaVu", "", str(REGULAR))
        self.add_font("DejaVu", "B", str(BOLD))
        self.set_margins(12, 12, 12)
        self.set_auto_page_break(auto=True, margin=16)
        self.set_title(f"Training record: {printable(transcript.name)}")
        self.set_author("sop-lms")
        self.set_subject(f"Personal training record of {printable(transcript.email)}")
        self.set_creation_date(transcript.generated_at)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", size=8)
        self.set_text_color(90, 100, 114)
        generated = f"{self.transcript.generated_at:%Y-%m-%d %H:%M} UTC"
        self.cell(
            0,
            6,
            printable(f"Training record of {self.transcript.name}, generated {generated}")
            + f"    Page {self.page_no()} of {{nb}}",
            align="C",
        )


def render_pdf(transcript: Transcript) -> bytes:
    pdf = _Document(transcript)
    _draw(pdf, transcript)
    return bytes(pdf.output())


def render_many(transcripts: Iterable[Transcript], title: str, first_pages: list[int] | None = None) -> bytes:
    """Several people's records in one PDF, each from a new page, its footer naming whose it is: the font
    loaded and subset once (a job role's evidence pack, where one PDF per person cost ten times more).
    `first_pages` receives the page each record starts on."""
    pdf: _Document | None = None
    for transcript in transcripts:
        if pdf is None:
            pdf = _Document(transcript)
            pdf.set_title(printable(title))
            pdf.set_subject(printable(f"Training records: {title}"))
        _draw(pdf, transcript)
        if first_pages is not None:
            first_pages.append(pdf.first_page)
    if pdf is None:
        raise NotFound("Nobody's training record to put in it.")
    return bytes(pdf.output())


def _draw(pdf: _Document, transcript: Transcript) -> None:
    pdf.add_page()  # draws the previous page's footer, so the new person is set after it
    pdf.transcript = transcript
    pdf.first_page = pdf.page_no()
    pdf.set_font("DejaVu", "B", 16)
    pdf.cell(0, 9, "Training record", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=10)
    details = (
        ("Organisation", transcript.organisation),
        ("Name", transcript.name),
        ("Email", transcript.email),
        ("Job roles", ", ".join(transcript.job_roles) or "none"),
        ("Generated at", f"{transcript.generated_at:%Y-%m-%d %H:%M:%S} UTC"),
    )
    for label, value in details:
        pdf.set_font("DejaVu", "B", 10)
        pdf.cell(34, 6, label + ":")
        pdf.set_font("DejaVu", size=10)
        pdf.multi_cell(0, 6, printable(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    if not transcript.rows:
        pdf.multi_cell(0, 6, "No training has been assigned to this person.", new_x="LMARGIN", new_y="NEXT")
        return
    pdf.set_font("DejaVu", size=8.5)
    with pdf.table(
        col_widths=tuple(width for _, width in COLUMNS),
        width=sum(width for _, width in COLUMNS),
        headings_style=FontFace(emphasis="BOLD", fill_color=(228, 232, 238)),
        line_height=4.6,
        text_align="LEFT",
        first_row_as_headings=True,
    ) as table:
        table.row([heading for heading, _ in COLUMNS])
        for row in transcript.rows:
            table.row(
                [
                    printable(row.sop_code),
                    printable(row.title),
                    printable(row.revision),
                    row.status,
                    f"{row.assigned_at:%Y-%m-%d}",
                    f"{row.due_at:%Y-%m-%d}",
                    f"{row.completed_at:%Y-%m-%d %H:%M}" if row.completed_at else "",
                    f"{row.best_score:.0f}%" if row.best_score is not None else "",
                    str(row.attempts),
                ]
            )
    _attempts_table(pdf, transcript.attempts)
    _signatures_table(pdf, transcript.signatures)
    pdf.ln(2)
    pdf.set_font("DejaVu", size=8)
    pdf.multi_cell(
        0,
        4.5,
        "Times are UTC. Best score is the highest score of the submitted quiz attempts; attempts counts "
        "submitted attempts, including any whose time ran out.",
        new_x="LMARGIN",
        new_y="NEXT",
    )


def _section(pdf: FPDF, title: str) -> None:
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=8.5)


def _rows_table(pdf: FPDF, columns: tuple[tuple[str, int], ...], rows: list[list[str]]) -> None:
    with pdf.table(
        col_widths=tuple(width for _, width in columns),
        width=sum(width for _, width in columns),
        headings_style=FontFace(emphasis="BOLD", fill_color=(228, 232, 238)),
        line_height=4.6,
        text_align="LEFT",
        first_row_as_headings=True,
    ) as table:
        table.row([heading for heading, _ in columns])
        for row in rows:
            table.row([printable(cell) for cell in row])


def _attempts_table(pdf: FPDF, attempts: list[AttemptLine]) -> None:
    _section(pdf, "Quiz attempts")
    if not attempts:
        pdf.multi_cell(0, 6, "No quiz attempt.", new_x="LMARGIN", new_y="NEXT")
        return
    columns = (
        ("SOP code", 48),
        ("Revision", 22),
        ("Attempt", 20),
        ("Started", 36),
        ("Submitted", 36),
        ("Score", 22),
        ("Result", 30),
    )
    _rows_table(
        pdf,
        columns,
        [
            [
                a.sop_code,
                a.revision,
                str(a.number),
                f"{a.started_at:%Y-%m-%d %H:%M}",
                f"{a.submitted_at:%Y-%m-%d %H:%M}" if a.submitted_at else "not submitted",
                f"{a.score_percent:.0f}%" if a.score_percent is not None else "",
                "" if a.passed is None else ("passed" if a.passed else "not passed"),
            ]
            for a in attempts
        ],
    )


def _signatures_table(pdf: FPDF, signatures: list[SignatureLine]) -> None:
    _section(pdf, "Electronic signatures")
    if not signatures:
        pdf.multi_cell(0, 6, "No electronic signature.", new_x="LMARGIN", new_y="NEXT")
        return
    columns = (
        ("SOP code", 40),
        ("Revision", 18),
        ("Meaning", 70),
        ("Printed name", 40),
        ("Signed at", 32),
        ("Content hash (SHA-256)", 73),
    )
    _rows_table(
        pdf,
        columns,
        [
            [
                s.sop_code,
                s.revision,
                s.meaning,
                s.printed_name,
                f"{s.signed_at:%Y-%m-%d %H:%M:%S}",
                s.content_hash,
            ]
            for s in signatures
        ],
    )


@lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    with TTFont(str(REGULAR), lazy=True) as font:
        regular = set(font.getBestCmap())
    with TTFont(str(BOLD), lazy=True) as font:
        return frozenset(regular & set(font.getBestCmap()))


def printable(text: str) -> str:
    """`text` with every character the bundled font cannot draw replaced by "?"."""
    covered = _covered()
    return "".join(ch if ord(ch) in covered or ch in "\n\t" else "?" for ch in text)
