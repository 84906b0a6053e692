"""The item analysis as tables and CSV files: per question, per option (distractors) and per attempt
(abilities), the numbers each table of the page shows."""

from __future__ import annotations

from sqlalchemy import select

from lms.analytics.item_queries import attempts_condition
from lms.analytics.items import ItemReport
from lms.csv_export import csv_text
from lms.db import db
from lms.models import (
    Attempt,
    User,
)
from quizzes.answers import answer_type

ITEM_CSV_COLUMNS = (
    "position",
    "question_id",
    "type",
    "step",
    "stem",
    "attempts",
    "facility_percent",
    "sd_percent",
    "random_guess_percent",
    "discrimination_index_percent",
    "discriminative_efficiency_percent",
    "irt_difficulty",
    "irt_discrimination",
    "review",
)


DISTRACTOR_CSV_COLUMNS = ("position", "question_id", "stem", "group", "option", "is_key", "count", "percent")


def _number(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def item_table(report: ItemReport) -> list[dict[str, str]]:
    """The rows of the item data table and its CSV, formatted once so both show the same text."""
    return [
        {
            "position": str(row.position),
            "question_id": str(row.question_id),
            "type": answer_type(row.type).label,
            "step": row.step,
            "stem": row.stem,
            "attempts": str(row.attempts),
            "facility_percent": _number(row.facility),
            "sd_percent": _number(row.sd),
            "random_guess_percent": _number(row.random_guess),
            "discrimination_index_percent": _number(row.discrimination_index),
            "discriminative_efficiency_percent": _number(row.discriminative_efficiency),
            "irt_difficulty": _number(row.irt_difficulty, 2),
            "irt_discrimination": _number(row.irt_discrimination, 2),
            "review": " ".join(row.reasons),
        }
        for row in report.rows
    ]


def item_csv(report: ItemReport) -> str:
    return csv_text(ITEM_CSV_COLUMNS, ([r[c] for c in ITEM_CSV_COLUMNS] for r in item_table(report)))


def option_table(report: ItemReport) -> list[dict[str, str]]:
    return [
        {
            "position": str(o.position),
            "question_id": str(o.question_id),
            "stem": o.stem,
            "group": o.group,
            "option": o.option,
            "is_key": "yes" if o.is_key else "no",
            "count": str(o.count),
            "percent": f"{o.percent:.1f}",
        }
        for o in report.options
    ]


def option_csv(report: ItemReport) -> str:
    return csv_text(
        DISTRACTOR_CSV_COLUMNS, ([r[c] for c in DISTRACTOR_CSV_COLUMNS] for r in option_table(report))
    )


ABILITY_CSV_COLUMNS = ("attempt_id", "learner", "email", "submitted_at_utc", "right", "answered", "ability")


def ability_csv(report: ItemReport) -> str:
    """Each analysed attempt's IRT ability with its learner, lowest ability first; an attempt that answered
    no question the fit could place comes last with no ability. Header only without a fit."""
    abilities = report.irt.abilities if report.irt else {}
    if not abilities:
        return csv_text(ABILITY_CSV_COLUMNS, [])
    who = {
        attempt_id: (name, email, submitted)
        for attempt_id, name, email, submitted in db.session.execute(
            select(Attempt.id, User.name, User.email, Attempt.submitted_at)
            .join(User, User.id == Attempt.user_id)
            .where(*attempts_condition(report.quiz.quiz_id, report.which, report.filters))
        )
    }
    right_answers = report.irt.right_answers
    analysed = [attempt for attempt in right_answers if attempt in who]  # `who`: read just now
    ordered = sorted(analysed, key=lambda a: (a not in abilities, abilities.get(a, 0.0), a))
    return csv_text(
        ABILITY_CSV_COLUMNS,
        (
            [
                str(attempt),
                who[attempt][0],
                who[attempt][1],
                who[attempt][2].strftime("%Y-%m-%d %H:%M") if who[attempt][2] else "",
                str(right_answers[attempt][0]),
                str(right_answers[attempt][1]),
                f"{abilities[attempt]:.2f}" if attempt in abilities else "",
            ]
            for attempt in ordered
        ),
    )
