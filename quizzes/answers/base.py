"""What an answer type knows about its questions, from the key a trainer types to the line an export writes.

A question's `answer` (its key) and a learner's response are stored in the question's own option indices;
an attempt shows the options in its own order, so a response arrives in *shown* positions and is mapped
back with `from_shown` before it is scored or stored. Each answer type is one subclass in its own module,
registered in `quizzes.answers.ANSWER_TYPES`, with one template partial named after it that renders its
form fields (`lms/templates/lms/learner/answers/<name>.html`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from quizzes.answers.coerce import ResponseError

Values = Callable[[str], list[str]]  # a submitted form's values for one field name (empty when absent)
FormFields = dict[str, str | list[str]]


class AnswerType:
    """The defaults suit a question answered by picking among its options; subclasses say what differs."""

    name: ClassVar[str]
    label: ClassVar[str]  # what a trainer reads: "Single choice"
    key_hint: ClassVar[str]  # how a trainer types the key in the edit form
    authored: ClassVar[bool] = True  # offered when a trainer writes a question
    has_options: ClassVar[bool] = True
    shuffled: ClassVar[bool] = False  # each attempt shows the options in a fresh order
    partial_default: ClassVar[bool] = False  # partial credit unless the quiz says otherwise
    single_pick: ClassVar[bool] = False  # one pick among `choices`: a random guess scores 1 / choices
    interaction: ClassVar[str]  # the SCORM 2004 / xAPI interaction type

    # --- validating and scoring -------------------------------------------------------------------------

    def normalise(self, options: Sequence[str], raw: Any) -> Any:
        """A raw response (JSON or form values) in its canonical form, or ResponseError."""
        raise NotImplementedError

    def score(self, options: Sequence[str], answer: Any, response: Any, partial: bool) -> float:
        """0.0 to 1.0 for a normalised response; with partial=False only an exactly right one scores 1."""
        raise NotImplementedError

    def mark(self, options: Sequence[str], answer: Any, raw: Any, partial: bool | None = None) -> float:
        """Score a raw response: normalised first (ResponseError if malformed), partial credit by default
        as the type says."""
        response = self.normalise(options, raw)
        return self.score(options, answer, response, self.partial_default if partial is None else partial)

    def check_options(self, options: Sequence[str]) -> None:
        """The options a trainer wrote: at least two, all different (ResponseError otherwise)."""
        if not self.has_options:
            return
        if len(options) < 2:
            raise ResponseError("Give at least two options, one per line.")
        if len({o.casefold() for o in options}) != len(options):
            raise ResponseError("Two options are identical; every option must differ.")

    def check_key(self, options: Sequence[str], answer: Any) -> Any:
        """A key a trainer wrote, checked against the options and returned in canonical form."""
        return self.normalise(options, answer)

    def drafted_ok(self, options: Sequence[str], answer: Any) -> bool:
        """The structural rules a drafted question of this type must meet (a draft that breaks one is
        dropped, never repaired): the generator's side of `check_key`."""
        return False

    # --- the attempt's option order ---------------------------------------------------------------------

    def from_shown(self, value: Any, order: Sequence[int]) -> Any:
        """A response given in shown positions as the question's own option indices; `order[shown]` is the
        option shown at that position."""
        return value

    def to_shown(self, value: Any, order: Sequence[int]) -> Any:
        """The inverse of `from_shown`: a value in the question's indices as positions on the page."""
        return value

    # --- the learner's form -----------------------------------------------------------------------------

    def from_form(self, values: Values, name: str, options: Sequence[str], answer: Any) -> Any:
        """The raw response in the form fields the type's partial renders under `name` (None, "" or []
        when unanswered), in shown positions."""
        given = values(name)
        return given[0] if given else None

    def form_fields(self, name: str, value: Any, answer: Any) -> FormFields:
        """The fields a browser sends for a response in shown positions: `from_form`'s inverse."""
        return {name: str(value)}

    # --- texts --------------------------------------------------------------------------------------------

    def key_text(self, answer: Any) -> str:
        """The key as a trainer types it (options counted from 1)."""
        raise NotImplementedError

    def parse_key(self, options: Sequence[str], text: str) -> Any:
        """The key typed by a trainer, or ResponseError saying how to type it."""
        raise NotImplementedError

    def choices(self, options: Sequence[str]) -> list[str] | None:
        """What a learner picks among, for distractor analysis; None when the answer is not a pick."""
        return None

    def labels(self, options: Sequence[str], value: Any) -> list[str]:
        """A stored response or key as texts: the options it picks, or the value itself."""
        picks = value if isinstance(value, list) else [value]
        return [
            options[p] if isinstance(p, int) and not isinstance(p, bool) and 0 <= p < len(options) else str(p)
            for p in picks
        ]

    def key_options(self, answer: Any) -> set[int] | None:
        """The options that are the key, for types whose key is a pick among options."""
        return None

    def key_texts(self, options: Sequence[str], answer: Any) -> list[str]:
        """What a learner has to come up with: text another question's stem must not quote."""
        return []

    def key_values(self, options: Sequence[str], answer: Any) -> set[tuple[float, str]]:
        """The values (value, lower-case unit) the key gives, so that no other stem shows them."""
        return set()

    def balance_key(self, answer: Any) -> Any:
        """A key a pool keeps balanced across its questions of this type (None: no balancing needed)."""
        return None

    # --- exports ----------------------------------------------------------------------------------------

    def response_pattern(self, options: Sequence[str], answer: Any, value: Any) -> str:
        """A stored response to the question keyed `answer` as a SCORM 2004 / xAPI response pattern."""
        raise NotImplementedError

    def correct_pattern(self, options: Sequence[str], answer: Any) -> str:
        """The key as a SCORM 2004 correct-response pattern (xAPI correctResponsesPattern)."""
        return self.response_pattern(options, answer, answer)

    # --- responses of a learner who knows the SOP, or does not (demo data) ----------------------------

    def right_response(self, answer: Any) -> Any:
        return answer

    def wrong_response(self, options: Sequence[str], answer: Any) -> Any:
        raise NotImplementedError
