"""What a learner being retrained sees: the SOP's changes since the revision they were trained on."""

from __future__ import annotations

from flask import Blueprint, render_template

from lms.services import enrolments, revisions
from lms.web.access import signed_in
from lms.web.identity import current_user


def build() -> Blueprint:
    bp = Blueprint("retraining", __name__, url_prefix="/my")
    bp.add_url_rule("/training/<int:enrolment_id>/changes", view_func=changes)
    return bp


@signed_in
def changes(enrolment_id: int) -> str:
    enrolment = enrolments.enrolment_for(current_user.id, enrolment_id)
    comparison = revisions.compare_for_retraining(enrolment)
    return render_template(
        "lms/learner/changes.html", enrolment=enrolment, comparison=comparison, diff=comparison.diff
    )
