"""Deny by default: a view is reachable only if it declares who may reach it.

Every view is decorated with `@allow(...)` (app roles), `@signed_in` (any signed-in user) or `@public`.
The blueprint's `before_request` refuses any endpoint without a declaration, so a forgotten decorator
fails closed, and a test walks the URL map to make sure none is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, current_app, request

from lms.web.identity import current_user, host_user, hosted_login

F = TypeVar("F", bound=Callable[..., Any])

PUBLIC = "public"
SIGNED_IN = "signed_in"


def _declare(policy: str | tuple[str, ...]) -> Callable[[F], F]:
    def mark(view: F) -> F:
        view._lms_access = policy  # type: ignore[attr-defined]
        return view

    return mark


def allow(*roles: str) -> Callable[[F], F]:
    """Only users whose app role is one of `roles` (admins always) may use the view."""
    return _declare(tuple(roles))


signed_in = _declare(SIGNED_IN)
public = _declare(PUBLIC)


def access_policy(endpoint: str | None) -> str | tuple[str, ...] | None:
    view = current_app.view_functions.get(endpoint or "")
    return getattr(view, "_lms_access", None)


def enforce_access() -> Any:
    """before_request hook: 403 for undeclared views, sign-in for anonymous users, 403 for the wrong role."""
    if request.endpoint is None or request.endpoint.endswith(".static"):
        return None
    policy = access_policy(request.endpoint)
    if policy is None:
        abort(403)
    if policy == PUBLIC:
        return None
    if not current_user.is_authenticated:
        if hosted_login() and host_user().is_authenticated:
            abort(403)  # signed in to the host, but the host does not let this person use sop-lms
        return current_app.login_manager.unauthorized()
    if policy == SIGNED_IN:
        return None
    if not current_user.has_role(*policy):
        abort(403)
    return None
