"""Library-wide entity linking: the mentions of a stored batch become canonical entities.

A mention's key (see ``keys.py``; already merged within its article by the recognizer)
is resolved to an entity by indexed lookups only, in this order:

1. the entity with that canonical key;
2. an entity that has the key as an alias (a spelling seen before, a surname of exactly
   one person: "Trump" -> "Donald Trump");
3. the singular or plural of a name of the same type, never a person's ("Oscar" and
   "Oscars", "Charger" and "Chargers");
4. a fuzzy match (rapidfuzz) among the entities that share a blocking key (the first or
   last four characters of the key) and a compatible type: "Bytedance Ltd" variants,
   transliterations;
5. otherwise a new entity. A new full-name person absorbs an earlier surname-only entity
   ("Trump" seen alone first, "Donald Trump" later).

The mentions of an updated article are replaced; the sections of a multi-story page get
the page's mentions that fall inside them, shifted to their own text.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain

import numpy as np
from rapidfuzz import fuzz, process

from reader.entities.keys import is_place_key, name_key
from reader.entities.recognizer import ORG, OTHER, PERSON
from reader.model import EntityMention, MentionTable, PreparedArticle, Reading
from reader.store.entities import TYPE_CODES, EntityRef, LinkedMentions

FUZZY_MIN_KEY_CHARS = 7  # shorter keys are too easily confused ("Trump" / "Trumpf")
FUZZY_MIN_SCORE = 92.0


@dataclass
class _KeyInfo:
    """Everything a batch says about one mention key."""

    key: str
    types: Counter[str] = field(default_factory=Counter)
    surfaces: Counter[str] = field(default_factory=Counter)

    @cached_property
    def type(self) -> str:
        return self.types.most_common(1)[0][0]

    @cached_property
    def name(self) -> str:
        if is_place_key(self.key):
            place = _place_named(self.surfaces)
            if place is not None:
                return place
        return min(self.surfaces.items(), key=lambda item: _name_rank(self.type, *item))[0]


def _name_rank(kind: str, surface: str, count: int) -> tuple[int, int, str]:
    """How well a surface names an entity (lowest first): the most frequent surface, and for a
    person the most frequent full name ("Donald Trump", not "Trump")."""
    return (-(" " in surface) if kind == PERSON else 0, -count, surface)


def _place_named(surfaces: Counter[str]) -> str | None:
    """The gazetteer's (English) name of the place these surfaces refer to."""
    from reader.entities.gazetteer import gazetteer

    for surface in surfaces:
        place = gazetteer().lookup(surface)
        if place is not None:
            return place.name
    return None


def link_entities_stage(library, prepared_batch: Sequence[PreparedArticle], results: Sequence) -> None:  # type: ignore[no-untyped-def]
    """LIBRARY_STAGE: link the batch's mentions to canonical entities and store them."""
    work: list[tuple[int, Sequence[EntityMention]]] = []
    fresh: set[int] = set()  # rows inserted by this batch: they have no stored mentions to replace
    for prepared, result in zip(prepared_batch, results):
        if result.status == "unchanged":
            continue
        work.append((result.article_id, prepared.mentions))
        sections = prepared.sections if len(prepared.sections) > 1 else ()
        for section, section_id in zip(sections, result.section_ids):
            work.append((section_id, section_mentions(prepared.mentions, section.start, section.end)))
        if result.status == "inserted":
            fresh.add(result.article_id)
            fresh.update(result.section_ids)
    link_mentions(library, work, fresh=fresh)


