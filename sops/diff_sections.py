"""Section-level diff between two revisions: sections matched by kind, heading, text and the steps they
share (the same alignment as steps, `sops.diff_align.align`), so a renamed or moved section is one
change rather than a removal and an addition."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from difflib import SequenceMatcher

from sops.diff_align import align, dice, tagged, tokens
from sops.model import Section, SopDocument

SECTION_CHANGE_KINDS = ("unchanged", "renamed", "added", "removed")
SECTION_THRESHOLD = 0.6
SECTION_MOVE_THRESHOLD = 0.7


@dataclass
class SectionChange:
    """A section of either revision: kind "unchanged" | "renamed" | "added" | "removed".

    Sections are matched by kind, heading, text and the steps they share. `text_changed`: the
    normalised section text differs; `kind_changed`: the section kind (purpose, procedure...) differs.
    """

    kind: str
    old_section_id: str | None = None
    new_section_id: str | None = None
    old_heading: str | None = None
    new_heading: str | None = None
    old_kind: str | None = None
    new_kind: str | None = None
    similarity: float = 0.0
    moved: bool = False
    text_changed: bool = False
    kind_changed: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


def section_changes(old: SopDocument, new: SopDocument, step_pairs) -> list[SectionChange]:
    olds, news = old.sections, new.sections
    old_index = {s.id: n for n, s in enumerate(olds)}
    new_index = {s.id: n for n, s in enumerate(news)}
    old_count = [0] * len(olds)
    new_count = [0] * len(news)
    for step in old.steps:
        if step.section_id in old_index:
            old_count[old_index[step.section_id]] += 1
    for step in new.steps:
        if step.section_id in new_index:
            new_count[new_index[step.section_id]] += 1
    shared: dict[tuple[int, int], int] = {}
    for pair in step_pairs:
        a = old_index.get(old.steps[pair.old].section_id)
        b = new_index.get(new.steps[pair.new].section_id)
        if a is not None and b is not None:
            shared[(a, b)] = shared.get((a, b), 0) + 1
    old_heads = [tokens(s.heading) for s in olds]
    new_heads = [tokens(s.heading) for s in news]
    old_texts = [tagged(tokens(s.text)) for s in olds]
    new_texts = [tagged(tokens(s.text)) for s in news]

    def heading_similarity(i: int, j: int) -> float:
        a, b = " ".join(old_heads[i]), " ".join(new_heads[j])
        return max(
            SequenceMatcher(None, a, b, autojunk=False).ratio(),
            dice(frozenset(old_heads[i]), frozenset(new_heads[j])),
        )

    def similarity(i: int, j: int) -> float:
        same_kind = olds[i].kind == news[j].kind
        overlap = shared.get((i, j), 0) / max(old_count[i], new_count[j], 1)
        text = dice(old_texts[i], new_texts[j]) if old_texts[i] or new_texts[j] else 0.0
        return 0.6 * max(heading_similarity(i, j), overlap, text) + (0.4 if same_kind else 0.0)

    pairs = align(
        [(s.kind, " ".join(h)) for s, h in zip(olds, old_heads, strict=True)],
        [(s.kind, " ".join(h)) for s, h in zip(news, new_heads, strict=True)],
        similarity,
        similarity,
        SECTION_THRESHOLD,
        SECTION_MOVE_THRESHOLD,
    )
    stable_by_old = {p.old: p.new for p in pairs if p.in_order}
    entries: list[tuple[tuple[int, int, int], SectionChange]] = []
    anchor_new = -1
    matched_old = {p.old for p in pairs}
    matched_new = {p.new for p in pairs}
    for i, section in enumerate(olds):
        if i not in matched_old:
            entries.append(((anchor_new, 1, i), _section_one_sided("removed", section, None)))
        if i in stable_by_old:
            anchor_new = stable_by_old[i]
    for j, section in enumerate(news):
        if j not in matched_new:
            entries.append(((j, 0, 0), _section_one_sided("added", None, section)))
    for pair in pairs:
        a, b = olds[pair.old], news[pair.new]
        renamed = old_heads[pair.old] != new_heads[pair.new]
        change = SectionChange(
            kind="renamed" if renamed else "unchanged",
            old_section_id=a.id,
            new_section_id=b.id,
            old_heading=a.heading,
            new_heading=b.heading,
            old_kind=a.kind,
            new_kind=b.kind,
            similarity=round(1.0 if pair.exact else min(pair.similarity, 1.0), 4),
            moved=not pair.in_order,
            text_changed=tokens(a.text) != tokens(b.text),
            kind_changed=a.kind != b.kind,
        )
        entries.append(((pair.new, 0, 0), change))
    entries.sort(key=lambda entry: entry[0])
    return [change for _, change in entries]


def _section_one_sided(kind: str, old: Section | None, new: Section | None) -> SectionChange:
    return SectionChange(
        kind=kind,
        old_section_id=old.id if old else None,
        new_section_id=new.id if new else None,
        old_heading=old.heading if old else None,
        new_heading=new.heading if new else None,
        old_kind=old.kind if old else None,
        new_kind=new.kind if new else None,
    )
