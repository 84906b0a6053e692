"""A question drafted from a rule written outside the steps stays traceable to that sentence in the app."""

from __future__ import annotations

from sqlalchemy import select

from lms.db import db
from lms.models import SopRule, TrainingModule
from tests.conftest import login
from tests.web.helpers import upload

SPILL_SOP = b"""# SOP-SPL-001 Spill response

## Responsibilities
Never pipette stock solution by mouth.
If the spill is over 10 mL, tell the safety officer within 30 minutes.

## Procedure
1. Put on nitrile gloves before you touch the bench.
2. Wipe the bench with 70% ethanol for at least 2 minutes.
3. Put the used wipes in the yellow waste bin.
"""


def test_prose_rules_are_stored_and_their_questions_point_at_them(app, client, make_user) -> None:
    login(client, make_user("trainer"))
    response = upload(client, SPILL_SOP, "spill.md")
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    with app.app_context():
        module = db.session.scalar(select(TrainingModule).order_by(TrainingModule.id.desc()))
        rules = db.session.scalars(select(SopRule).where(SopRule.revision_id == module.revision_id)).all()
        prose = {r.text: r for r in rules if r.step_id is None}
        assert set(prose) == {
            "Never pipette stock solution by mouth.",
            "If the spill is over 10 mL, tell the safety officer within 30 minutes.",
        }
        assert prose["Never pipette stock solution by mouth."].kind == "prohibition"
        assert prose["Never pipette stock solution by mouth."].section.heading == "Responsibilities"
        from_rules = [q for q in module.quiz.questions if q.rule is not None]
        assert from_rules, [q.stem for q in module.quiz.questions]
        for q in from_rules:
            assert q.step is None and q.quote and q.quote in q.rule.text
        permission = next(q for q in from_rules if q.type == "true_false")
        assert permission.stem == "True or false? Under this SOP, you may pipette stock solution by mouth."
        assert permission.answer is False
        module_id = module.id
        drafted = len(module.quiz.questions)
    page = client.get(f"/modules/{module_id}").get_data(as_text=True)
    assert 'Tests a rule in "Responsibilities"' in page
    assert page.count('aria-label="Regenerate question') == drafted  # rule questions too


def test_the_review_page_shows_who_does_what_questions_with_their_reason(app, client, make_user) -> None:
    """The CAPA SOP has no numbered steps with values: its drafted questions ask who does what, and the
    trainer's review page shows them, the sentence they come from and why they were chosen."""
    from tests.conftest import DEMO_SOPS

    login(client, make_user("trainer"))
    name = "qms-capa-procedure.md"
    response = upload(client, (DEMO_SOPS / name).read_bytes(), name)
    assert response.status_code == 302
    with app.app_context():
        module = db.session.scalar(select(TrainingModule).order_by(TrainingModule.id.desc()))
        stems = [q.stem for q in module.quiz.questions]
        module_id = module.id
    assert "Under this SOP, who is responsible for creating the CAPA and tracking its resolution?" in stems
    page = client.get(f"/modules/{module_id}").get_data(as_text=True)
    assert "who is responsible for creating the CAPA" in page
    assert "The QMO is responsible for creating the CAPA and tracking its resolution." in page  # the quote
    assert "the question checks that the QMO does this" in page  # why it was chosen


def test_a_rule_question_regenerates_from_its_rule_or_says_why_not(app, client, make_user) -> None:
    from lms.models import Question
    from tests.conftest import post

    login(client, make_user("trainer"))
    assert upload(client, SPILL_SOP, "spill.md").status_code == 302
    with app.app_context():
        module = db.session.scalar(select(TrainingModule).order_by(TrainingModule.id.desc()))
        rule_questions = [(q.id, q.stem, q.rule.key) for q in module.quiz.questions if q.rule is not None]
    assert rule_questions
    codes = []
    for question_id, stem, rule_key in rule_questions:
        response = post(client, f"/questions/{question_id}/regenerate")
        assert response.status_code in (302, 400)  # never a server error
        codes.append(response.status_code)
        with app.app_context():
            fresh = db.session.get(Question, question_id)
            assert fresh.rule.key == rule_key
            if response.status_code == 302:
                assert fresh.stem != stem
                page = client.get(response.headers["Location"]).get_data(as_text=True)
                assert "regenerated from its rule" in page
            else:
                assert fresh.stem == stem and "No different question" in response.get_data(as_text=True)
    assert 302 in codes  # at least one rule question has another form to offer
