"""The `sop-lms item-analysis` report: marks file in, a JSON-ready dict or a text table out. Kept here, not in
the CLI module, so the report can be tested and reused (e.g. a download in the web app) without click."""

from __future__ import annotations

from pathlib import Path

from quizzes.psychometrics.classical import item_analysis
from quizzes.psychometrics.marks_csv import MarksFileError, read_marks_csv

ITEM_KEYS = ("facility", "sd", "discrimination_index", "discriminative_efficiency")
TEST_KEYS = ("alpha", "error_ratio", "standard_error")


class AnalysisInputError(ValueError):
    """The input cannot be analysed as asked; the message is one line."""


def analyse_marks_file(path: str | Path, irt: str | None = None) -> dict[str, object]:
    """Per item: facility, sd, discrimination index, discriminative efficiency (percent, as Moodle shows
    them); for the test: alpha and error ratio (percent), standard error (points of the raw total); with
    `irt` ("rasch" or "2pl"), item `a` and `b` too. None where Moodle would leave the cell blank."""
    try:
        marks = read_marks_csv(path)
    except MarksFileError as error:
        raise AnalysisInputError(str(error)) from error
    analysis = item_analysis(marks)
    items = {s.item: {k: getattr(s, k) for k in ITEM_KEYS} for s in analysis.items}
    report: dict[str, object] = {
        "attempts": analysis.test.s,
        "items": items,
        "test": {k: getattr(analysis.test, k) for k in TEST_KEYS},
    }
    if irt:
        from quizzes.psychometrics.irt import fit_irt, girth_version

        try:
            fit = fit_irt(marks, model=irt)  # type: ignore[arg-type]  # click.Choice limits it
        except ValueError as error:
            raise AnalysisInputError(f"{path}: {error}") from error
        for name, a, b in zip(fit.items, fit.a, fit.b, strict=True):
            items[name].update(a=float(a), b=float(b))
        report["irt"] = {"model": irt, "estimator": f"girth {girth_version()} marginal maximum likelihood"}
    return report


def _cell(value: object, width: int) -> str:
    return f"{value:>{width}.2f}" if isinstance(value, float) else f"{'-':>{width}}"


def format_table(report: dict[str, object]) -> str:
    """A fixed-width table for people; '-' where a statistic is undefined (Moodle leaves it blank)."""
    items: dict[str, dict[str, object]] = report["items"]  # type: ignore[assignment]
    extra = [k for k in ("a", "b") if any(k in stats for stats in items.values())]
    headers = ["facility %", "sd %", "discrim %", "disc.eff %", *extra]
    width = max([len("item"), *(len(n) for n in items)])
    lines = [f"{'item':<{width}}  " + "  ".join(f"{h:>10}" for h in headers)]
    for name, stats in items.items():
        cells = [_cell(stats.get(k), 10) for k in (*ITEM_KEYS, *extra)]
        lines.append(f"{name:<{width}}  " + "  ".join(cells))
    test: dict[str, object] = report["test"]  # type: ignore[assignment]
    lines += [
        "",
        f"attempts: {report['attempts']}",
        f"alpha (coefficient of internal consistency): {_cell(test['alpha'], 0).strip()} %",
        f"error ratio: {_cell(test['error_ratio'], 0).strip()} %",
        f"standard error: {_cell(test['standard_error'], 0).strip()} points of {len(items)}",
    ]
    return "\n".join(lines)
