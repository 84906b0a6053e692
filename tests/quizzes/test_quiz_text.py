from __future__ import annotations

import pytest

from quizzes.text import sentence_spans, shorten
from quizzes.value_text import alternative_values, bound_direction, locate_value, substitute_number
from sops.model import CriticalValue, Step


@pytest.mark.parametrize(
    ("text", "value_text", "expected"),
    [
        ("must be at least 70% ethanol", "70%", "min"),
        ("incubate for no more than 5 minutes", "5 minutes", "max"),
        ("do not exceed 37 °C", "37 °C", "max"),
        ("store at -20 °C", "-20 °C", "exact"),
        ("wait 10 minutes or longer", "10 minutes", "min"),
        ("spin for 4 seconds or less", "4 seconds", "max"),
        ("a minimum of 3 washes", "3 washes", "min"),
        ("keep below 8 °C", "8 °C", "max"),
        ("more than 2 hours", "2 hours", "min"),
    ],
)
def test_bound_direction(text, value_text, expected):
    i = text.index(value_text)
    assert bound_direction(text, i, i + len(value_text)) == expected


def test_alternative_values_respect_limits_and_units():
    assert all(v < 70 for v in alternative_values(70, "%", "70", "min"))
    assert all(v > 5 for v in alternative_values(5, "min", "5", "max"))
    assert all(0 < v <= 100 for v in alternative_values(95, "%", "95", "exact"))
    temps = alternative_values(-20, "°C", "-20", "exact")
    assert len(temps) == 3 and -20 not in temps
    halves = alternative_values(0.5, "mL", "0.5", "exact")
    assert len(halves) == 3 and 0.5 not in halves
    assert len(set(alternative_values(3, "h", "3", "exact"))) == 3


def test_substitute_number_keeps_grammar():
    assert substitute_number("wait 1 minute", 5, 6, 2) == "wait 2 minutes"
    assert substitute_number("wait 5 minutes", 5, 6, 1) == "wait 1 minute"
    assert substitute_number("a 5 minute rest", 2, 3, 10) == "a 10 minute rest"
    assert substitute_number("use 12,5 mL", 4, 8, 25.0) == "use 25,0 mL"


def test_locate_value_finds_signed_numbers():
    step = Step(id="a", number="1", depth=0, section_id="s", text="Store at \u221220 °C until use.")
    spot = locate_value(step, CriticalValue("-20 °C", -20.0, "°C"))
    assert spot is not None
    assert step.text[spot.num_start : spot.num_end] == "\u221220"
    missing = locate_value(step, CriticalValue("4 °C", 4.0, "°C"))
    assert missing is None


def test_sentences_and_shortening():
    text = "Wipe the tube, e.g. with a Kimwipe. Insert it. Close the lid."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Wipe the tube, e.g. with a Kimwipe.",
        "Insert it.",
        "Close the lid.",
    ]
    long = "Label each tube with the sample name and date. " + "More words follow here. " * 10
    assert shorten(long) == "Label each tube with the sample name and date."
    assert len(shorten("word " * 80, 100)) <= 100


@pytest.mark.parametrize(
    ("text", "cv"),
    [
        ("Shake for 2-3 minutes.", CriticalValue("-3 minutes", -3.0, "minutes")),
        ("Shake for 2-3 minutes.", CriticalValue("3 minutes", 3.0, "minutes")),
        ("Store at 2 to 8 °C.", CriticalValue("2", 2.0, "°C")),
    ],
)
def test_locate_value_skips_ranges(text, cv):
    step = Step(id="a", number="1", depth=0, section_id="s", text=text)
    assert locate_value(step, cv) is None


def test_alternatives_stay_positive():
    assert all(v > 0 for v in alternative_values(1, "minute", "1", "exact", 5))


def test_sentence_spans_of_a_text_are_computed_once():
    """Every value of a step asks for its sentences; a long step with many values must not be rescanned."""
    from quizzes.text import _sentence_spans

    text = " ".join(f"Add {n} mL of buffer number {n}." for n in range(1, 400))
    _sentence_spans.cache_clear()
    first = sentence_spans(text)
    assert len(first) == 399 and sentence_spans(text) == first
    assert _sentence_spans.cache_info().hits == 1
