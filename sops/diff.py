"""Step-level diff between two revisions of an SOP.

`diff_revisions(old, new)` matches the steps of two parsed revisions by their text, not by their
numbers: inserting a step renumbers the later ones without marking them changed. Step texts are
compared case-, whitespace- and punctuation-insensitively (numbers, decimals and signs kept), so an
editorial touch-up is "unchanged" (with `editorial=True`) while "2 minutes" -> "5 minutes" is "changed"
and listed in `critical_values_changed`.

Matching (see `sops.diff_align.align`): identical normalised texts in order are anchors (difflib
SequenceMatcher); identical texts found elsewhere are paired next; the remaining steps are paired
greedily by word-level similarity (difflib ratio on normalised words, prefiltered by length and
multiset overlap) of at least `SIMILARITY_THRESHOLD` between the same two anchors, or
`MOVE_THRESHOLD` across anchors; the pairs off the longest in-order chain are "moved".

Used by the app to show changes side by side, to flag quiz questions whose source steps changed
(`changed_step_ids(old=True)`) and to build a delta module of changed and added steps
(`changed_step_ids(old=False)`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher

from sops.diff_align import align, dice, numbers_in, tagged, tokens, word_segments
from sops.diff_rules import RULE_KINDS, RuleChange, rule_changes
from sops.diff_sections import SECTION_CHANGE_KINDS, SectionChange, section_changes
from sops.model import CriticalValue, SopDocument, Step

STEP_KINDS = ("unchanged", "changed", "added", "removed", "moved")
SIMILARITY_THRESHOLD = 0.6  # a changed step keeps at least this share of its words (difflib ratio)
MOVE_THRESHOLD = 0.75  # ... and this much when it also moved past unchanged steps


@dataclass
class StepChange:
    """One step of either revision and what happened to it.

    kind: "unchanged" | "changed" | "added" | "removed" | "moved" ("moved": same text, new place; a step
    both moved and reworded is "changed" with `moved=True`). `similarity` is the word-level similarity
    0-1 of the normalised texts (1.0 for same text, 0.0 for added/removed). `section` is the heading of
    the step's section in the new revision (the old one for removed steps), `old_section` in the old.
    `segments` is the word-level inline diff ("equal" | "insert" | "delete", text) whenever the two
    texts differ at all. `critical_values_changed` reads like "2 minutes -> 5 minutes",
    "(none) -> 25 °C" or "10 μL -> (none)". `editorial`: the texts differ only in case, whitespace or
    punctuation. `warnings_changed`: the warnings attached to the step differ. A step with the same
    text but other critical values (from prose the parser attaches to it) or warnings is "changed".
    """

    kind: str
    old_step_id: str | None = None
    new_step_id: str | None = None
    old_number: str | None = None
    new_number: str | None = None
    old_text: str | None = None
    new_text: str | None = None
    similarity: float = 0.0
    section: str | None = None
    old_section: str | None = None
    moved: bool = False
    editorial: bool = False
    warnings_changed: bool = False
    segments: list[tuple[str, str]] = field(default_factory=list)
    critical_values_changed: list[str] = field(default_factory=list)

    @property
    def renumbered(self) -> bool:
        return (
            self.old_number is not None and self.new_number is not None and self.old_number != self.new_number
        )

    def to_dict(self) -> dict:
        out = asdict(self)
        out["segments"] = [list(segment) for segment in self.segments]
        return out


@dataclass
class RevisionDiff:
    """The step and section changes from `old_revision` to `new_revision`.

    `changes` is in new-document order, each removed step placed after the step that preceded it in
    the old revision. `section_changes` likewise for sections.
    """

    changes: list[StepChange]
    section_changes: list[SectionChange] = field(default_factory=list)
    rule_changes: list[RuleChange] = field(default_factory=list)  # rules written outside steps
    old_revision: str | None = None
    new_revision: str | None = None

    @property
    def counts(self) -> dict[str, int]:
        """Step changes per kind, plus "moved_and_changed" (kind "changed" with moved=True)."""
        out = dict.fromkeys(STEP_KINDS, 0)
        for change in self.changes:
            out[change.kind] += 1
        out["moved_and_changed"] = sum(1 for c in self.changes if c.kind == "changed" and c.moved)
        return out

    @property
    def section_counts(self) -> dict[str, int]:
        out = dict.fromkeys(SECTION_CHANGE_KINDS, 0)
        for change in self.section_changes:
            out[change.kind] += 1
        out["text_changed"] = sum(1 for c in self.section_changes if c.text_changed)
        return out

    @property
    def rule_counts(self) -> dict[str, int]:
        out = dict.fromkeys(RULE_KINDS, 0)
        for change in self.rule_changes:
            out[change.kind] += 1
        return out

    @property
    def has_changes(self) -> bool:
        """Anything differs at all, editorial touch-ups and renumbering included."""
        return (
            any(c.kind != "unchanged" or c.editorial or c.renumbered for c in self.changes)
            or any(c.kind != "unchanged" or c.text_changed or c.kind_changed for c in self.section_changes)
            or bool(self.rule_changes)
        )

    @property
    def is_editorial(self) -> bool:
        """No step was added, removed, reworded, moved or given other values or warnings.

        True when every step difference is case/whitespace/punctuation only or renumbering, or only
        text outside the steps changed (also for identical revisions): acknowledgement-only retraining
        may then be enough. A rule written outside the steps that was added, removed or reworded is not
        editorial: people must learn it.
        """
        return all(c.kind == "unchanged" for c in self.changes) and not self.rule_changes

    def changed_step_ids(self, old: bool = True) -> list[str]:
        """Ids of steps whose content changed.

        old=True: ids in the old revision of changed and removed steps (quiz questions to review);
        old=False: ids in the new revision of changed and added steps (a delta training module).
        Steps that only moved, or changed only editorially, are not included.
        """
        kinds = ("changed", "removed") if old else ("changed", "added")
        ids = [c.old_step_id if old else c.new_step_id for c in self.changes if c.kind in kinds]
        return [i for i in ids if i is not None]

    def to_dict(self) -> dict:
        return {
            "old_revision": self.old_revision,
            "new_revision": self.new_revision,
            "counts": self.counts,
            "section_counts": self.section_counts,
            "is_editorial": self.is_editorial,
            "has_changes": self.has_changes,
            "changes": [c.to_dict() for c in self.changes],
            "section_changes": [c.to_dict() for c in self.section_changes],
            "rule_counts": self.rule_counts,
            "rule_changes": [c.to_dict() for c in self.rule_changes],
        }


def diff_revisions(old: SopDocument, new: SopDocument) -> RevisionDiff:
    """The step-level (and section-level) diff from `old` to `new`."""
    old_steps, new_steps = old.steps, new.steps
    old_words = [tokens(s.text) for s in old_steps]
    new_words = [tokens(s.text) for s in new_steps]
    old_bags = [tagged(w) for w in old_words]
    new_bags = [tagged(w) for w in new_words]
    matchers: dict[int, SequenceMatcher] = {}

    def bound(i: int, j: int) -> float:
        a, b = len(old_words[i]), len(new_words[j])
        if a + b == 0:
            return 1.0
        if 2 * min(a, b) / (a + b) < SIMILARITY_THRESHOLD:  # real_quick_ratio
            return 0.0
        return dice(old_bags[i], new_bags[j])  # quick_ratio

    def similarity(i: int, j: int) -> float:
        matcher = matchers.get(j)
        if matcher is None:
            matcher = matchers[j] = SequenceMatcher(None, b=new_words[j], autojunk=False)
        matcher.set_seq1(old_words[i])
        return matcher.ratio()

    pairs = align(
        [" ".join(w) for w in old_words],
        [" ".join(w) for w in new_words],
        bound,
        similarity,
        SIMILARITY_THRESHOLD,
        MOVE_THRESHOLD,
        words=(old_words, new_words),
    )
    old_headings = {s.id: s.heading for s in old.sections}
    new_headings = {s.id: s.heading for s in new.sections}

    entries: list[tuple[tuple[int, int, int], StepChange]] = []
    matched_old: dict[int, int] = {}
    anchor_new = -1
    last_stable: list[int] = [-1] * len(old_steps)  # per old index: new index of the in-order pair before
    stable_by_old = {p.old: p.new for p in pairs if p.in_order}
    for i in range(len(old_steps)):
        last_stable[i] = anchor_new
        if i in stable_by_old:
            anchor_new = stable_by_old[i]
    for pair in pairs:
        matched_old[pair.old] = pair.new
        change = _pair_change(old_steps[pair.old], new_steps[pair.new], pair.similarity, not pair.in_order)
        change.section = new_headings.get(new_steps[pair.new].section_id)
        change.old_section = old_headings.get(old_steps[pair.old].section_id)
        entries.append(((pair.new, 0, 0), change))
    matched_new = set(matched_old.values())
    for j, step in enumerate(new_steps):
        if j not in matched_new:
            change = _one_sided("added", None, step)
            change.section = new_headings.get(step.section_id)
            entries.append(((j, 0, 0), change))
    for i, step in enumerate(old_steps):
        if i not in matched_old:
            change = _one_sided("removed", step, None)
            change.section = change.old_section = old_headings.get(step.section_id)
            entries.append(((last_stable[i], 1, i), change))
    entries.sort(key=lambda entry: entry[0])
    return RevisionDiff(
        changes=[change for _, change in entries],
        section_changes=section_changes(old, new, pairs),
        rule_changes=rule_changes(old, new),
        old_revision=old.revision,
        new_revision=new.revision,
    )


def _pair_change(old: Step, new: Step, similarity: float, moved: bool) -> StepChange:
    same_text = tokens(old.text) == tokens(new.text)
    values = _value_changes(old.critical_values, new.critical_values)
    warnings_changed = [tokens(w) for w in old.warnings] != [tokens(w) for w in new.warnings]
    if same_text and not values and not warnings_changed:
        kind = "moved" if moved else "unchanged"
    else:
        kind = "changed"
    return StepChange(
        kind=kind,
        old_step_id=old.id,
        new_step_id=new.id,
        old_number=old.number,
        new_number=new.number,
        old_text=old.text,
        new_text=new.text,
        similarity=round(1.0 if same_text else similarity, 4),
        moved=moved,
        editorial=same_text and old.text != new.text,
        warnings_changed=warnings_changed,
        segments=word_segments(old.text, new.text) if old.text != new.text else [],
        critical_values_changed=values,
    )


def _one_sided(kind: str, old: Step | None, new: Step | None) -> StepChange:
    return StepChange(
        kind=kind,
        old_step_id=old.id if old else None,
        new_step_id=new.id if new else None,
        old_number=old.number if old else None,
        new_number=new.number if new else None,
        old_text=old.text if old else None,
        new_text=new.text if new else None,
    )


def _value_key(value: CriticalValue) -> tuple:
    return (value.value, value.unit, numbers_in(value.text))


def _value_changes(old: list[CriticalValue], new: list[CriticalValue]) -> list[str]:
    """Critical values that differ, in order: "20 °C -> 25 °C", "(none) -> 5 min", "2 h -> (none)"."""
    old_keys = [_value_key(v) for v in old]
    new_keys = [_value_key(v) for v in new]
    if old_keys == new_keys:
        return []
    out: list[str] = []
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        remaining = list(new[j1:j2])
        for value in old[i1:i2]:
            partner = next((n for n in remaining if n.unit == value.unit), None)
            if partner is None:
                out.append(f"{value.text} -> (none)")
            else:
                remaining.remove(partner)
                out.append(f"{value.text} -> {partner.text}")
        out.extend(f"(none) -> {value.text}" for value in remaining)
    return out
