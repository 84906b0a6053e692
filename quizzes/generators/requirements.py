"""Questions on requirement statements (must/shall/never/limits/critical values).

A statement is one sentence of a step. Its falsifications are faithful to the wording: the value changed in
the same unit (another value the SOP gives for the same unit first, on the wrong side of a limit). Never an
added or deleted "not", and no flipped "before"/"after" or "at least"/"at most": trainers reject those as
absurd on their face, and the leftover wording cues the key.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lemminflect import getLemma

from quizzes.answers import SingleChoice, TrueFalse
from quizzes.generators.base import Candidate, Context, not_longest, place_key
from quizzes.generators.values import as_shown, askable
from quizzes.text import clean, requirement_words, sentence_spans
from quizzes.value_text import ValueSpot, alternative_values, replace_value, spot_number
from sops.actions import VERBS, base_verb
from sops.actors import has_role_noun, is_role
from sops.model import Step


@dataclass
class Statement:
    step: Step
    sentence: str  # verbatim from step.text
    falsified: list[str]  # wrong versions, best first (cleaned for display)
    how: list[str]  # how each falsification was made: "value"
    values: list[list]  # [value, unit] of the values it tests: one question per value in a pool


def statements(ctx: Context, step: Step) -> list[Statement]:
    """Requirement sentences of a step with their falsifications (only sentences that have at least one)."""
    cache = ctx.__dict__.setdefault("_statements", {})
    if id(step) in cache:
        return cache[id(step)]
    out = []
    spots = ctx.value_spots(step)
    for s0, e0 in sentence_spans(step.text):
        sentence = step.text[s0:e0]
        in_sentence = [sp for sp in spots if s0 <= sp.num_start < e0 and sp.num_end <= e0]
        if not in_sentence and not requirement_words(sentence):
            continue
        shown = as_shown(sentence)
        if shown is None or len(shown.split()) < 6:
            continue  # a statement must stand alone (as_shown: no "It"/"This" whose referent was cut off)
        falsified: list[str] = []
        how: list[str] = []
        for sp in [sp for sp in in_sentence if askable(ctx, step, sp, sentence, s0)][:1]:
            like = step.text[sp.num_start : sp.num_end]
            value = spot_number(step.text, sp)
            siblings = ctx.sibling_values(sp.cv.unit, value, step)
            if len({v for v in siblings if v != value}) < 2:
                continue  # only made-up values (halved, doubled) would differ: nobody who read it is tempted
            for v in alternative_values(value, sp.cv.unit, like, sp.direction, 6, siblings):
                local = ValueSpot(
                    sp.cv, sp.start - s0, sp.end - s0, sp.num_start - s0, sp.num_end - s0, sp.direction
                )
                altered = as_shown(replace_value(sentence, local, v))
                if altered:
                    falsified.append(altered)
                    how.append("value")
        key = shown
        seen = {key.casefold()}
        f2, h2 = [], []
        for f, h in zip(falsified, how, strict=True):
            if f.casefold() not in seen:
                seen.add(f.casefold())
                f2.append(f)
                h2.append(h)
        if f2:
            tested = [[sp.cv.value, sp.cv.unit.strip().casefold()] for sp in in_sentence[:1]]
            out.append(Statement(step, sentence, f2, h2, tested))
    cache[id(step)] = out
    return out


MAX_STATEMENT_WORDS = 24


def statement_choice(ctx: Context) -> Iterator[Candidate]:
    """Single choice: which statement matches the SOP; distractors are falsifications of the same sentence."""
    for step in ctx.items:
        for st in statements(ctx, step)[:1]:
            if len(st.falsified) < 2 or len(st.sentence.split()) > MAX_STATEMENT_WORDS:
                continue  # four copies of a long sentence with one number changed: asked as a value
            key = as_shown(st.sentence) or clean(st.sentence)
            rng = ctx.rng("statement_choice", step.id)
            options, idx = place_key(key, not_longest(key, st.falsified, 3), rng)
            yield Candidate(
                kind="statement_choice",
                type=SingleChoice.name,
                stem="Which of these statements is what the SOP requires?",
                options=options,
                answer=idx,
                step=step,
                quote=st.sentence,
                quality=round(ctx.info(step).importance * 0.9, 3),
                rationale=ctx.why(step, "asks to tell the exact requirement from altered versions"),
                slot=f"choice:{step.id}",
                step_ids=[step.id],
                extra={"values": st.values},
            )


_FORBIDS = re.compile(
    r"^\W*(?:(?:warning|caution|important|note)\W*[:!-]\s*)?"
    r"(?:never|do not|don['\u2019]t)\s+(?P<act>[a-z].*)$",
    re.IGNORECASE,
)
_REASON = re.compile(r"\s*(?:,\s*|\s+)(?:as|because|since|so that|otherwise|or else)\b.*$", re.IGNORECASE)


# acts wrong by their verb alone: "you may ignore damaged boards" is false to anyone who never read the SOP
_COMMON_VERBS = frozenset(
    re.findall(r"\S+", "use leave put place add keep make take let open close touch store send share give")
)
_SELF_EVIDENT = r"(?:ignore|skip|neglect|overlook|disregard|forget|allow\s+\w+\s+build-?up|wait for heavy)\b"
_TOPIC_CUE = re.compile(
    r"\b(?:never|not|no|don['\u2019]?t|avoid|prohibit\w*|forbidden|restrictions?)\b", re.IGNORECASE
)
_HAZARD = re.compile(r"\b(?:flammable|toxic|radioactive|explosive|corrosive|hazardous|poison\w*)\b", re.I)
_LISTED = re.compile(
    r"^(?:never|do not|don['\u2019]t)\s+(?P<verb>[a-z][\w\s-]{1,60}?):\s+(?P<thing>[^:]{2,120}?)\.?$", re.I
)
_PEOPLE = re.compile(r"^(?:you|we|employees?|staff|personnel|users?|workers?|visitors?|anyone|no one)$", re.I)
_PRONOUN = re.compile(r"\b(?:it|its|this|these|those|they|them|their)\b", re.IGNORECASE)
_SUBJECT_FORBIDDEN = re.compile(
    r"^\W*(?P<who>[A-Z][^.;:]{2,120}?)\s+(?P<modal>shall|must|may|should) not\s+(?P<act>[a-z].*)$"
)
# "... and don't DM staff", "... - do not submerge the Smith-Root entirely": a prohibition after a clause
_LATER_FORBIDS = re.compile(
    r"(?:[,;:]\s+|\s[-\u2013\u2014]\s+|\band\s+)(?:never|do not|don['\u2019]t)\s+(?P<act>[a-z].*)$", re.I
)
# "The filter housing should not be submerged": a thing the SOP says must not be done to
_PASSIVE = re.compile(r"^(?P<be>be)\s+(?P<done>[a-z]+(?:ed|en|wn|t))\b(?P<rest>.*)$")
_PRONOUN_SUBJECT = re.compile(r"^(?:it|this|that|these|those|they|he|she|there)\b", re.IGNORECASE)


def forbidden(sentence: str) -> str | None:
    """What a "Never X" / "Do not X" / "Employees shall not X" sentence forbids, as "X" or "employees ...
    X" (the subject kept, so the question says who may not), without its reason clause; or None."""
    text = clean(sentence)
    listed = _LISTED.match(text)
    if listed and not re.search(
        r"^(?:there|it|this|these|they|we|you)\b|\b(?:is|are|was|were)\b", listed.group("thing"), re.I
    ):
        # "Never autoclave: Household bleach." (a thing listed under "Never autoclave"), not a sentence
        thing = listed.group("thing")
        if _HAZARD.search(thing):
            return None  # "you may autoclave radioactive materials": false to anyone, read or not
        thing = thing if thing[1:2].isupper() else thing[:1].lower() + thing[1:]
        return _finish(f"{listed.group('verb')} {thing}", "")
    lead = ""
    m = _FORBIDS.match(text)
    if not m and (later := _LATER_FORBIDS.search(text)):
        before = text[: later.start()]
        condition = re.match(r"^(?:note(?: though)?(?: that)?\s+)?((?:if|when|unless)\b.*)$", before, re.I)
        first = before.split()[0].lower() if before.split() else ""
        if condition:
            lead = condition.group(1).strip(" ,") + ", "  # "if you release an old version, don't ..."
            m = later
        elif first in VERBS:
            m = later  # "Keep conversations visible and don't DM staff": an instruction to the reader
    who = ""
    if not m:
        m = _SUBJECT_FORBIDDEN.match(text)
        if not m:
            return None
        who = m.group("who")
    subject, _, clause = who.partition(",")  # "All employees, upon observing a locked-out machine, ..."
    subject = re.sub(r"^(?:all|every|any|each|the)\s+", "", subject.strip(), flags=re.IGNORECASE)
    person = has_role_noun(subject) or is_role(subject) or _PEOPLE.match(subject)
    if who and not person:
        # "The filter housing should not be submerged": a thing that must not be done to; "it may not be
        # our responsibility" is a possibility, not a prohibition
        if m.group("modal") == "may" or _PRONOUN_SUBJECT.match(subject) or clause or len(subject.split()) > 6:
            return None
        thing = who[:1].lower() + who[1:]
        passive = _PASSIVE.match(m.group("act"))
        if not passive:
            return None  # "foam should not affect the library": an expectation, not a rule to break
        base = getLemma(passive.group("done"), upos="VERB")
        if not base or base[0] == passive.group("done"):
            return None
        return _finish(f"{base[0]} {thing}{passive.group('rest')}", "")  # "you may submerge the housing"
    found = _finish(m.group("act"), who, clause)
    return f"{lead[:1].lower() + lead[1:]}{found}" if found and lead else found


