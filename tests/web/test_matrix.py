"""The training matrix (issue 13): every cell and total against the standing computed independently, in
Python, from each person's job roles and enrolments; filters, pages both ways, the drill-down to a
person's record on an SOP, the audited download, and 403 for everyone but compliance (and admins)."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from lms.analytics import matrix as training_matrix
from lms.analytics import standing
from lms.db import db, utcnow
from lms.models import Assignment, AuditEvent, Enrolment, JobRole, SopRevision, User
from lms.services import enrolments, quiz_review, sop_import
from tests.conftest import DEMO_SOPS, login
from tests.test_retraining import pass_quiz

OFFBOARDING = "hr-employee-offboarding.md"


@pytest.fixture
def two_sops(organisation):
    """The Qubit organisation, plus an HR SOP on the office curriculum (one office person has passed it)
    and on a site of its own."""
    office = db.session.scalars(select(JobRole).where(JobRole.name == "Office")).one()
    revision = sop_import.import_sop((DEMO_SOPS / OFFBOARDING).read_bytes(), OFFBOARDING, None)
    module = sop_import.modules_of(revision.id)[0]
    quiz_review.publish(module.id, None)
    enrolments.assign_module_to_role(module.id, office.id, 14, None)
    outsider = organisation["people"]["outsider"]
    pass_quiz(
        outsider, next(e.id for e in enrolments.enrolments_for(outsider) if e.revision_id == revision.id)
    )
    office.site, office.department = "Harbour", "HR"
    db.session.commit()
    return {**organisation, "hr_sop_id": revision.sop_id}


def expected_matrix(now: datetime) -> dict[tuple[int, int], str]:
    """(person, SOP) -> standing, from the ORM objects and `standing_of`, not from the module's SQL."""
    in_force = {
        r.sop_id: r.id
        for r in db.session.scalars(select(SopRevision).where(SopRevision.status == "effective"))
    }
    curricula: dict[int, set[int]] = {}
    for assignment in db.session.scalars(select(Assignment)):
        curricula.setdefault(assignment.job_role_id, set()).add(assignment.sop_id)
    found = {}
    for person in db.session.scalars(select(User).where(User.active.is_(True))):
        mine = db.session.scalars(select(Enrolment).where(Enrolment.user_id == person.id)).all()
        by_sop: dict[int, list[standing.Training]] = {}
        for e in mine:
            by_sop.setdefault(e.revision.sop_id, []).append(
                standing.Training(e.revision_id, e.status, e.due_at, e.id)
            )
        needed = {sop for role in person.job_roles for sop in curricula.get(role.id, ())}
        needed |= {e.revision.sop_id for e in mine if e.revision_id == in_force.get(e.revision.sop_id)}
        for sop_id in needed & in_force.keys():
            found[(person.id, sop_id)] = standing.standing_of(by_sop.get(sop_id, []), in_force[sop_id], now)
    return found


def test_every_cell_and_total_is_the_standing_computed_independently(two_sops) -> None:
    now = utcnow()
    expected = expected_matrix(now)
    assert len({sop for _person, sop in expected}) == 2 and len(expected) == 8
    got = training_matrix.matrix(now=now)
    cells = {key: cell.standing for key, cell in got.cells.items()}
    assert cells == expected
    for person in got.people.items:
        mine = [s for (user_id, _sop), s in expected.items() if user_id == person.id]
        assert (person.needed, person.current) == (len(mine), mine.count("current"))
    for sop in got.sops.items:
        theirs = [s for (_user, sop_id), s in expected.items() if sop_id == sop.sop_id]
        assert (sop.needed, sop.current) == (len(theirs), theirs.count("current"))
    names = [p.name for p in got.people.items]
    assert names == sorted(names) and "Gone" not in names  # the deactivated person is not listed


def test_filters_and_pages_keep_the_totals_of_the_people_they_keep(two_sops) -> None:
    now = utcnow()
    expected = expected_matrix(now)
    lab = db.session.scalars(select(JobRole).where(JobRole.name == "Lab")).one()
    by_role = training_matrix.matrix(training_matrix.MatrixFilters(job_role_id=lab.id), now=now)
    assert [p.name for p in by_role.people.items] == ["Fresh", "Late", "Pending", "Reader", "Retrained"]
    assert [s.sop_id for s in by_role.sops.items] == [two_sops["sop_id"]]  # nobody in the lab needs HR's
    harbour = training_matrix.matrix(training_matrix.MatrixFilters(site="Harbour"), now=now)
    assert [p.name for p in harbour.people.items] == ["Named", "Outsider"]
    assert {(s.sop_id, s.needed, s.current) for s in harbour.sops.items} == {
        (two_sops["hr_sop_id"], 2, 1),
        (two_sops["sop_id"], 1, 0),  # Named was assigned Qubit by name
    }
    assert [
        p.name
        for p in training_matrix.matrix(training_matrix.MatrixFilters(search="LATE"), now=now).people.items
    ] == ["Late"]
    seen: dict[tuple[int, int], str] = {}
    for page in (1, 2, 3, 4):
        for sop_page in (1, 2):
            part = training_matrix.matrix(page=page, sop_page=sop_page, now=now, per_page=2, sops_per_page=1)
            assert part.people.total == 7 and part.sops.total == 2 and len(part.sops.items) == 1
            seen.update({key: cell.standing for key, cell in part.cells.items()})
    assert seen == expected


