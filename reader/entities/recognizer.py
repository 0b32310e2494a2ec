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
key and type of the full name seen in the same article ("Trump" -> "Donald Trump").

Any other recognizer (a spaCy model, say) plugs in through :class:`EntityRecognizer`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol, runtime_checkable

from reader.entities import lexicon
from reader.entities.gazetteer import Gazetteer, Place, fold, gazetteer
from reader.entities.keys import name_key, nationality_key
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


_UP = _uppercase_class()
# One capitalised word: letters/digits with inner hyphens, ampersands, dots and apostrophes
# (not a possessive "'s"), maybe a final dot; inside a run also digits then letters ("76ers").
_TAIL = r"""\w*(?:[-&.]\w+|['’](?![sS]\b)\w+)*\.?"""
_WORD = _UP + _TAIL
_INNER_WORD = rf"(?:{_UP}|\d+[^\W\d_]){_TAIL}"
_PARTICLE = (
    r"(?:d['’]|l['’]|(?:al|el)-|"
    r"(?:de|du|des|la|le|van|von|der|den|ter|ten|zu|da|do|dos|das|di|del|della|dei|degli|bin|ibn|al|el|of|for|on|the|and|at|&)"
    r"[ \u00a0])"
)
# Words of one name are separated by one space: a wider gap is a layout boundary.
_SEQUENCE = re.compile(rf"{_WORD}(?:[ \u00a0](?:{_PARTICLE})*{_INNER_WORD})*")
_HAS_UPPER = re.compile(_UP)
_SPLIT_WORDS = re.compile(r"[^ \u00a0]+")
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


