"""The shared CSV writer: formula-looking cells are neutralised, plain numbers (negative ones too) are not."""

from __future__ import annotations

import pytest

from lms.csv_export import csv_text, defuse_formula


@pytest.mark.parametrize(
    ("raw", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-1+1", "'-1+1"),
        ("-2-cmd|' /C calc'!A0", "'-2-cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-", "'-"),
        ("-92.7", "-92.7"),
        ("-3", "-3"),
        ("-\u0663", "'-\u0663"),  # an Arabic-Indic digit: the report's SQL and Python must agree
        ("12.5", "12.5"),
        ("plain text", "plain text"),
    ],
)
def test_only_cells_that_could_run_as_formulas_are_prefixed(raw: str, written: str) -> None:
    assert defuse_formula(raw) == written


def test_the_file_starts_with_a_byte_order_mark_and_uses_crlf() -> None:
    assert csv_text(["a", "b"], [[-1.5, "=x"]]) == "\ufeffa,b\r\n-1.5,'=x\r\n"
