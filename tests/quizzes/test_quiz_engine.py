from __future__ import annotations

import random

import pytest

from quizzes.engine import giveaways, select_for_attempt, shuffle_options
from quizzes.scoring import score_response

OPTS = ["alpha", "beta", "gamma", "delta"]


def test_select_for_attempt_is_a_seeded_random_subset():
    ids = [f"q{i}" for i in range(1, 21)]
    a = select_for_attempt(ids, 8, seed=1)
    assert a == select_for_attempt(ids, 8, seed=1)
    assert len(a) == 8 and len(set(a)) == 8 and set(a) <= set(ids)
    assert a != ids[:8]
    picks = {tuple(select_for_attempt(ids, 8, seed=s)) for s in range(10)}
    assert len(picks) == 10
    assert len({frozenset(p) for p in picks}) > 1, "retakes should show different questions"


def test_select_for_attempt_edges():
    ids = [1, 2, 3]
    assert sorted(select_for_attempt(ids, 10, "attempt-7")) == ids
    assert select_for_attempt(ids, 0, 1) == []
    assert select_for_attempt([], 5, 1) == []
    assert sorted(select_for_attempt([1, 1, 2], 5, 1)) == [1, 2]
    assert select_for_attempt(ids, 2, (4, "x")) == select_for_attempt(ids, 2, (4, "x"))
    assert len(select_for_attempt(ids, 2, random.Random(3))) == 2


@pytest.mark.parametrize("seed", range(8))
def test_shuffle_single_and_multiple(seed):
    rng = random.Random(seed)
    opts, ans = shuffle_options(OPTS, 2, "single_choice", rng)
    assert sorted(opts) == sorted(OPTS) and opts[ans] == "gamma"
    opts, ans = shuffle_options(OPTS, [0, 3], "multiple_response", rng)
    assert {opts[i] for i in ans} == {"alpha", "delta"} and ans == sorted(ans)


@pytest.mark.parametrize("seed", range(8))
def test_shuffle_ordering_keeps_the_sequence(seed):
    key = [2, 0, 3, 1]  # gamma, alpha, delta, beta
    opts, ans = shuffle_options(OPTS, key, "ordering", seed)
    assert [opts[i] for i in ans] == ["gamma", "alpha", "delta", "beta"]
    assert score_response("ordering", opts, ans, ans) == 1.0


def test_shuffle_varies_and_leaves_tf_numeric_alone():
    seen = {shuffle_options(OPTS, 0, "single_choice", s)[1] for s in range(30)}
    assert len(seen) > 1
    assert shuffle_options(["True", "False"], True, "true_false", 1) == (["True", "False"], True)
    num = {"value": 1.0, "unit": "", "tolerance": 0}
    assert shuffle_options([], num, "numeric", 1) == ([], num)


def test_shuffle_matching():
    opts, ans = shuffle_options(["x", "y", "z"], [["a", "x"], ["b", 2]], "matching", 5)
    assert ans[0] == ["a", "x"]
    assert opts[ans[1][1]] == "z"
    with pytest.raises(ValueError):
        shuffle_options(OPTS, 0, "essay", 1)


def test_generated_questions_score_and_shuffle_round_trip():
    from quiz_fixtures import make_sop

    from quizzes.generate import generate_questions

    for q in generate_questions(make_sop(), 20):
        right = q.answer["value"] if q.type == "numeric" else q.answer
        assert score_response(q.type, q.options, q.answer, right) == 1.0
        opts, ans = shuffle_options(q.options, q.answer, q.type, random.Random(q.id))
        right = ans["value"] if q.type == "numeric" else ans
        assert score_response(q.type, opts, ans, right) == 1.0
        if q.type == "single_choice":
            assert opts[ans] == q.options[q.answer]


def test_an_attempt_never_holds_a_question_whose_stem_gives_away_another_key():
    questions = [
        (1, "single_choice", "Which concentration of bleach do you use?", ["5%", "10% bleach", "70%"], 1),
        (2, "true_false", "True or false? Wipe the bench with 10% BLEACH first.", ["True", "False"], True),
        (
            3,
            "numeric",
            'Fill in: "Incubate for ____ minutes."',
            [],
            {"value": 5.0, "unit": "min", "tolerance": 0},
        ),
        (4, "numeric", 'Fill in: "Spin at ____ g."', [], {"value": 13000.0, "unit": "g", "tolerance": 0}),
        (
            5,
            "single_choice",
            "How fast do you spin? The SOP says 13000 g for the wash.",
            ["a", "b", "13000 g"],
            2,
        ),
    ]
    conflicts = giveaways(questions)
    assert conflicts == {1: {2}, 2: {1}, 4: {5}, 5: {4}}  # "5 min" is in no stem; short keys are ignored
    for seed in range(30):
        picked = select_for_attempt([q[0] for q in questions], 5, seed, conflicts)
        assert len(picked) == 3 and not ({1, 2} <= set(picked) or {4, 5} <= set(picked))
    assert sorted(select_for_attempt([1, 3], 5, 0, conflicts)) == [1, 3]