@dataclass
class _Article:
    """What the recognizer learns about one article before deciding on each candidate."""

    text: str
    lang: str | None
    common: frozenset[str]
    gaz: Gazetteer
    mid_capitals: set[str] = field(default_factory=set)  # words seen capitalised mid-sentence
    evidence: dict[tuple[str, object], bool] = field(default_factory=dict)
    _line_kinds: dict[int, str] = field(default_factory=dict)

    def seen_lowercase(self, word: str) -> bool:
        """Whether the word occurs in lowercase as a whole word somewhere in the article."""
        lower = word.lower()
        if lower == word:
            return True
        text = self.text
        size = len(lower)
        position = text.find(lower)
        while position >= 0:
            before = text[position - 1] if position else " "
            after = text[position + size] if position + size < len(text) else " "
            if not (before.isalnum() or before in "'’-") and not (after.isalnum() or after in "'’-"):
                return True
            position = text.find(lower, position + 1)
        return False

    def line_kind(self, position: int) -> str:
        """"caps" (ALL-CAPS headline), "title" (Title Case headline) or "prose" for the line at position."""
        start = self.text.rfind("\n", 0, position) + 1
        kind = self._line_kinds.get(start)
        if kind is None:
            end = self.text.find("\n", position)
            end = end if end >= 0 else len(self.text)
            kind = _line_kind(self.text[start:end]) if end - start <= MAX_HEADLINE_CHARS else "prose"
            self._line_kinds[start] = kind
        return kind


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
        lowercase_words = sum(1 for w in words if w[0].islower())
        if lowercase_words <= len(words) // 5 and len(words) - lowercase_words >= 3:
            return "title"
    return "prose"


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

    @property
    def gaz(self) -> Gazetteer:
        if self._gaz is None:
            self._gaz = gazetteer()
        return self._gaz

    # -- entry point ---------------------------------------------------------------------------

    def recognize(self, text: str, lang: str | None) -> list[EntityMention]:
        if not text or not _HAS_UPPER.search(text):
            return []
        lang = (lang or "").split("-")[0].lower() or None
        article = _Article(text, lang, lexicon.common_words(lang), self.gaz)
        runs = self._runs(article)
        candidates: list[_Candidate] = []
        for words, initial, kind in runs:
            candidates.extend(self._segments(article, words, initial, kind))
        _unify_within_article(candidates)
        return [
            EntityMention(c.start, c.end, c.type, text[c.start : c.end], c.key)
            for c in candidates
            if c.type
        ]

    # -- pass 1: capitalised runs and what they say about the article -------------------------

    def _runs(self, article: _Article) -> list[tuple[list[tuple[int, int, str]], bool, str]]:
        text = article.text
        runs: list[tuple[list[tuple[int, int, str]], bool, str]] = []
        mid = article.mid_capitals
        common = article.common
        line_kind = article.line_kind
        for match in _SEQUENCE.finditer(text):
            start = match.start()
            if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
                continue  # inside a word ("iPhone", "e-Learning")
            group = match.group()
            initial = _is_sentence_start(text, start)
            single = " " not in group and "\u00a0" not in group
            if initial and single and group.lower() in common and not group.isupper():
                continue  # "The", "However": the most frequent run of all, and never a name
            kind = line_kind(start)
            prose = kind == "prose"
            if single:  # one word: the common case
                if group[-1] == "." and _strip_dot(group):
                    group = group[:-1]
                if prose and not initial:
                    mid.add(group)
                runs.append(([(start, start + len(group), group)], initial, kind))
                continue
            words = [(start + m.start(), start + m.end(), m.group()) for m in _SPLIT_WORDS.finditer(group)]
            piece_start = 0
            for index in range(1, len(words) + 1):
                if index < len(words) and not (
                    words[index - 1][2][-1] == "."
                    and (_strip_dot(words[index - 1][2]) or words[index][2].lower() in common)
                ):
                    continue
                # "... Americans. Oracle ...", "Oracle Corp. The ...": a sentence ended there
                piece = words[piece_start:index]
                piece_initial = initial if piece_start == 0 else True
                piece_start = index
                last_start, last_end, last = piece[-1]
                if last[-1] == "." and _strip_dot(last):
                    piece[-1] = (last_start, last_end - 1, last[:-1])
                if prose:
                    for position, (_, _, word) in enumerate(piece):
                        if (position or not piece_initial) and word[0].isupper():
                            mid.add(word)
                runs.append((piece, piece_initial, kind))
        return runs

    # -- pass 2: split runs into names, type them -----------------------------------------------

    def _segments(self, article: _Article, words: list[tuple[int, int, str]], initial: bool, kind: str) -> list[_Candidate]:
        if kind == "caps":
            return list(self._caps_segments(article, words))
        if kind == "title" or article.lang in lexicon.NOUN_CAPITALISING_LANGS:
            return self._decide(article, words, initial=initial, headline=kind == "title")
        # In prose the decision depends on the words, the language and (at a sentence start)
        # on whether the article backs the first word: memoised across articles.
        text = article.text
        before = _word_before(text, words[0][0])
        role_before = bool(before) and (before in lexicon.PERSON_NOUNS or before in lexicon.PERSON_TITLES)
        place_before = bool(before) and before in lexicon.PLACE_PREPOSITIONS
        adjective = (
            len(words) == 1 and words[0][2].lower().endswith(_ADJECTIVE_ENDINGS) and _lowercase_noun_after(text, words[0][1])
        )
        quoted = words[0][0] > 0 and text[words[0][0] - 1] in _QUOTE_OR_SPACE and _is_quoted(text, words[0][0], words[-1][1])
        evidence = None
        if initial:
            evidence_key = (words[0][2], len(words) > 1 and words[1][2])
            evidence = article.evidence.get(evidence_key)
            if evidence is None:
                evidence = article.evidence[evidence_key] = self._has_evidence(article, words[0][2], words, headline=False)
        memo_key = (
            article.lang, words[0][2] if len(words) == 1 else tuple(w for _, _, w in words), evidence, role_before, adjective, quoted, place_before
        )
        decided = _RUN_MEMO.get(memo_key)
        if decided is None:
            index_of = {w[0]: i for i, w in enumerate(words)}
            decided = tuple(
                (index_of[c.words[0][0]], len(c.words), c.words[-1][1] - words[index_of[c.words[-1][0]]][0], c.type, c.key, c.weight, c.place)
                for c in self._decide(
                    article, words, initial=initial, headline=False, evidence=evidence, role_before=role_before, adjective=adjective,
                    quoted=quoted, place_before=place_before,
                )
            )
            if len(_RUN_MEMO) >= _RUN_MEMO_SIZE:
                _RUN_MEMO.clear()
            _RUN_MEMO[memo_key] = decided
        out: list[_Candidate] = []
        for first, count, last_length, kind_, key, weight, place in decided:
            kept = words[first : first + count]
            end = kept[-1][0] + last_length
            if end != kept[-1][1]:
                kept[-1] = (kept[-1][0], end, kept[-1][2][: end - kept[-1][0]])
            out.append(_Candidate(kept[0][0], end, kept, kind_, key, weight, place))
        return out

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
                        candidate.type, candidate.weight = PLACE, 1.2  # "in Burnsville", "near Hampton East"
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
        segments: list[tuple[list[tuple[int, int, str]], str]] = []
        current: list[tuple[int, int, str]] = []
        cue = PERSON if role_before else ""
        has_of = False
        gaz = article.gaz
        determiners = _DETERMINERS.get(article.lang or "", _DETERMINERS["en"])
        # "General Motors", "Chief Executives Board": a run that ends like an organisation keeps its roles
        org_run = len(words) > 1 and words[-1][2].lower().rstrip(".") in lexicon.ORG_SUFFIXES

        def close() -> None:
            nonlocal current, cue, has_of
            while current and current[-1][2].lower() in _CONNECTORS:
                current.pop()
            if current:
                segments.append((current, cue))
            current, cue, has_of = [], "", False

        for index, (start, end, word) in enumerate(words):
            lower = word.lower()
            if lower in _CONNECTORS:
                if not current:
                    cue = ""
                    continue
                previous = current[-1][2].lower()
                if lower in ("der", "den", "ter", "ten") and previous not in ("van", "von"):
                    close()  # an article ("Vertretern der Deutschen Bank"), not "van der", "von der"
                elif lower in lexicon.NAME_PARTICLES:
                    current.append((start, end, word))
                elif (lower in ("of", "for") and (previous in lexicon.ORG_HEADS or previous in lexicon.PLACE_HEADS)) or (
                    lower == "on" and previous in _ON_HEADS
                ):
                    current.append((start, end, word))
                    has_of = True
                elif lower == "the" and previous in ("of", "for", "on", "at"):
                    current.append((start, end, word))
                elif lower == "&" or (lower == "and" and has_of):
                    current.append((start, end, word))
                else:
                    close()
                continue
            if headline or (initial and index == 0):
                backed = evidence if (evidence is not None and index == 0) else self._has_evidence(article, word, words[index:], headline=headline)
                if not backed:
                    close()
                    continue
            if lower.rstrip(".") in lexicon.CALENDAR_WORDS:
                close()  # "Cleveland Friday", "Maurice Cheeks Saturday"
                continue
            if not org_run and (lower in lexicon.ROLE_WORDS or _is_role(lower) or (_is_acronym(word) and lower in lexicon.COMMON_ACRONYMS)):
                # "President Donald Trump", "Academy President Boone Isaacs": the role cues what
                # follows and is part of no name (in a headline it may be a verb: "To Host Oscars")
                close()
                cue = "" if headline else PERSON
                continue
            if not current and lower in determiners and not (
                index + 1 < len(words) and gaz.lookup(f"{word} {words[index + 1][2]}") is not None
            ):
                continue  # "The Wall Street Journal"; but "Los Angeles", "Le Havre"
            if len(current) == 1 and not has_of and gaz.demonym(current[0][2]) is not None:
                if not (_is_org_word(lower) or lower in lexicon.PLACE_HEADS):
                    close()  # "Chinese ByteDance" -> nationality + name
            current.append((start, end, word))
            if len(current) >= MAX_NAME_WORDS:
                close()
        close()
        return segments

    def _has_evidence(self, article: _Article, word: str, rest: list[tuple[int, int, str]], *, headline: bool) -> bool:
        """Whether a capitalised word at a sentence start (or in a headline) is a name."""
        lower = word.lower()
        if _is_acronym(word):
            return lower.replace(".", "") not in lexicon.COMMON_ACRONYMS or article.gaz.lookup(word) is not None
        if word in article.mid_capitals:
            return True
        if lower in article.common or lower.rstrip(".") in article.common:
            # a common word opens the sentence, but "New Zealand" is still a name
            return len(rest) > 1 and article.gaz.lookup(" ".join(w for _, _, w in rest[:2])) is not None
        if lower in lexicon.ROLE_WORDS:
            return len(rest) > 1
        if article.seen_lowercase(word):
            return False
        if article.gaz.lookup(word) is not None or article.gaz.demonym(word) is not None:
            return True
        if _is_camel(word):
            return True
        if headline or (article.lang in (None, "en") and lower.endswith(("ing", "ed", "ly"))):
            return False  # "Choosing DeGeneres ...", "Excluding Brand ..."
        return len(rest) > 1 and rest[1][2][:1].isupper() and rest[1][2].lower() not in article.common

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
        while words and words[-1][2].lower() in _CONNECTORS:
            words.pop()
        while len(words) > 1 and words[0][2].lower().rstrip(".") in lexicon.CALENDAR_WORDS:
            words = words[1:]  # "Saturday September 19th"
        if not words:
            return None
        names = [w for _, _, w in words]
        first = names[0]
        start, end = words[0][0], words[-1][1]
        if end - start > MAX_MENTION_CHARS or (first[0].isdigit() and not any(ch.isupper() for ch in first)):
            return None
        surface = " ".join(names) if caps else article.text[start:end]
        gaz = article.gaz
        single = len(names) == 1
        candidate = _Candidate(start, end, words)
        if single and not _is_acronym(first) and first.lower() in article.common:
            return None  # "Christmas", "Monday": common words, even where a place bears the name
        if cue == OTHER:
            candidate.type, candidate.weight = OTHER, 2.0
            candidate.key = name_key(surface)
            return candidate if candidate.key else None
        place = gaz.lookup(surface)
        if place is not None and cue != PERSON:
            candidate.type, candidate.key, candidate.weight, candidate.place = PLACE, place.key, 3.0, place
            return candidate
        if single and not _is_name_word(first, article):
            return None
        if not single and all(n.lower() in article.common or n.lower() in _CONNECTORS for n in names):
            return None  # "New Year"
        last = names[-1].lower().rstrip(".")
        if single and article.lang in lexicon.NOUN_CAPITALISING_LANGS and not cue and not _is_acronym(first):
            if not _is_camel(first):
                # German capitalises every noun: a lone word only counts if linked to a name
                candidate.type, candidate.key = "?", name_key(surface)
                return candidate
        if cue == PERSON or (not single and last in lexicon.PERSON_SUFFIXES):
            candidate.type, candidate.weight = PERSON, 3.0
        elif not single and first.lower() in lexicon.VESSEL_PREFIXES:
            candidate.type, candidate.weight = OTHER, 2.0  # "INS Sukanya"
        elif last in lexicon.ORG_SUFFIXES and not single:
            candidate.type, candidate.weight = ORG, 3.0
        elif last in lexicon.OTHER_SUFFIXES and not single:
            candidate.type, candidate.weight = OTHER, 3.0
        elif not single and (last in lexicon.PLACE_HEADS or first.lower() in lexicon.PLACE_HEADS):
            candidate.type, candidate.weight = PLACE, 2.0
        elif not single and _is_org_word(first.lower()):
            candidate.type, candidate.weight = ORG, 2.0
        elif not single and any(n.lower() in _INNER_PLACE_HEADS for n in names[1:-1]):
            candidate.type, candidate.weight = PLACE, 1.5  # "Aoraki Mount Cook"
        elif single and gaz.demonym(first) is not None:
            country = gaz.demonym(first)
            assert country is not None
            candidate.type, candidate.key, candidate.weight = OTHER, nationality_key(country.key), 2.0
            return candidate
        elif not single and _is_city(gaz.lookup(" ".join(names[:-1]))) and (names[-1][0].isdigit() or names[-1].endswith("s")):
            candidate.type, candidate.weight = ORG, 2.0  # "San Diego Chargers", "Philadelphia 76ers"
        elif single and adjective and not _is_acronym(first) and first.lower().endswith(_ADJECTIVE_ENDINGS):
            candidate.type, candidate.weight = OTHER, 1.0  # "Republican attorneys", "Islamic insurgency"
        elif single:
            candidate.type, candidate.weight = ORG, 1.0 if _is_acronym(first) or _is_camel(first) else 0.5
        elif any(_is_acronym(n) for n in names) or _has_connector(names):
            candidate.type, candidate.weight = ORG, 0.8
        else:
            candidate.type, candidate.weight = PERSON, 1.0
        candidate.key = name_key(surface)
        return candidate if candidate.key else None


