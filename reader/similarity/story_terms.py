"""The terms a story is recognised by: content words, names and numbers, from one text.

Used by section splitting (lexical continuity between blocks of one page) and by story
clustering (the weighted term vector of an article or section). Three kinds of key:

- ``w:<lang>:<stem>`` content words: language-specific, compared only within one language;
- ``n:<name>`` capitalised words and acronyms not at a sentence start (or seen capitalised
  mid-sentence elsewhere in the text): names carry over between languages;
- ``#<number>`` numbers with two or more characters (``12.5%``, ``2020``, ``26``), written the
  same way whatever the language's decimal separator.

Pure functions, no store; cheap enough to run per article in the worker processes.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Words before the cut-off that count; the lead of a news story says what it is about.
MAX_TOKENS = 1500
LEAD_TOKENS = 80
TITLE_WEIGHT = 3.0
LEAD_WEIGHT = 2.0

# One pass: a number, a word (letters only: "l’offre" -> "l", "offre"), or a sentence break.
_SCAN = re.compile(r"(\d+(?:[.,]\d+)*%?)|([^\W\d_]+)|([.!?…:;\n\"«»“”])")

# Function words of the languages the recogniser supports, after accent folding and
# lower-casing. Content words are what tells stories apart; these are not.
_STOPWORDS_TEXT = """
a about above after again against all almost also although always am among an and another any
are around as at back be became because become been before being below between both but by can
cannot could did do does doing done down during each either else even ever every few first for
from further had has have having he her here hers herself him himself his how however i if in
into is it its itself just last least less like made make many may me might more most much must
my myself near need never new next no nor not now of off often on once one only or other our
ours ourselves out over own per perhaps rather really said same say says see seen several shall
she should since so some still such than that the their theirs them themselves then there
these they this those though three through thus to today too two under until up upon us used
very via was we well were what when where whether which while who whom whose why will with
within without would yet you your yours yourself yourselves year years week weeks day days
time times told tell according including including also mr mrs ms dr
au aux avec ce ces cet cette dans de des du elle elles en entre est et etait ete etre eu il
ils je la le les leur leurs lui mais me meme mes moi mon ne nos notre nous on ou par pas pour
qu que qui sa sans se ses si son sont sur ta te tes toi ton tous tout toute toutes tu un une
vos votre vous y ont avait avaient aussi alors apres avant ainsi autre autres car chez comme
depuis donc dont encore fait faire fois ici lors moins peu plus puis quand quel quelle quelles
quels sera seront selon sous tandis tres deja cela celui celle ceux celles leur dit
aber als am an auch auf aus bei bin bis bist da dann das dass dem den der des die doch dort du
durch ein eine einem einen einer eines er es fur hat hatte hier ich ihr ihre im in ist ja jetzt
kann kein keine man mehr mit nach nicht noch nur ob oder ohne sehr sein seine sich sie sind so
uber um und uns unter vom von vor war waren was weil wenn werden wie wir wird wurde zu zum zur
al algo como con cual cuando de del desde donde el ella ellas ellos en entre era es esa ese
eso esta estaba este esto fue ha hay la las le les lo los mas mi muy no nos o otra otro para
pero por porque que se ser si sin sobre su sus tambien te tiene todo todos tu un una uno y ya
ao aos as com da das de do dos ela ele eles em entre era essa esse esta este foi ha isso mais
mas na nas no nos o os ou para pela pelo por quando que se sem ser seu sua suas seus tambem um
uma voce
agli ai alla alle allo anche che chi col con da dal dalla dalle degli dei del della delle dello
di e gli ha hanno il la le lo ma ne nel nella negli nei nelle non per piu quale quando questa
questo se sono su sua sue suo suoi tra un una uno
"""


def fold(word: str) -> str:
    """Lower-case and strip accents: 'États' -> 'etats'."""
    lowered = word.casefold()
    if lowered.isascii():
        return lowered
    return "".join(ch for ch in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(ch))


STOPWORDS: frozenset[str] = frozenset(fold(w) for w in _STOPWORDS_TEXT.split())


def stem(word: str) -> str:
    """A light, language-neutral stem: the plural ending off."""
    if len(word) > 4 and word[-1] == "s" and word[-2] not in "sui":
        return word[:-1]
    return word


def number_key(token: str) -> str:
    """'12,5%' and '12.5%' -> '#12.5%'; '1,000' -> '#1000'; '2020' -> '#2020'."""
    percent = token.endswith("%")
    body = token.rstrip("%")
    groups = _NUMBER_SEPARATOR.split(body)
    if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]):
        body = "".join(groups)  # thousands separators
    elif len(groups) == 2:
        body = f"{groups[0]}.{groups[1]}"
    body = body.lstrip("0") or "0"
    return "#" + body + ("%" if percent else "")


_NUMBER_SEPARATOR = re.compile(r"[.,]")
_FOLDED: dict[str, str] = {}


def _fold_cached(word: str) -> str:
    folded = _FOLDED.get(word)
    if folded is None:
        if len(_FOLDED) > 200_000:
            _FOLDED.clear()
        folded = _FOLDED[word] = fold(word)
    return folded


def scan(text: str, limit: int = MAX_TOKENS) -> list[tuple[str, bool]]:
    """Word and number tokens in order, each with True when it starts a sentence."""
    out: list[tuple[str, bool]] = []
    at_start = True
    for number, word, stop in _SCAN.findall(text):
        if stop:
            at_start = True
            continue
        out.append((number or word, at_start))
        at_start = False
        if len(out) >= limit:
            break
    return out


def name_candidates(toks: Iterable[tuple[str, bool]]) -> set[str]:
    """Folded words seen capitalised in mid-sentence: the text's own evidence of a name."""
    return {_fold_cached(word) for word, at_start in toks if not at_start and word[0].isupper()}