def _finish(raw: str, who: str, clause: str = "") -> str | None:
    """The forbidden act tidied into "you may X" or "employees may X"; None when what is left is no act a
    new hire could wrongly assume allowed."""
    act = re.split(r"\s[\u2013\u2014-]\s", _REASON.sub("", raw))[0].rstrip(" .;:!")  # "... — even if ..."
    then = re.search(r"[,;]\s+(?P<verb>[a-z]+)\b(?P<rest>.*)", act)
    if then and then.group("verb") in VERBS and not re.search(r"\b(?:or|and|nor)\b", then.group("rest")):
        act = act[: then.start()]  # "leave any garbage at the site, clean up after yourself": one act
    act = re.split(r",?\s+(?:i\.e\.|e\.g\.|for example)", act)[0].rstrip(" ,;")
    if (_PRONOUN.search(" ".join(act.split()[:2])) and not clause) or act.count("(") != act.count(")"):
        return None  # "do not leave it unattended": what "it" is was written elsewhere; or a cut aside
    if re.match(r"(?:be|see|feel|notice|find|expect|need|worry)\b", act, re.I):
        return None  # "you may not be able to ...", "you should not see any files": no act to forbid
    if re.search(r":\s+[A-Z]", act) or re.match(_SELF_EVIDENT, act, re.I):
        return None  # "populate: There are situations ...": a definition; "ignore damaged boards": a cue
    if re.search(r"\b(?:unless|except)\b|\btoo\s+(?:much|many|long|far|often)\b", act, re.I):
        return None  # "you may change the foil unless it is damaged": the exception turned inside out;
        # "you may go into too much detail": wrong by its own wording
    vague = r"(?:have|get|let|forget|hesitate)\b" if who else r"(?:be|have|get|let|forget|hesitate)\b"
    if len(act.split()) < 2 or re.match(vague, act, re.I):
        return None  # "Never hesitate to escalate": the prohibition is itself an instruction to act
    if re.search(r"[_*`]|[.!?]\s+\S", act):
        return None  # markup or a second sentence the splitter missed ("... bugs. deferred-blocker_ Doesn't")
    if who:
        return f"{who[:1].lower() + who[1:]} may {act}"
    first = act.split()[0]
    return f"you may {act if first[1:2].isupper() else act[:1].lower() + act[1:]}"  # "DM staff" stays


