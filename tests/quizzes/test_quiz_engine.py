from __future__ import annotations

import random

import pytest

from quizzes.answers import answer_type
from quizzes.engine import giveaways, option_order, select_for_attempt
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


def _shown(question_type: str, options: list[str], answer, seed) -> tuple[list[str], object]:
    """The options as an attempt shows them and the key in shown positions: the app's one mechanism."""
    order = option_order(question_type, len(options), random.Random(seed))
    return [options[i] for i in order], answer_type(question_type).to_shown(answer, order)


@pytest.mark.parametrize("seed", range(8))
def test_shuffle_single_and_multiple(seed):
    opts, ans = _shown("single_choice", OPTS, 2, seed)
    assert sorted(opts) == sorted(OPTS) and opts[ans] == "gamma"
    opts, ans = _shown("multiple_response", OPTS, [0, 3], seed)
    assert {opts[i] for i in ans} == {"alpha", "delta"} and ans == sorted(ans)


@pytest.mark.parametrize("seed", range(8))
def test_shuffle_ordering_keeps_the_sequence(seed):
    key = [2, 0, 3, 1]  # gamma, alpha, delta, beta
    opts, ans = _shown("ordering", OPTS, key, seed)
    assert [opts[i] for i in ans] == ["gamma", "alpha", "delta", "beta"]
    assert score_response("ordering", opts, ans, ans) == 1.0


def test_shuffle_varies_and_leaves_tf_numeric_and_matching_alone():
    assert len({_shown("single_choice", OPTS, 0, s)[1] for s in range(30)}) > 1
    assert _shown("true_false", [], True, 1) == ([], True)
    num = {"value": 1.0, "unit": "", "tolerance": 0}
    assert _shown("numeric", [], num, 1) == ([], num)
    pairs = [["a", "x"], ["b", "z"]]  # the form lists the right-hand items alphabetically
    assert _shown("matching", ["x", "y", "z"], pairs, 5) == (["x", "y", "z"], pairs)
    with pytest.raises(ValueError, match="Unknown question type 'essay'"):
        option_order("essay", 4, random.Random(1))


@pytest.mark.parametrize("seed", range(8))
def test_a_response_in_shown_positions_maps_back_to_the_key(seed):
    for question_type, key in (
        ("single_choice", 1),
        ("multiple_response", [1, 3]),
        ("ordering", [3, 1, 0, 2]),
    ):
        kind = answer_type(question_type)
        order = option_order(question_type, len(OPTS), random.Random(seed))
        assert kind.from_shown(kind.to_shown(key, order), order) == key


def test_generated_questions_score_and_shuffle_round_trip():
    from quiz_fixtures import make_sop

    from quizzes.generate import generate_questions

    for q in generate_questions(make_sop(), 20):
        kind = answer_type(q.type)
        assert score_response(q.type, q.options, q.answer, kind.right_response(q.answer)) == 1.0
        order = option_order(q.type, len(q.options), random.Random(q.id))
        opts = [q.options[i] for i in order]
        shown = kind.to_shown(kind.right_response(q.answer), order)
        assert score_response(q.type, q.options, q.answer, kind.from_shown(shown, order)) == 1.0
        if kind.single_pick and kind.key_options(q.answer):
            assert opts[shown] == q.options[q.answer]


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