def link_mentions(library, work: Sequence[tuple[int, Sequence[EntityMention]]], *, fresh: Collection[int] = ()) -> None:  # type: ignore[no-untyped-def]
    """Store each article's mentions (replacing any it had, unless its id is in ``fresh``: new
    rows have none), linked to canonical entities.

    The batch's mentions are counted once per distinct (key, type, text) reading: a name
    repeats within and across articles, so resolving, typing and aliasing work on those few;
    the mentions themselves are handled as arrays (``_BatchMentions``), never one by one.
    """
    if not work:
        return
    batch = _BatchMentions.of([MentionTable.of(mentions) for _, mentions in work])
    entity_of = resolve_keys(library, batch.reading_counts())
    entity_ids = [-1] * len(batch.readings)  # per reading; -1: not linked (no key)
    type_codes = [0] * len(batch.readings)
    aliases: dict[tuple[int, str], int] = {}
    codes, other_code = TYPE_CODES, TYPE_CODES[OTHER]
    for position, ((key, kind, text), count) in enumerate(zip(batch.readings, batch.counts.tolist())):
        entity = entity_of.get(key)
        if entity is None:
            continue
        if kind == ORG and entity.type == PERSON and " " not in text:
            kind = PERSON  # a surname read as a lone word
        entity_ids[position] = entity.id
        type_codes[position] = codes.get(kind, other_code)
        alias = (entity.id, text)
        aliases[alias] = aliases.get(alias, 0) + count
    article_ids = [article_id for article_id, _ in work]
    library.store_linked_mentions(
        batch.linked(article_ids, np.array(entity_ids, dtype=np.int64), np.array(type_codes, dtype=np.int64)),
        replace=[article_id for article_id in article_ids if article_id not in fresh],
    )
    # in primary-key order, as the pairs: each upsert lands next to the one before; a name that
    # folds to its entity's own key is stored without it (the store finds it by the entity's key)
    key_of = {ref.id: ref.key for ref in entity_of.values()}
    library.add_entity_aliases(
        sorted((entity_id, name, _alias_key(name, key_of[entity_id]), "name", count) for (entity_id, name), count in aliases.items())
    )
    _rename_by_surfaces(library, {ref.id: ref for ref in entity_of.values()}, aliases)


def _alias_key(name: str, entity_key: str) -> str | None:
    """The alias key of a name of an entity: None when it is the entity's own key."""
    key = name_key(name)
    return None if key == entity_key else key


@dataclass
class _BatchMentions:
    """The mentions of a batch's articles as arrays, one entry per mention in article and text
    order, with the batch's distinct readings in order of first appearance."""

    readings: list[Reading]
    counts: np.ndarray  # mentions per reading
    article: np.ndarray  # per mention: its article's position in the batch
    start: np.ndarray
    end: np.ndarray
    reading: np.ndarray  # per mention: its reading's position in ``readings``
    articles: int

    @classmethod
    def of(cls, tables: Sequence[MentionTable]) -> _BatchMentions:
        position: dict[Reading, int] = {}
        batch_reading_of = [[position.setdefault(r, len(position)) for r in table.readings] for table in tables]
        values = np.frombuffer(b"".join(table.spans for table in tables), dtype=np.intc).reshape(-1, 3)
        article = np.repeat(np.arange(len(tables)), [len(table) for table in tables])
        first_reading = np.cumsum([0, *map(len, batch_reading_of)])[:-1]
        reading = np.array(list(chain.from_iterable(batch_reading_of)), dtype=np.intp)[first_reading[article] + values[:, 2]]
        return cls(
            readings=list(position),
            counts=np.bincount(reading, minlength=len(position)),
            article=article,
            start=values[:, 0],
            end=values[:, 1],
            reading=reading,
            articles=len(tables),
        )

    def reading_counts(self) -> dict[Reading, int]:
        return {r: count for r, count in zip(self.readings, self.counts.tolist()) if count}

    def linked(self, article_ids: Sequence[int], entity_ids: np.ndarray, type_codes: np.ndarray) -> LinkedMentions:
        """The rows to store, given each reading's entity (-1: none) and type code: each
        article's packed spans (the first linked mention at each start), the (entity, article)
        pairs with their mention counts in key order, and what each entity's counts gain."""
        entity = entity_ids[self.reading]
        kept = np.flatnonzero(entity >= 0)
        places = (self.article[kept].astype(np.int64) << 32) | self.start[kept]
        kept = kept[np.sort(np.unique(places, return_index=True)[1])]  # first of each (article, start)
        rows = np.column_stack((self.start[kept], self.end[kept], entity[kept], type_codes[self.reading[kept]]))
        packed = rows.astype("<i4").tobytes()
        bounds = np.searchsorted(self.article[kept], np.arange(self.articles + 1)).tolist()
        row_bytes = 4 * rows.shape[1]
        spans = [
            (article_id, packed[row_bytes * low : row_bytes * high])
            for article_id, low, high in zip(article_ids, bounds, bounds[1:])
            if high > low
        ]
        pair_keys = (entity[kept] << 32) | np.asarray(article_ids, dtype=np.int64)[self.article[kept]]
        pairs, mentions = np.unique(pair_keys, return_counts=True)  # sorted: by entity, then article
        pair_entities = pairs >> 32
        entities, first_pair, articles = np.unique(pair_entities, return_index=True, return_counts=True)
        entity_mentions = np.add.reduceat(mentions, first_pair) if len(first_pair) else mentions
        return LinkedMentions(
            spans=spans,
            pairs=list(zip(pair_entities.tolist(), (pairs & 0xFFFFFFFF).tolist(), mentions.tolist())),
            entity_counts=list(zip(entity_mentions.tolist(), articles.tolist(), entities.tolist())),
        )


