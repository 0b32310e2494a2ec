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
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, compress
from operator import itemgetter
from typing import Generic, TypeVar

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
# Dotted initials ("U.S.", "U.N.") are one token: the acronym, written without its dots. So is a
# code of letters then digits ("G7", "MH370", "F-35", "COVID-19", "H1N1"): "MH370" and "MH17"
# are two flights, not the name "MH" and two numbers.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*%?|(?:[^\W\d_]\.){2,}|[^\W\d_]+(?:-?\d[^\W_]*)?")
# The characters that end a sentence (or open a quotation): the first word after one, past any
# other non-word characters, opens a sentence (and so does the text's first word).
_SENTENCE_BREAKS = ".!?…:;\n\"«»“”"
# The words opened by each kind of break, one pattern per break character: the character is the
# pattern's literal first one, which the regex engine skips to far faster than to any of a class
# of characters. A word is found after the LAST break before it (no other break between them),
# so a word after a run of breaks ('."', ".\n") is found once.
# A full stop after a lone capital is an initial's ("U.S. Senate", "George W. Bush"), not a sentence's
# end: tested looking back from the stop, so that the pattern still starts with its literal.
_NOT_AFTER_AN_INITIAL = r"(?:(?<=[^\W\d_]{2}\.)|(?<![A-ZÀ-ÖØ-Þ]\.))"
# Nor does the stop of an abbreviation written before names (titles, "St.", "Mt."): "Dr. Benjamin".
_NAME_ABBREVIATIONS = "Mr Ms Dr Lt St Mt Mrs Sen Rep Gov Gen Col Sgt Rev Mme Sra Adm Maj Det Prof Capt Mlle Insp Supt Cmdr"
_NOT_AFTER_AN_ABBREVIATION = "".join(
    r"(?<!\b(?:" + "|".join(same) + r")\.)"
    for same in ([a for a in _NAME_ABBREVIATIONS.split() if len(a) == size] for size in (2, 3, 4))
)
_WORDS_AFTER_BREAK: tuple[tuple[str, Callable[[str], list[str]]], ...] = tuple(
    (
        mark,
        re.compile(
            re.escape(mark) + (_NOT_AFTER_AN_INITIAL + _NOT_AFTER_AN_ABBREVIATION if mark == "." else "") + r'[^\w.!?…:;\n"«»“”]*([^\W\d_]+)'
        ).findall,
    )
    for mark in _SENTENCE_BREAKS
)

# Per-process caches, dropped when full: pieces, tokens and words recur across articles.
_CACHE_LIMIT = 200_000
_Value = TypeVar("_Value")


class _Memo(dict[str, _Value], Generic[_Value]):
    """A dict that computes a missing value once, keeps it, and is emptied when full.

    A known key costs one dict look-up in C, so ``map(memo.__getitem__, strings)`` runs without
    a Python call for everything seen before; only first sightings call ``make``.
    """

    def __init__(self, make: Callable[[str], _Value]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: str) -> _Value:
        return self.keep(key, self.make(key))

    def keep(self, key: str, value: _Value) -> _Value:
        """Remember a value computed elsewhere (as ``make`` would compute it)."""
        if len(self) > _CACHE_LIMIT:
            self.clear()
        self[key] = value
        return value


# What a token is, once per distinct token (see _token_kind).
_SKIP, _NUMBER, _WORD, _CAPITALISED, _ACRONYM = range(5)
Token = tuple[int, str, str, str]  # (kind, folded word or number key, stem of a word or "", as written)


