"""Would a trainer publish the drafted questions? Shares of A/E/R from stored reviewer ratings (issue 10).

    .venv/bin/python bench/question_review.py [--set unseen|blind-2|blind-3|exposed|tuning] [--round NAME]
        [--quick] [--json]
    .venv/bin/python bench/question_review.py --export DIR [--set unseen]
    .venv/bin/python bench/question_review.py --merge DIR --round NAME [--set unseen]

Ratings are data in bench/ratings/<sop id>.json, written by a reviewer who did not write the generator and
was given only ../shared/QUESTION-RUBRIC.md and the SOP: the SOP's must-learn items first, then every
drafted question rated A (publish as is), E (small edit) or R (reject) with a reason and the must-learn
items it tests. A rating is tied to the question's exact text by a fingerprint, so when the generator
changes a question the old rating no longer counts for it.

Default: draft today's pool for every SOP of the set (the pool the app drafts on upload), look up each
question's rating, and print the shares overall and per question form, the share of must-learn items
tested by an A question, and every drafted question no rating covers (new, or changed since it was rated).
`--round NAME` prints the shares of one stored rating round instead (e.g. "before"), whatever today's
generator drafts. `--export DIR` writes, per SOP, the questions for a reviewer and a ratings template.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.sop_corpus import CHOICES, CorpusSop, load, missing_message  # noqa: E402
from quizzes.generate import draft_pool  # noqa: E402
from quizzes.model import Question  # noqa: E402
from sops.errors import SopParseError  # noqa: E402
from sops.parse import parse_sop  # noqa: E402

RATINGS = ROOT / "bench" / "ratings"
TARGETS = {"A": 0.70, "R": 0.10, "must_learn_tested_by_A": 0.90}  # A and must-learn at least, R at most
LETTERS = "ABCDEFGH"


def fingerprint(q: Question) -> str:
    """Identity of a question's wording: type, stem, options and key (the rating is of exactly this)."""
    canonical = json.dumps([q.type, q.stem, q.options, q.answer], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def form_of(q: Question) -> str:
    """The question form a trainer sees: the generator that wrote it (value_choice, scenario, ...)."""
    return str(q.extra.get("kind") or q.type)


def render(q: Question) -> str:
    """The question as a reviewer reads it: stem, lettered options, and the key."""
    lines = [q.stem.strip()]
    if q.type == "matching":
        lines.append("Match each item to one option: " + "; ".join(q.options))
        lines += [f"  {left} -> {right}" for left, right in q.answer]
        return "\n".join(lines)
    if q.type == "numeric":
        a = q.answer
        return "\n".join([*lines, f"Key: {a['value']} {a['unit']} (tolerance {a['tolerance']})"])
    if q.type == "true_false":
        return "\n".join([*lines, f"Key: {'True' if q.answer else 'False'}"])
    lines += [f"  {LETTERS[i]}. {option}" for i, option in enumerate(q.options)]
    if q.type == "ordering":
        lines.append("Key (correct order): " + ", ".join(LETTERS[i] for i in q.answer))
    elif q.type == "multiple_response":
        lines.append("Keys: " + ", ".join(LETTERS[i] for i in sorted(q.answer)))
    else:
        lines.append(f"Key: {LETTERS[q.answer]}")
    return "\n".join(lines)


def pool_for(sop: CorpusSop) -> list[Question]:
    doc = parse_sop(sop.path.read_bytes(), sop.path.name)
    return draft_pool(doc)


def load_ratings(sop_id: str) -> dict | None:
    path = RATINGS / f"{sop_id}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


@dataclass
class Rated:
    sop: str
    form: str
    rating: str  # A, E, R
    must_learn: list[str]
    quality: float | None = None  # the score the review page shows, for today's pool


def export(sops: list[CorpusSop], out: Path) -> None:
    """Per SOP: DIR/<id>.questions.md for the reviewer and DIR/<id>.ratings.json to fill in: the questions
    no stored rating covers, with the must-learn items already named for the SOP (if any)."""
    out.mkdir(parents=True, exist_ok=True)
    for sop in sops:
        stored = load_ratings(sop.id) or {"must_learn": [], "questions": []}
        known = {r["fingerprint"] for r in stored["questions"]}
        try:
            pool = [q for q in pool_for(sop) if fingerprint(q) not in known]
        except SopParseError as error:
            pool = []
            print(f"{sop.id}: refused by the parser: {error}")
        blocks = [f"# Drafted questions for {sop.path.name}\n"]
        rows = []
        for n, q in enumerate(pool, 1):
            fp = fingerprint(q)
            blocks.append(f"## Q{n} [{fp}] form: {form_of(q)}, type: {q.type}\n\n{render(q)}\n")
            rows.append(
                {
                    "fingerprint": fp,
                    "form": form_of(q),
                    "type": q.type,
                    "text": render(q),
                    "rating": "",
                    "reason": "",
                    "must_learn": [],
                }
            )
        (out / f"{sop.id}.questions.md").write_text("\n".join(blocks), encoding="utf-8")
        template = {
            "sop": sop.id,
            "file": sop.path.name,
            "must_learn": stored["must_learn"],
            "questions": rows,
        }
        (out / f"{sop.id}.ratings.json").write_text(
            json.dumps(template, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        print(f"{sop.id}: {len(pool)} questions -> {out / (sop.id + '.questions.md')}")


def merge(sops: list[CorpusSop], folder: Path, round_name: str, reviewer: str) -> None:
    """Filled-in templates from `folder` -> bench/ratings/<id>.json, each new rating tagged with the round;
    a fingerprint already rated keeps its first rating, must-learn items named once stay as they are."""
    for sop in sops:
        filled = folder / f"{sop.id}.ratings.json"
        if not filled.is_file():
            continue
        new = json.loads(filled.read_text(encoding="utf-8"))
        stored = load_ratings(sop.id) or {
            "sop": sop.id,
            "file": sop.path.name,
            "must_learn": new["must_learn"],
            "questions": [],
            "reviewer": reviewer,
        }
        known = {r["fingerprint"] for r in stored["questions"]}
        added = 0
        for row in new["questions"]:
            if row["rating"] not in ("A", "E", "R") or row["fingerprint"] in known:
                continue
            stored["questions"].append({**row, "round": round_name})
            added += 1
        (RATINGS / f"{sop.id}.json").write_text(
            json.dumps(stored, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        print(f"{sop.id}: {added} rating(s) added to round {round_name!r}")


def collect(sops: list[CorpusSop], round_name: str | None) -> tuple[list[Rated], dict, list[str]]:
    """The ratings that count (today's pool, or one stored round), must-learn items, unrated questions."""
    rated: list[Rated] = []
    must_learn: dict[str, list[str]] = {}
    unrated: list[str] = []
    for sop in sops:
        ratings = load_ratings(sop.id)
        if ratings is None:
            unrated.append(f"{sop.id}: no ratings stored")
            continue
        must_learn[sop.id] = [item["id"] for item in ratings["must_learn"]]
        if round_name is not None:
            rated += [
                Rated(sop.id, r["form"], r["rating"], r.get("must_learn", []))
                for r in ratings["questions"]
                if r.get("round") == round_name
            ]
            continue
        by_fp = {r["fingerprint"]: r for r in ratings["questions"]}
        try:
            pool = pool_for(sop)
        except SopParseError as error:
            unrated.append(f"{sop.id}: refused by the parser: {error}")
            continue
        for q in pool:
            r = by_fp.get(fingerprint(q))
            if r is None:
                first = q.stem.strip().splitlines()[0][:100]
                unrated.append(f"{sop.id} [{fingerprint(q)}] {form_of(q)}: {first}")
                continue
            rated.append(Rated(sop.id, form_of(q), r["rating"], r.get("must_learn", []), q.quality))
    return rated, must_learn, unrated


def shares(items: list[Rated]) -> dict[str, float]:
    counts = Counter(r.rating for r in items)
    n = len(items) or 1
    return {k: round(counts[k] / n, 3) for k in "AER"}


def quality_auc(rated: list[Rated]) -> float | None:
    """Does the quality score trainers see predict an A? The probability that an A question scores above a
    question rated E or R (ties count half): 0.5 is chance, 1.0 a perfect ranking."""
    scored = [r for r in rated if r.quality is not None]
    pos = [r.quality for r in scored if r.rating == "A"]
    neg = [r.quality for r in scored if r.rating != "A"]
    if not pos or not neg:
        return None
    wins = sum((a > b) + 0.5 * (a == b) for a in pos for b in neg)
    return round(wins / (len(pos) * len(neg)), 3)


def report(rated: list[Rated], must_learn: dict[str, list[str]]) -> dict:
    by_form: dict[str, list[Rated]] = defaultdict(list)
    for r in rated:
        by_form[r.form].append(r)
    tested = {(r.sop, m) for r in rated if r.rating == "A" for m in r.must_learn}
    items = [(sop, m) for sop, ids in must_learn.items() for m in ids]
    covered = sum(1 for item in items if item in tested)
    return {
        "questions": len(rated),
        "shares": shares(rated),
        "per_form": {
            form: {"n": len(rs), **shares(rs)}
            for form, rs in sorted(by_form.items(), key=lambda kv: -len(kv[1]))
        },
        "must_learn_items": len(items),
        "must_learn_tested_by_A": round(covered / len(items), 3) if items else 0.0,
        "quality_auc": quality_auc(rated),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--set", default="unseen", choices=CHOICES)
    parser.add_argument("--round", help="shares of one stored rating round instead of today's pool")
    parser.add_argument("--export", type=Path, help="write questions and ratings templates to this folder")
    parser.add_argument("--merge", type=Path, help="add the filled-in templates of this folder as --round")
    parser.add_argument("--reviewer", default="a reviewer given only the rubric and the SOP")
    parser.add_argument("--quick", action="store_true", help="accepted for symmetry: the full run is quick")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    sops = load(args.set)
    note = missing_message(sops)
    if note:
        print(note)
    sops = [s for s in sops if s.available]
    if args.export:
        export(sops, args.export)
        return 0
    if args.merge:
        if not args.round:
            parser.error("--merge needs --round NAME")
        merge(sops, args.merge, args.round, args.reviewer)
        return 0
    rated, must_learn, unrated = collect(sops, args.round)
    result = report(rated, must_learn)
    label = f"round {args.round!r}" if args.round else "today's pools"
    print(f"{args.set} set, {len(sops)} SOPs, {label}: {result['questions']} rated questions")
    s = result["shares"]
    print(f"  A {s['A']:.0%}  E {s['E']:.0%}  R {s['R']:.0%}   (targets: A >= 70%, R <= 10%)")
    print(
        f"  must-learn items tested by an A question: {result['must_learn_tested_by_A']:.0%} "
        f"of {result['must_learn_items']} (target >= 90%)"
    )
    if result["quality_auc"] is not None:
        print(f"  the quality score predicts an A with AUC {result['quality_auc']:.2f} (0.5 is chance)")
    print("  per form:")
    for form, row in result["per_form"].items():
        print(f"    {form:<20} n={row['n']:<4} A {row['A']:.0%}  E {row['E']:.0%}  R {row['R']:.0%}")
    if unrated:
        print(f"  {len(unrated)} drafted question(s) have no rating (new, or changed since rated):")
        for line in unrated:
            print(f"    {line}")
    meets = (
        bool(rated)
        and not unrated
        and s["A"] >= TARGETS["A"]
        and s["R"] <= TARGETS["R"]
        and result["must_learn_tested_by_A"] >= TARGETS["must_learn_tested_by_A"]
    )
    if args.json:
        ratios = {
            "A": s["A"],
            "R": s["R"],
            "must_learn_tested_by_A": result["must_learn_tested_by_A"],
            "unrated": len(unrated),
        }
        print(
            json.dumps(
                {
                    "benchmark": "question_review",
                    "ratios": ratios,
                    "targets": {**TARGETS, "unrated": 0},
                    "meets_targets": meets,
                    "detail": result,
                }
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