def _rename_by_surfaces(library, entities: dict[int, EntityRef], aliases: dict[tuple[int, str], int]) -> None:  # type: ignore[no-untyped-def]
    """An entity is named by its most frequent surface (``_name_rank``) across the library, not by
    the first one seen: "Chargers" once they outnumber "Charger". Only the entities that got a
    surface other than their name in this batch, one that may outrank it, are read (their alias
    counts, one indexed range each); places keep the gazetteer's name."""
    maybe: set[int] = set()
    for entity_id, surface in aliases:
        entity = entities.get(entity_id)
        if entity is None or surface == entity.name or is_place_key(entity.key):
            continue
        if entity.type == PERSON and " " in entity.name and " " not in surface:
            continue  # a surname never outranks a full name
        maybe.add(entity_id)
    if not maybe:
        return
    renamed: list[tuple[int, str]] = []
    for entity_id, counts in library.name_alias_counts(sorted(maybe)).items():
        entity = entities[entity_id]
        best = min(counts.items(), key=lambda item: _name_rank(entity.type, *item))[0]
        # strictly better, not just first in alphabetical order on a tie: names do not flip back and forth
        if _name_rank(entity.type, best, counts[best])[:2] < _name_rank(entity.type, entity.name, counts.get(entity.name, 0))[:2]:
            renamed.append((entity_id, best))
    if renamed:
        library.rename_entities(renamed)


def section_mentions(mentions: Sequence[EntityMention], start: int, end: int) -> tuple[EntityMention, ...]:
    """The page's mentions inside [start, end), as spans into the section's own text (pages
    with sections are few: a plain loop)."""
    return tuple(
        EntityMention(m.start - start, m.end - start, m.type, m.text, m.key) for m in mentions if m.start >= start and m.end <= end
    )


def resolve_keys(library, readings: Mapping[Reading, int]) -> dict[str, EntityRef]:  # type: ignore[no-untyped-def]
    """Map every mention key of the batch (its (key, type, text) readings, counted) to an
    entity, creating the new ones. Most keys are known: one indexed look-up per 500 of them;
    the aliases the new ones may have are read in one more per 500 (``_Known``).

    Full names go first, so a surname in the same batch finds its person by alias.
    """
    resolved = library.entities_by_keys({key for key, _, _ in readings if key})
    infos: dict[str, _KeyInfo] = {}
    for (key, kind, text), count in readings.items():
        if not key or key in resolved:
            continue
        info = infos.get(key)
        if info is None:
            info = infos[key] = _KeyInfo(key)
        info.types[kind] += count
        info.surfaces[text] += count
    if not infos:
        return resolved
    pending = sorted(infos, key=lambda k: (" " not in infos[k].name, k))
    library.start_entity_batch()
    known = _Known.fetch(library, infos)
    for key in pending:
        info = infos[key]
        entity = _by_alias(known, key, info) or _by_number(known, key, info) or _by_fuzzy(library, key, info)
        if entity is None:
            entity, merged_id = _create(library, known, key, info)
            if merged_id is not None:
                for other, ref in list(resolved.items()):
                    if ref.id == merged_id:
                        resolved[other] = entity
        resolved[key] = entity
    # the new persons' surname aliases, in one statement (nothing reads them back in this batch:
    # ``known.surnames`` answers for it, and a merged entity is a one-word name, without any)
    library.add_entity_aliases(known.new_surname_aliases)
    return resolved


def _surname_key(info: _KeyInfo) -> str | None:
    """The surname key a new multi-word person would get as an alias (see ``_create``)."""
    words = info.name.split()
    if info.type != PERSON or len(words) < 2:
        return None
    surname = name_key(words[-1])
    return surname if surname and surname != info.key else None


