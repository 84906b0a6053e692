"""Administration: accounts and job roles."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from lms.forms import choices_of
from lms.forms.admin import CreateUserForm, JobRoleForm, JoinRoleForm
from lms.forms.auth import ActionForm
from lms.services import accounts
from lms.services.errors import InvalidInput
from lms.web.access import allow
from lms.web.identity import current_user
from lms.web.safety import form_status, page_number

ADMINS = ("admin",)


def build() -> Blueprint:
    bp = Blueprint("admin", __name__, url_prefix="/admin")
    bp.add_url_rule("/users", view_func=users)
    bp.add_url_rule("/users/new", view_func=new_user, methods=["GET", "POST"])
    bp.add_url_rule("/users/<int:user_id>", view_func=user_detail, methods=["GET", "POST"])
    bp.add_url_rule("/job-roles", view_func=job_roles, methods=["GET", "POST"])
    bp.add_url_rule(
        "/users/<int:user_id>/roles/<int:job_role_id>/remove",
        view_func=remove_from_role,
        methods=["GET", "POST"],
    )
    return bp


@allow(*ADMINS)
def users() -> str:
    search = request.args.get("q", "")
    page = accounts.list_users(search, page_number(request.args.get("page")))
    return render_template("lms/admin/users.html", page=page, search=search)


@allow(*ADMINS)
def new_user() -> str | Response | tuple[str, int]:
    form = CreateUserForm()
    form.job_roles.choices = choices_of(accounts.job_roles())
    if form.validate_on_submit():
        try:
            created = accounts.create_user(
                form.email.data or "",
                form.name.data or "",
                form.password.data or "",
                form.app_role.data or "",
                list(form.job_roles.data or []),
                current_user.id,
            )
        except InvalidInput as error:
            form.email.errors.append(error.message)
            return render_template("lms/admin/user_new.html", form=form), 400
        flash(f"Account created for {created.name}.", "success")
        return redirect(url_for("lms.admin.user_detail", user_id=created.id))
    return render_template("lms/admin/user_new.html", form=form), form_status(form)


@allow(*ADMINS)
def user_detail(user_id: int) -> str | Response | tuple[str, int]:
    person = accounts.user(user_id)
    form = JoinRoleForm()
    form.job_role.choices = choices_of(r for r in accounts.job_roles() if r not in person.job_roles)
    if form.validate_on_submit():
        try:
            created = accounts.add_to_job_role(person.id, form.job_role.data, current_user.id)
        except InvalidInput as error:
            form.job_role.errors.append(error.message)
            return render_template("lms/admin/user_detail.html", person=person, form=form), 400
        flash(f"{person.name} joined the role and was enrolled in {created} module(s).", "success")
        return redirect(url_for("lms.admin.user_detail", user_id=person.id))
    return render_template("lms/admin/user_detail.html", person=person, form=form), form_status(form)


@allow(*ADMINS)
def job_roles() -> str | Response | tuple[str, int]:
    form = JobRoleForm()
    if form.validate_on_submit():
        try:
            accounts.create_job_role(
                form.name.data or "", form.department.data, current_user.id, form.site.data
            )
        except InvalidInput as error:
            form.name.errors.append(error.message)
            return render_template("lms/admin/job_roles.html", form=form, roles=accounts.job_roles()), 400
        flash("Job role created.", "success")
        return redirect(url_for("lms.admin.job_roles"))
    page = render_template("lms/admin/job_roles.html", form=form, roles=accounts.job_roles())
    return page, form_status(form)


@allow(*ADMINS)
def remove_from_role(user_id: int, job_role_id: int) -> str | Response:
    """Asks first (GET), removes on the confirming POST; training history is kept either way."""
    person = accounts.user(user_id)
    role = next((r for r in person.job_roles if r.id == job_role_id), None)
    if role is None:
        flash(f"{person.name} is not in that role.", "error")
        return redirect(url_for("lms.admin.user_detail", user_id=person.id))
    form = ActionForm()
    if form.validate_on_submit():
        accounts.remove_from_job_role(person.id, role.id, current_user.id)
        flash(f"{person.name} left {role.name}. Their training records are kept.", "success")
        return redirect(url_for("lms.admin.user_detail", user_id=person.id))
    return render_template("lms/admin/remove_role.html", person=person, role=role, form=form)
