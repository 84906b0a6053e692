"""A realistic demo organisation, built through the same services the app uses.

Harbor Point Laboratories: lab, field, maintenance, quality, IT, HR and finance staff, trained on real
public-domain and openly licensed SOPs (see `lms/demo/sops/SOURCES.md`). Some people have already taken
quizzes weeks ago, some are overdue, so every dashboard has something to show.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from lms.db import db, utcnow
from lms.models import Attempt, Enrolment, User
from lms.services import accounts, attempts, enrolments, quiz_review, sop_import
from lms.services.transactions import transactional
from quizzes.answers import SingleChoice, TrueFalse, answer_type

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo" / "sops"
DEMO_PASSWORD = "sop-lms-demo"  # noqa: S105 (a published demo password, only ever seeded into demo databases)
DEMO_DOMAIN = "harborpoint.example"
DEMO_LOGINS = (
    ("admin", f"admin@{DEMO_DOMAIN}"),
    ("trainer", f"trainer@{DEMO_DOMAIN}"),
    ("compliance", f"compliance@{DEMO_DOMAIN}"),
    ("learner", f"learner@{DEMO_DOMAIN}"),
)

# department -> site, so the reports' site filter has something to filter
SITES = {"Laboratory": "North campus", "Environmental Monitoring": "North campus", "Facilities": "Plant"}

# job role -> (department, SOP files its members must be trained on, how many people)
JOB_ROLES: dict[str, tuple[str, tuple[str, ...], int]] = {
    "Laboratory Technician": (
        "Laboratory",
        (
            "lab-dna-quantification-qubit-fluorometer-noaa-pmel.md",
            "lab-reagent-prep-inactivation-saline-floodlamp.md",
            "lab-rpa-assay-setup-techoceans.md",
        ),
        9,
    ),
    "Field Sampling Technician": (
        "Environmental Monitoring",
        ("env-edna-water-sampling-smithroot-filter-noaa-pmel.md",),
        6,
    ),
    "Maintenance Technician": ("Facilities", ("safety-lockout-tagout-osha-typical-minimal-procedure.md",), 6),
    "QA Specialist": ("Quality", ("qms-capa-procedure.md",), 4),
    "IT Operations Engineer": (
        "IT",
        (
            "it-database-restore-runbook.md",
            "it-oncall-responsibilities.md",
            "it-security-incident-response-checklist.md",
        ),
        6,
    ),
    "People Operations Partner": ("HR", ("hr-employee-offboarding.md",), 3),
    "Finance Associate": ("Finance", ("finance-travel-voucher-reimbursement.md",), 3),
}

FIRST = (
    "Amara",
    "Ben",
    "Chloe",
    "Dmitri",
    "Elena",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "Jonas",
    "Keisha",
    "Luca",
    "Maya",
    "Nikhil",
    "Olga",
    "Pedro",
    "Quinn",
    "Rosa",
    "Samir",
    "Tessa",
    "Umar",
    "Vera",
    "Wen",
    "Xavier",
    "Yara",
    "Zane",
    "Aoife",
    "Bruno",
    "Carmen",
    "Diego",
    "Esther",
    "Felix",
    "Hana",
    "Ivan",
    "Julia",
    "Kofi",
    "Lena",
    "Mateo",
    "Nora",
    "Omar",
)
LAST = (
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Petrov",
    "Garcia",
    "Haddad",
    "Kim",
    "Tanaka",
    "Silva",
    "Becker",
    "Johnson",
    "Romano",
    "Patel",
    "Sharma",
    "Novak",
    "Alves",
    "Murphy",
    "Costa",
    "Nasser",
    "Van Dijk",
    "Sheikh",
    "Ivanova",
    "Zhang",
    "Dubois",
    "Mensah",
    "Fischer",
    "Byrne",
    "Rossi",
    "Ortega",
    "Lopez",
    "Cohen",
    "Wagner",
    "Sato",
    "Kovacs",
    "Nowak",
    "Asante",
    "Berg",
    "Reyes",
    "Quinn",
    "Aziz",
)


@dataclass(frozen=True)
class SeedSummary:
    users: int
    job_roles: int
    sops: int
    enrolments: int
    attempts: int


# Questions the demo trainer writes by hand where the drafted pool is thin: the generator drafts little or
# nothing from an SOP whose steps carry no value, rule, condition or stated order (it no longer pads a pool
# with sequence items), and a trainer then writes the questions, as one would in a real organisation.
TRAINER_QUESTIONS: dict[str, list[tuple[str, str, list[str], Any]]] = {
    "qms-capa-procedure.md": [
        (
            SingleChoice.name,
            "Who conducts the verification and effectiveness review of an implemented CAPA action?",
            ["The QMO", "The person who implemented the action", "The process owner of the affected process"],
            0,
        ),
        (
            SingleChoice.name,
            "What does the verification of a CAPA document?",
            [
                "Proof that the actions taken were implemented",
                "The root cause of the nonconformity",
                "The decision whether a CAPA is needed at all",
            ],
            0,
        ),
    ],
    "it-database-restore-runbook.md": [
        (
            TrueFalse.name,
            "True or false? Data written to a customer database after the chosen restore point is kept.",
            ["True", "False"],
            False,
        ),
        (
            SingleChoice.name,
            "After restoring a customer database, which password do you set on the new instance?",
            [
                "The old password of the database being restored",
                "A newly generated password, sent to the tenant",
                "No password: Terraform imports the credentials",
            ],
            0,
        ),
    ],
    "safety-lockout-tagout-osha-typical-minimal-procedure.md": [
        (
            SingleChoice.name,
            "Before you lock out a machine for servicing, whom must you notify?",
            [
                "All affected employees",
                "Only the machine's regular operator",
                "Nobody, as long as your lock is applied",
            ],
            0,
        ),
        (
            SingleChoice.name,
            "The machine is locked out. How do you verify the isolation?",
            [
                "Check that nobody is exposed, then try the normal controls to make sure it will not start",
                "Check that the lock is closed and the tag is legible",
                "Ask the operator whether the machine is off",
            ],
            0,
        ),
    ],
}


def has_users() -> bool:
    return bool(db.session.scalar(select(func.count(User.id))))


@transactional
def seed_demo(seed: int = 7) -> SeedSummary:
    rng = random.Random(seed)  # noqa: S311 (reproducible demo data, not security)
    role_ids = {
        name: accounts.create_job_role(name, department, site=SITES.get(department, "Head office")).id
        for name, (department, _, _) in JOB_ROLES.items()
    }
    staff = _create_staff(rng, role_ids)
    trainer = db.session.scalar(select(User).where(User.email == f"trainer@{DEMO_DOMAIN}"))
    trainer_id = trainer.id if trainer else None
    modules: dict[str, int] = {}
    for name, (_, files, _) in JOB_ROLES.items():
        for file in files:
            if file not in modules:
                revision = sop_import.import_sop((DEMO_DIR / file).read_bytes(), file, trainer_id)
                module = sop_import.modules_of(revision.id)[0]
                for question in TRAINER_QUESTIONS.get(file, ()):
                    quiz_review.add_question(module.id, *question, step_id=None, actor_id=trainer_id)
                module.quiz.questions_per_attempt = min(8, len(module.quiz.questions))
                quiz_review.publish(module.id, trainer_id)
                modules[file] = module.id
            enrolments.assign_module_to_role(
                modules[file], role_ids[name], rng.choice((14, 21, 30)), trainer_id
            )
    taken = _take_quizzes(rng, staff)
    taken += _revise_on_call_sop(rng, trainer_id)
    return SeedSummary(
        users=len(staff) + 3,
        job_roles=len(role_ids),
        sops=len(modules),
        enrolments=db.session.scalar(select(func.count(Enrolment.id))) or 0,
        attempts=taken,
    )


def _create_staff(rng: random.Random, role_ids: dict[str, int]) -> list[User]:
    for role, email in DEMO_LOGINS[:3]:
        accounts.create_user(email, f"Demo {role.title()}", DEMO_PASSWORD, role)
    staff = [
        accounts.create_user(
            DEMO_LOGINS[3][1], "Lee Learner", DEMO_PASSWORD, "learner", [role_ids["Laboratory Technician"]]
        )
    ]
    names = iter(zip(FIRST, LAST, strict=True))
    for role_name, (_, _, headcount) in JOB_ROLES.items():
        for _ in range(headcount - (1 if role_name == "Laboratory Technician" else 0)):
            first, last = next(names)
            email = f"{first}.{last}".lower().replace(" ", "") + f"@{DEMO_DOMAIN}"
            staff.append(
                accounts.create_user(
                    email, f"{first} {last}", DEMO_PASSWORD, "learner", [role_ids[role_name]]
                )
            )
    rng.shuffle(staff)
    return staff


def _take_quizzes(rng: random.Random, staff: list[User]) -> int:
    """Backdate enrolments over the last weeks, and let about three quarters of people take their quizzes."""
    now = utcnow()
    taken = 0
    for person in staff:
        is_demo_learner = person.email == DEMO_LOGINS[3][1]
        ability = 1.0 if is_demo_learner else rng.uniform(0.65, 1.0)
        for number, enrolment in enumerate(enrolments.enrolments_for(person.id)):
            age = timedelta(days=4 if is_demo_learner else rng.randint(2, 40))
            enrolment.assigned_at = now - age
            enrolment.due_at = enrolment.assigned_at + timedelta(days=enrolment.assignment.due_days)
            if is_demo_learner and number > 0:
                continue  # the demo learner has passed one module and has the others still to do
            if not is_demo_learner and rng.random() > 0.75:
                continue
            taken += _sit_quiz(rng, enrolment, ability, rng.choice((1, 1, 2)))
    return taken


def _sit_quiz(rng: random.Random, enrolment: Enrolment, ability: float, tries: int) -> int:
    """Up to `tries` backdated attempts, each answer right with probability `ability`; stops once passed."""
    previous: datetime | None = None
    for number in range(1, tries + 1):
        attempt = attempts.start_attempt(enrolment.user_id, enrolment.id)
        answers = {
            q.id: attempts.as_displayed(
                attempt,
                q,
                answer_type(q.type).right_response(q.answer)
                if rng.random() < ability
                else answer_type(q.type).wrong_response(q.options, q.answer),
            )
            for q in attempts.questions_of(attempt)
        }
        attempts.submit_attempt(enrolment.user_id, attempt.id, answers)
        previous = _backdate(attempt, enrolment, rng, previous)
        if attempt.passed:
            return number
    return tries


# Harbor Point's own second revision of the on-call SOP (the PagerDuty text is Apache-2.0, so it may be
# changed): a tighter escalation time and a new step. Published with full retraining, it gives the analytics
# overview a pass rate to compare across revisions.
REVISED_SOP = "it-oncall-responsibilities.md"
REVISION_EDITS = (
    ("Team alert escalation happens within 5 minutes", "Team alert escalation happens within 3 minutes"),
    (
        "    * You are empowered to dive into any problem and act to fix it.\n",
        "    * You are empowered to dive into any problem and act to fix it.\n"
        "    * Write every page you acknowledge in the on-call log before you start fixing it.\n",
    ),
)


def revised_on_call_text() -> bytes:
    text = (DEMO_DIR / REVISED_SOP).read_text(encoding="utf-8")
    for old, new in REVISION_EDITS:
        if old not in text:
            raise RuntimeError(f"the demo revision edit no longer applies: {old!r}")
        text = text.replace(old, new)
    return text.encode("utf-8")


def _revise_on_call_sop(rng: random.Random, trainer_id: int | None) -> int:
    """Publish revision 2 of the on-call SOP (full retraining) a week ago; most of the IT engineers have
    retaken the quiz since, and the clearer wording shows in better first attempts."""
    revision = sop_import.import_sop(revised_on_call_text(), REVISED_SOP, trainer_id)
    module = sop_import.modules_of(revision.id)[0]
    module.quiz.questions_per_attempt = min(8, len(module.quiz.questions))
    quiz_review.publish(module.id, trainer_id, retraining_mode="full")
    taken = 0
    retrained = db.session.scalars(
        select(Enrolment).where(Enrolment.revision_id == revision.id).order_by(Enrolment.id)
    ).all()
    for enrolment in retrained:
        enrolment.assigned_at = utcnow() - timedelta(days=7)
        enrolment.due_at = enrolment.assigned_at + timedelta(days=14)
        if rng.random() <= 0.8:
            taken += _sit_quiz(rng, enrolment, rng.uniform(0.85, 1.0), 2)
    return taken


def _backdate(
    attempt: Attempt, enrolment: Enrolment, rng: random.Random, previous: datetime | None
) -> datetime:
    """Move the attempt into the past: days after the assignment, a retake a few days after the attempt
    before it (records show attempts in the order they were taken)."""
    days = rng.randint(1, 20)
    start = previous if previous is not None else enrolment.assigned_at
    when = start + timedelta(
        days=days if previous is None else days // 5, minutes=rng.randint(0, 600) + (30 if previous else 0)
    )
    when = min(when, utcnow())
    attempt.started_at = when - timedelta(minutes=rng.randint(4, 25))
    attempt.submitted_at = when
    if enrolment.status == "completed" and enrolment.completed_at is not None:
        enrolment.completed_at = when
    return when