@dataclass
class _Known:
    """The aliases and entities that resolving one batch reads, fetched up front in a few
    batched queries and kept current as the batch creates and merges entities (so every
    look-up answers as the library would at that moment)."""

    names: dict[str, list[EntityRef]]  # alias key -> entities with that name alias
    surnames: dict[str, list[EntityRef]]  # alias key -> persons with that surname
    by_key: dict[str, EntityRef]  # canonical key -> entity, for the surname keys of new persons
    numbers: dict[str, list[EntityRef]]  # alias key -> entities with that name alias, for the other grammatical number of new keys
    moved: dict[int, EntityRef] = field(default_factory=dict)  # merged entity id -> the entity it became
    new_surname_aliases: list[tuple[int, str, str, str, int]] = field(default_factory=list)  # for add_entity_aliases

    @classmethod
    def fetch(cls, library, infos: dict[str, _KeyInfo]) -> _Known:  # type: ignore[no-untyped-def]
        surname_keys = {s for s in map(_surname_key, infos.values()) if s}
        alias_keys = set(infos) | surname_keys
        number_keys = {other for key, info in infos.items() for other in _other_numbers(key, info)}
        return cls(
            # no entity has these keys (``resolve_keys`` has just looked them up)
            names=library.entities_by_alias_keys(infos.keys(), kind="name", own_keys=False),
            # only "exactly one person" is ever asked of a surname: three are enough to tell
            surnames=library.entities_by_alias_keys(alias_keys, kind="surname", per_key=SURNAME_PERSONS_READ),
            by_key=library.entities_by_keys(surname_keys) if surname_keys else {},
            numbers=library.entities_by_alias_keys(number_keys, kind="name") if number_keys else {},
        )

    def _current(self, refs: list[EntityRef]) -> list[EntityRef]:
        if not self.moved:
            return refs
        out: dict[int, EntityRef] = {}
        for ref in refs:
            while ref.id in self.moved:
                ref = self.moved[ref.id]
            out.setdefault(ref.id, ref)
        return list(out.values())

    def with_name(self, alias_key: str) -> list[EntityRef]:
        return self._current(self.names.get(alias_key, []))

    def with_surname(self, alias_key: str) -> list[EntityRef]:
        return self._current(self.surnames.get(alias_key, []))

    def with_number(self, alias_key: str) -> list[EntityRef]:
        return self._current(self.numbers.get(alias_key, []))

    def created(self, entity: EntityRef, surname: str | None) -> None:
        self.by_key[entity.key] = entity
        self.numbers.setdefault(entity.key, []).append(entity)
        if surname:
            self.surnames.setdefault(surname, []).append(entity)
            self.new_surname_aliases.append((entity.id, entity.name.split()[-1], surname, "surname", 0))

    def merged(self, source: EntityRef, target: EntityRef) -> None:
        self.moved[source.id] = target
        if self.by_key.get(source.key) == source:
            del self.by_key[source.key]


def _compatible(a: str, b: str) -> bool:
    return a == b or "OTHER" in (a, b)


def _by_alias(known: _Known, key: str, info: _KeyInfo) -> EntityRef | None:
    found = [e for e in known.with_name(key) if _compatible(e.type, info.type)]
    if len(found) == 1:
        return found[0]
    if info.type in (PERSON, ORG) and all(" " not in s for s in info.surfaces):
        # a lone capitalised word is typed ORG by default; a person's surname is the better reading
        persons = known.with_surname(key)
        if len(persons) == 1:
            return persons[0]
    return None


SURNAME_PERSONS_READ = 3
MIN_NUMBER_KEY_CHARS = 4  # the singular of a plural: "oscar", not "us" for "uss"


def _other_numbers(key: str, info: _KeyInfo) -> tuple[str, ...]:
    """The keys of the other grammatical number of a name (English plural in -s), when merging
    them is safe: not a person ("Williams" is not "William"), not a place or nationality key
    (the gazetteer's), not a short key."""
    if info.type == PERSON or ":" in key:
        return ()
    if any(_is_acronym_or_its_plural(surface) for surface in info.surfaces):  # "NGO" and "NGOs"
        return (key[:-1],) if key.endswith("s") else (key + "s",)
    if len(key) < MIN_NUMBER_KEY_CHARS:
        return ()
    if key.endswith("s"):
        return (key[:-1],) if len(key) > MIN_NUMBER_KEY_CHARS and not key.endswith("ss") else ()
    return (key + "s",)


