"""Who is signed in, as sop-lms's views and templates see it: always an sop-lms `User` (or anonymous).

Standalone, that is Flask-Login's `current_user`. Mounted in a host with its own login, Flask-Login's
`current_user` is the host's user; the host's `host_user` hook says who they are and
`lms.services.host_users` gives their sop-lms account, once per request.
"""

from __future__ import annotations

from typing import Any

import flask_login
from flask import current_app, g
from flask_login import AnonymousUserMixin
from werkzeug.local import LocalProxy

from lms.services import host_users


def hosted_login() -> bool:
    """Does the host application sign people in (rather than sop-lms's own login page)?"""
    return current_app.extensions["sop_lms"].hosted_login(current_app)


def _current() -> Any:
    if not hosted_login():
        return flask_login.current_user._get_current_object()  # type: ignore[attr-defined]
    if "_lms_user" not in g:
        g._lms_user = AnonymousUserMixin()  # if the host's answer is refused, the error page shows anonymous
        g._lms_user = _mapped(flask_login.current_user)
    return g._lms_user


def _mapped(host_user: Any) -> Any:
    if not host_user.is_authenticated:
        return AnonymousUserMixin()
    identity = current_app.extensions["sop_lms"].extension.identify(host_user)
    if identity is None:
        return AnonymousUserMixin()
    user = host_users.user_for(identity)
    return user if user.active else AnonymousUserMixin()


current_user: Any = LocalProxy(_current)


def host_user() -> Any:
    """The host's own signed-in user (hosted login only)."""
    return flask_login.current_user._get_current_object()  # type: ignore[attr-defined]