def _token_kind(token: str) -> Token:
    """A token's kind, folded form and stem: what its key depends on besides the text's names.

    A capitalised word is a name when it is an acronym or mixed case ("TikTok", "US"), or when
    the text writes it capitalised in mid-sentence somewhere (then it is not a sentence-initial
    capital): see :func:`term_counts`.
    """
    if token[0].isdigit():
        return (_NUMBER, number_key(token), "", token) if len(token) > 1 else (_SKIP, "", "", token)
    if token[-1] == ".":  # dotted initials: "U.S." -> n:us, even if "us" is a function word; "e.g." says nothing
        return (_ACRONYM, fold(token.replace(".", "")), "", token) if token[0].isupper() else (_SKIP, "", "", token)
    if not token.isalpha():  # a code of letters and digits: a name when it starts with a capital
        folded = fold(token.replace("-", ""))
        if folded[-1] == "s" and folded[-2].isdigit():  # "AK-47s": the plural of the name
            folded = folded[:-1]
        return (_ACRONYM, folded, "", token) if token[0].isupper() else (_WORD, folded, folded, token)
    folded = fold(token)
    if folded in STOPWORDS:
        return (_SKIP, folded, "", token)
    word_stem = stem(folded) if len(folded) >= 3 else ""
    if not token[0].isupper():
        return (_WORD, folded, word_stem, token) if word_stem else (_SKIP, folded, "", token)
    return (_CAPITALISED if token[1:].islower() else _ACRONYM, folded, word_stem, token)


_TOKENS: _Memo[Token] = _Memo(_token_kind)


def _tokens_of(piece: str) -> tuple[Token, ...]:
    """A piece's tokens; a piece of letters only (most words), or of digits only, is one token as it is."""
    if piece.isalpha() or piece.isdecimal():
        return (_TOKENS[piece],)
    return tuple(map(_TOKENS.__getitem__, _TOKEN.findall(piece)))


def _marked_tokens_of(mark: str) -> tuple[Token, ...]:
    return _tokens_of(mark[1:])


# The tokens of the marked keys of pieces (see _piece_key), read per text.
_MARKED_TOKENS: _Memo[tuple[Token, ...]] = _Memo(_marked_tokens_of)


def name_keys_in(name: str) -> list[str]:
    """The "n:" keys of the capitalised words of a written name ("US Department of Justice":
    n:us, n:department, n:justice), as a text's own name keys are made."""
    return ["n:" + folded for piece in name.split() for kind, folded, _, _ in _tokens_of(piece) if kind >= _CAPITALISED]


def _key_counts(name: str) -> tuple[tuple[str, int], ...]:
    return tuple(Counter(name_keys_in(name)).items())


_NAME_KEY_COUNTS: _Memo[tuple[tuple[str, int], ...]] = _Memo(_key_counts)

# Each name key of a written name (see :func:`name_keys_in`) with how often the name holds it, in
# order; made once per distinct name and process. The memo's own look-up, so a known name costs
# no Python call (cluster labels look up every distinct mention text of every story).
name_key_counts: Callable[[str], tuple[tuple[str, int], ...]] = _NAME_KEY_COUNTS.__getitem__


def _pieces(text: str, limit: int) -> tuple[list[str], str]:
    """The first ``limit`` whitespace-separated pieces, and the text they span."""
    pieces = text.split(None, limit)
    if len(pieces) > limit:
        rest = pieces.pop()
        return pieces, text[: len(text) - len(rest)]
    return pieces, text


# The key of a piece that is read with the whole text (see _piece_key) is marked: it starts with
# one of these, so it sorts before every final key (a word's "w:...", a number's "#...").
_SEVERAL_MARK = "\x00"  # a piece of several tokens
_CAPITALISED_MARK = "\x01"  # one capitalised word
# Whether a piece's key is marked (or "", no key): one string comparison, in C.
_is_marked = "\x02".__gt__


def _piece_key(word_prefix: str, piece: str) -> str:
    """What a whitespace-separated piece counts under, before the text is read as a whole:

    - one content word or number: its key ("deal," -> "w:en:deal", "12,5%" -> "#12.5%");
    - no token, or one function word: "" ("the", "—");
    - one capitalised word: the word as written, marked ("(TikTok)," -> "\x01TikTok"): a
      name or not depends on the text (see :func:`term_counts`);
    - several tokens: the piece, marked ("\x00ByteDance's").
    """
    tokens = _tokens_of(piece)
    if not tokens:
        return ""
    if len(tokens) > 1:
        mark = _SEVERAL_MARK + piece
    else:
        kind, folded, word_stem, written = tokens[0]
        if kind == _WORD:
            return word_prefix + word_stem
        if kind == _NUMBER:
            return folded
        if kind < _CAPITALISED:
            return ""
        mark = _CAPITALISED_MARK + written
    _MARKED_TOKENS.keep(mark, tokens)  # read with the whole text (see _add_marked_keys)
    return mark


