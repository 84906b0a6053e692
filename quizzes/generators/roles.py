""" "Who does what", asked from the SOP's own sentences: "The QA Manager shall approve the report" ->
"Under this SOP, who must approve the report?"; "If X, the QMO consults the PRRC" -> "whom does the QMO
consult?".

Keys are the parser's step actors and the roles sentences name as their subject; the roles the SOP lists
(`SopDocument.roles`) and mentions serve as distractors. Matching tasks to roles and "who is responsible
for this task?" over a step's text are not drafted (see quizzes/generators/__init__.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lemminflect import getAllLemmas, getInflection, getLemma

from quizzes.answers import SingleChoice
from quizzes.generators.base import Candidate, Context, pick_distractors, place_key, stands_out
from quizzes.text import clean, drop_pointers, sentence_spans
from sops.actors import NOT_ROLE_OPENERS, has_role_noun, present_verb, role_key
from sops.model import Step

_GENERIC = re.compile(
    r"^(?:all\s+)?(?:employees?|staff|personnel|persons?|people|team members?|members?|users?|workers?|"
    r"everyone|other people.*|others?)$",
    re.IGNORECASE,
)


def _display_roles(ctx: Context) -> dict[str, str]:
    """role key -> first spelling, from step actors then the SOP's role list."""
    names: dict[str, str] = {}
    for s in ctx.items:
        if s.actor:
            names.setdefault(role_key(s.actor), clean(s.actor))
    for r in ctx.doc.roles:
        names.setdefault(role_key(r), clean(r))
    return {k: v for k, v in names.items() if k and v and _plausible_role(v)}


_FUSED = re.compile(r"\b[A-Z][a-z]+\s+(?:An|A|The)\s", re.UNICODE)  # "Recusal An employee": heading + text


def _plausible_role(name: str) -> bool:
    words = name.split()
    return 0 < len(words) <= 4 and not _FUSED.search(name) and words[0].lower() not in NOT_ROLE_OPENERS


_LEAD = r"(?P<lead>(?:if|when|once|after|before)\b[^,]{0,200},\s*|[A-Z][a-z]+,\s+)?"
# a role phrase the SOP writes in passing ("the Head of Software Development"): a distractor, never a key
_MENTION = re.compile(
    r"\b(?:(?:Head|Director|Chief|Manager|Person Responsible|Vice President)\s+(?:of|for)\s+"
    r"(?:[A-Z][\w-]+ ){0,3}[A-Z][\w-]+"
    r"|(?:[A-Z][\w-]+ ){0,3}[A-Z][\w-]+)"
)
# a role written in lower case with the word that tells it apart ("affected employees", "the employer")
_QUALIFIED = re.compile(
    r"\b(?:the|all|an?|each|every|any)\s+(?P<role>(?:authori[sz]ed|affected|other|responsible|designated|"
    r"qualified|trained|new|departing|separated|on-call)\s+[a-z]+|employer|supervisor|contractor)\b"
)
_SELF_REFERENCE = re.compile(r"\b(?:you|your|you're|yourself|I|we|our)\b", re.IGNORECASE)
MAX_PER_ROLE = 1  # a second "who" with the same key shares its options: each cues the other (tune-4)


def mentioned_roles(ctx: Context) -> list[str]:
    """Role phrases the SOP's text names in passing ("the Head of Software Development", "a Safety
    Officer"): capitalised, after an article, ending in a role noun or "Head of ...", in order."""
    key = "_mentioned_roles"
    if key not in ctx.__dict__:
        found: dict[str, str] = {}
        texts = [sec.text for sec in ctx.doc.sections] + [s.text for s in ctx.items]
        for text in texts:
            for m in _MENTION.finditer(text):
                before = text[max(0, m.start() - 6) : m.start()]
                phrase = m.group(0)
                words = phrase.split()
                titled = words[0] in ("Head", "Director", "Chief", "Person", "Manager", "Vice")
                if not re.search(r"\b(?:the|an?|your|our)\s$", before, re.IGNORECASE) and not titled:
                    continue
                if len(words) >= 2 and (has_role_noun(phrase) or titled):
                    found.setdefault(role_key(phrase), phrase)
            for m in _QUALIFIED.finditer(text):  # "all affected employees", "the authorized employee"
                phrase = m.group("role")
                if has_role_noun(phrase):
                    found.setdefault(role_key(phrase), phrase[:1].upper() + phrase[1:])
        ctx.__dict__[key] = list(found.values())
    return ctx.__dict__[key]


