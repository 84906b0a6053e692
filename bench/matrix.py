"""Compliance pages at a pharma company's size (issue 13): the training matrix (30,000 people x 300 SOPs),
its pages and a job role's view, the not-current index and one SOP's list, each timed against reading every
enrolment once in the same run (the least any "who is current" answer must read).

    .venv/bin/python bench/matrix.py [--quick] [--json] [--pg URL | TEST_DATABASE_URL]
                                     [--only sqlite|postgresql]

A synthetic organisation (`lms.synthetic`: 30,000 learners in 40 job roles, 300 SOPs, 300,000 enrolments;
`--quick`: 3,000, 100 and 30,000) is built in a database of its own per backend. Each page is asked for
through the Flask test client as a signed-in compliance officer, once to warm up and then five times; the
median is reported. The reference reads (user, revision, status, due date) of every enrolment with one
SELECT on the same connection pool. Target (the issue's): every page under 1 s on PostgreSQL at full size;
the ratio page / reference says how much more than one read of the enrolments a page costs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import backends, database, log, print_result, synthetic_app  # noqa: E402
from lms.db import db  # noqa: E402
from lms.synthetic import Size  # noqa: E402

OFFICER_EMAIL = "officer@bench.example"
OFFICER_PASSWORD = "bench compliance officer"  # noqa: S105 - a throwaway account in a throwaway database
TARGET_SECONDS = 1.0
RUNS = 5


def organisation(quick: bool) -> Size:
    if quick:
        return Size(learners=3_000, sops=100, responses=10_000, roles=40, enrolments=30_000)
    return Size(learners=30_000, sops=300, responses=10_000, roles=40, enrolments=300_000)


def _median_seconds(action) -> float:
    action()  # warm-up
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(app) -> dict[str, float]:
    from sqlalchemy import func, select, text

    from lms.models import Enrolment, Sop, user_job_roles
    from lms.services import accounts

    with app.app_context():
        accounts.create_user(OFFICER_EMAIL, "Bench Officer", OFFICER_PASSWORD, "compliance")
        role_id = db.session.execute(
            select(user_job_roles.c.job_role_id).group_by(user_job_roles.c.job_role_id).limit(1)
        ).scalar_one()
        sop_id = db.session.scalar(select(func.min(Sop.id)))
        people = db.session.scalar(select(func.count()).select_from(user_job_roles))

        def read_enrolments() -> None:
            with db.engine.connect() as connection:
                connection.execute(
                    select(Enrolment.user_id, Enrolment.revision_id, Enrolment.status, Enrolment.due_at)
                ).all()

        reference = _median_seconds(read_enrolments)
        enrolments = db.session.scalar(text("SELECT count(*) FROM lms_enrolment"))
    client = app.test_client()
    login = client.get("/login").get_data(as_text=True)
    token = login.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    client.post("/login", data={"email": OFFICER_EMAIL, "password": OFFICER_PASSWORD, "csrf_token": token})
    pages = {
        "matrix": "/reports/matrix",
        "matrix_last_people_page": f"/reports/matrix?page={people}",
        "matrix_second_sop_page": "/reports/matrix?sop_page=2",
        "matrix_one_job_role": f"/reports/matrix?role={role_id}",
        "not_current_index": "/reports/not-current",
        "not_current_one_sop": f"/reports/not-current/{sop_id}",
    }
    found = {"reference": reference}
    for name, path in pages.items():

        def get(path=path) -> None:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        found[name] = _median_seconds(get)
    log(f"  {enrolments:,} enrolments; reading them all once: {reference * 1000:.0f} ms")
    for name in pages:
        log(f"  {name}: {found[name] * 1000:.0f} ms (x{found[name] / reference:.1f} the reference)")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--pg", default=os.environ.get("TEST_DATABASE_URL", "").strip() or None)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = {}
    for name in backends(args.pg, args.only):
        log(f"{name}:")
        with database(name, args.pg) as url, synthetic_app(url, organisation(args.quick)) as (app, _built):
            results[name] = measure(app)
    ratios = {
        f"{backend}.{page}": round(seconds / found["reference"], 2)
        for backend, found in results.items()
        for page, seconds in found.items()
        if page != "reference"
    }
    seconds = {f"{b}.{p}": round(s, 4) for b, found in results.items() for p, s in found.items()}
    pg = {k: v for k, v in seconds.items() if k.startswith("postgresql.") and not k.endswith(".reference")}
    meets = bool(pg) and all(value < TARGET_SECONDS for value in pg.values())
    if args.json:
        print_result(
            "matrix",
            ratios,
            {"postgresql.<page> seconds": TARGET_SECONDS},
            meets,
            seconds=seconds,
            quick=args.quick,
        )
    return 0 if meets else 1


if __name__ == "__main__":
    sys.exit(main())
