"""What a trainer does: upload SOPs, review generated questions, publish, assign, follow completion."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from lms.analytics import completion as completion_status
from lms.config import read_limits
from lms.forms import choices_of
from lms.forms.auth import ActionForm
from lms.forms.training import (
    AssignForm,
    AssignPeopleForm,
    BulkAssignForm,
    BulkConfirmForm,
    NewQuestionForm,
    PublishForm,
    QuestionEditForm,
    QuizSettingsForm,
    UploadSopForm,
)
from lms.services import (
    accounts,
    csv_assignment,
    enrolments,
    individual,
    quiz_review,
    retraining,
    revisions,
    sop_import,
)
from lms.services.errors import InvalidInput
from lms.services.question_edit import answer_from_text, answer_to_text
from lms.services.retraining import MODE_LABELS
from lms.web.access import allow
from lms.web.identity import current_user
from lms.web.safety import form_status, page_number

TRAINERS = ("trainer",)


def build() -> Blueprint:
    bp = Blueprint("trainer", __name__)
    bp.add_url_rule("/sops", view_func=sops)
    bp.add_url_rule("/sops/upload", view_func=upload, methods=["GET", "POST"])
    bp.add_url_rule("/sops/revisions/<int:revision_id>", view_func=revision)
    bp.add_url_rule("/sops/revisions/<int:revision_id>/changes", view_func=revision_changes)
    bp.add_url_rule("/sops/revisions/<int:revision_id>/changes.json", view_func=revision_changes_json)
    bp.add_url_rule("/modules/<int:module_id>", view_func=module)
    bp.add_url_rule("/modules/<int:module_id>/publish", view_func=publish, methods=["POST"])
    bp.add_url_rule("/modules/<int:module_id>/assign", view_func=assign, methods=["GET", "POST"])
    bp.add_url_rule("/questions/<int:question_id>/edit", view_func=edit_question, methods=["GET", "POST"])
    bp.add_url_rule("/questions/<int:question_id>/review", view_func=review_question, methods=["POST"])
    bp.add_url_rule(
        "/questions/<int:question_id>/regenerate", view_func=regenerate_question, methods=["POST"]
    )
    bp.add_url_rule("/modules/<int:module_id>/questions/new", view_func=new_question, methods=["GET", "POST"])
    bp.add_url_rule("/modules/<int:module_id>/settings", view_func=quiz_settings, methods=["POST"])
    bp.add_url_rule("/completion", view_func=completion)
    bp.add_url_rule(
        "/modules/<int:module_id>/assign-people", view_func=assign_people, methods=["GET", "POST"]
    )
    bp.add_url_rule("/assignments/csv", view_func=bulk_assign, methods=["GET", "POST"])
    bp.add_url_rule("/assignments/csv/confirm", view_func=bulk_assign_confirm, methods=["POST"])
    return bp


@allow(*TRAINERS)
def sops() -> str:
    search = request.args.get("q", "")
    page = sop_import.list_sops(search, page_number(request.args.get("page")))
    return render_template("lms/trainer/sops.html", page=page, search=search)


@allow(*TRAINERS)
def upload() -> str | Response | tuple[str, int]:
    form = UploadSopForm()
    if form.validate_on_submit():
        document = form.document.data
        try:
            new = sop_import.import_sop(
                document.read(),
                document.filename or "",
                current_user.id,
                limits=read_limits(current_app.config),
            )
        except InvalidInput as error:
            form.document.errors.append(error.message)
            return render_template("lms/trainer/upload.html", form=form), 400
        flash(f"Imported {new.sop.code} revision {new.label}: {len(new.steps)} steps.", "success")
        return redirect(url_for("lms.trainer.revision", revision_id=new.id))
    return render_template("lms/trainer/upload.html", form=form), form_status(form)


@allow(*TRAINERS)
def revision(revision_id: int) -> str:
    item = sop_import.revision(revision_id)
    return render_template(
        "lms/trainer/revision.html",
        revision=item,
        modules=sop_import.modules_of(item.id),
        previous=revisions.previous_revision(item),
    )


def _against() -> int | None:
    raw = request.args.get("against", "")
    return int(raw) if raw.isdigit() else None


@allow(*TRAINERS)
def revision_changes(revision_id: int) -> str:
    comparison = revisions.compare(revision_id, _against())
    return render_template("lms/trainer/changes.html", comparison=comparison, diff=comparison.diff)


@allow(*TRAINERS)
def revision_changes_json(revision_id: int) -> Response:
    comparison = revisions.compare(revision_id, _against())
    return jsonify(
        {
            **comparison.diff.to_dict(),
            "sop": comparison.new.sop.code,
            "old_revision": {"id": comparison.old.id, "label": comparison.old.label},
            "new_revision": {"id": comparison.new.id, "label": comparison.new.label},
            "is_editorial": comparison.diff.is_editorial,
            "counts": comparison.diff.counts,
        }
    )


@allow(*TRAINERS)
def module(module_id: int) -> str:
    item = quiz_review.module(module_id)
    return render_template(
        "lms/trainer/module.html",
        module=item,
        form=ActionForm(),
        settings=_settings_form(item),
        retraining=_publish_form(item),
    )


def _publish_form(item) -> PublishForm | None:
    """The retraining choice, offered only when a previous revision's trainees must be retrained."""
    suggested = retraining.suggested_mode(item) if item.status == "draft" and item.kind == "full" else None
    if suggested is None:
        return None
    form = PublishForm(retraining=suggested)
    form.retraining.choices = [SelectChoice(value=mode, label=label) for mode, label in MODE_LABELS.items()]
    return form


