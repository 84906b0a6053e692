"""The issue-10 corpus and the benches that read it: the split holds, ratings are tied to exact wording."""

from __future__ import annotations

import json

import pytest

from bench import question_review, step_counts
from bench.sop_corpus import SHARED_SAMPLES, load, missing_message
from quizzes.generate import draft_pool
from sops.parse import parse_sop


def test_blind_set_is_large_and_varied_enough():
    corpus = load()
    blind, tuning = load("unseen"), load("tuning") + load("exposed")
    assert {s.set for s in blind} == {"blind-2", "blind-3"}
    assert len(corpus) >= 40 and len({s.domain for s in corpus}) >= 12
    assert len(blind) >= 15 and len({s.domain for s in blind}) >= 6
    assert {s.id for s in blind}.isdisjoint({s.id for s in tuning})
    assert len({s.path for s in corpus}) == len(corpus)
    assert all(0 <= s.steps[0] <= s.steps[1] for s in corpus)


def test_project_documents_of_the_corpus_are_in_the_repository():
    assert all(s.available for s in load() if SHARED_SAMPLES not in s.path.parents)


def test_missing_shared_documents_are_named():
    sops = load("exposed")
    if all(s.available for s in sops):
        assert missing_message(sops) is None
    else:
        assert "skipped" in (missing_message(sops) or "")


def test_in_range_allows_fifteen_percent():
    sop = load("tuning")[0]
    low, high = sop.steps
    assert sop.in_range(low) and sop.in_range(high)
    assert not sop.in_range(int(high * 1.2) + 1)


def test_ratings_count_only_for_the_exact_wording(tmp_path, monkeypatch):
    sop = next(s for s in load("tuning") if s.id == "lab-dna-quantification-qubit-noaa-pmel")
    pool = draft_pool(parse_sop(sop.path.read_bytes(), sop.path.name))
    assert pool
    first, rest = pool[0], pool[1:]
    ratings = {
        "sop": sop.id,
        "must_learn": [{"id": "M1", "text": "x"}],
        "questions": [
            {"fingerprint": question_review.fingerprint(q), "form": "f", "rating": "A", "must_learn": ["M1"]}
            for q in rest
        ],
    }
    (tmp_path / f"{sop.id}.json").write_text(json.dumps(ratings), encoding="utf-8")
    monkeypatch.setattr(question_review, "RATINGS", tmp_path)
    rated, must_learn, unrated = question_review.collect([sop], None)
    assert len(rated) == len(rest)
    assert len(unrated) == 1 and question_review.fingerprint(first) in unrated[0]
    report = question_review.report(rated, must_learn)
    assert report["shares"]["A"] == 1.0 and report["must_learn_tested_by_A"] == 1.0
    assert report["quality_auc"] is None  # nothing rated below A: no ranking to judge
    first.stem += " (edited)"
    assert (
        question_review.fingerprint(first)
        != json.loads((tmp_path / f"{sop.id}.json").read_text())["questions"][0]["fingerprint"]
    )


BLIND_ROUNDS = {
    "exposed": (
        "before",
        "after-1",
        "after-2",
        "after-3",
        "after-4",
        "after-5",
        "after-6",
        "after-7",
        "after-8",
        "after-9",
        "after-10",
    ),
    "blind-2": ("blind2-1", "blind2-2", "blind2-3", "blind2-4", "blind2-5"),
    "blind-3": ("blind3-1", "blind3-2", "blind3-3"),
}


@pytest.mark.parametrize("which", sorted(BLIND_ROUNDS))
def test_stored_blind_ratings_are_well_formed(which):
    assert load(which), which
    for sop in load(which):
        ratings = question_review.load_ratings(sop.id)
        if ratings is None and not BLIND_ROUNDS[which]:
            continue  # a set with no rounds yet may be unrated; once rated, its rounds must be listed above
        assert ratings is not None, sop.id
        ids = {m["id"] for m in ratings["must_learn"]}
        assert 3 <= len(ids) <= 8
        for q in ratings["questions"]:
            assert q["rating"] in ("A", "E", "R") and q["round"] in BLIND_ROUNDS[which]
            assert set(q["must_learn"]) <= ids


def test_merge_adds_new_ratings_once(tmp_path, monkeypatch):
    sop = next(s for s in load("tuning") if s.id == "lab-dna-quantification-qubit-noaa-pmel")
    monkeypatch.setattr(question_review, "RATINGS", tmp_path / "ratings")
    (tmp_path / "ratings").mkdir()
    question_review.export([sop], tmp_path / "out")
    template = json.loads((tmp_path / "out" / f"{sop.id}.ratings.json").read_text())
    assert template["questions"]
    template["must_learn"] = [{"id": "M1", "text": "x"}]
    for row in template["questions"]:
        row.update(rating="E", reason="r", must_learn=["M1"])
    (tmp_path / "out" / f"{sop.id}.ratings.json").write_text(json.dumps(template))
    question_review.merge([sop], tmp_path / "out", "r1", "test")
    question_review.merge([sop], tmp_path / "out", "r2", "test")  # already rated: nothing added
    stored = question_review.load_ratings(sop.id)
    assert len(stored["questions"]) == len(template["questions"])
    assert {q["round"] for q in stored["questions"]} == {"r1"}
    question_review.export([sop], tmp_path / "again")  # nothing left to rate
    assert json.loads((tmp_path / "again" / f"{sop.id}.ratings.json").read_text())["questions"] == []


def test_quality_auc_is_the_share_of_a_over_non_a_pairs_ranked_right():
    rated = [
        question_review.Rated("s", "f", "A", [], 0.9),
        question_review.Rated("s", "f", "A", [], 0.4),
        question_review.Rated("s", "f", "R", [], 0.5),
        question_review.Rated("s", "f", "E", [], 0.4),
    ]
    assert question_review.quality_auc(rated) == (1 + 1 + 0 + 0.5) / 4


@pytest.mark.parametrize(
    ("text", "count"),
    [("1. Open\n2. Close\n", 2), ("(1) Lock\n(2) Tag\n", 2), ("- 1) Mix\nno 3 here\n", 1), ("Intro\n", 0)],
)
def test_numbered_list_regex_reference(text, count):
    assert len(step_counts.NUMBERED_LINE.findall(text)) == count
