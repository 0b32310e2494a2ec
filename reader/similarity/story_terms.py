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
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import is_, itemgetter

# Words before the cut-off that count; the lead of a news story says what it is about.
MAX_TOKENS = 1500
LEAD_TOKENS = 80
TITLE_TOKENS = 64
TITLE_WEIGHT = 3.0
LEAD_WEIGHT = 2.0


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
# The tokens of one whitespace-separated piece: numbers, and words of letters only
# ("l’offre" -> "l", "offre"; "(TikTok)," -> "TikTok"; "12,5%" -> "12,5%").
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*%?|[^\W\d_]+")
# The first word after a sentence break (the text's first word starts a sentence too).
_SENTENCE_START = re.compile(r"[.!?…:;\n\"«»“”][^\w]*([^\W\d_]+)")
# Per-process caches, dropped when full: pieces and words recur across articles.
_CACHE_LIMIT = 200_000
_FOLDED: dict[str, str] = {}

# What a token is, once per distinct token (see _token_kind).
_SKIP, _NUMBER, _WORD, _CAPITALISED, _ACRONYM = range(5)
Token = tuple[int, str, str, str]  # (kind, folded word or number key, stem of a word or "", as written)
_TOKENS: dict[str, Token] = {}
_PIECES: dict[str, tuple[Token, ...]] = {}
_PLAIN: dict[str, dict[str, str]] = {}  # per word-key prefix (language)


def _fold_cached(word: str) -> str:
    folded = _FOLDED.get(word)
    if folded is None:
        if len(_FOLDED) > _CACHE_LIMIT:
            _FOLDED.clear()
        folded = _FOLDED[word] = fold(word)
    return folded


def _token_kind(token: str) -> Token:
    """A token's kind, folded form and stem: what its key depends on besides the text's names.

    A capitalised word is a name when it is an acronym or mixed case ("TikTok", "US"), or when
    the text writes it capitalised in mid-sentence somewhere (then it is not a sentence-initial
    capital): see :func:`term_counts`.
    """
    found = _TOKENS.get(token)
    if found is not None:
        return found
    if token[0].isdigit():
        kind: Token = (_NUMBER, number_key(token), "", token) if len(token) > 1 else (_SKIP, "", "", token)
    else:
        folded = _fold_cached(token)
        if folded in STOPWORDS:
            kind = (_SKIP, folded, "", token)
        else:
            word_stem = stem(folded) if len(folded) >= 3 else ""
            if not token[0].isupper():
                kind = (_WORD, folded, word_stem, token) if word_stem else (_SKIP, folded, "", token)
            else:
                kind = (_CAPITALISED if token[1:].islower() else _ACRONYM, folded, word_stem, token)
    if len(_TOKENS) > _CACHE_LIMIT:
        _TOKENS.clear()
    _TOKENS[token] = kind
    return kind


def _piece_tokens(piece: str) -> tuple[Token, ...]:
    found = _PIECES.get(piece)
    if found is None:
        if len(_PIECES) > _CACHE_LIMIT:
            _PIECES.clear()
        found = _PIECES[piece] = tuple(_token_kind(t) for t in _TOKEN.findall(piece))
    return found


def name_keys_in(name: str) -> list[str]:
    """The "n:" keys of the capitalised words of a written name ("US Department of Justice":
    n:us, n:department, n:justice), as a text's own name keys are made."""
    return ["n:" + folded for piece in name.split() for kind, folded, _, _ in _piece_tokens(piece) if kind >= _CAPITALISED]


def _pieces(text: str, limit: int) -> tuple[list[str], str]:
    """The first ``limit`` whitespace-separated pieces, and the text they span."""
    pieces = text.split(None, limit)
    if len(pieces) > limit:
        rest = pieces.pop()
        return pieces, text[: len(text) - len(rest)]
    return pieces, text


def _plain_keys(word_prefix: str) -> dict[str, str]:
    """Per language: the key of each piece that is one word or number ("" for none)."""
    found = _PLAIN.get(word_prefix)
    if found is None:
        found = _PLAIN[word_prefix] = {}
    return found


