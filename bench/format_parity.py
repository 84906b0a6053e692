"""Does the same SOP give the same steps and rules as Markdown, HTML, DOCX and PDF? (issue 10)

    .venv/bin/python bench/format_parity.py [--set tuning|exposed|blind-2|blind-3|unseen|all]
        [--summary] [--quick] [--json]

Every Markdown SOP of the set is rendered to HTML (markdown-it-py, as a web page would show it), and the
HTML is turned into a Word document and the Word document into a PDF by LibreOffice (`soffice
--headless`, Debian's libreoffice-writer-nogui): converters nobody here wrote, the way a customer's SOP
changes format. Each file is parsed, and its counts of steps and of rules are compared with the Markdown
original's, the reference measured in the same run. Target: every format within +/-1 of the Markdown on
every SOP. `--summary` prints only the totals (for the blind sets, whose documents stay unseen);
`--quick` takes the first 8 SOPs.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from markdown_it import MarkdownIt  # noqa: E402

from bench.sop_corpus import CHOICES, CorpusSop, load, missing_message  # noqa: E402
from sops.errors import SopParseError  # noqa: E402
from sops.parse import parse_sop  # noqa: E402

FORMATS = ("html", "docx", "pdf")
TOLERANCE = 1
QUICK_SOPS = 8
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


@dataclass(frozen=True)
class Counts:
    steps: int
    rules: int
    refused: str = ""

    def near(self, other: Counts) -> bool:
        return (
            not self.refused
            and not other.refused
            and abs(self.steps - other.steps) <= TOLERANCE
            and abs(self.rules - other.rules) <= TOLERANCE
        )


def soffice() -> str | None:
    """LibreOffice's binary; None when not installed (`apt-get install libreoffice-writer-nogui`)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_html(markdown: str, title: str) -> str:
    """The SOP as a web page: its front matter dropped, its body rendered (tables included)."""
    body = MarkdownIt("commonmark").enable("table").render(_FRONT_MATTER.sub("", markdown))
    head = f"<head><meta charset='utf-8'><title>{title}</title></head>"
    return f"<!doctype html><html>{head}<body>{body}</body></html>"


def convert(paths: list[Path], target: str, out: Path) -> None:
    """LibreOffice converts every file in one process (`docx:MS Word 2007 XML` or `pdf`)."""
    binary = soffice()
    if binary is None:
        raise RuntimeError("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    profile = out / "lo-profile"  # a private profile: parallel runs must not share one
    subprocess.run(  # noqa: S603 - a fixed binary and our own temporary paths
        [
            binary,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            *map(str, paths),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )


def counts(path: Path) -> Counts:
    try:
        doc = parse_sop(path.read_bytes(), path.name)
    except SopParseError as error:
        return Counts(0, 0, str(error)[:80])
    return Counts(len(doc.steps), len(doc.rules))


def measure(sops: list[CorpusSop], work: Path) -> dict[str, dict[str, Counts]]:
    """SOP id -> format ("md", "html", "docx", "pdf") -> counts."""
    pages = []
    for sop in sops:
        page = work / f"{sop.id}.html"
        page.write_text(to_html(sop.path.read_text(encoding="utf-8"), sop.id), encoding="utf-8")
        pages.append(page)
    convert(pages, "docx:MS Word 2007 XML", work)
    convert([work / f"{sop.id}.docx" for sop in sops], "pdf", work)
    return {
        sop.id: {"md": counts(sop.path), **{fmt: counts(work / f"{sop.id}.{fmt}") for fmt in FORMATS}}
        for sop in sops
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--set", default="tuning", choices=(*CHOICES, "all"))
    parser.add_argument("--summary", action="store_true", help="totals only, no per-SOP rows")
    parser.add_argument("--quick", action="store_true", help=f"the first {QUICK_SOPS} SOPs only")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if soffice() is None:
        print("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
        return 1
    sops = load(None if args.set == "all" else args.set)
    note = missing_message(sops)
    if note:
        print(note)
    sops = [s for s in sops if s.available and s.path.suffix == ".md"]
    if args.quick:
        sops = sops[:QUICK_SOPS]
    with tempfile.TemporaryDirectory() as tmp:
        found = measure(sops, Path(tmp))
    share = {}
    for fmt in FORMATS:
        share[fmt] = sum(row[fmt].near(row["md"]) for row in found.values()) / (len(found) or 1)
    if not args.summary:
        for sop_id, row in found.items():
            cells = "  ".join(
                f"{fmt} {c.steps:>3}/{c.rules:<3}{'!' if c.refused else ''}" for fmt, c in row.items()
            )
            off = [fmt for fmt in FORMATS if not row[fmt].near(row["md"])]
            print(f"{sop_id:<48} {cells}{'  differs: ' + ', '.join(off) if off else ''}")
    print(
        f"{args.set}: {len(found)} Markdown SOPs as steps/rules; within +/-{TOLERANCE} of the Markdown: "
        + ", ".join(f"{fmt} {share[fmt]:.0%}" for fmt in FORMATS)
    )
    meets = bool(found) and all(v == 1.0 for v in share.values())
    if args.json:
        print(
            json.dumps(
                {
                    "benchmark": "format_parity",
                    "ratios": {f"{fmt}_within_1": round(share[fmt], 3) for fmt in FORMATS},
                    "targets": {f"{fmt}_within_1": 1.0 for fmt in FORMATS},
                    "meets_targets": meets,
                }
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