def _settings_form(item, formdata=None) -> QuizSettingsForm:
    quiz = item.quiz
    return QuizSettingsForm(
        formdata=formdata,
        pass_mark=quiz.pass_mark,
        questions_per_attempt=quiz.questions_per_attempt,
        max_attempts=quiz.max_attempts,
        time_limit_minutes=quiz.time_limit_minutes,
        partial_credit=quiz.partial_credit,
    )


@allow(*TRAINERS)
def quiz_settings(module_id: int) -> Response | tuple[str, int]:
    item = quiz_review.module(module_id)
    form = _settings_form(item, request.form)
    if form.validate():
        try:
            quiz_review.update_settings(
                item.id,
                form.pass_mark.data,
                form.questions_per_attempt.data,
                form.max_attempts.data,
                current_user.id,
                form.time_limit_minutes.data,
                bool(form.partial_credit.data),
            )
        except InvalidInput as error:
            form.pass_mark.errors.append(error.message)
        else:
            flash("Quiz settings saved.", "success")
            return redirect(url_for("lms.trainer.module", module_id=item.id))
    page = render_template("lms/trainer/module.html", module=item, form=ActionForm(), settings=form)
    return page, 400


@allow(*TRAINERS)
def new_question(module_id: int) -> str | Response | tuple[str, int]:
    item = quiz_review.module(module_id)
    form = NewQuestionForm()
    form.step.choices = [SelectChoice(value=0, label="(no specific step)")] + [
        SelectChoice(value=step.id, label=f"{step.number} {step.text[:90]}") for step in item.revision.steps
    ]
    if form.validate_on_submit():
        options = (form.options.data or "").splitlines()
        try:
            answer = answer_from_text(
                form.type.data, [o for o in options if o.strip()], form.answer.data or ""
            )
            added = quiz_review.add_question(
                item.id,
                form.type.data,
                form.stem.data or "",
                options,
                answer,
                form.step.data or None,
                current_user.id,
            )
        except InvalidInput as error:
            form.answer.errors.append(error.message)
        else:
            flash("Question added as a draft.", "success")
            return redirect(url_for("lms.trainer.module", module_id=item.id, _anchor=f"question-{added.id}"))
    return render_template("lms/trainer/question_new.html", form=form, module=item), form_status(form)


@allow(*TRAINERS)
def regenerate_question(question_id: int) -> Response:
    item = quiz_review.regenerate(question_id, current_user.id)
    source = f"step {item.step.number}" if item.step is not None else "its rule"
    flash(f"Question {item.position + 1} regenerated from {source}; review it.", "success")
    return redirect(
        url_for("lms.trainer.module", module_id=item.quiz.module_id, _anchor=f"question-{item.id}")
    )


@allow(*TRAINERS)
def publish(module_id: int) -> Response:
    item = quiz_review.publish(module_id, current_user.id, request.form.get("retraining") or None)
    if len(item.revision.sop.revisions) > 1:
        flash("Module published: the revision is effective and retraining has been assigned.", "success")
        return redirect(url_for("lms.trainer.completion"))
    flash("Module published. Assign it to a job role next.", "success")
    return redirect(url_for("lms.trainer.assign", module_id=module_id))


