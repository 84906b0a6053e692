"""Export benchmark (issue 12): the completion CSV at two sizes against the database's own CSV export of the
same query, with peak memory and time to first byte, measured side by side.

    .venv/bin/python bench/export.py [--quick] [--json] [--pg URL | TEST_DATABASE_URL]
                                     [--only sqlite|postgresql] [--rows SMALL LARGE]

For each size a synthetic organisation (`sop-lms seed-synthetic`, filled up with not-started enrolments to
the row count wanted) is built in a database of its own. A child process (so its peak RSS is the export's,
not the seeding's) signs in as a compliance officer and downloads `/reports/completion.csv` through the
Flask test client, reading the streamed body as it comes; it reports the rows, the seconds, the time to the
first byte and its peak resident memory while the download runs (sampled at every chunk; it includes the
app and its libraries, loaded before the download starts). The reference runs the very SQL the report
compiles to: on PostgreSQL `COPY (...) TO STDOUT WITH CSV` through psycopg, on SQLite the sqlite3 module
and `csv.writer`. The header is sent before the query runs, so the first byte comes at once; the time to
the first row (after the database has sorted the report) is reported beside it.
At the large size the same report also leaves as XLSX and PDF (the PDF holds its first 500 rows), and
the evidence pack of the largest job role is taken beside the CSV of that role's rows (issue 13).
Targets: rows/s at least 0.5x the reference's at both sizes, the XLSX's at least 0.2x the CSV's and under
200 MB; peak RSS at the large size under 200 MB and
within 20% of the small size's; first byte within 1 s. The full sizes are 100,000 and 1,000,000 rows
(about 10 minutes in all); `--quick` 10,000 and 100,000 (under a minute per backend): the same work per
row, so the ratios compare, and the memory targets apply to both (what they test is that memory does not
grow with the rows).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import USER_AGENT, backends, database, gunicorn, log, print_result, sign_in, synthetic_app  # noqa: E402
from lms import create_app  # noqa: E402
from lms.analytics.completion_report import report_query  # noqa: E402
from lms.db import db, utcnow  # noqa: E402
from lms.synthetic import Size  # noqa: E402

OFFICER_EMAIL = "officer@bench.example"
OFFICER_PASSWORD = "bench compliance officer"  # noqa: S105 - a throwaway account in a throwaway database
TARGETS = {"rows_per_s": 0.5, "xlsx_rows_per_s": 0.2}
RSS_LIMIT_MB = 200
RSS_GROWTH = 1.2
FIRST_BYTE_S = 1.0


def organisation(rows: int) -> Size:
    """An organisation whose completion report has about `rows` rows (one per enrolment and role)."""
    learners = max(2_000, rows // 50)
    return Size(learners=learners, sops=300, responses=min(200_000, rows), roles=40, enrolments=rows)


# --- the child: one download through the app, its own memory ------------------------------------------


def rss_mb() -> float:
    """This process's resident memory now (Linux), in MB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def child(url: str, path: str = "/reports/completion.csv") -> None:
    from lms.services import accounts

    app = create_app(
        {"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url}, instance_path=os.environ["INSTANCE"]
    )
    email = OFFICER_EMAIL
    with app.app_context():
        if accounts.authenticate(email, OFFICER_PASSWORD) is None:
            accounts.create_user(email, "Bench Officer", OFFICER_PASSWORD, "compliance")
    client = app.test_client()
    login = client.get("/login").get_data(as_text=True)
    token = login.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    client.post("/login", data={"email": email, "password": OFFICER_PASSWORD, "csrf_token": token})
    client.get("/reports/completion")  # warm: templates, the first connection
    baseline = peak = rss_mb()
    started = time.perf_counter()
    response = client.get(path, buffered=False)
    first_byte = first_row = None
    lines = size = 0
    for chunk in response.response:
        if first_byte is None:
            first_byte = time.perf_counter() - started
        size += len(chunk)
        lines += chunk.count(b"\n")
        if first_row is None and lines > 1:
            first_row = time.perf_counter() - started
        peak = max(peak, rss_mb())
    seconds = time.perf_counter() - started
    response.close()
    assert response.status_code == 200, response.status_code
    print(
        json.dumps(
            {
                "rows": lines - 1,
                "seconds": seconds,
                "first_byte": first_byte,
                "first_row": first_row,
                "bytes": size,
                "peak_rss_mb": peak,
                "rss_before_mb": baseline,
            }
        )
    )


def download(url: str, instance: str, path: str = "/reports/completion.csv") -> dict:
    done = subprocess.run(  # noqa: S603 - this very script, with a URL it made
        [sys.executable, __file__, "--child", url, path],
        capture_output=True,
        text=True,
        env={**os.environ, "INSTANCE": instance},
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"the download failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the reference: the database's own CSV of the same query ----------------------------------------------


def reference(app) -> tuple[int, float]:
    with app.app_context():
        dialect = db.engine.dialect
        compiled = report_query(utcnow()).compile(dialect=dialect)
        raw = db.engine.raw_connection()
    try:
        started = time.perf_counter()
        if dialect.name == "postgresql":
            rows = 0
            with raw.cursor() as cursor:
                statement = f"COPY ({compiled.string}) TO STDOUT WITH (FORMAT csv, HEADER)"
                with cursor.copy(statement, compiled.params) as copy:
                    for block in copy:
                        rows += bytes(block).count(b"\n")
            rows -= 1
        else:
            sink = _Discard()
            writer = csv.writer(sink, lineterminator="\r\n")
            cursor = raw.cursor()
            cursor.execute(compiled.string, [compiled.params[name] for name in compiled.positiontup])
            writer.writerow([column[0] for column in cursor.description])
            rows = 0
            for row in cursor:
                writer.writerow(row)
                rows += 1
        return rows, time.perf_counter() - started
    finally:
        raw.close()


class _Discard:
    def write(self, text: str) -> int:
        return len(text)


def through_gunicorn(url: str, instance: str) -> dict:
    """The completion page (first and last) and the CSV from gunicorn with its defaults (sync workers, a
    30-second timeout), as a compliance officer's browser gets them: status, seconds, rows."""
    env = {"DATABASE_URL": url, "SECRET_KEY": "bench-export", "LMS_INSTANCE_PATH": instance}
    found: dict[str, object] = {}
    with gunicorn("wsgi:app", env, 2) as base:
        cookie = sign_in(base, OFFICER_EMAIL, OFFICER_PASSWORD)
        headers = {"Cookie": cookie, "User-Agent": USER_AGENT}
        for label, path in (
            ("page", "/reports/completion"),
            ("last_page", "/reports/completion?page=999999"),
            ("csv", "/reports/completion.csv"),
        ):
            started = time.perf_counter()
            request = urllib.request.Request(base + path, headers=headers)  # noqa: S310 - our own server
            try:
                with urllib.request.urlopen(request, timeout=120) as answer:  # noqa: S310
                    lines = sum(block.count(b"\n") for block in iter(lambda: answer.read(1 << 16), b""))
                    status = answer.status
            except Exception as error:  # a worker killed mid-download ends the body early
                lines, status = 0, f"failed: {error}"
            found[label] = {"status": status, "seconds": round(time.perf_counter() - started, 2)}
            if label == "csv":
                found[label]["rows"] = lines - 1
    return found


def pdf_rows() -> int:
    from lms.formats.pdf import MAX_ROWS

    return MAX_ROWS


def largest_role(app) -> tuple[int, int]:
    """The job role with the most members: (its id, how many)."""
    from sqlalchemy import func, select

    from lms.models import user_job_roles

    with app.app_context():
        members = func.count(user_job_roles.c.user_id)
        query = select(user_job_roles.c.job_role_id, members).group_by(user_job_roles.c.job_role_id)
        return db.session.execute(query.order_by(members.desc()).limit(1)).one()


def other_formats(url: str, instance: str, app, csv_result: dict) -> dict:
    """The same report as XLSX and PDF, and the evidence pack of the largest job role beside the CSV of
    that role's rows: seconds, first byte and peak RSS of each, and the rows/s ratio to its CSV."""
    found: dict[str, dict] = {}
    csv_rate = csv_result["rows"] / csv_result["seconds"]
    for file_format in ("xlsx", "pdf"):
        done = download(url, instance, f"/reports/completion.{file_format}")
        rows = csv_result["rows"] if file_format == "xlsx" else min(csv_result["rows"], pdf_rows())  # its cap
        done["ratio"] = rows / done["seconds"] / csv_rate
        found[file_format] = done
        log(
            f"    {file_format.upper()}: {done['seconds']:.2f} s for {rows:,} rows "
            f"(x{done['ratio']:.3f} of the CSV's rows/s), first byte {done['first_byte']:.2f} s, "
            f"peak RSS {done['peak_rss_mb']:.0f} MB"
        )
    role_id, members = largest_role(app)
    role_csv = download(url, instance, f"/reports/completion.csv?role={role_id}")
    pack = download(url, instance, f"/reports/evidence/job_role/{role_id}.zip")
    pack["members"] = members
    pack["ratio"] = role_csv["seconds"] / pack["seconds"]
    found["evidence_pack"] = pack
    log(
        f"    evidence pack of a {members:,}-person job role: {pack['seconds']:.2f} s, "
        f"{pack['bytes'] / 2**20:.1f} MB, first byte {pack['first_byte']:.2f} s, "
        f"peak RSS {pack['peak_rss_mb']:.0f} MB; the role's CSV "
        f"({role_csv['rows']:,} rows) {role_csv['seconds']:.2f} s (x{pack['ratio']:.3f})"
    )
    return found


def run_size(name: str, url: str, rows: int, gunicorn_too: bool = False) -> dict:
    with synthetic_app(url, organisation(rows)) as (app, _built):
        with tempfile.TemporaryDirectory(prefix="sop-lms-bench-export-") as instance:
            ours = download(url, instance)
            served = through_gunicorn(url, instance) if gunicorn_too else None
            formats = other_formats(url, instance, app, ours) if gunicorn_too else None
        theirs_rows, theirs_seconds = reference(app)
    ours["rows_per_s"] = ours["rows"] / ours["seconds"]
    ratio = ours["rows_per_s"] / (theirs_rows / theirs_seconds)
    log(
        f"  {name} {ours['rows']:,} rows: sop-lms {ours['seconds']:.2f} s "
        f"({ours['rows_per_s']:,.0f} rows/s), "
        f"first byte {ours['first_byte'] * 1000:.0f} ms, first row {ours['first_row'] * 1000:.0f} ms, "
        f"peak RSS {ours['peak_rss_mb']:.0f} MB "
        f"({ours['rss_before_mb']:.0f} MB before); reference {theirs_seconds:.2f} s for {theirs_rows:,} rows "
        f"(x{ratio:.2f})"
    )
    if served:
        log(f"  {name} through gunicorn (2 sync workers, 30 s timeout): {served}")
    return {
        **ours,
        "reference_rows": theirs_rows,
        "reference_seconds": theirs_seconds,
        "ratio": ratio,
        "gunicorn": served,
        "formats": formats,
    }


def main(argv: list[str] | None = None) -> int:
    if argv is None and sys.argv[1:2] == ["--child"]:
        child(*sys.argv[2:4])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rows", type=int, nargs=2, metavar=("SMALL", "LARGE"))
    parser.add_argument("--pg", default=os.environ.get("TEST_DATABASE_URL", "").strip() or None)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    small, large = args.rows or ((10_000, 100_000) if args.quick else (100_000, 1_000_000))
    results: dict[str, dict] = {}
    for name in backends(args.pg, args.only):
        log(f"{name}:")
        results[name] = {}
        for label, rows in (("small", small), ("large", large)):
            with database(name, args.pg) as url:  # a database of its own per size
                results[name][label] = run_size(name, url, rows, gunicorn_too=label == "large")
    ratios, targets, checks = {}, {}, []
    for name, sizes in results.items():
        for label, found in sizes.items():
            ratios[f"{name}.{label}.rows_per_s"] = round(found["ratio"], 3)
            targets[f"{name}.{label}.rows_per_s"] = TARGETS["rows_per_s"]
            checks.append(found["first_byte"] <= FIRST_BYTE_S)
        formats = sizes["large"]["formats"]
        ratios[f"{name}.large.xlsx_rows_per_s"] = round(formats["xlsx"]["ratio"], 3)
        targets[f"{name}.large.xlsx_rows_per_s"] = TARGETS["xlsx_rows_per_s"]
        ratios[f"{name}.large.evidence_pack_vs_role_csv"] = round(formats["evidence_pack"]["ratio"], 3)
        checks.append(formats["xlsx"]["peak_rss_mb"] < RSS_LIMIT_MB)
        growth = sizes["large"]["peak_rss_mb"] / sizes["small"]["peak_rss_mb"]
        ratios[f"{name}.rss_growth"] = round(growth, 3)
        checks += [growth <= RSS_GROWTH, sizes["large"]["peak_rss_mb"] < RSS_LIMIT_MB]
    meets = all(ratios[k] >= v for k, v in targets.items()) and all(checks)
    for key, value in ratios.items():
        log(f"{key}: x{value:.2f}")
    if args.json:
        print_result(
            "export",
            ratios,
            {**targets, **{f"{n}.rss_growth": RSS_GROWTH for n in results}},
            meets,
            peak_rss_mb={
                n: {k: round(v["peak_rss_mb"], 1) for k, v in s.items()} for n, s in results.items()
            },
            first_byte_s={
                n: {k: round(v["first_byte"], 3) for k, v in s.items()} for n, s in results.items()
            },
            rows={n: {k: v["rows"] for k, v in s.items()} for n, s in results.items()},
            gunicorn={n: s["large"]["gunicorn"] for n, s in results.items()},
            formats={
                n: {
                    f: {k: round(v, 3) if isinstance(v, float) else v for k, v in d.items()}
                    for f, d in s["large"]["formats"].items()
                }
                for n, s in results.items()
            },
            limits={"peak_rss_mb": RSS_LIMIT_MB, "first_byte_s": FIRST_BYTE_S},
            quick=args.quick,
        )
    return 0 if meets else 1


if __name__ == "__main__":
    sys.exit(main())
