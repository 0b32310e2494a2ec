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
from dataclasses import fields as dataclass_fields
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
_ABBREVIATION = re.compile(rf"^(?:{_UP}\.)+$|^(?:{_UP}\.?)$")  # "U.S.", "J.", "A"
_SENTENCE_END = frozenset(".!?:;\n…•|")
_OPENERS = frozenset(" \t\"'“”‘’«»([{–—-*\u00a0")

MAX_HEADLINE_CHARS = 300  # a longer line is a paragraph, whatever its capitals
MAX_NAME_WORDS = 8  # longer capitalised runs are split (titles, lists of names)
MAX_MENTION_CHARS = 200


def _mention_constructor() -> Callable[[int, int, str, str, str], EntityMention]:
    """``EntityMention(start, end, type, text, key)``, made faster where the class allows it.

    A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``, which
    costs as much as the rest of recognition's last step. When EntityMention is a plain frozen
    dataclass (fields in a ``__dict__``, no ``__post_init__``), an instance is built by filling its
    ``__dict__`` at once: the same object, equal to one made by ``__init__`` (checked here).
    """
    fields = ("start", "end", "type", "text", "key")
    if (
        hasattr(EntityMention, "__slots__")
        or hasattr(EntityMention, "__post_init__")
        or tuple(f.name for f in dataclass_fields(EntityMention)) != fields
    ):
        return EntityMention
    new, set_attribute = object.__new__, object.__setattr__

    def make(start: int, end: int, type: str, text: str, key: str) -> EntityMention:
        mention = new(EntityMention)
        set_attribute(mention, "__dict__", {"start": start, "end": end, "type": type, "text": text, "key": key})
        return mention

    sample = (1, 5, ORG, "Acme", "acme")
    if make(*sample) != EntityMention(*sample) or vars(make(*sample)) != vars(EntityMention(*sample)):
        return EntityMention
    return make


_new_mention = _mention_constructor()


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
        mention = _new_mention
        return [mention(c.start, c.end, c.type, text[c.start : c.end], c.key) for c in candidates if c.type]

    # -- pass 1: capitalised runs and what they say about the article -------------------------

    def _runs(self, article: _Article) -> list[tuple[list[tuple[int, int, str]], bool, str]]:
        """The capitalised runs of the article, each with whether it opens a sentence and its line's kind.

        One regex pass; the per-match work is a few string checks (the hot loop of recognition).
        """
        text = article.text
        runs: list[tuple[list[tuple[int, int, str]], bool, str]] = []
        mid = article.mid_capitals
        common = article.common
        line_end = -1  # the current line is [.., line_end): kinds are found once per line with a run
        kind = prose_kind = "prose"
        for match in _SEQUENCE.finditer(text):
            start = match.start()
            if start:
                before = text[start - 1]
                if before == " " and start > 1 and text[start - 2].isalnum():
                    initial = False  # mid-sentence: the common case
                elif before.isalnum() or before == "_":
                    continue  # inside a word ("iPhone", "e-Learning")
                else:
                    initial = _is_sentence_start(text, start)
            else:
                initial = True
            group = match.group()
            single = " " not in group and "\u00a0" not in group
            if initial and single and group.lower() in common and not group.isupper():
                continue  # "The", "However": the most frequent run of all, and never a name
            if start > line_end:
                line_end = text.find("\n", start)
                if line_end < 0:
                    line_end = len(text)
                line_start = text.rfind("\n", 0, start) + 1
                kind = _line_kind(text[line_start:line_end]) if line_end - line_start <= MAX_HEADLINE_CHARS else prose_kind
            prose = kind == prose_kind
            if single:  # one word: the common case
                if group[-1] == "." and _strip_dot(group):
                    group = group[:-1]
                if prose and not initial:
                    mid.add(group)
                if group.lower() in common and not _is_acronym(group):
                    continue  # "Monday", "Christmas": a common word alone is never a name (see _typed)
                runs.append(([(start, start + len(group), group)], initial, kind))
                continue
            words: list[tuple[int, int, str]] = []
            position = start
            for word in group.split():  # words are one space (or no-break space) apart
                words.append((position, position + len(word), word))
                position += len(word) + 1
            piece_start = 0
            count = len(words)
            for index in range(1, count + 1):
                if index < count:
                    previous = words[index - 1][2]
                    if previous[-1] != "." or not (_strip_dot(previous) or words[index][2].lower() in common):
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
        # In prose the decision depends on the words, the language, a few facts of context and
        # (at a sentence start) on whether the article backs the first word: memoised across articles.
        text = article.text
        first_start, first_end, first_word = words[0]
        single = len(words) == 1
        end = words[-1][1]
        flags = 0
        if first_start > 1 and text[first_start - 1] == " ":
            before = _word_before(text, first_start)
            if before:
                if before in _ROLE_CUES:
                    flags = _ROLE_BEFORE
                if before in lexicon.PLACE_PREPOSITIONS:
                    flags |= _PLACE_BEFORE
            if text[first_start - 2] in _OPENING_QUOTES and _is_quoted(text, first_start, end):
                flags |= _QUOTED
        elif first_start and text[first_start - 1] in _OPENING_QUOTES and _is_quoted(text, first_start, end):
            flags |= _QUOTED
        if single and first_word.lower().endswith(_ADJECTIVE_ENDINGS) and _lowercase_noun_after(text, first_end):
            flags |= _ADJECTIVE
        evidence = None
        if initial:
            evidence_key = (first_word, not single and words[1][2])
            evidence = article.evidence.get(evidence_key)
            if evidence is None:
                evidence = article.evidence[evidence_key] = self._has_evidence(article, first_word, words, headline=False)
            flags |= _BACKED if evidence else _UNBACKED
        memo_key = (article.lang, first_word if single else text[first_start:end], flags)
        decided = _RUN_MEMO.get(memo_key)
        if decided is None:
            decided = self._decide_prose(article, words, initial, evidence, flags)
            if len(_RUN_MEMO) >= _RUN_MEMO_SIZE:
                _RUN_MEMO.clear()
            _RUN_MEMO[memo_key] = decided
        if single:
            return [_Candidate(first_start, first_end, words, kind_, key, weight, place) for _, _, _, kind_, key, weight, place in decided]
        out: list[_Candidate] = []
        for first, count, last_length, kind_, key, weight, place in decided:
            kept = words[first : first + count]
            end = kept[-1][0] + last_length
            if end != kept[-1][1]:
                kept[-1] = (kept[-1][0], end, kept[-1][2][: end - kept[-1][0]])
            out.append(_Candidate(kept[0][0], end, kept, kind_, key, weight, place))
        return out

    def _decide_prose(
        self, article: _Article, words: list[tuple[int, int, str]], initial: bool, evidence: bool | None, flags: int
    ) -> tuple[tuple[int, int, int, str, str, float, Place | None], ...]:
        """The decision on a prose run, relative to its words: (first word, word count, length of
        the last word, type, key, weight, place) of each candidate, so that it can be memoised."""
        index_of = {w[0]: i for i, w in enumerate(words)}
        return tuple(
            (index_of[c.words[0][0]], len(c.words), c.words[-1][1] - words[index_of[c.words[-1][0]]][0], c.type, c.key, c.weight, c.place)
            for c in self._decide(
                article, words, initial=initial, headline=False, evidence=evidence, role_before=bool(flags & _ROLE_BEFORE),
                adjective=bool(flags & _ADJECTIVE), quoted=bool(flags & _QUOTED), place_before=bool(flags & _PLACE_BEFORE),
            )
        )

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
    begin = text.rfind(" ", 0, end) + 1
    word = text[begin:end]
    if word.isalpha():  # the common case: a plain word between two spaces
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
_RUN_MEMO: dict[tuple[object, ...], tuple[tuple[object, ...], ...]] = {}
_RUN_MEMO_SIZE = 200_000
# The facts of context a prose run's decision depends on, as bits of its memo key.
_ROLE_BEFORE, _PLACE_BEFORE, _QUOTED, _ADJECTIVE, _BACKED, _UNBACKED = 1, 2, 4, 8, 16, 32
_ROLE_CUES = lexicon.PERSON_NOUNS | lexicon.PERSON_TITLES
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
    """"CEO", "U.S.", "NATOs": at least two letters, all but one of them capitals, the first two capitals."""
    head = word[:2]
    if head.upper() != head:
        return False  # "Trump": the common case, decided by its first two letters
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and sum(1 for ch in letters if ch.isupper()) >= len(letters) - 1