@allow(*TRAINERS)
def edit_question(question_id: int) -> str | Response | tuple[str, int]:
    item = quiz_review.question(question_id)
    form = QuestionEditForm(obj=None if request.method == "POST" else item)
    if request.method == "GET":
        form.options.data = "\n".join(item.options)
        form.answer.data = answer_to_text(item.type, item.answer)
    if form.validate_on_submit():
        options = (form.options.data or "").splitlines()
        try:
            answer = answer_from_text(item.type, [o for o in options if o.strip()], form.answer.data or "")
            quiz_review.update_question(item.id, form.stem.data or "", options, answer, current_user.id)
        except InvalidInput as error:
            form.answer.errors.append(error.message)
            return render_template("lms/trainer/question_edit.html", form=form, question=item), 400
        flash("Question saved; it is back in draft for approval.", "success")
        return redirect(
            url_for("lms.trainer.module", module_id=item.quiz.module_id, _anchor=f"question-{item.id}")
        )
    return render_template("lms/trainer/question_edit.html", form=form, question=item), form_status(form)


@allow(*TRAINERS)
def review_question(question_id: int) -> Response:
    item = quiz_review.set_status(question_id, request.form.get("decision", ""), current_user.id)
    flash(f"Question {item.position + 1} marked {item.status}.", "success")
    return redirect(
        url_for("lms.trainer.module", module_id=item.quiz.module_id, _anchor=f"question-{item.id}")
    )


@allow(*TRAINERS)
def assign(module_id: int) -> str | Response | tuple[str, int]:
    item = quiz_review.module(module_id)
    form = AssignForm()
    form.job_role.choices = choices_of(accounts.job_roles())
    if form.validate_on_submit():
        try:
            _, created = enrolments.assign_module_to_role(
                item.id,
                form.job_role.data,
                form.due_days.data or 0,
                current_user.id,
                form.recurrence_days.data,
            )
        except InvalidInput as error:
            form.job_role.errors.append(error.message)
            return render_template("lms/trainer/assign.html", form=form, module=item), 400
        flash(f"Assigned. {created} {'person' if created == 1 else 'people'} enrolled.", "success")
        return redirect(url_for("lms.trainer.completion"))
    return render_template(
        "lms/trainer/assign.html", form=form, module=item, assignments=enrolments.assignments_of(item.id)
    ), form_status(form)


@allow(*TRAINERS, "compliance")
def completion() -> str:
    return render_template(
        "lms/trainer/completion.html",
        by_role=completion_status.by_role(),
        statuses=completion_status.STATUSES,
        labels=completion_status.STATUS_LABELS,
    )


@allow(*TRAINERS)
def assign_people(module_id: int) -> str | Response | tuple[str, int]:
    item = quiz_review.module(module_id)
    form = AssignPeopleForm()
    form.people.choices = choices_of(accounts.active_users())
    form.department.choices = [SelectChoice(value="", label="(none)")] + [
        SelectChoice(value=d, label=d) for d in individual.departments()
    ]
    if form.validate_on_submit():
        try:
            enrolled, skipped = individual.assign_to_people(
                item.id,
                list(form.people.data or []),
                form.department.data or None,
                form.due_on.data,
                current_user.id,
            )
        except InvalidInput as error:
            form.due_on.errors.append(error.message)
        else:
            note = f" {skipped} already had it open." if skipped else ""
            flash(f"{enrolled} {'person' if enrolled == 1 else 'people'} enrolled.{note}", "success")
            return redirect(url_for("lms.trainer.assign", module_id=item.id))
    return render_template("lms/trainer/assign_people.html", form=form, module=item), form_status(form)


@allow(*TRAINERS)
def bulk_assign() -> str | tuple[str, int]:
    form = BulkAssignForm()
    if form.validate_on_submit():
        text = form.document.data.read().decode("utf-8-sig", errors="replace")
        preview = csv_assignment.preview_csv(text)
        confirm = BulkConfirmForm(content=text)
        page = render_template("lms/trainer/bulk_preview.html", preview=preview, confirm=confirm)
        return page, (200 if preview.ok else 400)
    return render_template("lms/trainer/bulk_assign.html", form=form), form_status(form)


@allow(*TRAINERS)
def bulk_assign_confirm() -> Response | tuple[str, int]:
    form = BulkConfirmForm()
    if not form.validate_on_submit():
        flash("Upload the file again.", "error")
        return redirect(url_for("lms.trainer.bulk_assign"))
    try:
        count = csv_assignment.apply_csv(form.content.data or "", current_user.id)
    except InvalidInput as error:
        preview = csv_assignment.preview_csv(form.content.data or "")
        flash(error.message, "error")
        return render_template("lms/trainer/bulk_preview.html", preview=preview, confirm=form), 400
    flash(f"{count} enrolments created from the file.", "success")
    return redirect(url_for("lms.trainer.completion"))
