"""Two revisions' prose rules -> what changed in them (added, removed, reworded), for the revision diff.

Rules written inside steps change with their step and are already in the step diff; the ones written in
prose ("If the spill is over 10 mL, tell the safety officer") would change unseen, and retraining would
miss them. They are matched by their normalised words: identical ones are unchanged, the rest paired
greedily by word similarity (at least `RULE_THRESHOLD`), the leftovers added or removed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from difflib import SequenceMatcher

from sops.diff_align import tokens
from sops.model import Rule, SopDocument

RULE_KINDS = ("changed", "added", "removed")
RULE_THRESHOLD = 0.6


@dataclass
class RuleChange:
    kind: str  # "changed", "added" or "removed"
    old_rule_id: str | None
    new_rule_id: str | None
    old_text: str | None
    new_text: str | None

    def to_dict(self) -> dict:
        return asdict(self)


def rule_changes(old: SopDocument, new: SopDocument) -> list[RuleChange]:
    """Changes to the rules outside steps, in new-document order, removed rules last."""
    old_rules = {" ".join(tokens(r.text)): r for r in old.prose_rules}
    new_rules = {" ".join(tokens(r.text)): r for r in new.prose_rules}
    gone = [r for key, r in old_rules.items() if key not in new_rules]
    came = [r for key, r in new_rules.items() if key not in old_rules]
    scored = sorted(
        ((_similarity(a, b), i, j) for i, a in enumerate(gone) for j, b in enumerate(came)),
        reverse=True,
    )
    paired_old: dict[int, int] = {}
    paired_new: set[int] = set()
    for score, i, j in scored:
        if score < RULE_THRESHOLD:
            break
        if i not in paired_old and j not in paired_new:
            paired_old[i] = j
            paired_new.add(j)
    by_new = {j: i for i, j in paired_old.items()}
    out = []
    for j, rule in enumerate(came):
        if j in by_new:
            before = gone[by_new[j]]
            out.append(RuleChange("changed", before.id, rule.id, before.text, rule.text))
        else:
            out.append(RuleChange("added", None, rule.id, None, rule.text))
    out += [
        RuleChange("removed", r.id, None, r.text, None) for i, r in enumerate(gone) if i not in paired_old
    ]
    return out


def _similarity(a: Rule, b: Rule) -> float:
    return SequenceMatcher(None, tokens(a.text), tokens(b.text), autojunk=False).ratio()
