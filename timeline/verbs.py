"""English verb forms news uses: past forms and their bases, participles, the third person."""

from __future__ import annotations

import re

# Past forms news uses, with their base forms; regular "-ed" verbs are handled by rule. Clause
# patterns use them to find verbs, headlines to put verbs in the present.
IRREGULAR_PAST = {
    "said": "say", "told": "tell", "hit": "hit", "struck": "strike", "took": "take",
    "met": "meet", "shot": "shoot", "brought": "bring", "left": "leave", "fled": "flee",
    "won": "win", "lost": "lose", "fell": "fall", "sent": "send", "held": "hold",
    "began": "begin", "came": "come", "went": "go", "gave": "give", "made": "make",
    "saw": "see", "spoke": "speak", "withdrew": "withdraw", "retook": "retake",
    "overran": "overrun", "became": "become", "heard": "hear", "kept": "keep", "led": "lead",
    "built": "build", "swept": "sweep", "fought": "fight", "found": "find", "flew": "fly",
    "drove": "drive", "caught": "catch", "sought": "seek", "thought": "think", "stood": "stand",
    "ran": "run", "rose": "rise", "sold": "sell", "spent": "spend", "tore": "tear",
    "chose": "choose", "drew": "draw", "felt": "feel", "grew": "grow", "knew": "know",
    "meant": "mean", "paid": "pay", "threw": "throw", "wrote": "write", "broke": "break",
    "bought": "buy", "shut": "shut", "cut": "cut", "put": "put", "spread": "spread",
    "hid": "hide", "stole": "steal", "did": "do", "had": "have", "was": "be", "were": "be",
    "blew": "blow", "rebuilt": "rebuild", "sank": "sink", "shook": "shake", "froze": "freeze",
    "dug": "dig", "swung": "swing", "bled": "bleed", "swore": "swear",
    "rode": "ride", "shrank": "shrink", "arose": "arise", "forgot": "forget", "got": "get",
    "hung": "hang", "understood": "understand", "upheld": "uphold", "withheld": "withhold",
    "overtook": "overtake", "undertook": "undertake", "withstood": "withstand",
    "forgave": "forgive", "dealt": "deal", "lent": "lend", "bent": "bend", "slid": "slide",
    "spun": "spin", "overthrew": "overthrow", "slew": "slay", "stuck": "stick",
    "slept": "sleep", "fed": "feed", "crept": "creep",
}  # fmt: skip


# "-ed" forms whose base the spelling rules get wrong.
REGULAR_EXCEPTIONS = {
    "added": "add", "completed": "complete", "deleted": "delete", "competed": "compete",
    "hoped": "hope", "focused": "focus", "visited": "visit", "exited": "exit",
    "patrolled": "patrol", "controlled": "control", "compelled": "compel",
    "expelled": "expel", "cancelled": "cancel", "developed": "develop",
}  # fmt: skip
# Irregular participles with their base forms ("had fallen": fall).
PARTICIPLE_BASE = {
    "taken": "take", "given": "give", "shot": "shoot", "hit": "hit", "struck": "strike",
    "seen": "see", "done": "do", "gone": "go", "held": "hold", "left": "leave", "lost": "lose",
    "fought": "fight", "found": "find", "flown": "fly", "driven": "drive", "caught": "catch",
    "sought": "seek", "stood": "stand", "sold": "sell", "spent": "spend", "torn": "tear",
    "chosen": "choose", "drawn": "draw", "grown": "grow", "known": "know", "paid": "pay",
    "thrown": "throw", "written": "write", "broken": "break", "brought": "bring",
    "built": "build", "bought": "buy", "cut": "cut", "put": "put", "set": "set",
    "spread": "spread", "hurt": "hurt", "beaten": "beat", "begun": "begin", "fallen": "fall",
    "risen": "rise", "withdrawn": "withdraw", "retaken": "retake", "overrun": "overrun",
    "become": "become", "sent": "send", "kept": "keep", "led": "lead", "made": "make",
    "met": "meet", "won": "win", "hidden": "hide", "stolen": "steal",
}  # fmt: skip
PARTICIPLE = r"(?:[a-z]{2,}ed|" + "|".join(PARTICIPLE_BASE) + ")"
ADVERB = r"(?:[a-z]+ly|also|already|again|now|then|still|not|never|just|first|once)"
PAST_VERB = re.compile(r"(?<![\w'’-])(?:" + "|".join(IRREGULAR_PAST) + r"|[a-z]{2,}ed)(?![\w'’-])")
# A finite verb: a past form, an auxiliary or a modal ("a clause", not a heading or a phrase).
A_VERB = re.compile(
    PAST_VERB.pattern + r"|\b(?:is|are|was|were|has|have|had|will|would|can|could|may)\b"
)
NOT_VERBS = frozenset(
    "hundred united armed limited red speed need bed shed seed feed breed naked sacred "
    "wicked indeed proceed exceed succeed combined".split()  # "a combined heat and power plant"
)


