"""The structured SOP model every other part of sop-lms reads.

Plain dataclasses so the parsers, the quiz generator and the Flask layer share one vocabulary without
depending on each other. `to_dict()` is the JSON that `sop-lms parse-sop FILE --json` prints.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

SECTION_KINDS = (
    "purpose",
    "scope",
    "responsibilities",
    "definitions",
    "materials",
    "safety",
    "procedure",
    "records",
    "references",
    "revision_history",
    "other",
)


@dataclass(frozen=True)
class CriticalValue:
    """A number the SOP insists on: a temperature, a duration, a volume, a limit."""

    text: str
    value: float
    unit: str


@dataclass
class Section:
    """A headed block of the SOP; `kind` says which part of the classic SOP anatomy it is.

    `text` is its prose as plain text (search, diffs); `body` is what a lesson shows, block by block
    (`sops.body`): paragraphs, lists, tables, code, quotes and warnings with their inline Markdown.
    """

    id: str
    kind: str
    heading: str
    text: str = ""
    level: int = 1
    body: list[dict] = field(default_factory=list)


@dataclass
class Step:
    """One action the SOP asks someone to perform, in document order."""

    id: str
    number: str
    depth: int
    section_id: str
    text: str
    actor: str | None = None
    warnings: list[str] = field(default_factory=list)
    critical_values: list[CriticalValue] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)


@dataclass
class Rule:
    """A sentence that obliges, forbids, limits or conditions, wherever the SOP writes it (not only in steps).

    `kind` is "obligation", "prohibition", "limit" or "condition"; `step_id` names the step holding the
    sentence, None for a rule written in prose outside the steps.
    """

    id: str
    section_id: str
    kind: str
    text: str
    condition: str | None = None
    actor: str | None = None
    critical_values: list[CriticalValue] = field(default_factory=list)
    step_id: str | None = None


@dataclass
class Definition:
    term: str
    definition: str


@dataclass
class SopDocument:
    """A parsed SOP: metadata, sections in order and the procedure steps found in them."""

    title: str
    code: str | None = None
    revision: str | None = None
    effective_date: str | None = None
    sections: list[Section] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> SopDocument:
        """The inverse of `to_dict()`: a stored revision's structure back as a document."""
        return cls(
            title=data["title"],
            code=data.get("code"),
            revision=data.get("revision"),
            effective_date=data.get("effective_date"),
            sections=[Section(**section) for section in data.get("sections", [])],
            steps=[
                Step(
                    **{key: value for key, value in step.items() if key != "critical_values"},
                    critical_values=[CriticalValue(**value) for value in step.get("critical_values", [])],
                )
                for step in data.get("steps", [])
            ],
            roles=list(data.get("roles", [])),
            definitions=[Definition(**definition) for definition in data.get("definitions", [])],
            rules=[
                Rule(
                    **{key: value for key, value in rule.items() if key != "critical_values"},
                    critical_values=[CriticalValue(**value) for value in rule.get("critical_values", [])],
                )
                for rule in data.get("rules", [])
            ],
        )

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def steps_in(self, section_id: str) -> list[Step]:
        return [s for s in self.steps if s.section_id == section_id]

    @property
    def prose_rules(self) -> list[Rule]:
        """The rules written outside any step: what a steps-only reading of the SOP misses."""
        return [r for r in self.rules if r.step_id is None]

    @property
    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON.

        The same content always hashes the same, whatever file it came from.
        """
        canonical = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
