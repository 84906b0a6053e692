"""Learner dashboard benchmark (issue 12): `/my/training` under gunicorn, driven by wrk, against a bare Flask
endpoint in the same gunicorn setup, measured side by side.

    .venv/bin/python bench/dashboard.py [--quick] [--json] [--workers N] [--connections N] [--seconds N]
                                        [--pg URL | TEST_DATABASE_URL] [--only sqlite|postgresql]

The organisation is `sop-lms seed-synthetic`'s (20,000 learners, 300 SOPs, 2,000,000 responses; `--quick`:
2,000 / 60 / 100,000). gunicorn serves `wsgi:app` with `--workers` sync workers (default 2, on 2 cores)
on the database; 50 learners sign in over HTTP first, and wrk's requests rotate over their session cookies,
so consecutive requests are different learners' dashboards. The reference is `bench/bare_app.py` (one
Flask view returning a fixed page) under the same gunicorn command. wrk (Debian's package; `make bench`
installs it) runs `--connections` connections on 2 threads for `--seconds` seconds after a warm-up.
Reported: requests/s, p50, p95 and p99 for both, and each dashboard's size. Targets: requests/s at least
0.5x the bare endpoint's, p99 under 100 ms at 50 connections. `--quick` scales the organisation and the
durations down; the work per request (one learner's dashboard, about ten trainings each) is the same, so
its ratios compare with the full run's.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    SYNTHETIC_PASSWORD,
    USER_AGENT,
    backends,
    database,
    gunicorn,
    log,
    print_result,
    sign_in,
    synthetic_app,
)
from lms.synthetic import Size  # noqa: E402

FULL = Size()
QUICK = Size(learners=2_000, sops=60, responses=100_000, roles=10)
TARGETS = {"requests_per_s": 0.5}
P99_LIMIT_MS = 100
LEARNERS = 50
SECRET = "bench-dashboard-secret"  # noqa: S105 - signs the throwaway sessions of this benchmark

WRK_SCRIPT = r"""
cookies = {}
for line in io.lines(os.getenv("COOKIES")) do cookies[#cookies + 1] = line end
counter = 0
request = function()
  counter = counter + 1
  local headers = {["Cookie"] = cookies[(counter % #cookies) + 1], ["User-Agent"] = "sop-lms-bench"}
  return wrk.format("GET", "/my/training", headers)
end
not_ok = 0
threads = {}
setup = function(thread) table.insert(threads, thread) end
response = function(status, headers, body)
  if status ~= 200 then not_ok = not_ok + 1 end
end
done = function(summary, latency, requests)
  for _, thread in ipairs(threads) do not_ok = not_ok + thread:get("not_ok") end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout + not_ok
  io.write(string.format(
    "RESULT {\"requests\": %d, \"seconds\": %f, \"errors\": %d, \"p50\": %f, \"p95\": %f, \"p99\": %f}\n",
    summary.requests, summary.duration / 1e6, errors,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def wrk(base: str, cookies_file: str, connections: int, seconds: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        done = subprocess.run(  # noqa: S603
            [
                shutil.which("wrk") or "wrk",
                "-t",
                "2",
                "-c",
                str(connections),
                "-d",
                f"{seconds}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                f"{base}/my/training",
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "COOKIES": cookies_file},
            check=False,
        )
    finally:
        os.unlink(script.name)
    found = re.search(r"^RESULT (.*)$", done.stdout, re.MULTILINE)
    if not found:
        raise SystemExit(f"wrk gave no result:\n{done.stdout}\n{done.stderr}")
    result = json.loads(found.group(1))
    result["requests_per_s"] = result["requests"] / result["seconds"]
    return result


def run_backend(name: str, url: str, size: Size, args: argparse.Namespace) -> dict:
    with synthetic_app(url, size) as (_app, built), tempfile.TemporaryDirectory() as instance:
        env = {"DATABASE_URL": url, "SECRET_KEY": SECRET, "LMS_INSTANCE_PATH": instance}
        cookies_file = str(Path(instance) / "cookies.txt")
        with gunicorn("wsgi:app", env, args.workers) as base:
            learners = [f"learner{i}@synthetic.example" for i in range(1, LEARNERS + 1)]
            cookies = [sign_in(base, email, SYNTHETIC_PASSWORD) for email in learners]
            Path(cookies_file).write_text("\n".join(cookies) + "\n")
            headers = {"Cookie": cookies[0], "User-Agent": USER_AGENT}
            dashboard = urllib.request.Request(f"{base}/my/training", headers=headers)  # noqa: S310
            with urllib.request.urlopen(dashboard, timeout=30) as page:  # noqa: S310 - our own server
                body = page.read()
            if b"My training" not in body:
                raise SystemExit("the dashboard did not render for a signed-in learner")
            wrk(base, cookies_file, args.connections, max(2, args.seconds // 5))  # warm-up
            ours = wrk(base, cookies_file, args.connections, args.seconds)
        with gunicorn("bench.bare_app:app", env, args.workers) as base:
            wrk(base, cookies_file, args.connections, max(2, args.seconds // 5))
            bare = wrk(base, cookies_file, args.connections, args.seconds)
    ratio = ours["requests_per_s"] / bare["requests_per_s"]
    log(
        f"  {name}: dashboard {ours['requests_per_s']:.0f} req/s, p50 {ours['p50']:.1f} ms, "
        f"p95 {ours['p95']:.1f} ms, p99 {ours['p99']:.1f} ms ({ours['errors']} errors, {len(body):,} bytes); "
        f"bare Flask {bare['requests_per_s']:.0f} req/s, p99 {bare['p99']:.1f} ms (x{ratio:.3f})"
    )
    return {"ours": ours, "bare": bare, "ratio": ratio, "page_bytes": len(body), "seed": built}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=int)
    parser.add_argument("--pg", default=os.environ.get("TEST_DATABASE_URL", "").strip() or None)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: `make bench` installs it (apt-get install wrk)")
    args.seconds = args.seconds or (5 if args.quick else 30)
    size = QUICK if args.quick else FULL
    results = {}
    for name in backends(args.pg, args.only):
        log(f"{name}:")
        with database(name, args.pg) as url:
            results[name] = run_backend(name, url, size, args)
    ratios = {f"{n}.requests_per_s": round(r["ratio"], 3) for n, r in results.items()}
    targets = {f"{n}.requests_per_s": TARGETS["requests_per_s"] for n in results}
    p99 = {n: round(r["ours"]["p99"], 1) for n, r in results.items()}
    errors = {n: r["ours"]["errors"] for n, r in results.items()}
    meets = (
        all(ratios[k] >= v for k, v in targets.items())
        and all(v < P99_LIMIT_MS for v in p99.values())
        and not any(errors.values())
    )
    if args.json:
        print_result(
            "dashboard",
            ratios,
            targets,
            meets,
            p99_ms=p99,
            p99_limit_ms=P99_LIMIT_MS,
            errors=errors,
            requests_per_s={
                n: {
                    "dashboard": round(r["ours"]["requests_per_s"], 1),
                    "bare": round(r["bare"]["requests_per_s"], 1),
                }
                for n, r in results.items()
            },
            latency_ms={
                n: {k: round(r["ours"][k], 1) for k in ("p50", "p95", "p99")} for n, r in results.items()
            },
            workers=args.workers,
            connections=args.connections,
            quick=args.quick,
        )
    return 0 if meets else 1


if __name__ == "__main__":
    sys.exit(main())
