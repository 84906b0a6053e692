"""Which questions a trainer should look at, and why, from their item statistics and distractor counts.

The thresholds follow Moodle's guidance on its statistics report (docs.moodle.org, "Quiz statistics
calculations"): a discrimination index below 0 means people who did well on the rest of the quiz got the
question wrong more often than those who did badly (a wrong key or a misleading stem); below about 20% the
question barely separates who understood from who did not. A facility near 100% teaches the trainer nothing
(the stem may give the answer away); near 0% usually means a wrong key or a step nobody was taught. A
distractor picked more often than the key is the classic sign of an ambiguous option or a wrong key.
Statistics on a handful of attempts are noise, so each rule needs `MIN_ATTEMPTS` attempts first.
"""

from __future__ import annotations

from quizzes.psychometrics.classical import ItemStats

MIN_ATTEMPTS = 5
NEAR_ZERO_DISCRIMINATION = 15.0  # percent, Moodle's units
TOO_EASY_FACILITY = 95.0
TOO_HARD_FACILITY = 10.0


def review_reasons(
    stats: ItemStats, key_count: int | None = None, top_distractor: tuple[str, int] | None = None
) -> list[str]:
    """Plain-language reasons to review this question; empty when nothing is wrong or data are too few.

    `key_count`: how many attempts chose the key; `top_distractor`: the most chosen wrong option and its count
    (both for choice questions only).
    """
    if stats.s < MIN_ATTEMPTS:
        return []
    reasons = []
    di = stats.discrimination_index
    if di is not None and di < 0:
        reasons.append(
            f"Negative discrimination ({di:.1f}%): people who scored well on the rest of the quiz got this "
            "wrong more often than those who scored badly. Check the key and the wording."
        )
    elif di is not None and di < NEAR_ZERO_DISCRIMINATION:
        reasons.append(
            f"Near-zero discrimination ({di:.1f}%): it does not separate who understood the SOP from who "
            "did not."
        )
    if stats.facility is not None and stats.facility >= TOO_EASY_FACILITY:
        reasons.append(
            f"Almost everyone gets it right (facility {stats.facility:.1f}%): too easy, or the stem gives "
            "the answer away."
        )
    elif stats.facility is not None and stats.facility <= TOO_HARD_FACILITY:
        reasons.append(
            f"Almost everyone gets it wrong (facility {stats.facility:.1f}%): a wrong key, or a step that "
            "was never taught."
        )
    if top_distractor is not None and key_count is not None and top_distractor[1] > key_count:
        option, count = top_distractor
        reasons.append(
            f"A wrong option is chosen more often than the right one: “{option}” was chosen {count} "
            f"time{'s' if count != 1 else ''}, the right answer {key_count}."
        )
    return reasons