def _plain_key(token: Token, word_prefix: str) -> str:
    kind, folded, word_stem, _ = token
    if kind == _WORD:
        return word_prefix + word_stem
    return folded if kind == _NUMBER else ""


def sentence_initial_capitals(pieces: Sequence[str], text: str) -> dict[str, int]:
    """How often each folded word opens a sentence with a capital (the text's first word too)."""
    starts = _SENTENCE_START.findall(text)
    first = _TOKEN.match(pieces[0]) if pieces else None
    if first is not None:
        starts.append(first.group())
    initial: dict[str, int] = {}
    for word in starts:
        if word[0].isupper():
            folded = _fold_cached(word)
            initial[folded] = initial.get(folded, 0) + 1
    return initial


def term_counts(
    title: str,
    text: str,
    lang: str | None,
    *,
    extra_keys: Iterable[str] = (),
    surfaces: dict[str, str] | None = None,
    title_keys: list[str] | None = None,
    scaled: bool = True,
) -> dict[str, float]:
    """Weighted term frequencies of one story: title and lead count more, then log-scaled
    (1 + ln(count); with ``scaled`` false, the counts themselves).

    The work is per distinct piece of text (a word with its punctuation), not per token: the
    text is split on whitespace, the pieces are counted (the title's TITLE_WEIGHT times, the
    lead's LEAD_WEIGHT times) and each distinct piece's tokens are classified once per process.

    A capitalised word is a name (``n:`` key) when it is an acronym or mixed case, or when the
    body writes it capitalised in mid-sentence (more capitalised occurrences than
    sentence-initial ones); otherwise a sentence-initial or title-case capital is an ordinary
    word. ``extra_keys`` are keys from elsewhere (entity keys), counted once per occurrence.
    ``surfaces``, when given, receives the first written form of each name key, and
    ``title_keys`` the keys of the title's words (read with the body's evidence of names).
    """
    body, body_text = _pieces(text, MAX_TOKENS)
    title_pieces = title.split(None, TITLE_TOKENS)[:TITLE_TOKENS]
    lead = body[:LEAD_TOKENS] * (int(LEAD_WEIGHT) - 1)
    titled = title_pieces * int(TITLE_WEIGHT)
    word_prefix = f"w:{lang or 'xx'}:"
    plain = _plain_keys(word_prefix)
    plain_key = plain.get
    # pieces that are one known word or number: counted by key in C, without a Python loop
    # (each piece looked up once: the title's and the lead's repeats reuse the keys found)
    title_keys_of = list(map(plain_key, title_pieces)) * int(TITLE_WEIGHT)
    body_keys = list(map(plain_key, body))
    lead_keys = body_keys[:LEAD_TOKENS] * (int(LEAD_WEIGHT) - 1)
    weights: dict[str, float] = Counter(title_keys_of)
    weights.update(body_keys)
    weights.update(lead_keys)
    weights.pop(None, None)  # type: ignore[call-overload]
    weights.pop("", None)
    # the others (names, capitalised words, several tokens in one piece, first sightings)
    body_counts = Counter(compress(body, map(is_, body_keys, repeat(None))))
    counts = Counter(compress(titled, map(is_, title_keys_of, repeat(None))))
    counts.update(body_counts)
    counts.update(compress(lead, map(is_, lead_keys, repeat(None))))
    get = weights.get
    capitalised: dict[str, int] = {}  # body occurrences written with a capital, per folded word
    undecided: list[tuple[str, int, str, str]] = []  # capitalised words: a name or not, once names are known
    for piece, count in counts.items():
        tokens = _piece_tokens(piece)
        if len(tokens) == 1 and tokens[0][0] in (_SKIP, _WORD, _NUMBER):
            if len(plain) > _CACHE_LIMIT:
                plain.clear()
            plain[piece] = _plain_key(tokens[0], word_prefix)
        for kind, folded, word_stem, written in tokens:
            if kind == _WORD:
                key = word_prefix + word_stem
            elif kind == _NUMBER:
                key = folded
            elif kind >= _CAPITALISED:
                capitalised[folded] = capitalised.get(folded, 0) + body_counts.get(piece, 0)
                if kind == _CAPITALISED:
                    undecided.append((written, count, folded, word_stem))
                    continue
                key = "n:" + folded
                if surfaces is not None and key not in surfaces:
                    surfaces[key] = written
            else:
                continue
            weights[key] = get(key, 0) + count
    if undecided:
        initial = sentence_initial_capitals(body, body_text)
        for written, count, folded, word_stem in undecided:
            if capitalised[folded] > initial.get(folded, 0):
                key = "n:" + folded
                if surfaces is not None and key not in surfaces:
                    surfaces[key] = written
            elif word_stem:
                key = word_prefix + word_stem
            else:
                continue
            weights[key] = get(key, 0) + count
    if title_keys is not None:
        title_keys.extend(_title_keys(title_pieces, word_prefix, weights))
    for key in extra_keys:
        weights[key] = get(key, 0) + 1
    if not scaled:
        return weights
    # 1 + ln(count) = ln(e * count), computed in C over all keys
    return dict(zip(weights, map(math.log, map(math.e.__mul__, weights.values()))))


