"""Does a bullet or sentence read like an instruction?

Unnumbered bullets are steps only when they tell someone to do something; lists of examples
("Customer complaints", "Audit findings") are not. An imperative verb first (after an optional
"Role:" label or "If ...," clause), a "do not/never/always/make sure" opener, or a modal
("shall", "must", ...) near the start are the signals.
"""

from __future__ import annotations

import itertools
import re

from lemminflect import getAllLemmas

from sops.inline import clean_inline

VERBS = frozenset(
    re.findall(
        r"\S+",
        """
    access acknowledge activate add adjust affix agree align allow alert analyse analyze anchor announce
    apply approve archive arrange ask assemble assess assign attach audit authorize autoclave avoid back
    bake balance bleach block book brief bring build calculate calibrate call cancel capture carry centrifuge
    change charge check choose clamp classify clean cleanse clear click close coat collect combine complete
    comply compute conduct configure confirm connect consider consult contact continue convert cool coordinate
    copy correct count cover create crosscheck cut date deactivate decant decide declare decontaminate define
    delete deliver deploy describe designate detach determine develop dilute disable discard disconnect
    discuss dispense dispose dissipate dissolve distribute document don doff download drain draw dry dump
    e-mail edit eject email empty enable ensure enter equilibrate escalate establish estimate evaluate
    examine exchange execute exit export fill file filter find finish fix flip flush fold follow forward
    freeze gather generate get give go grab grant grind handle hand heat help hold identify ignore immerse
    implement import incubate inform initiate inoculate insert inspect install instruct invert invite involve
    isolate issue keep label leave let limit load locate lock log look lower lyse maintain make mark measure
    meet microwave mix modify monitor mount move name navigate note notify obtain open operate order organize
    organise pack page pause perform ping pipette pipet place plan plug post pour power prepare present press
    prevent print proceed process program protect provide pull pump purchase push put quantify raise read
    reboot receive recheck record redeploy reduce refer refrigerate register reinstall reject release remind
    remove rename repair repeat replace report request reset resolve respond restart restore resume retain
    retrieve return review rinse rotate run save scan schedule seal secure select send set settle shake share
    shut sign snooze soak sort spin spray squirt stack start sterilize sterilise stick stir stop store
    submit subscribe supervise swab swap switch take tag tap tell terminate test thank thaw tighten titrate
    toggle track train transfer transport trigger turn type uncap unlock unplug unregister unscrew update
    upload use validate vent verify visit vortex wait walk warm wash wear weigh wipe withdraw work wrap write
    zero act be do fix stamp support setup crop intake deactivate re-energize reenergize energize depress
    shutdown kill revert instate blacklist whitelist have include try treat
    """,
    )
)
_OPENERS = re.compile(
    r"^(?:do not|don't|never|always|make sure|be sure|be careful|be aware|ensure|please)\b(?=\s+\S)", re.I
)
_COMMAND = re.compile(r"^`[^`]{1,500}`[.;]?$")  # a bullet that is only a shell command
_MODAL = re.compile(
    r"^(?:\S+\s+){0,6}?(?<!that )(?<!which )(?<!who )"
    r"(?:shall|must|should|needs? to|is required to|are required to|has to|have to|is to|are to)\b",
    re.I,
)
_LABEL = re.compile(r"^([^:]{1,40}):\s+(?=\S)")
_LEAD_CLAUSE = re.compile(
    r"^(?:if|when|whenever|once|after|before|during|at|for|in|on|upon|while|as soon as|where|unless|"
    r"prior to|following|within|to)\b[^,]{0,140},\s*",
    re.I,
)
_LEAD_ADVERB = re.compile(
    r"^(?:finally|then|next|first|second|third|also|now|immediately|carefully|again|lastly),?\s+", re.I
)
_NEXT_STEP = re.compile(r"\b(?:the next step is to|get started by|start by|begin by)\b", re.I)
_PREFIX = re.compile(r"^(?:re|pre|de|un)-", re.I)
# Words that are usually nouns: an order only with an object or particle ("Prefix all emails ...",
# "Overview the timeline", "Figure out if ...", "Reach out to ..."), never "Figure 1." or "Overview".
_NOUN_VERB = re.compile(
    r"^(?:overview|prefix|figure|reach)\s+(?:out|the|a|an|all|any|each|every|your|this|these|those|our|their)\b",
    re.I,
)
_NOT_COMPOUND = frozenset(
    {"in", "on", "off", "out", "up", "over", "under", "after", "by", "self", "non", "well"}
)
_WORD = re.compile(r"[A-Za-z'-]+")
_NOUN_OF = re.compile(r"^\S+\s+of\b")
_SLASH = re.compile(r"([A-Za-z]+)/")
_TRAILING_QUESTION = re.compile(r"\s+[\u2014\u2013-]\s+[^\u2014\u2013]*\?$")  # "Confirm it — was it real?"
_PLACE_LEAD = re.compile(r"^(?:from|in|on|via|using)\s+(?:the|a|an|your)\s+")  # "from the console select ..."
_SUBJECTS = frozenset({"i", "we", "you", "they", "he", "she", "it", "this", "that", "which", "who"})


