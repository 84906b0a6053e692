"""Who performs a step: "The QA Manager shall ...", "Supervisor: ...", "(Supervisors only)".

Role curricula are built from these names, so only phrases that end in a role noun count; anything
else ("Verification: ...", "Nitrile gloves should be worn") is not an actor.
"""

from __future__ import annotations

import re

from lemminflect import getAllLemmas

ROLE_NOUNS = frozenset(
    re.findall(
        r"\S+",
        """
    manager supervisor officer employee technician operator analyst lead owner engineer commander staff
    team personnel person director coordinator administrator admin auditor inspector qa qc qmo qmr reviewer
    approver author trainer trainee user customer worker specialist scientist chemist nurse physician
    pharmacist student member contractor vendor representative head chief designee custodian clerk assistant
    associate agent responder investigator pi sponsor monitor courier driver handler attendant guard steward
    controller accountant planner buyer receiver dispatcher tech technologist pathologist doctor surgeon
    secretary president ceo cfo cto ciso hr ops officer crew pilot mechanic electrician cook server cashier
    volunteer intern resident fellow sampler collector requester requestor approver traveler traveller
    employer
    on-call oncall lab group department committee board
    """,
    )
)
_NOT_ROLES = frozenset({"all", "each", "every", "any", "the", "a", "an", "this", "that", "these", "those"})
_SUBJECT = re.compile(
    r"^(?:(?:if|when|once|after|before)\b[^,]{0,80},\s*)?(?:(?:the|an?|all|each|every|any)\s+)?"
    r"(?P<role>(?:[\w()/&'-]+\s+){0,4}?[\w()/&'-]+?)\s+"
    r"(?:shall|must|should|will|is responsible|are responsible|is required|are required|needs? to|has to|"
    r"have to|is to|are to|may)\b",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^\s*(?P<role>[A-Z][\w()/&' -]{0,50}?)\s*:\s+\S")
# What `_SUBJECT` needs somewhere after a space: a cheap search that spares most steps its backtracking.
_MODAL_WORD = re.compile(r"\s(?:shall|must|should|will|is|are|needs?|has|have|may)\b", re.IGNORECASE)
_ONLY = re.compile(r"\((?:for\s+)?(?P<role>[A-Za-z][\w /&-]{1,40}?)\s+only\)", re.IGNORECASE)


def _head_noun(phrase: str) -> str:
    word = re.sub(r"\(s\)$", "", phrase.split()[-1].lower()).strip("()")
    word = re.sub(r"[^\w-]", "", word)
    if word in ROLE_NOUNS:
        return word
    for suffix in ("s", "es"):
        if word.endswith(suffix) and word[: -len(suffix)] in ROLE_NOUNS:
            return word[: -len(suffix)]
    return ""


def has_role_noun(phrase: str) -> bool:
    """The phrase ends in a role noun ("Supervisor", "People-Ops Team"), not only an abbreviation."""
    return bool(phrase.split()) and bool(_head_noun(phrase))


def is_role(phrase: str) -> bool:
    """A short phrase (at most 6 words) ending in a role noun, or an all-caps abbreviation like "QMO"."""
    phrase = phrase.strip()
    words = phrase.split()
    if not words or len(words) > 6 or words[0].lower() in ("you", "we", "it", "they", "this", "there"):
        return False
    if _head_noun(phrase):
        return True
    return (
        bool(re.fullmatch(r"(?:(?:old|new|the)\s+)?[A-Z]{2,5}", phrase, re.IGNORECASE))
        and phrase.split()[-1].isupper()
    )


def tidy_role(phrase: str) -> str:
    words = phrase.strip(" .,:;").split()
    while words and words[0].lower() in _NOT_ROLES:
        words = words[1:]
    text = " ".join(words)
    text = re.sub(r"\s*\((?:optional|if applicable)\)\s*$", "", text, flags=re.IGNORECASE)
    return text[:1].upper() + text[1:]


def find_actor(text: str) -> str | None:
    """The role performing the step, when the text names one."""
    label = _LABEL.match(text) if ":" in text else None
    if label and is_role(label.group("role")):
        return tidy_role(label.group("role"))
    subject = _SUBJECT.match(text) if _MODAL_WORD.search(text) else None
    if subject and is_role(subject.group("role")):
        return tidy_role(subject.group("role"))
    only = _ONLY.search(text) if ")" in text else None
    if only and is_role(only.group("role")):
        return tidy_role(only.group("role"))
    return None


def role_key(role: str) -> str:
    """Case- and plural-insensitive key, so "Authorized employee(s)" and "authorized employees" merge."""
    key = re.sub(r"\(s\)|\(optional\)", "", role.lower())
    key = re.sub(r"[^\w ]", " ", key)
    words = key.split()
    if words and words[-1].endswith("s") and words[-1][:-1] in ROLE_NOUNS:
        words[-1] = words[-1][:-1]
    return " ".join(words)


# words that open a noun phrase which is not a role ("Most users", "After installation the server")
NOT_ROLE_OPENERS = frozenset(
    re.findall(
        r"\S+",
        "most some many few after before when while being notification new other others "
        "all any each every no this that these those such",
    )
)
_NOT_VERBS = frozenset({"is", "has", "was", "does", "this", "its", "thus", "always", "perhaps", "as"})
# after a word that is also a noun, these show it was the noun ("reviews needs to ...", "accounts that ...")
_NOUN_SIGNS = frozenset(
    re.findall(
        r"\S+",
        "is are was were will would can could must should shall may might needs need has have "
        "that which who of 's",
    )
)


def present_verb(subject: str, word: str, next_word: str = "") -> bool:
    """Does `word` read as the subject's verb in the present tense ("QMO coordinates", "supervisors
    review")? A dictionary verb (lemminflect) in the form the subject takes, not a noun in disguise."""
    word = word.strip(",;:")
    if not word.isalpha() or not word.islower() or word in _NOT_VERBS:
        return False
    lemmas = getAllLemmas(word, upos="VERB").get("VERB", ())
    if not lemmas:
        return False
    if getAllLemmas(word, upos="NOUN") and next_word.lower().strip(",;:") in _NOUN_SIGNS:
        return False
    plural = subject.endswith("s") and not subject.endswith("ss") and not subject.isupper()
    if plural:
        return word in lemmas  # "supervisors review"
    return word.endswith("s") and word not in lemmas  # "the QMO coordinates"