_AUXILIARY = re.compile(r"(?:shall|must|should|will|may|is|are|needs?|has|have)$", re.IGNORECASE)


def _third_person(verb: str) -> str | None:
    """ "provide" -> "provides" (a plural subject's verb, asked of "who"); None when it is no verb."""
    forms = getInflection(verb.lower(), tag="VBZ") if getAllLemmas(verb.lower(), upos="VERB") else ()
    return forms[0] if forms else None


def _predicate(sentence: str, actor: str) -> tuple[str, str] | None:
    """(lead, predicate) when the sentence makes `actor` its subject: "If X, the QMO consults Y." ->
    ("if X, ", "consults Y"), the verb agreeing with "who"; None otherwise."""
    words = r"\s+".join(map(re.escape, actor.split()))
    m = re.match(
        rf"^{_LEAD}(?:(?:the|an?|all|each|every|any)\s+)?{words}(?:\(s\)|s)?\s+(?P<pred>.+)$",
        clean(sentence),
        re.IGNORECASE,
    )
    if not m:
        return None
    pred = drop_pointers(m.group("pred")).rstrip(" .;:!")
    second = re.search(r",?\s+and\s+(?:[\w-]+\s+){1,6}?(?:is|are|was|were)\b", pred)
    if second:
        pred = pred[: second.start()]  # "... must provide X and more inspections are required": one clause
    verb, _, rest = pred.partition(" ")
    if not _AUXILIARY.match(verb):
        if not present_verb(actor, verb, rest.split()[0] if rest else ""):
            return None
        if not verb.endswith("s"):  # a plural subject's verb: "supervisors review" -> "who reviews"
            singular = _third_person(verb)
            if singular is None:
                return None
            pred = f"{singular} {rest}"
    for plural, singular in (("are", "is"), ("have to", "has to"), ("need to", "needs to")):
        pred = re.sub(rf"^{plural}\b", singular, pred, flags=re.IGNORECASE)
    pred = re.sub(r"\bshall\b", "must", pred)
    lead = m.group("lead") or ""
    if not re.match(r"(?:if|when|once|after|before)\b", lead, re.IGNORECASE):
        lead = ""  # "Additionally, " / "Thereafter, " says nothing on its own
    return lead[:1].lower() + lead[1:], pred


def _names_role(text: str, role: str) -> bool:
    return any(
        re.search(rf"\b{re.escape(w)}", text, re.IGNORECASE) for w in role_key(role).split() if len(w) > 2
    )


def who_asks(sentence: str, actor: str) -> str | None:
    """ "If X, the QMO consults Y." -> "if X, who consults Y": the sentence with its subject role replaced by
    "who"; None when the role is not the subject, or what is left names the role or the reader."""
    found = _predicate(sentence, actor)
    if found is None:
        return None
    lead, pred = found
    if (
        len(pred.split()) < 5
        or _SELF_REFERENCE.search(pred)
        or _names_role(pred, actor)
        or re.search(r"\bbe\s+\w+ed$", pred)  # "who should usually be involved": a passive says no action
    ):
        return None
    return f"{lead}who {pred}"


