"""Does the parser count the steps a person counts? Against the hand-counted ranges of the corpus (issue 10).

    .venv/bin/python bench/step_counts.py [--set tuning|exposed|blind-2|blind-3|unseen|all]
        [--summary] [--quick] [--json]

For every labelled SOP of bench/corpus/manifest.toml: the steps `parse_sop` finds, and, as the reference
measured in the same run, the steps a one-line numbered-list regex finds in the same extracted text. A count
is in range within 15% of the hand-counted [low, high]. Targets: the parser in range on >= 95% of the
SOPs, and never out of range where the regex is in range. `--summary` prints only the totals (use it on
the blind set while tuning, so its documents stay unseen).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.sop_corpus import CHOICES, CorpusSop, load, missing_message  # noqa: E402
from sops.errors import SopParseError  # noqa: E402
from sops.limits import DEFAULT_LIMITS  # noqa: E402
from sops.parse import parse_sop  # noqa: E402
from sops.readers import reader_for  # noqa: E402

NUMBERED_LINE = re.compile(r"^\s*(?:[-*+]\s+)?\(?\d{1,3}[.)]\s+\S", re.MULTILINE)
TARGET_IN_RANGE = 0.95


def regex_count(sop: CorpusSop) -> int:
    """The reference: lines that start with a number and a full stop or parenthesis, nothing more."""
    try:
        text, _fmt = reader_for(sop.path.name)(sop.path.read_bytes(), sop.path.name, DEFAULT_LIMITS)
    except SopParseError:
        return 0
    return len(NUMBERED_LINE.findall(text))


def parser_count(sop: CorpusSop) -> tuple[int, str]:
    try:
        return len(parse_sop(sop.path.read_bytes(), sop.path.name).steps), ""
    except SopParseError as error:
        return 0, str(error)[:80]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--set", default="all", choices=(*CHOICES, "all"))
    parser.add_argument("--summary", action="store_true", help="totals only, no per-SOP rows")
    parser.add_argument("--quick", action="store_true", help="accepted: the full run takes seconds")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    sops = load(None if args.set == "all" else args.set)
    note = missing_message(sops)
    if note:
        print(note)
    sops = [s for s in sops if s.available]
    rows = []
    for sop in sops:
        found, refused = parser_count(sop)
        reference = regex_count(sop)
        rows.append(
            {
                "id": sop.id,
                "set": sop.set,
                "hand": list(sop.steps),
                "parser": found,
                "regex": reference,
                "parser_in_range": sop.in_range(found),
                "regex_in_range": sop.in_range(reference),
                "refused": refused,
            }
        )
        if not args.summary:
            mark = "ok " if sop.in_range(found) else "OUT"
            worse = "  WORSE THAN REGEX" if sop.in_range(reference) and not sop.in_range(found) else ""
            low, high = sop.steps
            print(
                f"{mark} {sop.id:<48} hand {low}-{high:<4} parser {found:<4} regex {reference:<4}"
                f"{worse}{'  refused: ' + refused if refused else ''}"
            )
    n = len(rows) or 1
    parser_share = sum(r["parser_in_range"] for r in rows) / n
    regex_share = sum(r["regex_in_range"] for r in rows) / n
    worse = [r["id"] for r in rows if r["regex_in_range"] and not r["parser_in_range"]]
    print(
        f"{args.set}: {len(rows)} SOPs; parser in range {parser_share:.0%}, numbered-list regex "
        f"{regex_share:.0%}; parser worse than the regex on {len(worse)}"
    )
    meets = bool(rows) and parser_share >= TARGET_IN_RANGE and not worse
    if args.json:
        print(
            json.dumps(
                {
                    "benchmark": "step_counts",
                    "ratios": {
                        "parser_in_range": round(parser_share, 3),
                        "regex_in_range": round(regex_share, 3),
                        "worse_than_regex": len(worse),
                    },
                    "targets": {"parser_in_range": TARGET_IN_RANGE, "worse_than_regex": 0},
                    "meets_targets": meets,
                }
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