_PIECE_KEYS: dict[str, _Memo[str]] = {}  # per word-key prefix (language)


def _piece_keys(word_prefix: str) -> _Memo[str]:
    """The keys of pieces of text in one language (see _piece_key)."""
    found = _PIECE_KEYS.get(word_prefix)
    if found is None:
        found = _PIECE_KEYS[word_prefix] = _Memo(partial(_piece_key, word_prefix))
    return found


def sentence_openers(text: str) -> list[str]:
    """The first word after each sentence break of a text (see _SENTENCE_BREAKS), grouped by the
    kind of break, not in text order."""
    return [word for mark, find in _WORDS_AFTER_BREAK if mark in text for word in find(text)]


def sentence_initial_capitals(pieces: Sequence[str], text: str) -> Counter[str]:
    """How often each folded word opens a sentence with a capital (the text's first word too)."""
    starts = sentence_openers(text)
    first = _TOKEN.match(pieces[0]) if pieces else None
    if first is not None:
        starts.append(first.group())
    capitalised = compress(starts, map(str.isupper, map(itemgetter(0), starts)))
    return Counter(map(itemgetter(1), map(_TOKENS.__getitem__, capitalised)))  # folded


# Initials written with a space between them ("U. S.", "J. K. Rowling", "M. D."): the space goes,
# so that they are read as the same name as "U.S.", "J.K." and "M.D." (see _token_kind).
# (The pattern starts with its literal, ". ", and looks behind only there: a look-behind first would
# be tried at every position of the text.)
_SPACED_INITIALS = re.compile(r"\. (?=[A-Z]\.)(?<=\b[A-Z]\. )")


def term_counts(
    title: str,
    text: str,
    lang: str | None,
    *,
    extra_keys: Iterable[str] = (),
    surfaces: dict[str, str] | None = None,
    title_keys: list[str] | None = None,
    scaled: bool = True,
    name_words: Container[str] | None = None,
) -> dict[str, float]:
    """Weighted term frequencies of one story: title and lead count more, then log-scaled
    (1 + ln(count); with ``scaled`` false, the counts themselves).

    The text is split on whitespace and each piece mapped to its key (known pieces by one dict
    look-up in C, see :func:`_piece_key`); the keys are counted in C (the title's TITLE_WEIGHT
    times, the lead's LEAD_WEIGHT times). Only the distinct capitalised words and pieces of
    several tokens are then read one by one.

    A capitalised word is a name (``n:`` key) when it is an acronym or mixed case, or when the
    body writes it capitalised in mid-sentence (more capitalised occurrences than
    sentence-initial ones); otherwise a sentence-initial or title-case capital is an ordinary
    word. ``extra_keys`` are keys from elsewhere (entity keys), counted once per occurrence.
    ``surfaces``, when given, receives the first written form of each name key, and
    ``title_keys`` the keys of the title's words (read with the body's evidence of names).

    ``name_words`` (folded words), when given, decide instead which capitalised words are
    names: in a language that capitalises every noun (German), capitals say nothing, and the
    words of the text's recognised entity names are the evidence there is.
    """
    if "%" in text:
        text = _percent_attached(text)
    if "%" in title:
        title = _percent_attached(title)
    text = _SPACED_INITIALS.sub(".", text)
    title = _SPACED_INITIALS.sub(".", title)
    body, body_text = _pieces(text, MAX_TOKENS)
    word_prefix = f"w:{lang or 'xx'}:"
    key_of = _piece_keys(word_prefix).__getitem__
    all_capitals = title.isupper()
    if all_capitals:
        title = recased_headline(title, body_text)
    title_pieces = title.split(None, TITLE_TOKENS)[:TITLE_TOKENS]
    title_piece_keys = list(map(key_of, title_pieces))
    body_keys = list(map(key_of, body))
    weights = Counter(body_keys)
    in_body = dict(weights)  # (copied in C before the lead and the title count again)
    if not all_capitals:  # (a recased headline's capitals are the body's, already counted)
        _add_mid_sentence_capitals(title_pieces, title_piece_keys, word_prefix, in_body)
    weights.update(body_keys[:LEAD_TOKENS] * (int(LEAD_WEIGHT) - 1) + title_piece_keys * int(TITLE_WEIGHT))
    weights.pop("", None)
    # the capitalised words and the pieces of several tokens, the title's first
    marked = dict.fromkeys(chain(filter(_is_marked, title_piece_keys), filter(_is_marked, weights)))
    marked.pop("", None)
    undecided = _add_marked_keys(marked, weights, in_body, word_prefix, surfaces)
    if undecided:
        initial = sentence_initial_capitals(body, body_text) if name_words is None else Counter()
        _add_capitalised_words(undecided, initial, weights, word_prefix, surfaces, name_words)
    if title_keys is not None:
        title_keys.extend(_title_keys(title_piece_keys, word_prefix, weights))
    get = weights.get
    for key in extra_keys:
        weights[key] = get(key, 0) + 1
    if not scaled:
        return dict(weights)  # a plain dict: a Counter pickles and unpickles through Python code
    # 1 + ln(count) = ln(e * count), computed in C over all keys
    return dict(zip(weights, map(math.log, map(math.e.__mul__, weights.values()))))