def whom_asks(sentence: str, actor: str, roles: list[str]) -> tuple[str, str] | None:
    """ "If X, the QMO consults the Person Responsible for Y." -> ("if X, whom does the QMO consult",
    "Person Responsible for Y"): the role the subject turns to, asked; None when no role of `roles` is the
    verb's object."""
    found = _predicate(sentence, actor)
    if found is None:
        return None
    lead, pred = found
    verb, _, rest = pred.partition(" ")
    lemma = getLemma(verb.lower(), upos="VERB")
    if not lemma or not verb.endswith("s") or verb.lower() in ("is", "has", "does"):
        return None
    prep = re.match(r"(?:with|to)\s+", rest)
    after = rest[prep.end() :] if prep else rest
    after = re.sub(r"^(?:the|an?)\s+", "", after)
    for role in sorted(roles, key=len, reverse=True):
        if re.match(rf"{re.escape(role)}\b", after) and not _overlaps(role, actor):
            tail = after[len(role) :].strip(" ,")
            if re.match(r"(?:and|or|&)\b", tail) or after[len(role) : len(role) + 1] == ",":
                return None  # more object follows ("... the QMO and the PRRC"): the key would be partial
            if _SELF_REFERENCE.search(tail) or _names_role(tail, role):
                return None
            asked = f"{lead}whom does the {actor} {lemma[0]} {prep.group(0) if prep else ''}{tail}".strip()
            return re.sub(r"\s+", " ", asked), role
    return None


_TURN_TO = re.compile(
    r"^(?P<lead>(?:if|when|once|after|before|in case)\b[^,]{0,200},\s*)?(?:then\s+|immediately\s+)?"
    r"(?P<verb>notify|inform|tell|contact|call|ask|alert|consult|email|page|escalate to|"
    r"report (?:it |this )?to|hand (?:it |this )?over to)\s+(?P<after>.+)$",
    re.IGNORECASE,
)


def whom_you_ask(sentence: str, roles: list[str]) -> tuple[str, str] | None:
    """ "Notify all affected employees that servicing is required." -> ("whom do you notify that servicing
    is required", "Affected employees"): an instruction to turn to a role of `roles`, asked; else None."""
    m = _TURN_TO.match(clean(sentence))
    if not m:
        return None
    after = re.sub(r"^(?:the|all|an?|your|any|each|every)\s+", "", m.group("after"), flags=re.IGNORECASE)
    for role in sorted(roles, key=len, reverse=True):
        if not re.match(rf"{re.escape(role)}\b", after, re.IGNORECASE):
            continue
        tail = drop_pointers(after[len(role) :]).strip(" ,").rstrip(" .;:!")
        if re.match(r"(?:and|or|&)\b", tail) or after[len(role) : len(role) + 1] == ",":
            return None  # "... the QMO and the PRRC": the key would be partial
        if _names_role(tail, role) or re.search(r"\b(?:they|them|it|this)\b", tail, re.IGNORECASE):
            return None
        lead = m.group("lead") or ""
        asked = f"{lead[:1].lower() + lead[1:]}whom do you {m.group('verb').lower()} {tail}".strip()
        return re.sub(r"\s+", " ", asked), role
    return None


def _gist(question: str) -> str:
    """What a "who ..." question asks done, lead clause left out: its first four words after "who"."""
    return " ".join(question.partition("who ")[2].split()[:4]).casefold()


_GROUP_WORDS = frozenset(re.findall(r"\S+", "staff members member employees employee personnel people team"))


def _overlaps(a: str, b: str) -> bool:
    """The same role, or two names of one group ("Identified staff", "Staff members")."""
    ka, kb = role_key(a), role_key(b)
    if ka in kb or kb in ka:
        return True
    return bool(set(ka.split()) & set(kb.split()) & _GROUP_WORDS)


_POSSIBILITY = re.compile(r"\bwho(?:m)?\s+(?:\w+\s+)?(?:may|might|can|could|cannot)\b", re.I)