def permission(ctx: Context) -> Iterator[Candidate]:
    """True/false on a prohibition, asked as the permission a new hire might assume: "Under this SOP, you may
    pipette by mouth" is false. The SOP's sentence is never altered; the question asks about it."""
    asked: list[tuple[tuple[str, str] | None, set[str]]] = []
    for step in ctx.items:
        for s0, e0 in sentence_spans(step.text):
            sentence = step.text[s0:e0]
            act = forbidden(sentence)
            if act is None:
                continue
            words = [
                w for w in re.findall(r"[a-z]{3,}", act.lower()) if w not in ("you", "may", "the", "any")
            ]
            gist = set(words)
            # the same uncommon verb anywhere in the SOP is one rule ("submerge the housing", "submerge the
            # Smith-Root entirely" in another section); a common one only within a section
            place = "" if words and words[0] not in _COMMON_VERBS else step.section_id
            verb = (place, words[0]) if words and base_verb(words[0]) else None
            if gist and any(
                (verb is not None and verb == v) or len(gist & g) * 2 >= min(len(gist), len(g))
                for v, g in asked
            ):
                continue  # "submerge the filter housing" and "submerge the Smith-Root": one prohibition
            asked.append((verb, gist))
            topic = ctx.topic(step)
            echo = set(words) & set(re.findall(r"[a-z]{3,}", topic.lower()))
            if topic and (_TOPIC_CUE.search(topic) or echo):
                topic = ""  # "Never autoclave" over "you may autoclave bleach" gives the key away
            where = f' ("{topic}")' if topic else ""
            yield Candidate(
                kind="permission",
                type=TrueFalse.name,
                stem=f"True or false? Under this SOP{where}, {act}.",
                options=["True", "False"],
                answer=False,
                step=step,
                quote=sentence,
                quality=round(min(1.0, ctx.info(step).importance + 0.15), 3),
                rationale="The SOP forbids this; the question checks that a new hire does not assume it is "
                "allowed.",
                slot=f"tf:{step.id}",
                step_ids=[step.id],
            )
            break
