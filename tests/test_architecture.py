"""The layering rules, read from the import statements: plain-Python libraries stay free of Flask and the
database, and views reach the database only through services."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_IN_LIBRARIES = (
    "flask",
    "flask_sqlalchemy",
    "flask_login",
    "flask_wtf",
    "sqlalchemy",
    "lms",
    "werkzeug",
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def python_files(package: str) -> list[Path]:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"no Python files found in {package}/"
    return files


@pytest.mark.parametrize("package", ["sops", "quizzes"])
def test_libraries_do_not_import_flask_sqlalchemy_or_lms(package: str) -> None:
    offenders = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in python_files(package)
        for name in imported_modules(path)
        if name.split(".")[0] in FORBIDDEN_IN_LIBRARIES
    }
    assert not offenders, "plain-Python packages must not import these:\n" + "\n".join(sorted(offenders))


def test_views_use_services_not_the_database_session() -> None:
    offenders = []
    for path in python_files("lms/web"):
        source = path.read_text(encoding="utf-8")
        names = imported_modules(path)
        if "lms.db.db" in names or any(n.startswith("sqlalchemy") for n in names) or "db.session" in source:
            offenders.append(str(path.relative_to(ROOT)))
        if any(n.startswith("lms.models") for n in names):
            offenders.append(f"{path.relative_to(ROOT)} (imports models: go through a service)")
    assert not offenders, "views must call services instead of the database:\n" + "\n".join(offenders)


def test_the_rules_catch_a_violation(tmp_path: Path) -> None:
    """The import reader itself works: a file that imports Flask is seen as doing so."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import flask\nfrom sqlalchemy.orm import Session\nfrom . import sibling\n", encoding="utf-8"
    )
    assert {"flask", "sqlalchemy.orm", "sqlalchemy.orm.Session"} <= imported_modules(bad)


def session_calls(path: Path, names: tuple[str, ...] = ("commit", "rollback")) -> list[int]:
    """Lines where the file calls `<something>.commit()` or `.rollback()`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in names
    ]


def test_only_the_transaction_boundary_commits_or_rolls_back() -> None:
    """Every use case commits through `lms.services.transactions` (`@transactional`); a commit or rollback
    anywhere else in lms/ is a second habit of the kind issue 11 removed."""
    boundary = ROOT / "lms" / "services" / "transactions.py"
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in python_files("lms")
        if path != boundary and "migrations" not in path.parts
        for line in session_calls(path)
    ]
    assert not offenders, "commit or roll back through lms.services.transactions:\n" + "\n".join(offenders)
    assert session_calls(boundary)  # the rule reads real calls: the boundary itself has them


def test_the_commit_rule_sees_a_commit(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f(db):\n    db.session.add(1)\n    db.session.commit()\n", encoding="utf-8")
    assert session_calls(bad) == [3]


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _names_a_kind(node: ast.Constant, parent: ast.AST, kinds: set[str]) -> bool:
    """A generator kind spelled like an answer type (the "numeric" fill-in form asks a numeric question):
    passed as `kind=`, compared with a `.kind`, or a key of a dict keyed by generator kinds."""
    if isinstance(parent, ast.keyword):
        return parent.arg == "kind"
    if isinstance(parent, ast.Compare):
        sides = [parent.left, *parent.comparators]
        return any(isinstance(side, ast.Attribute) and side.attr == "kind" for side in sides)
    if isinstance(parent, ast.Dict) and node in parent.keys:
        return all(isinstance(key, ast.Constant) and key.value in kinds for key in parent.keys)
    return False


def answer_type_names_in(path: Path, names: set[str], kinds: set[str]) -> list[str]:
    """Places where the file spells out an answer type's name instead of asking the registry."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    parents = _parents(tree)
    return [
        f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name}:{node.lineno} {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and node.value in names
        and not _names_a_kind(node, parents[node], kinds)
    ]


TYPE_SWITCH_IN_TEMPLATE = re.compile(r"\.type\s*(?:==|!=|\bin\b|\bnot in\b)")


def test_only_the_answer_type_registry_names_answer_types() -> None:
    """Issue 11: the answer types were switched by string in a dozen places; now each is one class in
    `quizzes.answers`, and code asks `answer_type(name)` what differs. No module outside the registry spells
    a type's name, and no template branches on a question's type (each type renders its own partial)."""
    from quizzes.answers import ANSWER_TYPES
    from quizzes.generators import GENERATORS

    names, kinds = set(ANSWER_TYPES), set(GENERATORS)
    registry = ROOT / "quizzes" / "answers"
    offenders = [
        place
        for package in ("lms", "quizzes", "sops")
        for path in python_files(package)
        if not path.is_relative_to(registry)
        for place in answer_type_names_in(path, names, kinds)
    ]
    templates = ROOT / "lms" / "templates"
    for path in sorted(templates.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        quoted = [n for n in names if f"'{n}'" in text]
        if TYPE_SWITCH_IN_TEMPLATE.search(text) or quoted:
            offenders.append(f"{path.relative_to(ROOT)} {quoted}")
    assert not offenders, "ask quizzes.answers.answer_type(...) instead of naming a type:\n" + "\n".join(
        offenders
    )
    partials = templates / "lms" / "learner" / "answers"
    assert {p.stem for p in partials.glob("*.html")} == names, "one template partial per answer type"


def test_the_answer_type_rule_sees_a_switch_and_spares_a_kind(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        'if q.type == "ordering":\n    pass\nCandidate(kind="numeric", type=Numeric.name)\n'
        'FORM_PRIOR = {"numeric": 1.0, "permission": 0.7}\nif c.kind == "numeric":\n    pass\n',
        encoding="utf-8",
    )
    found = answer_type_names_in(bad, {"ordering", "numeric"}, {"numeric", "permission"})
    assert found == ["bad.py:1 'ordering'"]
    assert TYPE_SWITCH_IN_TEMPLATE.search("{% if q.type == 'numeric' %}")