def _key(word: str, at_start: bool, lang: str, names: set[str]) -> str | None:
    """The key of one token, or None for function words and noise."""
    first = word[0]
    if first.isdigit():
        return number_key(word) if len(word) > 1 else None
    folded = _fold_cached(word)
    if folded in STOPWORDS:
        return None
    if first.isupper() and (not at_start or folded in names or not word[1:].islower()):
        return "n:" + folded
    if len(folded) < 3:
        return None
    return f"w:{lang}:{stem(folded)}"


def term_counts(
    title: str,
    text: str,
    lang: str | None,
    *,
    extra_keys: Iterable[str] = (),
    surfaces: dict[str, str] | None = None,
) -> dict[str, float]:
    """Weighted term frequencies of one story: title and lead count more, then log-scaled.

    ``extra_keys`` are keys from elsewhere (entity keys), counted once per occurrence.
    ``surfaces``, when given, receives the first written form of each name key.
    """
    language = lang or "xx"
    body = scan(text)
    names = name_candidates(body)
    counts: dict[str, float] = {}
    get = counts.get
    for word, _ in scan(title, limit=64):
        # headlines are often in title case: a title word is a name only if the body says so
        folded = _fold_cached(word)
        is_name = folded in names or (word[0].isupper() and not word[1:].islower())
        key = _key(word if is_name else word.lower(), False, language, names)
        if key:
            counts[key] = get(key, 0.0) + TITLE_WEIGHT
            if surfaces is not None and key[0] == "n" and key not in surfaces:
                surfaces[key] = word
    for index, (word, at_start) in enumerate(body):
        key = _key(word, at_start, language, names)
        if key:
            counts[key] = get(key, 0.0) + (LEAD_WEIGHT if index < LEAD_TOKENS else 1.0)
            if surfaces is not None and key[0] == "n" and key not in surfaces:
                surfaces[key] = word
    for key in extra_keys:
        counts[key] = get(key, 0.0) + 1.0
    log = math.log
    return {key: 1.0 + log(value) for key, value in counts.items()}


# A story keeps its strongest terms (title, lead, repeated words): enough to say what it is about.
MAX_STORY_TERMS = 160
# Name keys whose written form is kept, for cluster labels.
MAX_SURFACES = 12


@dataclass(frozen=True)
class StoryTerms:
    """The term vector of one story (a page, or one section of a multi-story page)."""

    weights: dict[str, float]
    title_keys: tuple[str, ...]  # keys of the headline: which member's headline fits its cluster best
    surfaces: dict[str, str]  # written form of the strongest name keys, for cluster labels


def story_terms_of(title: str, text: str, lang: str | None) -> StoryTerms:
    surfaces: dict[str, str] = {}
    weights = term_counts(title, text, lang, surfaces=surfaces)
    if len(weights) > MAX_STORY_TERMS:
        weights = dict(sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:MAX_STORY_TERMS])
    title_keys = tuple(term_counts(title, "", lang))
    strongest = sorted(surfaces, key=lambda k: -weights.get(k, 0.0))[:MAX_SURFACES]
    return StoryTerms(weights, title_keys, {k: surfaces[k] for k in strongest})