def _is_acronym_or_its_plural(surface: str) -> bool:
    """"NGO", "NGOs" (not "US", too short to tell from a word, nor "IS")."""
    letters = surface[:-1] if surface.endswith("s") else surface
    return len(letters) >= 3 and letters.isalpha() and letters.isupper()


def _by_number(known: _Known, key: str, info: _KeyInfo) -> EntityRef | None:
    """The one entity of the same type named by the other number of this name ("Oscar", "Oscars")."""
    found = {
        e.id: e for other in _other_numbers(key, info) for e in known.with_number(other) if e.type == info.type and ":" not in e.key
    }
    return next(iter(found.values())) if len(found) == 1 else None


def _by_fuzzy(library, key: str, info: _KeyInfo) -> EntityRef | None:  # type: ignore[no-untyped-def]
    """The entity of a compatible type whose key is closest to ``key`` (at least FUZZY_MIN_SCORE;
    the oldest on a tie) among the first entities of its two fuzzy blocks.

    Each block's keys are scored at once (rapidfuzz, the few keys that reach the score come
    back); only those are checked for type and key shape, which is the same pick as scoring
    only the keys that pass the checks."""
    if len(key) < FUZZY_MIN_KEY_CHARS or is_place_key(key) or ":" in key:
        return None
    low, high = _fuzzy_key_lengths(key)
    best: tuple[float, int] | None = None  # (-score, entity id): the lowest wins
    for block in library.fuzzy_blocks(key):
        for candidate, score, position in process.extract(key, block.keys, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE, limit=None):
            if _compatible(block.types[position], info.type) and low <= len(candidate) <= high and ":" not in candidate:
                pick = (-score, block.ids[position])
                best = pick if best is None else min(best, pick)
    if best is None:
        return None
    entity_id = best[1]
    return library.entities_by_ids([entity_id])[entity_id]  # only the winner's name is read


def _fuzzy_key_lengths(key: str) -> tuple[int, int]:
    """The lengths a key may have to score FUZZY_MIN_SCORE against ``key`` (and FUZZY_MIN_KEY_CHARS).

    fuzz.ratio is 100 * (1 - indel distance / (n + m)), and the distance is at least |n - m|,
    so a score of s needs min(n, m) / max(n, m) >= s / (200 - s): no other candidate can win."""
    n, score = len(key), FUZZY_MIN_SCORE
    return max(FUZZY_MIN_KEY_CHARS, math.floor(n * score / (200 - score))), math.ceil(n * (200 - score) / score)


def _create(library, known: _Known, key: str, info: _KeyInfo) -> tuple[EntityRef, int | None]:  # type: ignore[no-untyped-def]
    """A new entity; returns it and the id of a surname-only entity it absorbed, if any."""
    name = info.name
    entity_id = library.create_entity(name, info.type, key)
    entity = EntityRef(entity_id, key, info.type, name)
    surname = _surname_key(info)
    known.created(entity, surname)
    merged: int | None = None
    if surname:
        # an earlier surname-only entity of a person becomes this one when no other person claims it
        alone = known.by_key.get(surname)
        if (
            alone is not None
            and alone.type in (PERSON, ORG)
            and " " not in alone.name
            and len(known.with_surname(surname)) == 1
        ):
            library.merge_entity(alone.id, entity_id)
            known.merged(alone, entity)
            merged = alone.id
    return entity, merged


def relink_library(library, *, page_size: int = 500, on_progress=None) -> int:  # type: ignore[no-untyped-def]
    """Recompute and relink the mentions of every article (e.g. a library from before entities).

    Keyset pages of articles, one transaction per page; returns the number of articles.
    """
    from reader.entities import get_recognizer

    recognizer = get_recognizer()
    done = 0
    after = 0
    while True:
        ids = library.article_ids_after(after, limit=page_size)
        if not ids:
            return done
        texts = library.article_texts(ids)
        langs = library.article_langs(ids)
        work = [(i, recognizer.recognize(texts[i][1], langs.get(i))) for i in ids if i in texts]
        with library.transaction():
            link_mentions(library, work)
        done += len(ids)
        after = ids[-1]
        if on_progress:
            on_progress(done)