# "/chatops run canary ...", "<chef-repo>/bin/set-server-state ...", "knife ssh ...": a command line
_SHELL = re.compile(
    r"^(?:/[a-z][\w-]+\s+[a-z-]|<[\w-]+>/|(?:sudo|git|knife|kubectl|docker|ssh|curl|cd|make|pip|npm|"
    r"terraform|cf|aws|gcloud|systemctl|psql|chef-client|gitlab-ctl)\s+[\w./-])"
)


def base_verb(word: str) -> bool:
    """Is the word a verb's base form ("abort", "submerge", "evacuate"), as an order opens with? The VERBS
    list first, then lemminflect's dictionary for the verbs it does not hold."""
    word = word.lower()
    return word in VERBS or getAllLemmas(word, upos="VERB").get("VERB", ("",))[0] == word


def first_word(text: str) -> str:
    match = _WORD.match(text)
    return match.group(0).lower() if match else ""


def strip_lead(text: str) -> str:
    """Drop a leading "Label:" and "If/When/Once ...," clause and filler adverbs."""
    for _ in range(3):
        before = text
        label = _LABEL.match(text)
        if label and not re.search(r"https?$", label.group(1)):
            text = text[label.end() :]
        text = _LEAD_CLAUSE.sub("", text)
        text = _LEAD_ADVERB.sub("", text)
        if text == before:
            break
    return text


def is_command(raw: str) -> bool:
    """Raw Markdown that is nothing but inline code (`sudo shutdown now`): a runbook command step."""
    return bool(_COMMAND.match(raw.strip()))


def reads_like_action(text: str, *, clean: bool = True) -> bool:
    """True when the text opens with an instruction (imperative, do-not, or a modal near the start)."""
    if clean and is_command(text):
        return True
    plain = clean_inline(text) if clean else text
    plain = plain.strip(" *-•\"'“")
    if _SHELL.match(plain):
        return True  # a command as a PDF or Word file shows it, without the Markdown's backticks
    label = _LABEL.match(plain)
    if label and len(label.group(1).split()) >= 2 and _imperative(label.group(1)):
        return True  # "Support each other: when ..., it is courteous to ..."
    plain = strip_lead(plain)
    if plain.endswith("?"):
        plain = _TRAILING_QUESTION.sub("", plain)  # an order followed by the question it settles
    if not plain or plain.endswith("?"):
        return False
    if _OPENERS.match(plain):
        return True
    word = first_word(plain)
    if _NOUN_OF.match(plain):  # "Review of the effectiveness": a noun, not an order
        return False
    if word.split("/")[0] in VERBS or _PREFIX.sub("", word) in VERBS or _compound_verb(word):
        return True
    if _NOUN_VERB.match(plain):
        return True
    slash = _SLASH.match(plain)
    if slash and slash.group(1).lower() in VERBS:
        return True
    if _MODAL.search(plain) or _NEXT_STEP.search(plain):
        return True
    return _after_place(plain)


def _compound_verb(word: str) -> bool:
    """ "plasma-treat", "spot-check": a hyphenated verb whose last part is an order."""
    head, _, tail = word.rpartition("-")
    return bool(head) and head not in _NOT_COMPOUND and tail in VERBS


def _imperative(text: str) -> bool:
    word = first_word(text)
    return not _NOUN_OF.match(text) and (word in VERBS or _PREFIX.sub("", word) in VERBS)


def _after_place(plain: str) -> bool:
    """ "from the AWS console select ...": a place phrase, then the order (no comma between)."""
    if not _PLACE_LEAD.match(plain):
        return False
    words = plain.split()[:10]
    for before, word in itertools.pairwise(words[1:]):
        clean = _WORD.match(word)
        if clean and clean.group(0).lower() in VERBS and before.lower() not in _SUBJECTS and word.islower():
            return True
    return False
