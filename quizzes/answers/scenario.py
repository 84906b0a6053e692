"""A situation, then the one right action: a single choice whose stem sets the scene. Not drafted (scenarios
cut from an SOP's "if" sentences were rejected by every reviewer) and not offered to trainers yet."""

from __future__ import annotations

from quizzes.answers.single_choice import SingleChoice


class Scenario(SingleChoice):
    name = "scenario"
    label = "Scenario"
    authored = False
