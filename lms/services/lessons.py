"""What a lesson shows: its SOP section block by block, as the SOP writes it (lists, tables, code, warnings).

The parsed body is kept in the revision's stored structure (`sops.body`); a lesson of a revision stored
before bodies existed, or a delta lesson that shows only the changed steps, has none and is shown as its
list of steps.
"""

from __future__ import annotations

from typing import Any

from lms.models import Lesson, SopStep


def lesson_body(lesson: Lesson) -> list[dict[str, Any]] | None:
    """The section's body parts for the lesson page, each list item that is a step carrying its row
    ("step_row": number, actor, anchor); None when the lesson is shown as its steps instead."""
    section = lesson.section
    if section is None or lesson.step_keys is not None:
        return None
    stored = next(
        (s for s in (section.revision.structure or {}).get("sections", []) if s.get("id") == section.key),
        None,
    )
    body = (stored or {}).get("body")
    if not body:
        return None
    rows: dict[str, SopStep] = {step.key: step for step in section.steps}
    parts = []
    for part in body:
        if part.get("kind") == "list":
            items = [{**item, "step_row": rows.get(item.get("step") or "")} for item in part["items"]]
            part = {**part, "items": items}
        parts.append(part)
    return parts