def test_a_cell_opens_the_persons_record_on_that_sop(two_sops, client, make_user) -> None:
    login(client, make_user("compliance"))
    html = client.get("/reports/matrix").get_data(as_text=True)
    assert "<strong>7</strong> people &times; <strong>2</strong> SOPs" in html
    assert 'class="matrix"' in html and "1/6 (17%)" in html  # Qubit: 1 of 6 current
    retrained = two_sops["people"]["retrained"]
    link = f"/reports/people/{retrained}/sops/{two_sops['sop_id']}"
    assert re.search(
        rf'href="{link}"[^>]*aria-label="Retrained, [^:]+: Trained on an outdated revision"', html
    )
    record = client.get(link).get_data(as_text=True)
    assert 'data-testid="standing">Trained on an outdated revision' in record
    assert "Lab (QC)" in record and "1.0.0" in record and "1.1.0" in record
    assert re.search(r"#1: 100%, passed", record)  # the attempt on the first revision
    outsider = two_sops["people"]["outsider"]
    not_needed = client.get(f"/reports/people/{outsider}/sops/{two_sops['sop_id']}").get_data(as_text=True)
    assert 'data-testid="standing">Not required' in not_needed
    assert client.get(f"/reports/people/99999/sops/{two_sops['sop_id']}").status_code == 404
    assert client.get(f"/reports/people/{outsider}/sops/99999").status_code == 404


def test_the_download_is_the_whole_filtered_matrix_audited_and_not_kept(two_sops, client, make_user) -> None:
    login(client, make_user("compliance"))
    response = client.get("/reports/matrix.csv?site=Harbour")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert [(r["person"], r["status"]) for r in rows] == [
        ("Named", "not_started"),
        ("Named", "not_started"),
        ("Outsider", "current"),
    ]
    assert {r["job_roles"] for r in rows} == {"Office (HR)"}
    everything = list(
        csv.DictReader(io.StringIO(client.get("/reports/matrix.csv").get_data().decode("utf-8-sig")))
    )
    assert len(everything) == len(expected_matrix(utcnow()))
    with client.application.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.export")).all()
        assert [(e.entity_id, e.data["filters"]) for e in events] == [
            ("matrix", {"site": "Harbour"}),
            ("matrix", {}),
        ]


@pytest.mark.parametrize("app_role", ["learner", "trainer"])
@pytest.mark.parametrize(
    "path",
    [
        "/reports/matrix",
        "/reports/matrix.csv",
        "/reports/people/1/sops/1",
        "/reports/not-current",
        "/reports/completion.csv",
    ],
)
def test_only_compliance_and_admins_see_the_matrix_and_records(client, make_user, app_role, path) -> None:
    login(client, make_user(app_role))
    assert client.get(path).status_code == 403


def test_an_sop_only_deactivated_people_need_is_not_a_column(organisation, client, make_user) -> None:
    from lms.services import accounts, sop_import

    alone = accounts.create_job_role("Night shift")
    leaver = accounts.create_user(
        "leaver@example.org", "Leaver", "correct horse battery", "learner", [alone.id]
    )
    revision = sop_import.import_sop((DEMO_SOPS / OFFBOARDING).read_bytes(), OFFBOARDING, None)
    module = sop_import.modules_of(revision.id)[0]
    quiz_review.publish(module.id, None)
    enrolments.assign_module_to_role(module.id, alone.id, 14, None)
    db.session.get(User, leaver.id).active = False
    db.session.commit()
    found = training_matrix.matrix()
    assert found.sops.total == 1 and [s.sop_id for s in found.sops.items] == [organisation["sop_id"]]
    assert standing.sop_standings_page().total == 1
    login(client, make_user("compliance"))
    record = client.get(f"/reports/people/{leaver.id}/sops/{revision.sop_id}").get_data(as_text=True)
    assert "Not tracked: the account is deactivated" in record
