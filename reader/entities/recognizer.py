"""Named-entity recognition: the protocol, and the default rule-based recognizer.

The default recognizer needs no model. It reads the strong signals of news text:

- capitalised sequences, with the particles and connectors inside names ("Charles de
  Gaulle", "Département d'État", "Department of Justice", "Arts and Sciences");
- sentence-initial and headline capitals, kept only with evidence: the word is seen
  capitalised mid-sentence elsewhere in the article, is a known place, and is not a
  common word of the language (``lexicon.COMMON_WORDS``) nor seen lowercase in the article;
- all-caps acronyms (except common-noun ones such as CEO or DUI), and ALL-CAPS lines
  (headlines) read word by word;
- honorifics and roles before a name ("President", "M.", "Mme", "Dr") make it a person
  and stay out of the span;
- organisation and place head words and suffixes ("Inc", "Group", "Department of",
  "Gulf of");
- the place gazetteer (pycountry and GeoNames names in many languages) and nationality words.

Within an article, mentions that share a key share a type, and a surname alone takes the
key and type of the full name seen in the same article ("Trump" -> "Donald Trump"), a first
name alone that of the article's only person with it ("Hugh" -> "Hugh Jackman"). In English
sports reporting, a city named in a contest is its team (``teams.py``: "a loss to Detroit").

Any other recognizer (a spaCy model, say) plugs in through :class:`EntityRecognizer`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from reader.entities import lexicon
from reader.entities.gazetteer import Gazetteer, Place, fold, gazetteer
from reader.entities.keys import name_key, nationality_key
from reader.entities.teams import teams_named_by_place
from reader.model import EntityMention

PERSON, ORG, PLACE, OTHER = "PERSON", "ORG", "PLACE", "OTHER"
ENTITY_TYPES: tuple[str, ...] = (PERSON, ORG, PLACE, OTHER)


@runtime_checkable
class EntityRecognizer(Protocol):
    """Finds entity mentions: character spans into ``text``, each typed PERSON/ORG/PLACE/OTHER.

    ``lang`` is an ISO 639-1 code or None when unknown. Mentions come back sorted by
    start, never overlapping, with ``key`` empty or a canonical key (see ``keys.py``).
    """

    def recognize(self, text: str, lang: str | None) -> list[EntityMention]: ...


# -- the patterns ------------------------------------------------------------------------------

def _uppercase_class() -> str:
    """A regex class of the upper- and titlecase letters of Latin, Greek and Cyrillic, as ranges."""
    points = [
        c for c in (*range(0x41, 0x250), *range(0x370, 0x530), *range(0x1E00, 0x1F00)) if chr(c).isupper() or chr(c).istitle()
    ]
    ranges: list[list[int]] = []
    for point in points:
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    return "[" + "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in ranges) + "]"


def _alternation(words: Iterable[str]) -> str:
    """A regex matching any one of ``words``, factored by common prefixes ("d(?:e(?:l(?:la)?|s)?|u)"),
    so the engine tries one branch per letter rather than every word in turn."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = "(?:" + "|".join(branches) + ")" if len(branches) > 1 else branches[0]
        if "" not in node:
            return body
        return body + "?" if len(branches) > 1 else f"(?:{body})?"

    return build(tree)


_UP = _uppercase_class()
# One capitalised word: letters/digits with inner hyphens, ampersands, dots and apostrophes
# (not a possessive "'s"), maybe a final dot; inside a run also digits then letters ("76ers").
# The quantifiers are possessive (*+, ++): giving characters back could never let a run go on
# (each next piece starts with a character the one before cannot end with), so the regex engine
# keeps no backtracking state on this, the hottest pattern of recognition.
_TAIL = r"""\w*+(?:[-&.]\w++|['’](?![sS]\b)\w++)*+\.?"""
_WORD = _UP + _TAIL
_INNER_WORD = rf"(?:{_UP}|\d++[^\W\d_]){_TAIL}"
# Particles and connectors inside a name, each followed by one space ("Charles de Gaulle").
_CONNECTOR_WORDS: tuple[str, ...] = tuple(
    "de du des la le van von der den ter ten zu da do dos das di del della dei degli bin ibn al el of for on the and at &".split()
)
_PARTICLE = rf"(?:[dl]['’]|[ae]l-|{_alternation(_CONNECTOR_WORDS)}[ \u00a0])"
# Words of one name are separated by one space: a wider gap is a layout boundary.
_SEQUENCE = re.compile(rf"{_WORD}(?:[ \u00a0](?:{_PARTICLE})*+{_INNER_WORD})*")
_HAS_UPPER = re.compile(_UP)
_ABBREVIATION = re.compile(rf"^(?:{_UP}\.)+$|^(?:{_UP}\.?)$")  # "U.S.", "J.", "A"
_SENTENCE_END = frozenset(".!?:;\n…•|")
_OPENERS = frozenset(" \t\"'“”‘’«»([{–—-*\u00a0")

MAX_HEADLINE_CHARS = 300  # a longer line is a paragraph, whatever its capitals
MAX_NAME_WORDS = 8  # longer capitalised runs are split (titles, lists of names)
MAX_MENTION_CHARS = 200


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    words: list[tuple[int, int, str]]  # (start, end, word) of each word in the span
    type: str = ""
    key: str = ""
    weight: float = 0.0  # how strong the typing evidence is
    place: Place | None = None


@dataclass(slots=True)
class _Verdict:
    """What the recognizer decided about a span, whatever its position: memoised with the
    decision, with the shape of its words that linking reads (so the hot path builds no word
    lists). Never changed once made: linking makes a new one (``_retyped``)."""

    type: str
    key: str
    weight: float
    place: Place | None
    text: str  # the span's text (every mention of a memoised decision has the same)
    words: tuple[tuple[int, int, str], ...]  # (start, end, word), relative to the span's start
    lowered: tuple[str, ...]  # each word lowercased
    alone: str | None  # a one-word span: its word lowercased; else None
    last_fold: str  # fold() of the last word: the surname of a full name, or the lone word
    mention_fields: tuple[str, str, str]  # the mention's fields it decides: (type, text, key) (see _mentions_maker)


def _verdict(
    kind: str, key: str, weight: float, place: Place | None, text: str, words: Sequence[tuple[int, int, str]], start: int
) -> _Verdict:
    if len(words) == 1:
        word_start, word_end, word = words[0]
        lower = word.lower()
        return _Verdict(
            kind, key, weight, place, text, ((word_start - start, word_end - start, word),), (lower,), lower, fold(word),
            (kind, text, key),
        )
    lowered = tuple([w.lower() for _, _, w in words])
    relative = tuple([(s - start, e - start, w) for s, e, w in words])
    # the surname of "Anthony LaCalamita III" is LaCalamita
    surname = words[-2][2] if lowered[-1].rstrip(".") in lexicon.PERSON_SUFFIXES else words[-1][2]
    return _Verdict(kind, key, weight, place, text, relative, lowered, None, fold(surname), (kind, text, key))


def _retyped(verdict: _Verdict, kind: str, key: str, weight: float, place: Place | None) -> _Verdict:
    v = verdict
    return _Verdict(kind, key, weight, place, v.text, v.words, v.lowered, v.alone, v.last_fold, (kind, v.text, key))


def _as_team(verdict: _Verdict, key: str) -> _Verdict:
    """A place read as the sports team it names (see ``teams.py``)."""
    return _retyped(verdict, ORG, key, 2.0, None)


# A mention found before linking within the article: (start, end, verdict).
_Found = tuple[int, int, _Verdict]
# A decision on a run: (start, end, verdict) relative to the run's start.
_Decision = tuple[int, int, _Verdict]


def _found(candidate: _Candidate, text: str) -> _Found:
    c = candidate
    return (c.start, c.end, _verdict(c.type, c.key, c.weight, c.place, text[c.start : c.end], c.words, c.start))


def _mentions_maker() -> Callable[[list[_Found]], list[EntityMention]]:
    """The mentions of an article's typed spans (``found``; untyped and undecided ones left out).

    EntityMention is a named tuple: a mention is made from its fields at once
    (``tuple.__new__``, the position and the fields its verdict keeps ready in
    ``_Verdict.mention_fields``), without the Python frame of the named tuple's ``__new__``:
    twice as fast, the same object (checked here; else the class is called).
    """
    typed = frozenset(ENTITY_TYPES)

    def by_init(found: list[_Found]) -> list[EntityMention]:
        return [EntityMention(start, end, verdict.type, verdict.text, verdict.key) for start, end, verdict in found if verdict.type in typed]

    if not issubclass(EntityMention, tuple) or getattr(EntityMention, "_fields", None) != ("start", "end", "type", "text", "key"):
        return by_init

    def by_tuple(found: list[_Found], new: Any = tuple.__new__, cls: Any = EntityMention) -> list[EntityMention]:
        return [new(cls, (start, end) + verdict.mention_fields) for start, end, verdict in found if verdict.type in typed]

    sample = [(1, 5, _verdict(ORG, "acme", 1.0, None, "Acme", [(1, 5, "Acme")], 1)), (6, 9, _verdict("", "", 0.0, None, "Foo", [(6, 9, "Foo")], 6))]
    made, expected = by_tuple(sample), by_init(sample)
    if made != expected or [type(m) for m in made] != [type(m) for m in expected]:
        return by_init
    return by_tuple


_mentions = _mentions_maker()


