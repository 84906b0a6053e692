"""The host: a members' site with its own database handle, users, sign-in and migrations."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, redirect, request, url_for
from flask_login import LoginManager, current_user, login_required, login_user
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from lms import HostIdentity, SopLms


class HostBase(DeclarativeBase):
    pass


host_db = SQLAlchemy(model_class=HostBase)
login_manager = LoginManager()
MIGRATIONS = str(Path(__file__).resolve().parent / "migrations")


class Member(host_db.Model):
    __tablename__ = "member"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    staff: Mapped[bool] = mapped_column(default=False)

    # Flask-Login
    is_active = True
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return f"member-{self.id}"  # not sop-lms's numbering: the host's loader must stay in charge

    def check(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


@login_manager.user_loader
def load_member(member_id: str) -> Member | None:
    return host_db.session.get(Member, int(member_id.removeprefix("member-")))


pages = Blueprint("members", __name__)


@pages.get("/")
@login_required
def home() -> str:
    return f"Welcome to the members' site, {current_user.name}"


@pages.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if request.method == "POST":
        member = host_db.session.scalar(host_db.select(Member).filter_by(email=request.form["email"]))
        if member is not None and member.check(request.form["password"]):
            login_user(member)
            return redirect(request.args.get("next") or url_for("members.home"))
        return "Wrong e-mail or password", 401
    return '<form method="post"><input name="email"><input name="password" type="password"></form>'


def sop_lms_identity(member: Member) -> HostIdentity | None:
    """The documented hook: who a signed-in member is to sop-lms (guests may not train)."""
    if member.email.endswith("@guest.example"):
        return None
    role = "trainer" if member.staff else "learner"
    if member.email.endswith("@misconfigured.example"):
        role = "superuser"  # a host whose hook answers nonsense: refused with a page, never a crash
    return HostIdentity(subject=f"member-{member.id}", email=member.email, name=member.name, app_role=role)


def create_host(database_url: str, instance_path: str, sop_lms_first: bool = False) -> Flask:
    """The host app; `sop_lms_first` mounts sop-lms before the host sets up its own extensions (with the
    hook registered by decorator afterwards), as a host's factory may well do."""
    app = Flask("members_site", instance_path=instance_path)
    app.config.update(SECRET_KEY="members-secret", SQLALCHEMY_DATABASE_URI=database_url, TESTING=True)
    sop_lms = SopLms(check_password=lambda member, password: member.check(password))
    if sop_lms_first:
        sop_lms.init_app(app, url_prefix="/training")
    host_db.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "members.sign_in"
    Migrate(app, host_db, directory=MIGRATIONS)
    app.register_blueprint(pages)
    sop_lms.host_user(sop_lms_identity)
    if not sop_lms_first:
        sop_lms.init_app(app, url_prefix="/training")
    return app


def add_member(email: str, name: str, password: str, staff: bool = False) -> Member:
    member = Member(email=email, name=name, password_hash=generate_password_hash(password), staff=staff)
    host_db.session.add(member)
    host_db.session.commit()
    return member
