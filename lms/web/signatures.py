"""Electronic signatures: "read and understood" of an SOP revision and completion of a passed quiz, each made
by re-entering the password, and the receipt that shows the signature's manifestation."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired, Length

from lms.services import signature_display, signatures
from lms.services.errors import InvalidInput
from lms.services.signatures import SigningLocked, SigningPolicy, WrongPassword
from lms.web.access import signed_in
from lms.web.identity import current_user, host_user, hosted_login

BINDING_STATEMENT = "I understand this is my legally binding electronic signature"


class SignForm(FlaskForm):
    password = PasswordField(
        "Password",
        validators=[DataRequired("Re-enter your password to sign."), Length(max=1024)],
        description="Your sign-in password: signing needs both your session and your password.",
        render_kw={"autocomplete": "current-password"},
    )
    confirm = BooleanField(
        BINDING_STATEMENT, validators=[DataRequired("Tick the box to confirm your signature.")]
    )


def build() -> Blueprint:
    bp = Blueprint("signatures", __name__, url_prefix="/sign")
    bp.add_url_rule("/revisions/<int:revision_id>", view_func=sign_revision, methods=["GET", "POST"])
    bp.add_url_rule("/attempts/<int:attempt_id>", view_func=sign_attempt, methods=["GET", "POST"])
    bp.add_url_rule("/signatures", view_func=my_signatures)
    bp.add_url_rule("/signatures/<int:signature_id>", view_func=receipt)
    return bp


def signing_policy() -> SigningPolicy:
    config = current_app.config
    check = None
    if hosted_login():  # the person's password lives in the host application
        person, mounted = host_user(), current_app.extensions["sop_lms"].extension
        check = lambda password: mounted.password_matches(person, password)  # noqa: E731
    return SigningPolicy(
        max_failures=int(config.get("LMS_SIGNING_MAX_FAILURES", signatures.DEFAULT_MAX_FAILURES)),
        lock_minutes=int(config.get("LMS_SIGNING_LOCK_MINUTES", signatures.DEFAULT_LOCK_MINUTES)),
        check_password=check,
    )


@signed_in
def sign_revision(revision_id: int) -> str | Response | tuple[str, int]:
    revision = signatures.signable_revision(current_user.id, revision_id)
    existing = signatures.revision_signature(current_user.id, revision_id)
    if existing is not None:
        return redirect(url_for("lms.signatures.receipt", signature_id=existing.id))
    page = {
        "revision": revision,
        "attempt": None,
        "meaning": signatures.revision_meaning(revision),
        "enrolment_id": signatures.enrolment_id_for(current_user.id, revision.id),
    }
    return _sign(
        page,
        lambda form: signatures.sign_revision(
            current_user.id,
            revision_id,
            form.password.data,
            confirmed=bool(form.confirm.data),
            policy=signing_policy(),
        ),
    )


@signed_in
def sign_attempt(attempt_id: int) -> str | Response | tuple[str, int]:
    attempt = signatures.signable_attempt(current_user.id, attempt_id)
    existing = signatures.attempt_signature(current_user.id, attempt_id)
    if existing is not None:
        return redirect(url_for("lms.signatures.receipt", signature_id=existing.id))
    page = {
        "revision": attempt.enrolment.revision,
        "attempt": attempt,
        "meaning": signatures.attempt_meaning(attempt),
        "enrolment_id": attempt.enrolment_id,
    }
    return _sign(
        page,
        lambda form: signatures.sign_attempt(
            current_user.id,
            attempt_id,
            form.password.data,
            confirmed=bool(form.confirm.data),
            policy=signing_policy(),
        ),
    )


def _sign(page: dict[str, Any], sign) -> str | Response | tuple[str, int]:
    form = SignForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return _sign_page(form, page), status
    try:
        signed = sign(form)
    except (WrongPassword, SigningLocked, InvalidInput) as error:
        form.password.errors = [error.message]
        form.password.data = ""
        return _sign_page(form, page), error.status
    if signed.created:
        flash("Signed. This is your signature receipt.", "info")
    else:
        flash("You had already signed this; nothing new was recorded.", "info")
    return redirect(url_for("lms.signatures.receipt", signature_id=signed.signature.id))


def _sign_page(form: SignForm, page: dict[str, Any]) -> str:
    until = signatures.signing_locked_until(current_user.id)
    return render_template(
        "lms/signatures/sign.html",
        form=form,
        locked_until=signature_display.format_when(until, current_user.timezone) if until else None,
        signer_name=current_user.name,
        short_hash=page["revision"].content_hash[: signature_display.SHORT_HASH],
        **page,
    )


@signed_in
def receipt(signature_id: int) -> str:
    signature = signatures.signature_of(current_user.id, signature_id)
    return render_template(
        "lms/signatures/receipt.html",
        signature=signature,
        shown=signature_display.manifestation(signature),
        enrolment_id=signatures.enrolment_id_for(current_user.id, signature.revision_id),
    )


@signed_in
def my_signatures() -> str:
    shown = [signature_display.manifestation(s) for s in signatures.signatures_of(current_user.id)]
    return render_template("lms/signatures/list.html", shown=shown)