@dataclass
class _Article:
    """What the recognizer learns about one article before deciding on each candidate."""

    text: str
    lang: str | None
    common: frozenset[str]
    gaz: Gazetteer
    mid_capitals: set[str] = field(default_factory=set)  # words seen capitalised mid-sentence
    evidence: dict[tuple[str, object], bool] = field(default_factory=dict)

    def seen_lowercase(self, word: str, *, ending_compounds: bool = False) -> bool:
        """Whether the word occurs in lowercase as a whole word somewhere in the article (or, with
        ``ending_compounds``, as the last part of a hyphenated word: "e-commerce")."""
        lower = word.lower()
        if lower == word:
            return True
        text = self.text
        size = len(lower)
        joiners_before = "'’" if ending_compounds else "'’-"
        position = text.find(lower)
        while position >= 0:
            before = text[position - 1] if position else " "
            after = text[position + size] if position + size < len(text) else " "
            if not (before.isalnum() or before in joiners_before) and not (after.isalnum() or after in "'’-"):
                return True
            position = text.find(lower, position + 1)
        return False


def _headline_lines(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the lines of ``text`` that are not prose, in order: ALL-CAPS
    ("caps") and Title Case ("title") headlines. A blank line, a long one, or one ending with a
    full stop that has lowercase letters (most lines), is prose without a closer look."""
    lines: list[tuple[int, int, str]] = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if line and len(line) <= MAX_HEADLINE_CHARS and (line[-1:] != "." or line == line.upper()):
            kind = _line_kind(line)
            if kind != _PROSE:
                lines.append((start, end, kind))
        start = end + 1
    return lines


def _line_kind(line: str) -> str:
    stripped = line.rstrip()
    if not stripped:
        return "prose"
    if stripped == stripped.upper():
        words = [w for w in stripped.split() if sum(1 for ch in w if ch.isalpha()) >= 2]
        return "caps" if len(words) >= 2 else "prose"
    if stripped.endswith((".", "!", "?", "»", "”", '"', ",", ";")):
        return "prose"
    words = [w for w in stripped.split() if w[0].isalpha()]
    if 3 <= len(words) <= 25:
        # Title Case leaves its short function words lowercase ("Shooting at Accounting Firm
        # Leaves Woman Dead and 2 Hurt"): they do not count against it
        lowercase_words = sum(1 for w in words if w[0].islower() and w not in _TITLE_CASE_MINOR_WORDS)
        if lowercase_words <= len(words) // 5 and len(words) - lowercase_words >= 3:
            return "title"
    return "prose"


_TITLE_CASE_MINOR_WORDS = frozenset(
    ("a", "an", "the", "and", "or", "but", "nor", "at", "by", "for", "in", "of", "on", "to", "up", "as", "vs", "via", "with", "from", "into")
)


def _in_url(text: str, start: int) -> bool:
    """Whether the word at ``start`` sits in a web address (the text since the last space has one)."""
    chunk = text[text.rfind(" ", 0, start) + 1 : start]
    return "://" in chunk or "www." in chunk or (chunk.count("/") >= 1 and "." in chunk.split("/", 1)[0])


def _is_sentence_start(text: str, start: int) -> bool:
    """Whether a word at ``start`` opens a sentence (or a line, a quote, a list item)."""
    i = start - 1
    while i >= 0 and not text[i].isalnum() and text[i] not in _SENTENCE_END and text[i] not in ",;&/":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _strip_dot(word: str) -> bool:
    """Whether a trailing dot belongs to the sentence rather than to the word."""
    if not word.endswith("."):
        return False
    bare = word.lower()
    if bare in lexicon.PERSON_TITLES or bare in lexicon.ORG_SUFFIXES or _ABBREVIATION.match(word):
        return False
    return True


class RuleBasedRecognizer:
    """The default recognizer: no model, signals of capitalisation, context and gazetteers."""

    name = "rules"

    def __init__(self, gaz: Gazetteer | None = None) -> None:
        self._gaz = gaz
        # Decisions on prose runs, by (language, surface, context bits), shared by the articles
        # this recognizer sees (a decision depends on nothing else), started again when full.
        self._decisions: dict[tuple[str | None, str, int], tuple[_Decision, ...]] = {}
        # What each capitalised word says about itself (``_word_kind``), by (language, word).
        self._word_kinds: dict[tuple[str | None, str], str] = {}

    @property
    def gaz(self) -> Gazetteer:
        if self._gaz is None:
            self._gaz = gazetteer()
        return self._gaz

    def clear_caches(self) -> None:
        """Forget the memoised decisions and run readings (benchmarks measure a first sight with
        it; results never depend on them)."""
        self._decisions.clear()
        self._word_kinds.clear()
        _RUNS.clear()

    # -- entry point ---------------------------------------------------------------------------

    def recognize(self, text: str, lang: str | None) -> list[EntityMention]:
        if not text or not _HAS_UPPER.search(text):
            return []
        lang = (lang or "").split("-")[0].lower() or None
        article = _Article(text, lang, lexicon.common_words(lang), self.gaz)
        found, waiting = self._scan(article)
        if waiting:
            found = self._decide_waiting(article, found, waiting)
        _types_by_what_follows(text, found, lang in (None, "en"))
        digit_names, capitalised_once = _unify_within_article(found, text)
        if lang in (None, "en"):
            _persons_by_context(text, found)
            _numbered_roads(text, found)
            teams_named_by_place(text, found, _as_team, ORG, PERSON, PLACE)
        if digit_names:
            _names_starting_with_digits(text, found)
        if capitalised_once:
            _drop_words_capitalised_by_accident(article, found, capitalised_once)
        return _mentions(found)

    # -- pass 1: capitalised runs, what they say about the article, and the runs decided at once --

    def _scan(self, article: _Article) -> tuple[list[_Found], list[_Waiting]]:
        """One regex pass over the capitalised runs of the article.

        Each run is split into pieces at sentence ends and its mid-sentence capitals recorded.
        A prose run that does not open a sentence is decided at once (its decision does not
        depend on the rest of the article); the others wait for the whole article's evidence.
        This is the hot loop of recognition: the common cases take a few string checks and
        one look-up of the memoised decision, and build no word lists.
        """
        text = article.text
        found: list[_Found] = []
        waiting: list[_Waiting] = []
        mid = article.mid_capitals
        common = article.common
        lang = article.lang
        memo = self._decisions
        runs = _runs_of_language(lang)
        context_free = lang in lexicon.NOUN_CAPITALISING_LANGS  # German capitalises every noun: no context cues
        headlines = _headline_lines(text)  # most articles have one (the title) or none
        headlines.append(_NO_LINE)
        headline_start, headline_end, headline_kind = headlines[0]
        next_headline = 1
        for match in _SEQUENCE.finditer(text):
            start = match.start()
            after_word = False  # one space after a letter or digit: mid-sentence, and not in quotes
            if start:
                before = text[start - 1]
                if before == " " and start > 1:
                    previous = text[start - 2]
                    if previous.isalnum():
                        initial, after_word = False, True  # the common case
                    else:  # ". Oracle", ", Oracle", ' "Oracle'
                        initial = previous in _SENTENCE_END or (previous not in ",&/" and _is_sentence_start(text, start))
                elif before in _SENTENCE_END:
                    initial = True
                elif before.isalnum() or before in "_@#":
                    continue  # inside a word ("iPhone", "e-Learning"), a handle or a hashtag
                elif before == "/" and _in_url(text, start):
                    continue  # "pic.twitter.com/Z86VXCCpvl" (but "Randy Wittman/P.J. Carlesimo" are names)
                else:
                    initial = _is_sentence_start(text, start)
            else:
                initial = True
            group = match.group()
            run = runs.get(group)
            if run is None:
                run = _read_run(runs, group, common)
            if initial and run.opener:
                continue  # "The", "However": the most frequent run of all, and never a name
            if start < headline_start:
                kind = _PROSE  # the common case: no headline line before the next one
            else:
                while start >= headline_end:
                    headline_start, headline_end, headline_kind = headlines[next_headline]
                    next_headline += 1
                kind = headline_kind if start >= headline_start else _PROSE
            prose = kind == _PROSE
            if run.pieces:  # "... Americans. Oracle ...": a sentence may end inside the run
                self._scan_pieces(article, run, start, initial, kind, found, waiting)
                continue
            group = run.surface
            end = start + len(group)
            names = run.names
            single = names is None
            if prose:
                if single:
                    if not initial:
                        mid.add(group)
                    if run.common:
                        continue  # "Monday", "Christmas": a common word alone is never a name (see _typed)
                else:
                    mid.update(run.later_capitals if initial else run.capitals)
            if initial or not prose:  # flags: the context of a prose run (-1 in a headline)
                flags = -1 if not prose else 0 if context_free else _context_flags(text, start, end, group if single else "")
                waiting.append((len(found), start, end, group, names, initial, kind, flags))
                continue
            # a prose run in mid-sentence: its decision is memoised with the context it depends on
            if context_free:
                flags = 0
            elif after_word:  # the word before is a plain one, and there are no quotes
                cue = text[text.rfind(" ", 0, start - 1) + 1 : start - 1]
                flags = _CUE_FLAGS.get(cue, 0)
                if not flags and not cue.isalpha():
                    flags = _CUE_FLAGS.get(_word_before(text, start), 0)
                if flags == _TO:
                    flags = _travel_to(text, start)
                if run.adjective_ending and _lowercase_noun_after(text, end):
                    flags |= _ADJECTIVE
            else:
                flags = _context_flags(text, start, end, group if single else "")
            decided = memo.get((lang, group, flags))
            if decided is None:
                decided = self._decide_prose(article, _word_spans(start, names) if names else [(start, end, group)], None, flags)
            for first, last_end, verdict in decided:
                found.append((start + first, start + last_end, verdict))
        return found, waiting

    def _scan_pieces(
        self, article: _Article, run: _Run, start: int, initial: bool, kind: str, found: list[_Found], waiting: list[_Waiting]
    ) -> None:
        """A run with dots inside, cut where a sentence ended (``_Run.pieces``), then as ``_scan`` for each piece."""
        mid = article.mid_capitals
        context_free = article.lang in lexicon.NOUN_CAPITALISING_LANGS
        text = article.text
        prose = kind == _PROSE
        for number, piece in enumerate(run.pieces):
            piece_initial = initial or number > 0
            if piece_initial and piece.opener:
                continue  # "... in Paris. The ...": a common word opening the next sentence is never a name
            piece_start, piece_end = start + piece.start, start + piece.end
            surface, names = piece.surface, piece.names
            if prose:
                mid.update(piece.later_capitals if piece_initial else piece.capitals)
                flags = 0 if context_free else _context_flags(text, piece_start, piece_end, "" if names else surface)
                if not piece_initial:
                    decided = self._decisions.get((article.lang, surface, flags))
                    if decided is None:
                        words = _word_spans(piece_start, names) if names else [(piece_start, piece_end, surface)]
                        decided = self._decide_prose(article, words, None, flags)
                    found.extend([(piece_start + first, piece_start + last_end, verdict) for first, last_end, verdict in decided])
                    continue
            else:
                flags = -1
            waiting.append((len(found), piece_start, piece_end, surface, names, piece_initial, kind, flags))

    # -- pass 2: the runs that needed the whole article ------------------------------------------

    def _decide_waiting(self, article: _Article, found: list[_Found], waiting: list[_Waiting]) -> list[_Found]:
        """The mentions found with those of the waiting runs put in their places (text order).

        A waiting prose run opens a sentence: its first word needs the article's evidence
        (``_has_evidence``), then its decision is memoised like any prose run's.
        """
        merged: list[_Found] = []
        done = 0
        evidence_of = article.evidence
        lang = article.lang
        for position, start, end, group, names, initial, kind, flags in waiting:
            merged.extend(found[done:position])
            done = position
            if flags < 0:  # a headline
                words = _word_spans(start, names) if names else [(start, end, group)]
                merged.extend(self._headline_found(article, words, initial, kind))
                continue
            first_word = names[0] if names else group
            evidence_key = (first_word, names[1] if names else False)
            evidence = evidence_of.get(evidence_key)
            if evidence is None:
                evidence = evidence_of[evidence_key] = self._has_evidence(article, first_word, names[1] if names else None, headline=False)
            flags |= _BACKED if evidence else _UNBACKED
            decided = self._decisions.get((lang, group, flags))
            if decided is None:
                decided = self._decide_prose(article, _word_spans(start, names) if names else [(start, end, group)], evidence, flags)
            merged.extend([(start + first, start + last_end, verdict) for first, last_end, verdict in decided])
        merged.extend(found[done:])
        return merged

    def _headline_found(self, article: _Article, words: list[tuple[int, int, str]], initial: bool, kind: str) -> list[_Found]:
        """The mentions of a run in an ALL-CAPS ("caps") or Title Case ("title") headline."""
        if kind == "caps":
            return [_found(c, article.text) for c in self._caps_segments(article, words)]
        return [_found(c, article.text) for c in self._decide(article, words, initial=initial, headline=True)]

    def _decide_prose(self, article: _Article, words: list[tuple[int, int, str]], evidence: bool | None, flags: int) -> tuple[_Decision, ...]:
        """Decide a prose run and memoise the decision, relative to the run's start."""
        start = words[0][0]
        candidates = self._decide(
            article, words, initial=evidence is not None, headline=False, evidence=evidence,
            role_before=bool(flags & _ROLE_BEFORE), adjective=bool(flags & _ADJECTIVE), quoted=bool(flags & _QUOTED),
            place_before=bool(flags & _PLACE_BEFORE), org_before=bool(flags & _ORG_BEFORE), source=bool(flags & _SOURCE),
        )
        text = article.text
        decided = tuple(
            [(c.start - start, c.end - start, _verdict(c.type, c.key, c.weight, c.place, text[c.start : c.end], c.words, c.start)) for c in candidates]
        )
        if len(self._decisions) >= MAX_DECISIONS:
            _forget_older_half(self._decisions)
        surface = words[0][2] if len(words) == 1 else article.text[start : words[-1][1]]
        self._decisions[(article.lang, surface, flags)] = decided
        return decided

    def _decide(
        self,
        article: _Article,
        words: list[tuple[int, int, str]],
        *,
        initial: bool,
        headline: bool,
        evidence: bool | None = None,
        role_before: bool = False,
        adjective: bool = False,
        quoted: bool = False,
        place_before: bool = False,
        org_before: bool = False,
        source: bool = False,
    ) -> list[_Candidate]:
        out: list[_Candidate] = []
        segments = self._split(article, words, initial=initial, headline=headline, evidence=evidence, role_before=role_before)
        if quoted and len(segments) == 1 and segments[0][0] == words and not segments[0][1]:
            segments = [(words, OTHER)]  # a quoted title: "Crocodile Dundee", "Australia"
        for segment_words, cue in segments:
            candidate = self._typed(article, segment_words, cue, adjective=adjective and segment_words[-1] == words[-1])
            if candidate is not None:
                if place_before and segment_words[0] == words[0] and candidate.weight <= 1.0 and candidate.type in (ORG, PERSON):
                    if not any(_is_acronym(w) or _is_camel(w) for _, _, w in candidate.words):
                        candidate.type, candidate.weight = PLACE, _PLACE_BEFORE_WEIGHT  # "in Burnsville", "near Hampton East"
                elif org_before and segment_words[0] == words[0] and candidate.weight <= 1.0 and candidate.type in (ORG, PERSON):
                    candidate.type, candidate.weight = ORG, 1.5  # "the Norwegian newspaper Verdens Gang", "the group Hamas"
                elif source and segment_words[0] == words[0] and candidate.weight < 1.0 and len(candidate.words) == 1:
                    candidate.weight = 1.0  # "according to Zoom": a source that speaks is a name, whatever its type
                out.append(candidate)
        return out

    def _split(
        self,
        article: _Article,
        words: list[tuple[int, int, str]],
        *,
        initial: bool,
        headline: bool,
        evidence: bool | None = None,
        role_before: bool = False,
    ) -> list[tuple[list[tuple[int, int, str]], str]]:
        """Cut a capitalised run into name segments, each with a typing cue ("" or PERSON).

        Roles and honorifics cut the run and cue a person; connectors ("of", "and") stay
        inside a name only after a head word ("Department of Justice"); a nationality word
        before a name is its own mention ("Chinese ByteDance"). At a sentence start the
        first word, and in a headline every word, must show evidence of being a name.
        """
        cue = PERSON if role_before else ""
        determiners = _DETERMINERS.get(article.lang or "", _DETERMINERS["en"])
        calendar = lexicon.calendar_words(article.lang)
        if len(words) == 1 and not headline and (not initial or evidence is not None):
            # one word (most runs): the loop below would keep it whole unless it is a word that
            # cuts or ends a name; those go the long way
            if initial and not evidence:
                return []
            word = words[0][2]
            lower = word.lower()
            if not (
                "-" in word
                or lower in _CONNECTORS
                or lower.rstrip(".") in calendar
                or lower in lexicon.ROLE_WORDS
                or lower in lexicon.COMMON_ACRONYMS
                or lower in determiners
                or lower in _SPEECH_VERBS
                or _is_role(lower)
            ):
                return [(words, cue)]
        segments: list[tuple[list[tuple[int, int, str]], str]] = []
        current: list[tuple[int, int, str]] = []
        has_of = False
        gaz = article.gaz
        # "General Motors", "Chief Executives Board": a run that ends like an organisation keeps its
        # roles (the run up to a connector: "Professor Samuel Moyn of Yale University" does not)
        head_words = words
        for position in range(1, len(words)):
            if words[position][2] in lexicon.HEAD_CONNECTORS:
                head_words = words[:position]
                break
        org_run = len(head_words) > 1 and head_words[-1][2].lower().rstrip(".") in lexicon.ORG_SUFFIXES
        # "Rule of Law Index", "Duke of York Award": a run that ends with an organisation's or an
        # event's last word keeps its "of" after one word (not after a person: "Samuel Moyn of Yale University")
        last_lower = words[-1][2].lower().rstrip(".")
        named_of = len(words) > 2 and (last_lower in lexicon.ORG_SUFFIXES or last_lower in lexicon.OTHER_SUFFIXES)

        def close() -> None:
            nonlocal current, cue, has_of
            while current and _is_connector(current[-1][2]):
                current.pop()
            if current:
                if has_of:
                    for part in _split_at_and(current):
                        segments.append((part, cue))
                else:
                    segments.append((current, cue))
            current, cue, has_of = [], "", False

        for index, (start, end, word) in enumerate(words):
            lower = word.lower()
            if lower in _CONNECTORS and not (len(word) > 1 and word.isupper()):  # _is_connector(word), its lower case at hand
                if not current:
                    cue = ""
                    continue
                previous = current[-1][2].lower()
                if lower in ("der", "den", "ter", "ten") and previous not in ("van", "von"):
                    close()  # an article ("Vertretern der Deutschen Bank"), not "van der", "von der"
                elif lower in lexicon.NAME_PARTICLES:
                    current.append((start, end, word))
                elif (lower in ("of", "for") and (previous in lexicon.ORG_HEADS or previous in lexicon.PLACE_HEADS or (named_of and len(current) == 1 and cue != PERSON))) or (
                    lower == "on" and previous in _ON_HEADS
                ):
                    current.append((start, end, word))
                    # "Department of Arts and Sciences" goes on after "and"; "Gulf of Aden and ..." does not
                    has_of = previous in lexicon.ORG_HEADS or previous in _ON_HEADS
                elif lower == "the" and previous in ("of", "for", "on", "at"):
                    current.append((start, end, word))
                elif lower == "&" or (lower == "and" and has_of):
                    current.append((start, end, word))
                else:
                    close()
                continue
            if headline or (initial and index == 0):
                backed = evidence if (evidence is not None and index == 0) else self._has_evidence(
                    article, word, words[index + 1][2] if index + 1 < len(words) else None, headline=headline
                )
                if not backed:
                    close()
                    continue
            if lower.rstrip(".") in calendar:
                close()  # "Cleveland Friday", "Maurice Cheeks Saturday"
                continue
            if not org_run and (lower in lexicon.ROLE_WORDS or _is_role(lower) or (lower in lexicon.COMMON_ACRONYMS and _is_acronym(word))):
                # "President Donald Trump", "Academy President Boone Isaacs": the role cues what
                # follows and is part of no name (in a headline it may be a verb: "To Host Oscars")
                while current and current[-1][2].lower() in lexicon.PORTFOLIO_WORDS and (
                    len(current) == 1 or current[-1][2].lower() not in lexicon.PLACE_HEADS
                ):
                    # "Interior Minister", "Troy Police Chief": the portfolio is part of the role
                    # (but "Oakland County Prosecutor" keeps its county)
                    current.pop()
                if current:
                    cue = ""  # "Assistant Oakland County Prosecutor": a name between two roles qualifies the second
                close()
                # a common-noun acronym cuts the name but cues no person ("HR Solutions", "ERP Suite")
                cue = "" if headline or not (lower in lexicon.ROLE_WORDS or _is_role(lower)) else PERSON
                continue
            if index == 0 and not headline and lower in _SPEECH_VERBS and len(words) > 1:
                cue = PERSON  # '..." Notes Florence Dupont': a verb of saying, capitalised, before the speaker
                continue
            if not current and lower in determiners and not (
                index + 1 < len(words) and gaz.lookup(f"{word} {words[index + 1][2]}") is not None
            ):
                continue  # "The Wall Street Journal"; but "Los Angeles", "Le Havre"
            if "-" in word and _is_compound_adjective(word):
                close()  # "Ethiopian-flagged", "Soviet-era", "Oscar-hosting": a modifier, not a name
                continue
            if len(current) == 1 and not has_of and gaz.demonym(current[0][2]) is not None:
                if not (org_run or _is_org_word(lower) or lower in lexicon.PLACE_HEADS or gaz.demonym(word) is not None):
                    close()  # "Chinese ByteDance" -> nationality + name (but "African American" is one)
            current.append((start, end, word))
            if len(current) >= MAX_NAME_WORDS:
                close()
        close()
        return segments

    def _has_evidence(self, article: _Article, word: str, next_word: str | None, *, headline: bool) -> bool:
        """Whether a capitalised word at a sentence start (or in a headline) is a name (``next_word``:
        the word after it in its run, None when it ends the run)."""
        kind = self._word_kinds.get((article.lang, word))
        if kind is None:
            kind = self._word_kind(article, word)
        if kind is _ACRONYM_NAME or kind is _ACRONYM_WORD:
            return kind is _ACRONYM_NAME
        if word in article.mid_capitals:
            return True
        if kind is _COMMON_WORD:
            # a common word opens the sentence, but "New Zealand" is still a name
            return next_word is not None and article.gaz.lookup(f"{word} {next_word}") is not None
        if kind is _ROLE_WORD:
            return next_word is not None
        if article.seen_lowercase(word):
            return False
        if kind is _KNOWN_NAME:
            return True
        if headline or kind is _VERB_FORM:
            return False  # "Choosing DeGeneres ...", "Excluding Brand ..." (but "Kelly Houston", "Emily Smith")
        return next_word is not None and next_word[:1].isupper() and next_word.lower() not in article.common

    def _word_kind(self, article: _Article, word: str) -> str:
        """What a capitalised word says about itself as a name, whatever the article (the
        language's common words and the gazetteer aside): one of the ``_WORD_KINDS``, in the
        order ``_has_evidence`` asks. Memoised across articles."""
        lower = word.lower()
        gaz = article.gaz
        if _is_acronym(word):
            known = lower.replace(".", "") not in lexicon.COMMON_ACRONYMS or gaz.lookup(word) is not None
            kind = _ACRONYM_NAME if known else _ACRONYM_WORD
        elif lower in article.common or lower.rstrip(".") in article.common:
            kind = _COMMON_WORD
        elif lower in lexicon.ROLE_WORDS:
            kind = _ROLE_WORD
        elif gaz.lookup(word) is not None or gaz.demonym(word) is not None or lower in lexicon.GROUP_WORDS or _is_camel(word):
            kind = _KNOWN_NAME
        elif article.lang in (None, "en") and lower.endswith(("ing", "ed")):
            kind = _VERB_FORM
        else:
            kind = _PLAIN_WORD
        if len(self._word_kinds) >= MAX_DECISIONS:
            _forget_older_half(self._word_kinds)
        self._word_kinds[(article.lang, word)] = kind
        return kind

    def _caps_segments(self, article: _Article, words: list[tuple[int, int, str]]) -> Iterable[_Candidate]:
        """An ALL-CAPS line: keep words whose title case is known from the article or gazetteer."""
        current: list[tuple[int, int, str]] = []

        def flush() -> Iterable[_Candidate]:
            if current:
                candidate = self._typed(article, list(current), "", caps=True)
                current.clear()
                if candidate is not None:
                    yield candidate

        for start, end, word in words:
            titled = word[:1] + word[1:].lower()
            if word.lower() in article.common or word.lower() in lexicon.COMMON_ACRONYMS:
                yield from flush()
                continue
            if titled in article.mid_capitals or article.gaz.lookup(titled) is not None:
                current.append((start, end, titled))
            else:
                yield from flush()
        yield from flush()

    def _typed(
        self, article: _Article, words: list[tuple[int, int, str]], cue: str, *, caps: bool = False, adjective: bool = False
    ) -> _Candidate | None:
        while words and _is_connector(words[-1][2]):
            words.pop()
        while len(words) > 1 and words[0][2].lower().rstrip(".") in lexicon.calendar_words(article.lang):
            words = words[1:]  # "Saturday September 19th"
        if not words:
            return None
        first = words[0][2]
        start, end = words[0][0], words[-1][1]
        if end - start > MAX_MENTION_CHARS or (first[0].isdigit() and not any(ch.isupper() for ch in first)):
            return None
        single = len(words) == 1
        names = [first] if single else [w for _, _, w in words]
        surface = " ".join(names) if caps else article.text[start:end]
        gaz = article.gaz
        common = article.common
        first_lower = first.lower()
        acronym = single and _is_acronym(first)
        if single and not acronym and first_lower in common:
            return None  # "Christmas", "Monday": common words, even where a place bears the name
        if cue == OTHER:
            key = name_key(surface)
            return _Candidate(start, end, words, OTHER, key, 2.0) if key else None
        place = gaz.lookup(surface)
        if place is None and not single and len(names) >= 3 and names[-2].lower() == "of" and _names_a_state(gaz, names):
            key = name_key(surface)  # its own key: "Democratic Republic of Congo" is not "Congo"
            return _Candidate(start, end, words, PLACE, key, 3.0) if key else None
        if place is not None and cue != PERSON:
            return _Candidate(start, end, words, PLACE, place.key, 3.0, place)
        if single and not _is_name_word(first, article):
            return None
        if not single and all(n.lower() in common or n.lower() in _CONNECTORS for n in names):
            return None  # "New Year"
        last = names[-1].lower().rstrip(".")
        if single and article.lang in lexicon.NOUN_CAPITALISING_LANGS and not cue and not acronym and not _is_camel(first):
            # German capitalises every noun: a lone word only counts if linked to a name
            return _Candidate(start, end, words, "?", name_key(surface))
        if cue == PERSON or (not single and last in lexicon.PERSON_SUFFIXES):
            kind, weight = PERSON, 3.0
        elif not single and (first_lower in lexicon.VESSEL_PREFIXES or first_lower in lexicon.EVENT_PREFIXES):
            kind, weight = OTHER, 2.0  # "INS Sukanya", "Hurricane Katrina"
        elif last in lexicon.ORG_SUFFIXES and not single:
            kind, weight = ORG, 3.0
        elif (last in lexicon.OTHER_SUFFIXES and not single) or last in lexicon.AWARD_NAMES:
            kind, weight = OTHER, 2.0 if single else 3.0  # "Nobel Prize", "Primetime Emmy", "the Oscars"
            if not single and last in lexicon.AWARD_NAMES and _is_city(gaz.lookup(" ".join(names[:-1]))):
                kind = ORG  # a city's newspaper ("Boston Globe"), not an award
        elif not single and (last in lexicon.PLACE_HEADS or first_lower in lexicon.PLACE_HEADS):
            kind, weight = PLACE, 2.0
        elif not single and _is_org_word(first_lower):
            kind, weight = ORG, 2.0
        elif not single and any(n.lower() in _INNER_PLACE_HEADS for n in names[1:-1]):
            kind, weight = PLACE, 1.5  # "Aoraki Mount Cook"
        elif single and (country := gaz.demonym(first)) is not None:
            return _Candidate(start, end, words, OTHER, nationality_key(country.key), 2.0)
        elif single and first_lower in lexicon.GROUP_WORDS:
            kind, weight = OTHER, 2.0  # "Jews", "Islamist", "Republicans"
        elif not single and (
            (last.endswith(_DEMONYM_ENDINGS) and gaz.demonym(names[-1]) is not None) or gaz.demonym(surface) is not None
        ):
            kind, weight = OTHER, 2.0  # "African American", "Native American"
        elif not single and _is_city(gaz.lookup(" ".join(names[:-1]))) and (names[-1][0].isdigit() or names[-1].endswith("s")):
            kind, weight = ORG, 2.0  # "San Diego Chargers", "Philadelphia 76ers"
        elif single and adjective and not acronym and first_lower.endswith(_ADJECTIVE_ENDINGS):
            kind, weight = OTHER, 1.0  # "Republican attorneys", "Islamic insurgency"
        elif single:
            kind, weight = ORG, 1.0 if acronym or _is_camel(first) else 0.5
        elif _initials_and_name(names) and gaz.lookup(names[0]) is None:
            kind, weight = PERSON, 1.0  # "P.J. Carlesimo", "J. K. Rowling", "George W. Bush"
        elif first_lower in lexicon.PLACE_OPENERS and not any(_is_acronym(n) for n in names):
            kind, weight = PLACE, 1.0  # "Southern Alps", "Old Trafford"
        elif any(_is_acronym(n) for n in names) or _has_connector(names) or any(_is_brand_camel(n) for n in names):
            kind, weight = ORG, 0.8  # "Industry CloudPath", "Apple PowerBook": a product or a company, no person
        else:
            kind, weight = PERSON, 1.0
        key = name_key(surface)
        return _Candidate(start, end, words, kind, key, weight) if key else None


_STATE_HEADS = frozenset(("republic", "kingdom", "commonwealth", "federation", "state", "states", "emirate", "emirates", "principality"))


def _names_a_state(gaz: Gazetteer, names: list[str]) -> bool:
    """"Democratic Republic of Congo", "Kingdom of Saudi Arabia": a state head, "of" and a country."""
    if names[-3].lower() not in _STATE_HEADS:
        return False
    place = gaz.lookup(names[-1])
    return place is not None and place.kind == "country"


def _is_city(place: Place | None) -> bool:
    return place is not None and place.kind in ("city", "region")


def _word_before(text: str, start: int) -> str:
    """The lowercase word just before ``start`` (one space between; a final dot kept: "const."), or ""."""
    end = start - 1
    if end <= 0 or text[end] != " ":
        return ""
    begin = text.rfind(" ", 0, end) + 1
    word = text[begin:end]
    if word.isalpha() or word.replace(".", "").replace("-", "").isalpha():  # a plain word, or "gov.", "vice-president"
        return word if word[0].islower() else ""
    begin = end
    while begin > 0 and (text[begin - 1].isalpha() or text[begin - 1] in "-."):
        begin -= 1
    word = text[begin:end]
    return word if word[:1].islower() else ""


_OPENING_QUOTES = frozenset('"“«‘\'')
_CLOSING_QUOTES = frozenset('"”»’\'')


def _is_quoted(text: str, start: int, end: int) -> bool:
    """Whether the run is exactly the content of a pair of quotes (a title: "Crocodile Dundee")."""
    before = start - 1
    if before > 0 and text[before] == " ":
        before -= 1  # tokenised text: " Crocodile Dundee "
    if before < 0 or text[before] not in _OPENING_QUOTES or (before > 0 and text[before - 1].isalnum()):
        return False
    after = end
    while after < len(text) and text[after] in ",.!? ":
        after += 1
    return after < len(text) and text[after] in _CLOSING_QUOTES and after - end <= 3


def _lowercase_noun_after(text: str, end: int) -> bool:
    """Whether a lowercase word other than a verb or function word follows ``end``."""
    if end + 1 >= len(text) or text[end] != " " or not text[end + 1].islower():
        return False
    match = _NEXT_WORD.match(text, end + 1)
    return match is not None and match.group() not in lexicon.VERBS_AFTER_NAMES


def _is_name_word(word: str, article: _Article) -> bool:
    """Whether one capitalised word, alone, can be a name."""
    lower = word.lower().rstrip(".")
    if len(lower) < 2 and not word.isupper():
        return False
    if _is_acronym(word):
        bare = lower.replace(".", "")
        return bare not in lexicon.COMMON_ACRONYMS and sum(ch.isdigit() for ch in word) < 2
    return lower not in article.common and lower not in lexicon.ROLE_WORDS and lower not in lexicon.COMMON_ACRONYMS


_CONNECTORS = lexicon.NAME_PARTICLES | lexicon.HEAD_CONNECTORS | {"d'", "l'", "d’", "l’"}
MAX_DECISIONS = 200_000  # memoised decisions per recognizer; when full, the older half goes
# The facts of context a prose run's decision depends on, as bits of its memo key.
_ROLE_BEFORE, _PLACE_BEFORE, _QUOTED, _ADJECTIVE, _BACKED, _UNBACKED, _ORG_BEFORE, _SOURCE = 1, 2, 4, 8, 16, 32, 128, 256
_PROSE = "prose"
# What a capitalised word says about itself as a name (see RuleBasedRecognizer._word_kind): an
# acronym that is a name ("NATO") or a common noun ("CEO"), a common word of the language, a
# role, a known name (a place, a nationality, a group, an inner capital: "TikTok"), an English
# verb form ("Choosing"), or a plain word.
_ACRONYM_NAME, _ACRONYM_WORD, _COMMON_WORD, _ROLE_WORD, _KNOWN_NAME, _VERB_FORM, _PLAIN_WORD = (
    "acronym name", "acronym word", "common word", "role word", "known name", "verb form", "plain word"
)
_NO_LINE = (1 << 62, 1 << 62, _PROSE)  # ends the list of headline lines (see _headline_lines)
# The word before a run that cues it ("President", "in"), with the bits it sets; only words a
# run can follow (lowercase first, then letters, hyphens and dots: see _word_before).
_CUE_FLAGS: dict[str, int] = {
    word: (_ROLE_BEFORE if word in lexicon.PERSON_NOUNS or word in lexicon.PERSON_TITLES else 0)
    | (_PLACE_BEFORE if word in lexicon.PLACE_PREPOSITIONS else 0)
    for word in lexicon.PERSON_NOUNS | lexicon.PERSON_TITLES | lexicon.PLACE_PREPOSITIONS
    if word[:1].islower() and all(ch.isalpha() or ch in "-." for ch in word)
}
# a name after a word for a work reads as a quoted title ("the film Vice"); after a word for an
# organisation, as an organisation ("the newspaper Verdens Gang")
_CUE_FLAGS.update({word: _CUE_FLAGS.get(word, 0) | _QUOTED for word in lexicon.WORK_NOUNS})
_CUE_FLAGS.update({word: _CUE_FLAGS.get(word, 0) | _ORG_BEFORE for word in lexicon.ORG_NOUNS_BEFORE_NAMES})
_SPEECH_VERBS = frozenset(
    {"says", "said", "notes", "noted", "adds", "added", "explains", "explained", "insists", "insisted", "recalls", "recalled", "concludes", "concluded"}
)
_SOURCE_WORDS = frozenset(("according", "According"))
_TO = 64  # not a flag: "to" before a run, a place cue after a verb of travel (see _travel_to)
_CUE_FLAGS["to"] = _TO


def _travel_to(text: str, start: int) -> int:
    """The flags of a run after "to": a place cue after a verb of travel at most three words
    before, in the same clause ("flew to Wanaka", "flew the body to Wanaka"); a source after
    "according" ("according to Zoom")."""
    end = start - 4  # the space before "to"
    if text[end - 9 : end] in _SOURCE_WORDS and (end == 9 or not text[end - 10].isalnum()):
        return _SOURCE
    for _ in range(4):
        if end <= 0 or text[end] != " ":
            return 0
        begin = text.rfind(" ", 0, end) + 1
        word = text[begin:end]
        if word in lexicon.TRAVEL_VERBS:
            return _PLACE_BEFORE
        if not word.isalpha():
            return 0  # a clause or a number in between
        end = begin - 1
    return 0


# A run that waits for pass 2: (position among the mentions found, start, end, surface, its words
# when more than one, opens a sentence, line kind, context flags or -1 in a headline).
_Waiting = tuple[int, int, int, str, "tuple[str, ...] | None", bool, str, int]


@dataclass(slots=True)
class _Run:
    """What the text of a capitalised run says, wherever it is: read once per language (never
    changed once made)."""

    surface: str  # the run without a final dot that ends the sentence rather than the word
    names: tuple[str, ...] | None  # its words, when more than one
    pieces: tuple[_Piece, ...]  # where a sentence ends inside the run: its pieces; empty when none may (see _scan_pieces)
    opener: bool  # one common word ("The", "However"): not a name when it opens a sentence
    common: bool  # one common word, no acronym ("Monday"): never a name alone
    capitals: tuple[str, ...]  # the words that start with a capital (mid-sentence capitals)
    later_capitals: tuple[str, ...]  # the same, the first word left out (the run opens a sentence)
    adjective_ending: bool  # one word ending like an adjective ("Republican", "Chinese")


@dataclass(slots=True)
class _Piece:
    """A piece of a capitalised run cut where a sentence ended ("... Americans. Oracle ..."), as
    ``_Run`` says of a whole run (never changed once made)."""

    start: int  # relative to the run's start
    end: int  # the same; a final dot that ends the sentence left out
    surface: str
    names: tuple[str, ...] | None  # its words, when more than one
    opener: bool  # one common word ("The"): not a name when it opens a sentence
    capitals: tuple[str, ...]  # the words that start with a capital
    later_capitals: tuple[str, ...]  # the same, the first word left out (the piece opens a sentence)


_RUNS: dict[str | None, dict[str, _Run]] = {}
_RUNS_SIZE = 50_000  # per language; when full, the older half goes


def _runs_of_language(lang: str | None) -> dict[str, _Run]:
    runs = _RUNS.get(lang)
    if runs is None:
        runs = _RUNS[lang] = {}
    return runs


def _read_run(runs: dict[str, _Run], group: str, common: frozenset[str]) -> _Run:
    """Read a run's text (``common``: the language's common words) and remember it in ``runs``."""
    single = " " not in group and "\u00a0" not in group
    opener = single and group.lower() in common and not group.isupper()
    if single:
        surface = group[:-1] if group[-1] == "." and _strip_dot(group) else group
        lower = surface.lower()
        run = _Run(
            surface, None, (), opener, lower in common and not _is_acronym(surface), (surface,), (),
            lower.endswith(_ADJECTIVE_ENDINGS),
        )
    elif ". " in group or ".\u00a0" in group:
        run = _Run(group, None, _pieces(group, common), opener, False, (), (), False)
    else:
        names = group.split()  # words are one space (or no-break space) apart
        surface = group
        if names[-1][-1] == "." and _strip_dot(names[-1]):
            names[-1] = names[-1][:-1]
            surface = group[:-1]
        capitals = tuple([word for word in names if word[0].isupper()])
        later = capitals[1:] if names[0][0].isupper() else capitals
        run = _Run(surface, tuple(names), (), opener, False, capitals, later, False)
    if len(runs) >= _RUNS_SIZE:
        _forget_older_half(runs)
    runs[group] = run
    return run


def _pieces(group: str, common: frozenset[str]) -> tuple[_Piece, ...]:
    """The pieces of a run with dots inside, cut where a sentence ended ("... Americans. Oracle ...",
    "Oracle Corp. The ...")."""
    words = _word_spans(0, group.split())
    pieces = []
    piece_start = 0
    count = len(words)
    for index in range(1, count + 1):
        if index < count:
            previous = words[index - 1][2]
            if previous[-1] != "." or not (_strip_dot(previous) or words[index][2].lower() in common):
                continue
        piece = words[piece_start:index]
        piece_start = index
        last_start, last_end, last = piece[-1]
        if last[-1] == "." and _strip_dot(last):
            piece[-1] = (last_start, last_end - 1, last[:-1])
        names = [word for _, _, word in piece]
        first = names[0]
        opener = len(piece) == 1 and first.lower() in common and not first.isupper()
        capitals = tuple([word for word in names if word[0].isupper()])
        start, end = piece[0][0], piece[-1][1]
        later_capitals = capitals[1:] if first[0].isupper() else capitals
        pieces.append(_Piece(start, end, group[start:end], tuple(names) if len(names) > 1 else None, opener, capitals, later_capitals))
    return tuple(pieces)


def _forget_older_half(cache: dict[Any, Any]) -> None:
    """Drop the first-inserted half of a full cache (dicts keep insertion order): the recent half,
    where the names of the current news are, stays. Amortised O(1) per insertion; safe if another
    thread uses the cache meanwhile (the keys are copied in one step, each dropped at most once)."""
    keys = list(cache)
    for key in keys[: len(keys) // 2]:
        cache.pop(key, None)


def _word_spans(start: int, names: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end, word) of the words of a run at ``start``, one separator apart."""
    spans: list[tuple[int, int, str]] = []
    for word in names:
        spans.append((start, start + len(word), word))
        start += len(word) + 1
    return spans


def _context_flags(text: str, start: int, end: int, single_word: str) -> int:
    """The facts of context a prose run [start, end) depends on, as memo-key bits: a role or a
    place preposition just before, quotes around, an adjective use ("Republican attorneys")."""
    flags = 0
    if start > 1 and text[start - 1] == " ":
        flags = _CUE_FLAGS.get(_word_before(text, start), 0)
        if flags == _TO:
            flags = _travel_to(text, start)
        if text[start - 2] in _OPENING_QUOTES and _is_quoted(text, start, end):
            flags |= _QUOTED
    elif start and text[start - 1] in _OPENING_QUOTES and _is_quoted(text, start, end):
        flags |= _QUOTED
    if single_word and single_word.lower().endswith(_ADJECTIVE_ENDINGS) and _lowercase_noun_after(text, end):
        flags |= _ADJECTIVE
    return flags


_PLACE_BEFORE_WEIGHT = 1.2  # the weight of a PLACE typed only by a preposition before it
_INNER_PLACE_HEADS = frozenset("mount mt mt. lake river gulf cape mont lac golfe monte lago".split())
_DETERMINERS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the",
        "fr": "le la les l' l’",
        "de": "der die das den dem des",
        "es": "el los las la",
        "pt": "o os a as",
        "it": "il lo la i gli le l' l’",
        "nl": "de het een",
    }.items()
}
_ON_HEADS = frozenset("council committee commission conference board".split())
_ADJECTIVE_ENDINGS = ("ican", "ian", "ic", "ese", "ish")
_DEMONYM_ENDINGS = ("an", "ese", "ish", "i", "ic", "ch")  # "Native American", not "Willie Green"
_NEXT_WORD = re.compile(r"[\w'’-]+")


def _is_acronym(word: str) -> bool:
    """"CEO", "U.S.", "NATOs": at least two letters, all but one of them capitals, the first two capitals."""
    head = word[:2]
    if head.upper() != head:
        return False  # "Trump": the common case, decided by its first two letters
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and sum(1 for ch in letters if ch.isupper()) >= len(letters) - 1


_INITIALS = re.compile(rf"^(?:{_UP}\.){{1,3}}$")


def _initials_and_name(names: list[str]) -> bool:
    """Initials and capitalised words, the last one a plain word ("P.J. Carlesimo", "George W. Bush")."""
    last = names[-1]
    if not any(_INITIALS.match(n) for n in names[:-1]) or _is_acronym(last) or not last[1:].islower():
        return False
    return all(_INITIALS.match(n) or (n[:1].isupper() and not _is_acronym(n)) for n in names[:-1])


def _split_at_and(words: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """"University of Oxford and Johns Hopkins University" is two names: an "and" splits a name
    when what follows it is a name of its own (several words, the last an organisation word);
    "Department of Arts and Sciences" stays one."""
    for index in range(len(words) - 1, 0, -1):
        if words[index][2].lower() == "and":
            right = words[index + 1 :]
            if len(right) >= 2 and _is_org_word(right[-1][2].lower().rstrip(".")):
                return [*_split_at_and(words[:index]), right]
            break
    return [words]


def _is_connector(word: str) -> bool:
    """A particle or connector inside a name ("de", "of"); an abbreviation in capitals is none ("LA")."""
    return word.lower() in _CONNECTORS and not (len(word) > 1 and word.isupper())


def _is_compound_adjective(word: str) -> bool:
    """"Ethiopian-flagged", "Western-backed", "Oscar-hosting": a name, a hyphen, then a lowercase word."""
    tail = word.rsplit("-", 1)[1].rstrip(".")
    return len(tail) >= 2 and tail.isalpha() and tail.islower()


def _is_camel(word: str) -> bool:
    """"TikTok", "ByteDance", "YouTube": an inner capital after a lowercase letter."""
    if word[1:].islower() or word.isupper():
        return False  # no capital after the first letter, or no lowercase letter at all
    return any(a.islower() and b.isupper() for a, b in zip(word, word[1:]))


def _is_brand_camel(word: str) -> bool:
    """"CloudPath", "PowerPoint", "PlayStation": an inner capital after a lowercase word of four
    letters or more. Names of persons have theirs after a short prefix ("McDonald", "DeShawn",
    "LaCalamita", "MacArthur", "JaVale")."""
    if not _is_camel(word):
        return False
    for index in range(1, len(word)):
        if word[index].isupper() and word[index - 1].islower():
            prefix = word[:index]
            return len(prefix) >= 4 and prefix.isalpha() and prefix.lower() not in _LONG_NAME_PREFIXES
    return False


_LONG_NAME_PREFIXES = frozenset(("fitz", "mac", "della", "dela"))


def _is_role(lower: str) -> bool:
    return lower.endswith("-elect") and lower[:-6] in lexicon.PERSON_TITLES


def _is_org_word(lower: str) -> bool:
    return lower in lexicon.ORG_SUFFIXES or lower in lexicon.ORG_HEADS


def _ends_org(words: list[tuple[int, int, str]]) -> bool:
    return words[-1][2].lower() in lexicon.ORG_SUFFIXES


def _has_connector(names: list[str]) -> bool:
    return any(n.lower() in lexicon.HEAD_CONNECTORS for n in names[1:-1])


def _unify_within_article(found: list[_Found], text: str) -> tuple[bool, list[tuple[int, _Verdict]]]:
    """One key, one type: surnames take the full name's key, votes decide each key's type.
    Whether a name of several words ends with a word starting with digits ("Philadelphia 76ers"),
    and the lone words typed by default that are capitalised only once (start, verdict).

    Two passes over the article's mentions (plus rare extra work): the first counts lone words
    and finds the full names of persons, the second points surnames at them and sees whether
    any key has more than one type.
    """
    persons: list[_Verdict] = []  # the persons named by several words
    alone: dict[str, int] = {}
    weak_runs: list[int] = []  # default-typed runs of several words: maybe two names side by side
    weak_places: list[int] = []  # runs of several words typed PLACE only by a preposition before ("in")
    vessels: list[_Verdict] = []  # ships named with their prefix ("INS Mysore")
    strong_alone: dict[str, _Verdict] = {}  # lone words typed by strong evidence, by their text
    digit_names = False
    capitalised_once: list[tuple[int, _Verdict]] = []
    for index, (_, _, verdict) in enumerate(found):
        word = verdict.alone
        if word is not None:
            alone[word] = alone.get(word, 0) + 1
            if verdict.place is not None or verdict.weight >= 2.0:
                other = strong_alone.get(verdict.text)
                if other is None or verdict.weight > other.weight:
                    strong_alone[verdict.text] = verdict
            continue
        if verdict.words[-1][2][0].isdigit():
            digit_names = True
        if verdict.weight <= 1.0:
            weak_runs.append(index)
        elif verdict.type == PLACE and verdict.place is None and verdict.weight <= _PLACE_BEFORE_WEIGHT:
            weak_places.append(index)
        elif verdict.type == OTHER and verdict.lowered[0] in lexicon.VESSEL_PREFIXES:
            vessels.append(verdict)
        if verdict.type == PERSON:
            persons.append(verdict)
    if vessels and alone:
        _ships_by_name(found, vessels, text)
    if weak_places and alone and _persons_named_after_preposition(found, alone, weak_places):
        persons = _persons_of_several_words(found)
    if weak_runs and alone and _split_adjacent_names(found, alone, weak_runs):
        persons = _persons_of_several_words(found)
    person_of_surname = _persons_by_surname(persons)
    person_of_first_name: dict[str, _Verdict] | None = None  # found when a lone word first needs it
    type_of_key: dict[str, str] = {}
    contested = False
    for index, (start, end, verdict) in enumerate(found):
        kind = verdict.type
        if strong_alone and verdict.weight <= 0.5 and verdict.place is None and verdict.alone is not None:
            strong = strong_alone.get(verdict.text)
            if strong is not None and strong.key != verdict.key:
                # one sense per article: "US" read as a plain word in "the TikTok US file" is the
                # "US" the article names as a place elsewhere
                verdict = _retyped(verdict, strong.type, strong.key, strong.weight, strong.place)
                found[index] = (start, end, verdict)
                kind = verdict.type
        if person_of_surname and verdict.alone is not None:
            person = person_of_surname.get(verdict.last_fold)
            if person is not None:
                weight, place = verdict.weight, verdict.place
                if kind in (PERSON, "?") or weight < 2.0 or (place is not None and (place.kind == "city" or not _after_place_word(text, start))):
                    verdict = _retyped(verdict, PERSON, person.key, max(weight, 1.5), None)
                    found[index] = (start, end, verdict)
                    kind = PERSON
            elif kind in (ORG, "?") and verdict.weight <= 1.0 and verdict.place is None:
                if person_of_first_name is None:
                    person_of_first_name = _persons_by_first_name(persons)
                person = person_of_first_name.get(verdict.last_fold)
                if person is not None:  # "Hugh" for the article's only Hugh, "Hugh Jackman"
                    verdict = _retyped(verdict, PERSON, person.key, 1.5, None)
                    found[index] = (start, end, verdict)
                    kind = PERSON
        if kind not in _ENTITY_TYPE_SET:
            contested = contested or kind == "?"
        elif type_of_key.setdefault(verdict.key, kind) != kind:
            contested = True  # most articles give each key one type: then there is nothing to vote on
        if kind == ORG and verdict.weight <= 0.5 and verdict.alone is not None and verdict.place is None and alone.get(verdict.alone) == 1:
            capitalised_once.append((start, verdict))
    if contested:
        _vote_types(found)
    return digit_names, capitalised_once


def _drop_words_capitalised_by_accident(article: _Article, found: list[_Found], capitalised_once: list[tuple[int, _Verdict]]) -> None:
    """A lone word typed by default (no cue, no gazetteer, no acronym), capitalised only once in
    the article (``capitalised_once``: start, verdict), that the article also uses as a lowercase
    word is an everyday word capitalised by accident, not a name: "(update, Twist in the case)"
    beside "a new twist"; "Walmart of Commerce" beside "e-commerce". A name the article repeats
    keeps its capital every time. Those retyped since are kept."""
    starts = {start for start, verdict in capitalised_once if article.seen_lowercase(verdict.text, ending_compounds=True)}
    if starts:
        found[:] = [
            mention
            for mention in found
            if mention[0] not in starts or mention[2].type != ORG or mention[2].weight > 0.5 or mention[2].place is not None
        ]


def _ships_by_name(found: list[_Found], vessels: list[_Verdict], text: str) -> None:
    """A lone word that names a ship of the article ("Mysore" for "INS Mysore") is that ship,
    even where a place bears the name, unless a place word introduces it ("in Mysore")."""
    ship_of_name = {vessel.last_fold: vessel for vessel in vessels if len(vessel.words) == 2}
    for index, (start, end, verdict) in enumerate(found):
        vessel = ship_of_name.get(verdict.last_fold) if verdict.alone is not None else None
        if vessel is not None and verdict.type != OTHER and not _after_place_word(text, start):
            found[index] = (start, end, _retyped(verdict, OTHER, vessel.key, 2.0, None))


def _persons_of_several_words(found: list[_Found]) -> list[_Verdict]:
    """The verdicts of the persons named by several words, in text order."""
    return [verdict for _, _, verdict in found if verdict.type == PERSON and verdict.alone is None]


def _persons_by_surname(persons: list[_Verdict]) -> dict[str, _Verdict]:
    """The strongest, then longest, person of several words (``persons``) for each surname (folded)."""
    person_of_surname: dict[str, _Verdict] = {}
    for verdict in persons:
        best = person_of_surname.get(verdict.last_fold)
        if best is None or (verdict.weight, len(verdict.words)) > (best.weight, len(best.words)):
            person_of_surname[verdict.last_fold] = verdict
    return person_of_surname


def _after_place_word(text: str, start: int) -> bool:
    """Whether the word before ``start`` introduces a place ("in Jordan", "to Georgia")."""
    return _word_before(text, start) in lexicon.PLACE_INTRODUCERS


# After a lone name, what only a person takes: "Obama, who", "Smith, 45,", "Gupta said he",
# "the Obama administration".
_PERSON_AFTER = re.compile(
    r"[ \u00a0]?(?:,[ \u00a0]+(?:who\b|\d{1,3}[ \u00a0]?,)|[ \u00a0]+(?:said|says|told|added)[ \u00a0]+(?:that[ \u00a0]+)?(?:he|she)\b"
    r"|[ \u00a0]+administration\b)"  # "the Obama administration"
)


def _persons_by_context(text: str, found: list[_Found]) -> None:
    """A lone word typed ORG by default (no cue of any kind) is a person when the text after
    one of its mentions is what only a person takes (``_PERSON_AFTER``): then all its
    default-typed mentions in the article are."""
    persons: set[str] = set()
    for start, end, verdict in found:
        if verdict.alone is not None and verdict.type == ORG and verdict.weight <= 0.5 and _PERSON_AFTER.match(text, end):
            persons.add(verdict.key)
    if not persons:
        return
    for index, (start, end, verdict) in enumerate(found):
        if verdict.key in persons and verdict.type == ORG and verdict.weight <= 0.5:
            found[index] = (start, end, _retyped(verdict, PERSON, verdict.key, 1.0, None))


# After a name: ", a public accounting firm", ", the Detroit suburb", "'s wife" (English).
_APPOSITIVE = re.compile(r"[ \u00a0]?,[ \u00a0]+(?:a|an|the)[ \u00a0]+(?:[\w'’-]+[ \u00a0]+){0,4}?([a-z][\w-]*)\b(?![ \u00a0]?['’]|[ \u00a0]+(?:of|for)\b)")
_POSSESSIVE = re.compile(r"[ \u00a0]?['’]s?[ \u00a0]+([a-z]+)\b")
# The noun of an appositive (", a public accounting firm") or of a possessive ("'s wife") names
# the type of the name before it.
_APPOSITIVE_TYPES = ((lexicon.APPOSITIVE_ORG_NOUNS, ORG), (lexicon.APPOSITIVE_PLACE_NOUNS, PLACE), (lexicon.APPOSITIVE_PERSON_NOUNS, PERSON))
_POSSESSED_TYPES = ((lexicon.POSSESSED_BY_PERSONS, PERSON), (lexicon.POSSESSED_BY_ORGS, ORG))


def _type_named_by(noun: str, types: tuple[tuple[frozenset[str], str], ...]) -> str | None:
    return next((kind for nouns, kind in types if noun in nouns), None)


def _types_by_what_follows(text: str, found: list[_Found], english: bool) -> None:
    """A name typed by default (no cue, no gazetteer) takes the type of what follows it, then so do
    all its default-typed mentions in the article (one pass; most names are followed by neither):

    - a comma and a region or a country of the gazetteer, after an organisation typed by default:
      a place ("Charlottesville, Virginia"; a person's name stays one: "Ellen Smith, California");
    - in English, an appositive or a possessive: "Gordon Advisors, a public accounting firm" (ORG),
      "Troy, a Detroit suburb" (PLACE), "Zadan, a producer" (PERSON), "Jackson's wife" (PERSON),
      "Acme's shares" (ORG).
    """
    typed: dict[str, str] = {}
    last = len(found) - 1
    followed_by = text.startswith
    for index, (_, end, verdict) in enumerate(found):
        if verdict.weight > 1.0 or verdict.place is not None or not followed_by(_TYPING_FOLLOWERS, end) or verdict.key in typed:
            continue
        following = text[end] if text[end] != " " else text[end + 1]  # tokenised text: "Advisors , a"
        kind = verdict.type
        if kind != ORG and kind != PERSON:
            continue
        if following == ",":
            if kind == ORG and index < last:
                next_start, _, after = found[index + 1]
                place = after.place
                if place is not None and place.kind in ("region", "country") and text[end:next_start].strip() == ",":
                    typed[verdict.key] = PLACE
                    continue
            if english and followed_by(_APPOSITIVE_OPENERS, end):
                match = _APPOSITIVE.match(text, end)
                cue = _type_named_by(match.group(1), _APPOSITIVE_TYPES) if match is not None else None
                if cue is not None:
                    typed[verdict.key] = cue
        elif english:
            match = _POSSESSIVE.match(text, end)
            cue = _type_named_by(match.group(1), _POSSESSED_TYPES) if match is not None else None
            if cue is not None:
                typed[verdict.key] = cue
    if not typed:
        return
    for index, (start, end, verdict) in enumerate(found):
        kind = typed.get(verdict.key)
        if kind is not None and kind != verdict.type and verdict.weight <= 1.5 and verdict.place is None:
            if kind == PLACE and verdict.type != ORG:
                continue  # "Charlottesville, Virginia" retypes what was typed an organisation by default
            found[index] = (start, end, _retyped(verdict, kind, verdict.key, 1.5, None))


_TYPING_FOLLOWERS = (",", "'", "’", " ,", " '", " ’")
_APPOSITIVE_OPENERS = tuple(f"{space},{gap}{article} " for space in ("", " ") for gap in (" ", "\u00a0") for article in ("a", "an", "the"))


def _names_starting_with_digits(text: str, found: list[_Found]) -> None:
    """"the 76ers" after "Philadelphia 76ers": the last word of an organisation's name, when it
    starts with digits (which no capitalised run does), is that organisation alone too."""
    added: list[_Found] = []
    taken: set[tuple[int, int]] = set()  # the spans of the mentions, read when a name first needs them
    starts: list[int] = []  # their starts: sorted, the mentions never overlapping
    words_done: set[str] = set()  # a word's later organisations would find only spans taken
    for _, _, verdict in found:
        word = verdict.words[-1][2]
        if verdict.type != ORG or verdict.alone is not None or not word[0].isdigit() or not any(ch.isalpha() for ch in word):  # "76ers"
            continue
        if word in words_done:
            continue
        if not words_done:
            taken = {(start, end) for start, end, _ in found}
            starts = [start for start, _, _ in found]
        words_done.add(word)
        for span in _whole_word_spans(text, word):
            covering = bisect_right(starts, span[0]) - 1  # the last mention starting at or before it
            if span not in taken and not (covering >= 0 and span[0] < found[covering][1]):
                taken.add(span)
                added.append((span[0], span[1], _verdict(ORG, verdict.key, 2.0, None, word, [(span[0], span[1], word)], span[0])))
    if added:
        found.extend(added)
        found.sort(key=lambda item: item[0])


def _whole_word_spans(text: str, word: str) -> Iterable[tuple[int, int]]:
    r"""Where ``word`` occurs in ``text`` not as part of a longer word, left to right and not
    overlapping: the matches of ``(?<![\w'’-])word(?![\w'’-])``, found by ``str.find`` (a regex
    opening with a look-behind tries every position of the text)."""
    size = len(word)
    position = text.find(word)
    while position >= 0:
        end = position + size
        if (position == 0 or not _joins_word(text[position - 1])) and (end == len(text) or not _joins_word(text[end])):
            yield position, end
            position = text.find(word, end)
        else:
            position = text.find(word, position + 1)


def _joins_word(ch: str) -> bool:
    r"""Whether a character next to a word makes it part of a longer one (``[\w'’-]``)."""
    return ch.isalnum() or ch in "_'’-"


# A road named by a word and a number: "Interstate 75", "Highway 101", "Route 66".
_ROAD_WORDS = frozenset(("interstate", "highway", "route"))
_NUMBER_AFTER = re.compile(r"[ \u00a0](\d{1,4})\b")


def _numbered_roads(text: str, found: list[_Found]) -> None:
    """A run ending with a road word and followed by a number takes the number in: a place
    (only where the text writes a road word before a space: most articles have none)."""
    if not ("Interstate " in text or "Highway " in text or "Route " in text):
        return
    roads = [index for index, (_, _, verdict) in enumerate(found) if verdict.lowered[-1] in _ROAD_WORDS]
    for index in roads:
        start, end, verdict = found[index]
        number = _NUMBER_AFTER.match(text, end)
        if number is not None:
            surface = text[start : number.end()]
            words = [(start + s, start + e, w) for s, e, w in verdict.words] + [(number.start(1), number.end(), number.group(1))]
            found[index] = (start, number.end(), _verdict(PLACE, name_key(surface), 2.0, None, surface, words, start))


def _persons_by_first_name(persons: list[_Verdict]) -> dict[str, _Verdict]:
    """The person of several words (``persons``) for each first name (folded), when only one has it."""
    person_of_first_name: dict[str, _Verdict] = {}
    shared: set[str] = set()
    for verdict in persons:
        first = fold(verdict.words[0][2])
        other = person_of_first_name.setdefault(first, verdict)
        if other.key != verdict.key:
            shared.add(first)
    for first in shared:
        del person_of_first_name[first]
    return person_of_first_name


def _persons_named_after_preposition(found: list[_Found], alone: dict[str, int], weak_places: list[int]) -> bool:
    """"bringing in Maurice Cheeks": a run typed PLACE only by the preposition before it is a
    person when its last word stands alone elsewhere in the article (a surname: "Cheeks said").
    Whether any was retyped."""
    retyped = False
    for index in weak_places:
        start, end, verdict = found[index]
        if alone.get(verdict.lowered[-1], 0) and not _is_acronym(verdict.words[-1][2]):
            found[index] = (start, end, _retyped(verdict, PERSON, verdict.key, 1.0, None))
            retyped = True
    return retyped


_ENTITY_TYPE_SET = frozenset(ENTITY_TYPES)


def _vote_types(found: list[_Found]) -> None:
    """Each key takes the type with the most evidence (weight) among its mentions (places keep
    theirs). An undecided mention ("?": a German noun) takes its key's type, if any mention of
    the key has one; else it stays undecided, and is no mention (see ``_mentions``)."""
    votes: dict[str, dict[str, float]] = {}
    for _, _, verdict in found:
        if verdict.type in ENTITY_TYPES:
            by_type = votes.setdefault(verdict.key, {})
            by_type[verdict.type] = by_type.get(verdict.type, 0.0) + verdict.weight
    winner = {key: max(by_type, key=by_type.__getitem__) for key, by_type in votes.items()}
    contested = {key for key, by_type in votes.items() if len(by_type) > 1}
    for index, (start, end, verdict) in enumerate(found):
        if verdict.type == "?":
            kind = winner.get(verdict.key)
        elif verdict.place is None and verdict.key in contested:
            kind = winner[verdict.key]
        else:
            continue
        if kind is not None and kind != verdict.type:
            found[index] = (start, end, _retyped(verdict, kind, verdict.key, verdict.weight, verdict.place))


def _split_adjacent_names(found: list[_Found], alone: dict[str, int], weak_runs: list[int]) -> bool:
    """"Oracle TikTok deal": a default-typed run seen once, whose every word stands alone more
    often elsewhere in the article (``alone`` counts the one-word mentions), is two names side
    by side, not a person called Oracle TikTok. ``weak_runs``: the positions of the runs of
    several words typed by default (weight at most 1). Whether any run was split."""
    to_split: set[int] = set()  # positions in found
    runs: dict[tuple[str, ...], int] | None = None  # counted only when a run is a candidate for splitting
    for index in weak_runs:
        lowered = found[index][2].lowered
        if min([alone.get(w, 0) for w in lowered]) > 1:
            if runs is None:
                runs = {}
                for _, _, other in found:
                    if len(other.lowered) > 1:
                        runs[other.lowered] = runs.get(other.lowered, 0) + 1
            if runs[lowered] == 1:
                to_split.add(index)
    if not to_split:
        return False
    out: list[_Found] = []
    for index, mention in enumerate(found):
        if index in to_split:
            base, _, verdict = mention
            for start, end, word in verdict.words:
                out.append((base + start, base + end, _verdict(ORG, name_key(word), 0.5, None, verdict.text[start:end], [(start, end, word)], start)))
        else:
            out.append(mention)
    found[:] = out
    return True


# -- plugging in another recognizer ------------------------------------------------------------


class SpacyRecognizer:
    """Adapter for a spaCy pipeline (or any callable returning a doc with ``ents``).

    ``SpacyRecognizer(spacy.load("en_core_web_sm"))`` when a user has a model installed;
    labels are mapped onto PERSON/ORG/PLACE/OTHER and keys are computed as for the rules.
    """

    name = "spacy"
    LABELS = {
        "PERSON": PERSON, "PER": PERSON, "ORG": ORG, "GPE": PLACE, "LOC": PLACE, "FAC": PLACE,
        "NORP": OTHER, "MISC": OTHER, "EVENT": OTHER, "WORK_OF_ART": OTHER, "PRODUCT": OTHER, "LAW": OTHER,
    }

    def __init__(self, nlp: Callable[[str], object], gaz: Gazetteer | None = None) -> None:
        self.nlp = nlp
        self._gaz = gaz

    def recognize(self, text: str, lang: str | None) -> list[EntityMention]:
        gaz = self._gaz or gazetteer()
        mentions: list[EntityMention] = []
        for ent in getattr(self.nlp(text), "ents", ()):
            kind = self.LABELS.get(ent.label_)
            if kind is None:
                continue
            surface = text[ent.start_char : ent.end_char]
            place = gaz.lookup(surface) if kind == PLACE else None
            key = place.key if place else name_key(surface)
            if key:
                mentions.append(EntityMention(ent.start_char, ent.end_char, kind, surface, key))
        return mentions