def regular_base(word: str) -> str:
    """The base of a regular past form: 'stopped' stop, 'seized' seize, 'carried' carry,
    'fired' fire, 'entered' enter, 'announced' announce."""
    if word.endswith("ied"):
        return word[:-3] + "y"
    stem = word[:-2]
    if re.search(r"([bdgkmnprtz])\1\Z", stem):
        return stem[:-1]  # "stopped", "planned"; not "shelled", "killed"
    if re.search(
        r"(?:[cgvzu]|[^s]s|[^aeiou][aeiou][bdkm]|[^aeiou][aiou]r|[^aeiou][aou]t|[^aeiou][iou]l|"
        r"[^aeiou]in|[^aeiou][aiu]p)\Z",
        stem,
    ):
        return stem + "e"
    return stem


def ing_bases(word: str) -> tuple[str, ...]:
    """The base forms an '-ing' form may be of: 'reconnecting' reconnect, 'restoring' restore,
    'shelling' shell, 'stopping' stop; () for a word that is no '-ing' form."""
    word = word.lower()
    if not word.endswith("ing") or len(word) < 6:
        return ()
    stem = word[:-3]
    forms = [stem, stem + "e"]
    if re.search(r"([bdgkmnprtz])\1\Z", stem):
        forms.insert(0, stem[:-1])  # "stopping", "planning"
    return tuple(forms)


def third_person(base: str) -> str:
    irregular = {"be": "is", "have": "has", "do": "does", "go": "goes", "say": "says"}
    if base in irregular:
        return irregular[base]
    if re.search(r"[^aeiou]y\Z", base):
        return base[:-1] + "ies"
    if base.endswith(("s", "x", "z", "ch", "sh", "o")):
        return base + "es"
    return base + "s"


def base_forms(word: str) -> tuple[str, ...]:
    """The base forms a word may be of, as a verb: 'struck' strike, 'retook' retake, 'taken'
    take, 'seized' seize, 'fires' fire, 'carries' carry, 'pushes' push; the word itself too."""
    word = word.lower()
    if word in IRREGULAR_PAST:
        return (IRREGULAR_PAST[word],)
    if word in REGULAR_EXCEPTIONS:
        return (REGULAR_EXCEPTIONS[word],)
    if word in PARTICIPLE_BASE:
        return (PARTICIPLE_BASE[word], word)
    if word.endswith("ed") and word not in NOT_VERBS:
        return (regular_base(word), word[:-2], word[:-1])
    if word.endswith("ies"):
        return (word[:-3] + "y", word)
    if word.endswith("es"):
        return (word[:-2], word[:-1], word)
    if word.endswith("s") and not word.endswith("ss"):
        return (word[:-1], word)
    return (word,)


# Participles that tell what an event did, after a comma ("…on Monday, knocking out water
# supplies to Kyiv"): a second event on the same day, whose subject is the clause's before.
# Each with its past form, so that a headline puts it in the present as any other verb. Not
# "killing two": the curated file counts a strike's dead in the strike; not "leaving behind
# tanks": only what leaves people without a supply.
RESULT_PARTICIPLES = {
    "knocking": "knocked", "cutting": "cut", "leaving": "left", "causing": "caused",
    "damaging": "damaged", "destroying": "destroyed", "flooding": "flooded",
    "plunging": "plunged", "disrupting": "disrupted", "sparking": "sparked",
    "triggering": "triggered",
}  # fmt: skip
RESULT_PARTICIPLE = re.compile(
    r"(?:" + "|".join(p for p in RESULT_PARTICIPLES if p != "leaving") + r")\b"
    r"|leaving\b(?=[^,;.]{0,60}\bwithout\b)"
)
# The same results told by a second verb of the clause's subject, in the past ("Missiles hit
# the plant on Monday and plunged the city into darkness"): a second event of that day. Only
# results that reach beyond the target (a supply cut, a blackout caused), not "and damaged a
# transformer", which is the strike's own damage.
RESULT_PAST = frozenset("knocked cut caused plunged disrupted sparked triggered left".split())
RESULT_COORDINATED = re.compile(
    r"and\s+(?=(?:" + "|".join(sorted(RESULT_PAST - {"left"})) + r")\b"
    r"|left\b[^,;.]{0,60}\bwithout\b)"  # "left … without": a supply lost, not tanks left behind
)