def _is_camel(word: str) -> bool:
    """"TikTok", "ByteDance", "YouTube": an inner capital after a lowercase letter."""
    if word[1:].islower() or word.isupper():
        return False  # no capital after the first letter, or no lowercase letter at all
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
    # Most articles give each key one type: then there is nothing to vote on.
    type_of_key: dict[str, str] = {}
    contested = False
    for c in candidates:
        kind = c.type
        if kind not in _ENTITY_TYPE_SET:
            contested = contested or kind == "?"
        elif type_of_key.setdefault(c.key, kind) != kind:
            contested = True
    if contested:
        _vote_types(candidates)


_ENTITY_TYPE_SET = frozenset(ENTITY_TYPES)


def _vote_types(candidates: list[_Candidate]) -> None:
    """Each key takes the type with the most evidence (weight) among its mentions (places keep theirs)."""
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
    weak_runs = [c for c in candidates if len(c.words) > 1 and c.weight <= 1.0]
    if not weak_runs:
        return
    alone: dict[str, int] = {}
    for c in candidates:
        if len(c.words) == 1:
            word = c.words[0][2].lower()
            alone[word] = alone.get(word, 0) + 1
    if not alone:
        return
    to_split: set[int] = set()
    runs: dict[tuple[str, ...], int] | None = None  # counted only when a run is a candidate for splitting
    for c in weak_runs:
        words = tuple(w.lower() for _, _, w in c.words)
        if all(alone.get(w, 0) > 1 for w in words):
            if runs is None:
                runs = {}
                for other in candidates:
                    if len(other.words) > 1:
                        other_words = tuple(w.lower() for _, _, w in other.words)
                        runs[other_words] = runs.get(other_words, 0) + 1
            if runs[words] == 1:
                to_split.add(id(c))
    if not to_split:
        return
    out: list[_Candidate] = []
    for c in candidates:
        if id(c) in to_split:
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