def _percent_attached(text: str) -> str:
    """'12,5 %' (French and German typography: a space, often a no-break one, before the sign)
    written '12,5%', so that it is the number key of English '12.5%'."""
    return text.replace(" %", "%").replace("\u00a0%", "%").replace("\u202f%", "%")


def recased_headline(headline: str, body: str) -> str:
    """An all-capitals headline ("CHARGERS' WILLIAMS ARRESTED ON SUSPICION OF DUI") with each
    word written as the body writes it most often, or in lower case when the body does not:
    capitals that mark every word say nothing of which are names, and would make each word an
    acronym, a name ("n:arrested")."""
    written: dict[str, Counter[str]] = {}
    for token in _TOKEN.findall(body):
        folded = token.casefold()
        forms = written.get(folded)
        if forms is None:
            forms = written[folded] = Counter()
        forms[token] += 1

    def as_in_body(match: re.Match[str]) -> str:
        token = match.group()
        forms = written.get(token.casefold())
        return forms.most_common(1)[0][0] if forms else token.lower()

    return _TOKEN.sub(as_in_body, headline)


def _add_mid_sentence_capitals(pieces: Sequence[str], piece_keys: Sequence[str], word_prefix: str, evidence: dict[str, int]) -> None:
    """Count a sentence-case headline's capitals past a sentence start as the body's mid-sentence
    capitals are counted: evidence that a word is a name ("Indian Navy captures 23 pirates in the
    Gulf of Aden" names the navy and the gulf; so does a first sentence used as a headline).

    A headline is in sentence case when it writes a content word in lower case; a title-case
    headline ("Navy Captures Pirates") capitalises every content word, which says nothing."""
    if not any(key.startswith(word_prefix) for key in piece_keys):
        return
    opens_sentence = True
    for piece, key in zip(pieces, piece_keys):
        if _is_marked(key) and key and not opens_sentence:
            evidence[key] = evidence.get(key, 0) + 1
        opens_sentence = piece[-1] in _SENTENCE_BREAKS


# A capitalised word whose name-ness the whole text decides: (as written, weighted count,
# folded, stem), and its capitalised occurrences in the body (per folded word).
Undecided = tuple[list[tuple[str, int, str, str]], dict[str, int]]


