"""Each answer type as the registry defines it: the key a trainer types, the form a learner sends, the
patterns an export writes, and a wrong response that really is wrong."""

from __future__ import annotations

import random

import pytest

from quizzes.answers import ANSWER_TYPES, ResponseError, answer_type, authored_types, choice_type_names
from quizzes.engine import option_order

OPTIONS = ["Wear gloves", "Wear goggles", "Open the valve", "Close the valve"]
# (type, options, key) for every registered type
SAMPLES = {
    "single_choice": (OPTIONS, 2),
    "scenario": (OPTIONS, 3),
    "multiple_response": (OPTIONS, [0, 1]),
    "true_false": ([], False),
    "ordering": (OPTIONS, [3, 1, 0, 2]),
    "numeric": ([], {"value": 30.0, "unit": "min", "tolerance": 2.0}),
    "matching": (["Operator", "Supervisor", "QA"], [["Start the run", "Operator"], ["Sign off", "QA"]]),
}


def test_every_registered_type_has_a_sample_and_a_label() -> None:
    assert set(SAMPLES) == set(ANSWER_TYPES)
    assert all(t.label and t.key_hint and t.interaction for t in ANSWER_TYPES.values())
    assert [t.name for t in authored_types()] == [
        "single_choice", "multiple_response", "true_false", "ordering", "numeric",
    ]  # fmt: skip
    assert set(choice_type_names()) == {"single_choice", "scenario", "true_false", "multiple_response"}
    with pytest.raises(ValueError, match="expected one of single_choice"):
        answer_type("essay")


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_right_scores_one_and_wrong_scores_less(name: str) -> None:
    kind, (options, key) = answer_type(name), SAMPLES[name]
    assert kind.mark(options, key, kind.right_response(key)) == 1.0
    assert kind.mark(options, key, kind.wrong_response(options, key), partial=False) == 0.0


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_key_as_a_trainer_types_it_reads_back(name: str) -> None:
    kind, (options, key) = answer_type(name), SAMPLES[name]
    assert kind.parse_key(options, kind.key_text(key)) == key


@pytest.mark.parametrize("name", sorted(SAMPLES))
@pytest.mark.parametrize("seed", range(3))
def test_the_form_a_browser_sends_reads_back_as_the_response(name: str, seed: int) -> None:
    """What the type's partial sends (form_fields) is what from_form reads, in the attempt's positions."""
    kind, (options, key) = answer_type(name), SAMPLES[name]
    order = option_order(name, len(options), random.Random(seed))
    shown_options = [options[i] for i in order]
    shown = kind.to_shown(kind.right_response(key), order)
    fields = kind.form_fields("q-7", shown, key)
    values = {k: v if isinstance(v, list) else [v] for k, v in fields.items()}
    raw = kind.from_form(lambda field: values.get(field, []), "q-7", shown_options, key)
    response = kind.from_shown(kind.normalise(options, raw), order)
    assert kind.mark(options, key, response) == 1.0
    assert kind.from_form(lambda field: [], "q-7", shown_options, key) in (None, "", [])


def test_a_matching_form_names_the_left_items_by_their_text() -> None:
    """The form sends one select per left-hand item (by its place in the key); the response pairs the
    item's text with the chosen option, so it can match the key (an index never could)."""
    kind, (options, key) = answer_type("matching"), SAMPLES["matching"]
    fields = {"q-1-match-0": ["Operator"], "q-1-match-1": ["Supervisor"]}
    raw = kind.from_form(lambda field: fields.get(field, []), "q-1", options, key)
    assert raw == [["Start the run", "Operator"], ["Sign off", "Supervisor"]]
    assert kind.mark(options, key, raw) == 0.5


def test_an_ordering_form_with_a_repeated_position_is_refused() -> None:
    kind = answer_type("ordering")
    fields = {"q-1-pos-0": ["1"], "q-1-pos-1": ["1"], "q-1-pos-2": ["2"]}
    with pytest.raises(ResponseError, match="number the items 1 to 3"):
        kind.from_form(lambda field: fields.get(field, []), "q-1", OPTIONS[:3], [0, 1, 2])
    blank = {"q-1-pos-0": ["1"], "q-1-pos-1": [""], "q-1-pos-2": ["2"]}
    assert kind.from_form(lambda field: blank.get(field, []), "q-1", OPTIONS[:3], [0, 1, 2]) == ""


@pytest.mark.parametrize(
    ("name", "response", "response_pattern", "correct_pattern"),
    [
        ("single_choice", 1, "o2", "o3"),
        ("multiple_response", [0, 3], "o1[,]o4", "o1[,]o2"),
        ("true_false", True, "true", "false"),
        ("ordering", [0, 1, 2, 3], "o1[,]o2[,]o3[,]o4", "o4[,]o2[,]o1[,]o3"),
        ("numeric", 29.5, "29.5", "28[:]32"),
        ("matching", [["Sign off", "Operator"]], "l2[.]o1", "l1[.]o1[,]l2[.]o3"),
    ],
)
def test_export_patterns_follow_scorm_2004(name, response, response_pattern, correct_pattern) -> None:
    """cmi.interactions.n.learner_response and correct_responses.n.pattern as SCORM 2004 writes them
    (choice and sequencing ids joined by [,], numeric ranges min[:]max, matching source[.]target)."""
    kind, (options, key) = answer_type(name), SAMPLES[name]
    assert kind.response_pattern(options, key, response) == response_pattern
    assert kind.correct_pattern(options, key) == correct_pattern


def test_labels_read_a_response_as_text() -> None:
    assert answer_type("multiple_response").labels(OPTIONS, [0, 2]) == ["Wear gloves", "Open the valve"]
    assert answer_type("true_false").labels([], False) == ["False"]
    assert answer_type("numeric").labels([], {"value": 30.0, "unit": "min", "tolerance": 0}) == ["30 min"]
    assert answer_type("matching").labels([], [["Sign off", "QA"]]) == ["Sign off = QA"]


def test_a_trainer_key_that_does_not_fit_is_refused_with_how_to_type_it() -> None:
    with pytest.raises(ResponseError, match="counting from 1"):
        answer_type("single_choice").parse_key(OPTIONS, "two")
    with pytest.raises(ResponseError, match="run from 1 to 4"):
        answer_type("ordering").parse_key(OPTIONS, "1, 5")
    with pytest.raises(ResponseError, match="Type true or false"):
        answer_type("true_false").parse_key([], "yes")
    with pytest.raises(ResponseError, match="30 min ± 2"):
        answer_type("numeric").parse_key([], "half an hour")
    with pytest.raises(ResponseError, match="identical"):
        answer_type("single_choice").check_options(["Same", "same"])
    with pytest.raises(ResponseError, match="tolerance cannot be negative"):
        answer_type("numeric").check_key([], {"value": 3, "unit": "", "tolerance": -1})
