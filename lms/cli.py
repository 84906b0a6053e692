"""The `sop-lms` command line: a Flask command group (so `sop-lms db upgrade`, `sop-lms run` work) plus
sop-lms's own commands. A host app gets the same commands as `flask sop-lms ...`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import AppGroup, FlaskGroup

from quizzes.generate import draft_pool, generate_questions
from sops.errors import SopParseError
from sops.parse import parse_sop

lms_commands = AppGroup("sop-lms", help="sop-lms commands.")


def _read_document(path: str) -> tuple[bytes, str]:
    file = Path(path)
    return file.read_bytes(), file.name


def _parse_or_exit(path: str):
    data, name = _read_document(path)
    try:
        return parse_sop(data, name)
    except SopParseError as error:
        raise click.ClickException(f"{name}: {error}") from error


@lms_commands.command("parse-sop", with_appcontext=False)
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the structure as JSON.")
def parse_sop_command(file: str, as_json: bool) -> None:
    """Read an SOP file and print its structure (no database needed)."""
    doc = _parse_or_exit(file)
    if as_json:
        click.echo(json.dumps(doc.to_dict(), indent=2, ensure_ascii=False))
        return
    click.echo(f"{doc.title} [{doc.code or 'no code'} rev {doc.revision or '?'}]")
    for section in doc.sections:
        click.echo(f"  {section.id} {section.kind:<16} {section.heading}")
        for step in doc.steps_in(section.id):
            click.echo(f"      {'  ' * step.depth}{step.number} {step.text[:90]}")


@lms_commands.command("generate-quiz", with_appcontext=False)
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the questions as JSON.")
@click.option(
    "--count", default=None, type=click.IntRange(1, 200), help="Questions to draft (default: the app's pool)."
)
@click.option("--seed", default=0, show_default=True, type=int)
def generate_quiz_command(file: str, as_json: bool, count: int | None, seed: int) -> None:
    """Generate quiz questions from an SOP file (no database needed): without --count, the pool the app
    drafts on upload."""
    doc = _parse_or_exit(file)
    questions = draft_pool(doc, seed=seed) if count is None else generate_questions(doc, count, seed)
    if as_json:
        click.echo(json.dumps({"questions": [q.to_dict() for q in questions]}, indent=2, ensure_ascii=False))
        return
    for q in questions:
        click.echo(f"{q.id} [{q.type}] {q.stem}")


@lms_commands.command("import-sop")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def import_sop_command(files: tuple[str, ...]) -> None:
    """Import SOP files into the database as new revisions with draft training modules."""
    from lms.services.errors import InvalidInput
    from lms.services.sop_import import import_sop

    failed = 0
    for path in files:
        data, name = _read_document(path)
        try:
            revision = import_sop(data, name, actor_id=None)
        except InvalidInput as error:
            failed += 1
            click.echo(f"{name}: not imported: {error.message}", err=True)
            continue
        click.echo(f"{name}: {revision.sop.code} rev {revision.label}, {len(revision.steps)} steps")
    if failed:
        sys.exit(1)


@lms_commands.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--role", "app_role", type=click.Choice(["admin", "trainer", "compliance", "learner"]), default="learner"
)
@click.password_option()
def create_user_command(email: str, name: str, app_role: str, password: str) -> None:
    """Create an account (the password is asked for, never taken from the command history)."""
    from lms.services.accounts import create_user
    from lms.services.errors import InvalidInput

    try:
        user = create_user(email, name, password, app_role)
    except InvalidInput as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Created {user.email} ({user.app_role}).")


@lms_commands.command("refreshers")
@click.option("--lead-days", default=30, show_default=True, type=click.IntRange(0, 365))
def refreshers_command(lead_days: int) -> None:
    """Open refresher training that falls due within --lead-days (run daily, e.g. from cron)."""
    from lms.services.refreshers import schedule_refreshers

    click.echo(f"{schedule_refreshers(lead_days=lead_days)} refresher enrolments created.")


@lms_commands.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing (but print the logins) when users already exist.")
def seed_demo_command(if_empty: bool) -> None:
    """Create a demo organisation: job roles, ~40 people, real SOPs, published modules and attempts."""
    from lms.services import demo

    if demo.has_users():
        if not if_empty:
            raise click.ClickException(
                "The database already has users; seed-demo only fills an empty database."
            )
        click.echo("Demo data already present.")
    else:
        summary = demo.seed_demo()
        click.echo(
            f"Seeded {summary.users} users in {summary.job_roles} job roles, {summary.sops} SOPs, "
            f"{summary.enrolments} enrolments and {summary.attempts} quiz attempts."
        )
    click.echo("\nDemo logins (password for every demo account: " + demo.DEMO_PASSWORD + "):")
    for role, email in demo.DEMO_LOGINS:
        click.echo(f"  {role:<11} {email}")


@lms_commands.command("seed-synthetic")
@click.option("--learners", default=20_000, show_default=True, type=click.IntRange(1))
@click.option("--sops", default=300, show_default=True, type=click.IntRange(1))
@click.option("--responses", default=2_000_000, show_default=True, type=click.IntRange(10))
@click.option("--roles", default=40, show_default=True, type=click.IntRange(1))
@click.option(
    "--enrolments",
    type=click.IntRange(1),
    help="At least this many enrolments (not-started ones fill up to it), e.g. for export sizes.",
)
@click.option("--seed", default=7, show_default=True, type=int)
@click.option(
    "--password",
    default="synthetic-learner",
    show_default=True,
    help="The password every synthetic learner signs in with.",
)
def seed_synthetic_command(
    learners: int, sops: int, responses: int, roles: int, enrolments: int | None, seed: int, password: str
) -> None:
    """Fill an empty database with a large synthetic organisation (for benchmarks and load tests)."""
    from lms import synthetic

    size = synthetic.Size(learners, sops, responses, roles, seed, enrolments)
    try:
        with click.progressbar(
            length=synthetic.estimated_rows(size), label="Writing rows", file=sys.stderr
        ) as bar:
            built = synthetic.build(size, password, bar.update)
    except synthetic.NotEmpty as error:
        raise click.ClickException(str(error)) from error
    counts = built.rows
    click.echo(
        f"Wrote {built.total_rows:,} rows in {built.seconds:.1f} s ({built.rows_per_second:,.0f} rows/s): "
        f"{counts.get('lms_user', 0)} learners, {counts.get('lms_sop', 0)} SOPs, "
        f"{counts.get('lms_enrolment', 0)} enrolments, {counts.get('lms_attempt', 0)} attempts, "
        f"{counts.get('lms_response', 0)} responses."
    )
    click.echo(f"Learners sign in as learner1@synthetic.example ... with the password {password!r}.")


@lms_commands.group("audit")
def audit_commands() -> None:
    """The tamper-evident audit trail."""


@audit_commands.command("verify")
def audit_verify_command() -> None:
    """Recompute the audit hash chain and name the first broken link (exit status 1 if broken)."""
    from lms.services.audit import verify_chain

    report = verify_chain()
    click.echo(report.summary(), err=not report.ok)
    if not report.ok:
        sys.exit(1)


@lms_commands.command("rebuild-tallies")
def rebuild_tallies_command() -> None:
    """Recompute the answer tallies behind the gap analytics from the stored responses (after loading
    responses with SQL rather than through the app; the app keeps them current on its own)."""
    from lms.services import tallies
    from lms.services.transactions import transaction

    with transaction():
        tallies.rebuild()
    click.echo("Answer tallies rebuilt from the responses.")


@lms_commands.command("item-analysis", with_appcontext=False)
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
@click.option("--irt", type=click.Choice(["rasch", "2pl"]), help="Also estimate IRT item parameters.")
def item_analysis_command(file: str, as_json: bool, irt: str | None) -> None:
    """Moodle-style item analysis of a marks CSV (header of item names, one row per attempt, cells 0-1)."""
    from quizzes.psychometrics.report import AnalysisInputError, analyse_marks_file, format_table

    try:
        report = analyse_marks_file(file, irt=irt)
    except AnalysisInputError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
    click.echo(json.dumps(report, indent=2) if as_json else format_table(report))


schema_commands = AppGroup(
    "db", help="sop-lms's own migrations, with their own version table (a host's `flask db` keeps its own)."
)
lms_commands.add_command(schema_commands)


@schema_commands.command("upgrade")
@click.argument("revision", default="head")
def schema_upgrade(revision: str) -> None:
    """Create or migrate sop-lms's tables (`flask sop-lms db upgrade`)."""
    from lms import schema

    schema.upgrade(revision)
    click.echo(f"sop-lms schema at {schema.current_revision()} (head {schema.head_revision()}).")


@schema_commands.command("downgrade")
@click.argument("revision")
def schema_downgrade(revision: str) -> None:
    """Take sop-lms's tables back to `revision` ("base" drops them all)."""
    from lms import schema

    schema.downgrade(revision)
    click.echo(f"sop-lms schema at {schema.current_revision() or 'base'}.")


@schema_commands.command("current")
def schema_current() -> None:
    """The revision sop-lms's tables are at, and the newest one this version ships."""
    from lms import schema

    click.echo(f"{schema.current_revision() or 'base'} (head {schema.head_revision()})")


from lms.cli_reports import report_commands  # noqa: E402 - after the group it joins

lms_commands.add_command(report_commands)


def _create_app():
    from lms.app import create_app

    return create_app()


main = FlaskGroup(
    name="sop-lms",
    create_app=_create_app,
    help="sop-lms: SOP training and assessment. `sop-lms db upgrade`, `sop-lms seed-demo`, `sop-lms run`.",
)
for _name, _command in lms_commands.commands.items():
    if _name != "db":  # standalone, `sop-lms db` is Flask-Migrate's (upgrade, and migrate for developers)
        main.add_command(_command)