def _add_marked_keys(
    marked: Iterable[str], weights: Counter[str], in_body: dict[str, int], word_prefix: str, surfaces: dict[str, str] | None
) -> Undecided | None:
    """Replace the marked keys of pieces (capitalised words, pieces of several tokens) in
    ``weights`` by the keys of their tokens; acronyms and mixed-case words are names now,
    capitalised words are returned undecided."""
    get = weights.get
    body_count = in_body.get
    capitalised: dict[str, int] = {}  # body occurrences written with a capital, per folded word
    undecided: list[tuple[str, int, str, str]] = []
    for mark in marked:
        count = weights.pop(mark)
        for kind, folded, word_stem, written in _MARKED_TOKENS[mark]:
            if kind == _WORD:
                key = word_prefix + word_stem
            elif kind == _NUMBER:
                key = folded
            elif kind >= _CAPITALISED:
                capitalised[folded] = capitalised.get(folded, 0) + body_count(mark, 0)
                if kind == _CAPITALISED:
                    undecided.append((written, count, folded, word_stem))
                    continue
                key = "n:" + folded
                if surfaces is not None and key not in surfaces:
                    surfaces[key] = written
            else:
                continue
            weights[key] = get(key, 0) + count
    return (undecided, capitalised) if undecided else None


def _add_capitalised_words(
    undecided: Undecided, initial: Counter[str], weights: Counter[str], word_prefix: str, surfaces: dict[str, str] | None,
    name_words: Container[str] | None = None,
) -> None:
    """Count each capitalised word as a name when the body writes it capitalised more often
    than at sentence starts (or, given ``name_words``, when it is one of them), else as an
    ordinary word."""
    words, capitalised = undecided
    get = weights.get
    initial_count = initial.get
    for written, count, folded, word_stem in words:
        is_name = (folded in name_words) if name_words is not None else (capitalised[folded] > initial_count(folded, 0))
        if is_name:
            key = "n:" + folded
            if surfaces is not None and key not in surfaces:
                surfaces[key] = written
        elif word_stem:
            key = word_prefix + word_stem
        else:
            continue
        weights[key] = get(key, 0) + count


# 1 + ln(count) for the counts a story can hold (MAX_TOKENS words, the title and lead again):
# looked up, not computed, when a batch of stories is weighed.
MAX_COUNT = 4095
TERM_FREQUENCY: list[float] = [0.0, *map(math.log, map(math.e.__mul__, range(1, MAX_COUNT + 1)))]


def _title_keys(piece_keys: Sequence[str], word_prefix: str, weights: Counter[str]) -> list[str]:
    """The keys the title's words were counted under, in title order, each once (``piece_keys``:
    the title's pieces' keys, see _piece_key)."""
    keys: dict[str, None] = {}
    for piece_key in piece_keys:
        if not _is_marked(piece_key):
            keys[piece_key] = None
            continue
        for kind, folded, word_stem, _ in _MARKED_TOKENS[piece_key] if piece_key else ():
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
    # the persons it mentions, by the name key of their surname, with their number of mentions; and
    # the ones of them its headline names: who it is about (see clustering.persons_of)
    persons: dict[str, int] = field(default_factory=dict)
    protagonists: tuple[str, ...] = ()


def story_terms_of(title: str, text: str, lang: str | None, name_words: Container[str] | None = None) -> StoryTerms:
    """The terms of one story; ``name_words``: see :func:`term_counts`."""
    surfaces: dict[str, str] = {}
    title_keys: list[str] = []
    counts = term_counts(title, text, lang, surfaces=surfaces, title_keys=title_keys, scaled=False, name_words=name_words)
    if len(counts) > MAX_STORY_TERMS:
        # strongest first, ties by key: numbers ("#") and names ("n:") before words ("w:");
        # two sorts in C (of the keys, then a stable sort by count) instead of a key function
        kept = sorted(sorted(counts), key=counts.__getitem__, reverse=True)[:MAX_STORY_TERMS]
        counts = dict(zip(kept, map(counts.__getitem__, kept)))
    if counts and max(counts.values()) > MAX_COUNT:  # (a piece may hold a token many times over)
        counts = {key: min(count, MAX_COUNT) for key, count in counts.items()}
    strongest = sorted(filter(counts.__contains__, surfaces), key=counts.__getitem__, reverse=True)[:MAX_SURFACES]
    return StoryTerms(counts, tuple(title_keys), {k: surfaces[k] for k in strongest})