def _is_city(place: Place | None) -> bool:
    return place is not None and place.kind in ("city", "region")


def _word_before(text: str, start: int) -> str:
    """The lowercase word just before ``start`` (one space between; a final dot kept: "const."), or ""."""
    end = start - 1
    if end <= 0 or text[end] != " ":
        return ""
    begin = end
    while begin > 0 and (text[begin - 1].isalpha() or text[begin - 1] in "-."):
        begin -= 1
    word = text[begin:end]
    return word if word[:1].islower() else ""


_OPENING_QUOTES = frozenset('"“«‘\'')
_CLOSING_QUOTES = frozenset('"”»’\'')
_QUOTE_OR_SPACE = _OPENING_QUOTES | {" "}


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
_RUN_MEMO: dict[tuple[object, ...], tuple[tuple[object, ...], ...]] = {}
_RUN_MEMO_SIZE = 200_000
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
_NEXT_WORD = re.compile(r"[\w'’-]+")


def _is_acronym(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and sum(1 for ch in letters if ch.isupper()) >= len(letters) - 1 and word[:2].upper() == word[:2]


def _is_camel(word: str) -> bool:
    """"TikTok", "ByteDance", "YouTube": an inner capital after a lowercase letter."""
    return any(a.islower() and b.isupper() for a, b in zip(word, word[1:]))


def _is_role(lower: str) -> bool:
    return lower.endswith("-elect") and lower[:-6] in lexicon.PERSON_TITLES


def _is_org_word(lower: str) -> bool:
    return lower in lexicon.ORG_SUFFIXES or lower in lexicon.ORG_HEADS


def _ends_org(words: list[tuple[int, int, str]]) -> bool:
    return words[-1][2].lower() in lexicon.ORG_SUFFIXES


def _has_connector(names: list[str]) -> bool:
    return any(n.lower() in lexicon.HEAD_CONNECTORS for n in names[1:-1])


def _unify_within_article(candidates: list[_Candidate]) -> None:
    """One key, one type: surnames take the full name's key, votes decide each key's type."""
    _split_adjacent_names(candidates)
    # the surname of a multi-word person points to the longest such person of the article
    person_of_surname: dict[str, _Candidate] = {}
    for c in candidates:
        if c.type == PERSON and len(c.words) > 1:
            surname = fold(c.words[-1][2])
            best = person_of_surname.get(surname)
            if best is None or (c.weight, len(c.words)) > (best.weight, len(best.words)):
                person_of_surname[surname] = c
    if person_of_surname:
        for c in candidates:
            if len(c.words) != 1:
                continue
            person = person_of_surname.get(fold(c.words[0][2]))
            if person is None:
                continue
            if c.type in (PERSON, "?") or c.weight < 2.0 or (c.place is not None and c.place.kind == "city"):
                c.type, c.key, c.weight, c.place = PERSON, person.key, max(c.weight, 1.5), None
    votes: dict[str, dict[str, float]] = {}
    for c in candidates:
        if c.type in ENTITY_TYPES:
            by_type = votes.setdefault(c.key, {})
            by_type[c.type] = by_type.get(c.type, 0.0) + c.weight
    for c in candidates:
        by_type = votes.get(c.key)
        if c.type == "?":
            c.type = max(by_type, key=by_type.__getitem__) if by_type else ""
        elif by_type and len(by_type) > 1 and c.place is None:
            c.type = max(by_type, key=by_type.__getitem__)


def _split_adjacent_names(candidates: list[_Candidate]) -> None:
    """"Oracle TikTok deal": a default-typed run seen once, whose every word stands alone more
    often elsewhere in the article, is two names side by side, not a person called Oracle TikTok."""
    if not any(len(c.words) > 1 and c.weight <= 1.0 for c in candidates):
        return
    alone: dict[str, int] = {}
    runs: dict[tuple[str, ...], int] = {}
    folded: list[tuple[str, ...]] = []
    for c in candidates:
        words = tuple(w.lower() for _, _, w in c.words) if len(c.words) > 1 else (c.words[0][2].lower(),)
        folded.append(words)
        if len(words) == 1:
            alone[words[0]] = alone.get(words[0], 0) + 1
        else:
            runs[words] = runs.get(words, 0) + 1
    if not alone:
        return
    out: list[_Candidate] = []
    for c, words in zip(candidates, folded):
        if len(words) > 1 and c.weight <= 1.0 and runs[words] == 1 and all(alone.get(w, 0) > 1 for w in words):
            out.extend(_Candidate(start, end, [(start, end, word)], ORG, name_key(word), 0.5) for start, end, word in c.words)
        else:
            out.append(c)
    candidates[:] = out


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