def _role_distractors(key: str, others: list[str], question: str, avoid: str, rng) -> list[str]:
    """Other roles of this SOP for a "who" question: none the same as the key or `avoid`, none the stem
    names, none generic ("staff"), one spelling per role."""
    distinct: list[str] = []
    for r in dict.fromkeys(others):
        if (
            _overlaps(r, key)
            or (avoid and _overlaps(r, avoid))
            or _GENERIC.match(r)
            or len(r.split()) > 6
            or _FUSED.search(r)
            or r.split()[0].lower() in NOT_ROLE_OPENERS
            or "'" in r
            or re.search(rf"\b{re.escape(r)}\b", question, re.IGNORECASE)
            or any(_overlaps(r, d) for d in distinct)
        ):
            continue
        distinct.append(r)
    return pick_distractors(key, [distinct], 3, rng)


def who_does(ctx: Context) -> Iterator[Candidate]:
    """Single choice: which role does what a sentence of the SOP assigns ("The QMO is responsible for
    creating the CAPA" -> "Under this SOP, who is responsible for creating the CAPA?"), or whom the subject
    turns to ("If X, the QMO consults the PRRC" -> "If X, whom does the QMO consult?"); distractors are the
    other roles this SOP names. At most MAX_PER_ROLE questions share a key role in a pool."""
    names = _display_roles(ctx)
    listed = [part.strip() for r in ctx.doc.roles for part in clean(r).split(" / ")]  # "A / B": two roles
    others = [*names.values(), *listed, *mentioned_roles(ctx)]
    listed_keys = {role_key(r) for r in listed}
    found: list[tuple[Step, str, str, str, str]] = []  # step, sentence, question, key, subject
    doers: dict[str, set[str]] = {}
    for step in ctx.items:
        if not ctx.usable(step):
            continue
        actor = clean(step.actor or "")
        for s0, e0 in sentence_spans(step.text):
            sentence = step.text[s0:e0]
            if len(sentence.split()) > 45:
                continue
            you = whom_you_ask(sentence, others)
            if you is not None:
                found.append((step, sentence, you[0], you[1], "you"))
                continue
            if not actor:
                continue
            whom = whom_asks(sentence, actor, others)
            if whom is not None:
                found.append((step, sentence, whom[0], whom[1], actor))
                continue
            question = who_asks(sentence, actor)
            if question is not None:
                found.append((step, sentence, question, names.get(role_key(actor), actor), ""))
                doers.setdefault(_gist(question), set()).add(role_key(actor))
    asked: dict[str, int] = {}
    for step, sentence, question, key, subject in found:
        if not subject and len(doers[_gist(question)]) > 1:
            continue  # two roles do it: no single key
        if _POSSIBILITY.search(question):
            continue  # "who may not be able to provide input": a possibility, not a duty
        if (
            len(key.split()) > 6
            or _FUSED.search(key)
            or not (has_role_noun(key) or role_key(key) in listed_keys)
        ):
            continue  # "NN must be replaced ...": an abbreviation the SOP does not list as a role
        rng = ctx.rng("who_does", step.id, question)
        distractors = _role_distractors(key, others, question, "" if subject == "you" else subject, rng)
        if len(distractors) < 2 or stands_out(key, distractors):
            continue
        options, idx = place_key(key, distractors, rng)
        k = role_key(key)
        n = asked.get(k, 0)
        asked[k] = n + 1
        stem = f"Under this SOP, {question}?"
        what = (
            "whom to turn to"
            if subject == "you"
            else (f"whom the {subject} turns to" if subject else f"that the {key} does this")
        )
        yield Candidate(
            kind="who_does",
            type=SingleChoice.name,
            stem=stem,
            options=options,
            answer=idx,
            step=step,
            quote=sentence,
            # an explicit assignment ("is responsible for") and a short stem first: the one question a
            # role gets should be its duty, not a long clause copied from the SOP
            quality=round(
                min(1.0, ctx.info(step).importance * 0.85 + 0.15)
                + (0.1 if re.search(r"\bresponsible for\b", sentence, re.I) else 0.0)
                - (0.1 if len(question.split()) > 20 else 0.0),
                3,
            ),
            rationale=f"The SOP names a role here; the question checks {what}.",
            slot=f"who_does:{k}:{n % MAX_PER_ROLE}",
            step_ids=[step.id],
        )
