"""Library-wide entity linking: the mentions of a stored batch become canonical entities.

A mention's key (see ``keys.py``; already merged within its article by the recognizer)
is resolved to an entity by indexed lookups only, in this order:

1. the entity with that canonical key;
2. an entity that has the key as an alias (a spelling seen before, a surname of exactly
   one person: "Trump" -> "Donald Trump");
3. a fuzzy match (rapidfuzz) among the entities that share a blocking key (the first or
   last four characters of the key) and a compatible type: "Bytedance Ltd" variants,
   transliterations;
4. otherwise a new entity. A new full-name person absorbs an earlier surname-only entity
   ("Trump" seen alone first, "Donald Trump" later).

The mentions of an updated article are replaced; the sections of a multi-story page get
the page's mentions that fall inside them, shifted to their own text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz import fuzz, process

from reader.entities.keys import is_place_key, name_key
from reader.entities.recognizer import ORG, OTHER, PERSON
from reader.model import EntityMention, PreparedArticle
from reader.store.entities import TYPE_CODES, EntityRef, PackedMentions, pack_values

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
        if self.type == PERSON:  # a full name names a person best ("Donald Trump", not "Trump")
            ranked = sorted(self.surfaces.items(), key=lambda item: (-(" " in item[0]), -item[1], item[0]))
        else:
            ranked = sorted(self.surfaces.items(), key=lambda item: (-item[1], item[0]))
        return ranked[0][0]


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
    for prepared, result in zip(prepared_batch, results):
        if result.status == "unchanged":
            continue
        work.append((result.article_id, prepared.mentions))
        sections = prepared.sections if len(prepared.sections) > 1 else ()
        for section, section_id in zip(sections, result.section_ids):
            work.append((section_id, section_mentions(prepared.mentions, section.start, section.end)))
    link_mentions(library, work)


def link_mentions(library, work: Sequence[tuple[int, Sequence[EntityMention]]]) -> None:  # type: ignore[no-untyped-def]
    """Store each article's mentions (replacing any it had), linked to canonical entities.

    The batch's mentions are counted once per distinct (key, type, text): a name repeats
    within and across articles, so resolving, typing and aliasing work on those few.
    """
    if not work:
        return
    readings: Counter[tuple[str, str, str]] = Counter()
    for _, mentions in work:
        readings.update([(m.key, m.type, m.text) for m in mentions])
    entity_of = resolve_keys(library, readings)
    stored_as: dict[tuple[str, str, str], tuple[int, int]] = {}
    aliases: Counter[tuple[int, str]] = Counter()
    for reading, count in readings.items():
        key, kind, text = reading
        entity = entity_of.get(key)
        if entity is None:
            continue
        if kind == ORG and entity.type == PERSON and " " not in text:
            kind = PERSON  # a surname read as a lone word
        stored_as[reading] = (entity.id, TYPE_CODES.get(kind, TYPE_CODES[OTHER]))
        aliases[(entity.id, text)] += count
    packed: list[PackedMentions] = []
    for article_id, mentions in work:
        values: list[int] = []
        entity_ids: list[int] = []
        seen_starts: set[int] = set()
        for mention in mentions:
            stored = stored_as.get((mention.key, mention.type, mention.text))
            if stored is None or mention.start in seen_starts:
                continue
            seen_starts.add(mention.start)
            values += (mention.start, mention.end, *stored)
            entity_ids.append(stored[0])
        packed.append(PackedMentions(article_id, pack_values(values), Counter(entity_ids)))
    library.store_packed_mentions(packed, replace=[article_id for article_id, _ in work])
    library.add_entity_aliases((entity_id, name, name_key(name), "name", count) for (entity_id, name), count in aliases.items())


def section_mentions(mentions: Sequence[EntityMention], start: int, end: int) -> tuple[EntityMention, ...]:
    """The page's mentions inside [start, end), as spans into the section's own text."""
    return tuple(
        EntityMention(m.start - start, m.end - start, m.type, m.text, m.key) for m in mentions if m.start >= start and m.end <= end
    )


def resolve_keys(library, readings: Counter[tuple[str, str, str]]) -> dict[str, EntityRef]:  # type: ignore[no-untyped-def]
    """Map every mention key of the batch (its (key, type, text) readings, counted) to an
    entity, creating the new ones. Most keys are known: one indexed look-up per 500 of them.

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
    pending = sorted(infos, key=lambda k: (" " not in infos[k].name, k))
    for key in pending:
        info = infos[key]
        entity = _by_alias(library, key, info) or _by_fuzzy(library, key, info)
        if entity is None:
            entity, merged_id = _create(library, key, info)
            if merged_id is not None:
                for other, ref in list(resolved.items()):
                    if ref.id == merged_id:
                        resolved[other] = entity
        resolved[key] = entity
    return resolved


def _compatible(a: str, b: str) -> bool:
    return a == b or "OTHER" in (a, b)


def _by_alias(library, key: str, info: _KeyInfo) -> EntityRef | None:  # type: ignore[no-untyped-def]
    found = [e for e in library.entities_by_alias(key) if _compatible(e.type, info.type)]
    if len(found) == 1:
        return found[0]
    if info.type in (PERSON, ORG) and all(" " not in s for s in info.surfaces):
        # a lone capitalised word is typed ORG by default; a person's surname is the better reading
        persons = library.entities_by_alias(key, kind="surname")
        if len(persons) == 1:
            return persons[0]
    return None


def _by_fuzzy(library, key: str, info: _KeyInfo) -> EntityRef | None:  # type: ignore[no-untyped-def]
    if len(key) < FUZZY_MIN_KEY_CHARS or is_place_key(key) or ":" in key:
        return None
    kind = info.type
    candidates = [
        c
        for c in library.fuzzy_candidates(key)
        if ":" not in c.key and _compatible(c.type, kind) and len(c.key) >= FUZZY_MIN_KEY_CHARS
    ]
    if not candidates:
        return None
    best = process.extractOne(key, [c.key for c in candidates], scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE)
    return candidates[best[2]] if best else None


def _create(library, key: str, info: _KeyInfo) -> tuple[EntityRef, int | None]:  # type: ignore[no-untyped-def]
    """A new entity; returns it and the id of a surname-only entity it absorbed, if any."""
    name = info.name
    entity_id = library.create_entity(name, info.type, key)
    entity = EntityRef(entity_id, key, info.type, name)
    words = name.split()
    merged: int | None = None
    if info.type == PERSON and len(words) > 1:
        surname = name_key(words[-1])
        if surname and surname != key:
            library.add_entity_aliases([(entity_id, words[-1], surname, "surname", 0)])
            # an earlier surname-only entity of a person becomes this one when no other person claims it
            alone = library.entities_by_keys([surname]).get(surname)
            if (
                alone is not None
                and alone.type in (PERSON, ORG)
                and " " not in alone.name
                and len(library.entities_by_alias(surname, kind="surname")) == 1
            ):
                library.merge_entity(alone.id, entity_id)
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