# 1 + ln(count) for the counts a story can hold (MAX_TOKENS words, the title and lead again):
# looked up, not computed, when a batch of stories is weighed.
MAX_COUNT = 4095
TERM_FREQUENCY: list[float] = [0.0, *map(math.log, map(math.e.__mul__, range(1, MAX_COUNT + 1)))]


def _title_keys(pieces: Sequence[str], word_prefix: str, weights: dict[str, float]) -> list[str]:
    """The keys the title's words were counted under, in title order, each once."""
    plain_key = _plain_keys(word_prefix).get
    keys: dict[str, None] = {}
    for piece in pieces:
        key = plain_key(piece)
        if key:
            keys[key] = None
            continue
        for kind, folded, word_stem, _ in _piece_tokens(piece) if key is None else ():
            if kind == _NUMBER or kind == _SKIP:
                key = folded if kind == _NUMBER else ""
            elif kind >= _CAPITALISED and "n:" + folded in weights:
                key = "n:" + folded
            else:
                key = word_prefix + word_stem if word_stem else ""
            if key:
                keys[key] = None
    return [key for key in keys if key in weights]


# A story keeps its strongest terms (title, lead, repeated words): enough to say what it is about,
# and a third more than the clustering's vector keeps once they are weighed by IDF.
MAX_STORY_TERMS = 128
# Name keys whose written form is kept, for cluster labels.
MAX_SURFACES = 12


@dataclass(frozen=True)
class StoryTerms:
    """The terms of one story (a page, or one section of a multi-story page).

    ``counts`` are weighted occurrence counts (title and lead count more; see
    :func:`term_counts`), integers at most MAX_COUNT: the story's term frequency of a key is
    ``TERM_FREQUENCY[count]``. Integers rather than floats: a third less to send from a worker
    process (pickled small integers take two bytes, floats nine).
    """

    counts: dict[str, int]
    title_keys: tuple[str, ...]  # keys of the headline: which member's headline fits its cluster best
    surfaces: dict[str, str]  # written form of the strongest name keys, for cluster labels


def story_terms_of(title: str, text: str, lang: str | None) -> StoryTerms:
    surfaces: dict[str, str] = {}
    title_keys: list[str] = []
    counts = term_counts(title, text, lang, surfaces=surfaces, title_keys=title_keys, scaled=False)
    if len(counts) > MAX_STORY_TERMS:
        # strongest first, ties by key: numbers ("#") and names ("n:") before words ("w:");
        # two sorts in C (by key, then a stable sort by count) instead of a key function
        counts = dict(sorted(sorted(counts.items()), key=itemgetter(1), reverse=True)[:MAX_STORY_TERMS])
    if counts and max(counts.values()) > MAX_COUNT:  # (a piece may hold a token many times over)
        counts = {key: min(count, MAX_COUNT) for key, count in counts.items()}
    strongest = sorted([k for k in surfaces if k in counts], key=counts.__getitem__, reverse=True)[:MAX_SURFACES]
    return StoryTerms(counts, tuple(title_keys), {k: surfaces[k] for k in strongest})
