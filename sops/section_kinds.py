"""Heading text -> which part of the classic SOP anatomy it is.

Real SOPs name the same part many ways ("Scope", "Applicability", "General"); the quiz generator and
the step finder only need the canonical kind. Besides the public `SECTION_KINDS`, two internal kinds
exist: "contents" (a table of contents) and "aside" (known non-procedure parts such as training,
troubleshooting, authors, appendices); both are reported as "other".
"""

from __future__ import annotations

import re

from sops.actions import VERBS
from sops.inline import clean_inline

CONTENTS = "contents"
ASIDE = "aside"

_NUMBERING = re.compile(
    r"^(?:(?:section|chapter|part|article)\s+)?(?:\d+(?:\.\d+)*[.)]?|[ivxlc]+[.)]|[a-z][.)])\s+",
    re.IGNORECASE,
)

# Checked in order; the first pattern that matches the normalised heading wins.
_RULES: tuple[tuple[str, str], ...] = (
    (CONTENTS, r"^(?:table of )?contents$|^toc$|^index$"),
    (
        ASIDE,
        r"^time\b|\btime (?:required|needed)\b|troubleshoot|^training|\btraining requirements?\b|^appendi|"
        r"^minimum information|^information\b|^attachments?\b|^annex|^authors?\b|^contributors?\b|"
        r"information$|^metadata|data sheet|"
        r"^document (?:control|data|information|details)|^quality control$|^faqs?$|"
        r"^frequently asked|^approvals?$|^sign[- ]?off|^signatures?$|^distribution$|^contacts?$",
    ),
    (
        "revision_history",
        r"revision (?:history|record|log|table)|version (?:history|control|record|log)|change ?log|"
        r"^changes?$|change history|document history|amendment (?:history|record)|^revisions?$|^history$",
    ),
    (
        "references",
        r"^references?\b|^related (?:documents?|protocols?|resources|procedures?|sops?|links|information)|"
        r"^bibliography|^see also|^citations?|^(?:supporting|associated|reference|applicable) documents?|"
        r"^further reading|^additional reading|^useful resources|^sources?$|^literature|"
        r"^regulatory (?:requirements|references)|^standards? (?:mapping|references)",
    ),
    (
        "definitions",
        r"^definitions?\b|glossary|^acronyms?\b|abbreviations|^terminology|^terms\b|^key terms|^what is\b|"
        r"definitions?$",
    ),
    (
        "responsibilities",
        r"responsibilit|^personnel\b|^roles?\b|roles$|accountabilit|^authority|^compliance\b|^participants|"
        r"^process owner|^who\b|^staff(?:ing)?$|^raci",
    ),
    (
        "safety",
        r"^safety|safety$|^health and safety|^warnings?\b|^hazards?\b|hazards$|^precautions?|precautions$|"
        r"^cautions?\b|^risks?\b|^ehs\b|^(?:personal )?protective",
    ),
    (
        "materials",
        r"^materials?\b|materials?$|^equipment\b|equipment$|^reagents?\b|reagents$|^supplies\b|supplies$|"
        r"^ppe\b|^tools?\b|^apparatus|^instruments?\b|instruments?$|^chemicals?\b|^consumables|"
        r"^(?:required|necessary) (?:materials|equipment|items)|^what you (?:need|will need)",
    ),
    (
        "records",
        r"^records?\b|records$|^documentation$|^record[- ]?keeping|^forms?$|^logs?$|^reporting$|"
        r"^data recording|^data management|^data delivery|^data storage",
    ),
    (
        "purpose",
        r"^purpose|purpose$|^summary\b|summary$|^objectives?\b|objectives?$|^aims?$|^goals?$|^abstract|"
        r"^executive summary|rationale|^overview$|^background$|^intent$|"
        r"^introduction(?:$|\s+[\u2013\u2014-]\s)",  # "Introduction, a dash, a subtitle"
    ),
    ("scope", r"^scope\b|scope$|^applicabilit|^application$|^field of application|^general$|^coverage$"),
    (
        "procedure",
        r"^(?:standard operating )?procedures?\b|\bprocedures?$|^sop$|^methods?\b(?! description)|"
        r"\bmethods?$|"
        r"^methodology|\bprotocols?$|^(?:process|procedure|procedural) steps|^steps\b|\bsteps$|"
        r"^(?:work |operating |detailed |step[- ]by[- ]step )?instructions?\b|\binstructions$|^sequence of\b|"
        r"^process$|^workflow$|^how to\b|^operation$|^operating steps|"
        # what the SOP has someone do besides the main procedure (issue 10): monitoring, corrective action,
        # verification, spill or emergency response, clean-up, start-up and shut-down, adjustment
        r"^monitoring$|^corrective (?:actions?|measures)$|^verification$|^(?:spill|emergency|incident) "
        r"response$|^clean[- ]?up$|^decontamination$|^shut[- ]?down$|^start[- ]?up$|^adjustments?$",
    ),
)
_COMPILED = tuple((kind, re.compile(pattern)) for kind, pattern in _RULES)


def normalise_heading(heading: str) -> str:
    """Markup, numbering ("5.", "5.1", "IV.") and trailing punctuation removed; lower case."""
    text = clean_inline(heading).lower()
    text = _NUMBERING.sub("", text)
    text = re.sub(r"\s*\([^)]*\)\s*$", "", text)  # "Safety (PPE)" -> "safety"
    text = re.sub(r"[\s:.\-\u2013—]+$", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _is_instruction(heading: str) -> bool:
    """ "6. Return your equipment" is a step heading, not a Materials section."""
    match = _NUMBERING.match(clean_inline(heading))
    if not match:
        return False
    words = clean_inline(heading)[match.end() :].lower().split()
    determiners = {"your", "the", "a", "an", "all", "any", "each", "this", "these", "our", "their", "my"}
    return len(words) >= 3 and (words[1] in determiners or len(words) >= 4) and words[0] in VERBS


def raw_heading_kind(heading: str) -> str:
    """A `SECTION_KINDS` value, or the internal CONTENTS / ASIDE markers."""
    text = normalise_heading(heading)
    if _is_instruction(heading):
        return "other"
    text = re.sub(r"\s*(?:&|/|\band\b)\s*", " and ", text)
    for kind, pattern in _COMPILED:
        if pattern.search(text):
            return kind
    return "other"


def public_kind(raw: str) -> str:
    """The kind a section shows (one of `SECTION_KINDS`) for a raw heading kind: a table of contents and an
    aside are kinds the parser needs, not kinds of SOP content."""
    return "other" if raw in (CONTENTS, ASIDE) else raw
