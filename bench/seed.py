"""Synthetic organisation benchmark (issue 12): `sop-lms seed-synthetic`'s rows/s against the database's own
bulk load of the very same rows, measured side by side.

    .venv/bin/python bench/seed.py [--quick] [--json] [--pg URL | TEST_DATABASE_URL]
                                   [--only sqlite|postgresql]

The organisation (`lms.synthetic.build`: 20,000 learners, 300 SOPs, 2,000,000 responses; `--quick` 2,000 /
60 / 100,000) is written into a fresh, migrated database; the time includes drawing the rows, the inserts,
rebuilding the answer tallies and moving the sequences. The reference then loads the same rows, table by
table in foreign-key order, into a second fresh, migrated database, and only the load is timed: on
PostgreSQL each table's rows copied out to a file first (`COPY ... TO STDOUT`), then `COPY ... FROM STDIN`
from the files; on SQLite the rows read into memory first, then `executemany` in one transaction. Target:
at least 0.5x the reference's rows/s. `--quick` writes the same kinds of rows in the same way, fewer of them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, func, select

from bench.common import backends, database, log, migrated_app, print_result, synthetic_app
from lms.config import normalise_database_url
from lms.db import db
from lms.synthetic import Size

FULL = Size()
QUICK = Size(learners=2_000, sops=60, responses=100_000, roles=10)
TARGET = 0.5
SKIPPED = {"lms_alembic_version"}  # written by the migrations in both databases


def tables_with_rows(app) -> list[tuple[str, int]]:
    with app.app_context():
        found = []
        for table in db.metadata.sorted_tables:
            if table.name in SKIPPED:
                continue
            count = db.session.scalar(select(func.count()).select_from(table))
            if count:
                found.append((table.name, count))
        return found


def load_postgres(source_url: str, target_url: str, tables: list[tuple[str, int]]) -> float:
    source = create_engine(normalise_database_url(source_url))
    target = create_engine(normalise_database_url(target_url))
    with tempfile.TemporaryDirectory(prefix="sop-lms-bench-seed-") as folder:
        raw = source.raw_connection()
        try:
            cursor = raw.cursor()
            for name, _count in tables:
                with open(Path(folder) / name, "wb") as out, cursor.copy(f"COPY {name} TO STDOUT") as copy:
                    for block in copy:
                        out.write(block)
        finally:
            raw.close()
        raw = target.raw_connection()
        try:
            cursor = raw.cursor()
            started = time.perf_counter()
            for name, _count in tables:
                with open(Path(folder) / name, "rb") as data, cursor.copy(f"COPY {name} FROM STDIN") as copy:
                    while block := data.read(1 << 20):
                        copy.write(block)
            raw.commit()
            seconds = time.perf_counter() - started
        finally:
            raw.close()
    source.dispose()
    target.dispose()
    return seconds


def load_sqlite(source_url: str, target_url: str, tables: list[tuple[str, int]]) -> float:
    import sqlite3

    source = sqlite3.connect(source_url.removeprefix("sqlite:///"))
    rows = {name: source.execute(f"SELECT * FROM {name}").fetchall() for name, _count in tables}
    source.close()
    target = sqlite3.connect(target_url.removeprefix("sqlite:///"), isolation_level=None)
    started = time.perf_counter()
    target.execute("BEGIN")
    for name, _count in tables:
        if rows[name]:
            marks = ", ".join("?" * len(rows[name][0]))
            target.executemany(f"INSERT INTO {name} VALUES ({marks})", rows[name])
    target.execute("COMMIT")
    seconds = time.perf_counter() - started
    target.close()
    return seconds


def run_backend(name: str, pg: str | None, size: Size) -> dict:
    with database(name, pg) as source_url, synthetic_app(source_url, size) as (app, built):
        tables = tables_with_rows(app)
        rows = sum(count for _name, count in tables)
        with database(name, pg) as target_url, migrated_app(target_url):
            loader = load_postgres if name == "postgresql" else load_sqlite
            reference = loader(source_url, target_url, tables)
    ours = built["seconds"]
    ratio = (rows / ours) / (rows / reference)
    log(
        f"  {name}: seed-synthetic {rows:,} rows in {ours:.1f} s ({rows / ours:,.0f} rows/s); "
        f"the database's own load of the same rows {reference:.1f} s ({rows / reference:,.0f} rows/s) "
        f"(x{ratio:.2f})"
    )
    return {"rows": rows, "seconds": ours, "reference_seconds": reference, "ratio": ratio}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--pg", default=os.environ.get("TEST_DATABASE_URL", "").strip() or None)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    size = QUICK if args.quick else FULL
    results = {}
    for name in backends(args.pg, args.only):
        log(f"{name}:")
        results[name] = run_backend(name, args.pg, size)
    ratios = {f"{n}.rows_per_s": round(r["ratio"], 3) for n, r in results.items()}
    targets = dict.fromkeys(ratios, TARGET)
    meets = all(ratios[k] >= v for k, v in targets.items())
    if args.json:
        print_result(
            "seed",
            ratios,
            targets,
            meets,
            rows={n: r["rows"] for n, r in results.items()},
            seconds={n: round(r["seconds"], 2) for n, r in results.items()},
            reference_seconds={n: round(r["reference_seconds"], 2) for n, r in results.items()},
            quick=args.quick,
        )
    return 0 if meets else 1


if __name__ == "__main__":
    sys.exit(main())
