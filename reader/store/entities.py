"""Canonical entities, aliases and mentions: indexed writes for linking, indexed reads for the UI.

Every query here is an index lookup (entities.key, entity_aliases.alias_key, the fuzzy
blocks, an article's packed spans, entity/article pairs either way) or a keyset page; none
scans the library. Schema: m004 (entities, aliases), m007 (spans, pairs) and m017 (own-key
name aliases without their key, no index on names).
"""

from __future__ import annotations

import json
import sqlite3
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import islice
from sys import byteorder
from typing import NamedTuple

from reader.model import Entity, EntitySpan
from reader.store.sqlutil import parameter_chunks, plain_cursor

FUZZY_BLOCK_CHARS = 4
FUZZY_CANDIDATES = 50
FUZZY_BLOCKS_KEPT = 8192  # fuzzy blocks kept in memory per connection (at most 50 short rows each)
ENTITIES_BY_KEY_KEPT = 50_000  # entities kept in memory per connection by canonical key (a few MB)


TYPE_CODES = {"PERSON": 0, "ORG": 1, "PLACE": 2, "OTHER": 3}
TYPE_NAMES = tuple(TYPE_CODES)


def pack_values(values: Sequence[int]) -> bytes:
    """Flat (start, end, entity id, type code, ...) integers as ``entity_spans.spans``: little-endian int32."""
    packed = array("i", values)
    if byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def pack_spans(mentions: Sequence["MentionRow"]) -> bytes:
    codes = TYPE_CODES
    return pack_values([v for start, end, entity_id, kind in mentions for v in (start, end, entity_id, codes.get(kind, 3))])


def unpack_spans(blob: bytes) -> list["MentionRow"]:
    values = array("i")
    values.frombytes(blob)
    if byteorder == "big":
        values.byteswap()
    names = TYPE_NAMES
    return [MentionRow(values[i], values[i + 1], values[i + 2], names[values[i + 3]]) for i in range(0, len(values) - 3, 4)]


def respan_entity(blob: bytes, source_id: int, target_id: int) -> bytes:
    """Packed spans with every mention of one entity moved to another (byte search, no unpacking)."""
    old, new = source_id.to_bytes(4, "little", signed=True), target_id.to_bytes(4, "little", signed=True)
    out = bytearray(blob)
    position = blob.find(old)
    while position != -1:
        if position % 16 == 8:  # the entity id field of a quadruple
            out[position : position + 4] = new
        position = blob.find(old, position + 1)
    return bytes(out)


def entity_blocks(key: str) -> tuple[str, str]:
    """The two blocking keys of an entity key: its first and last characters."""
    return key[:FUZZY_BLOCK_CHARS], key[-FUZZY_BLOCK_CHARS:]


class EntityRef(NamedTuple):
    """The little the linker needs about a stored entity (a tuple: thousands per batch)."""

    id: int
    key: str
    type: str
    name: str


@dataclass(frozen=True)
class EntityCount:
    entity: Entity
    count: int  # mentions in the article, or articles in the cluster


class LinkedMentions(NamedTuple):
    """A batch's linked mentions as the linker stores them (see ``store_linked_mentions``)."""

    spans: list[tuple[int, bytes]]  # (article id, packed spans: see pack_values), for the articles with any
    pairs: list[tuple[int, int, int]]  # (entity id, article id, mentions), sorted
    entity_counts: list[tuple[int, int, int]]  # (mentions, articles, entity id): what each entity's counts gain


class MentionRow(NamedTuple):
    start: int
    end: int
    entity_id: int
    type: str


def _row_to_entity(row: sqlite3.Row, aliases: tuple[str, ...] = ()) -> Entity:
    return Entity(row["id"], row["name"], row["type"], row["key"], row["mention_count"], row["article_count"], aliases)


_ENTITY_COLUMNS = "e.id, e.name, e.type, e.key, e.mention_count, e.article_count"


class FuzzyBlock:
    """One fuzzy block of entities: its first FUZZY_CANDIDATES entities by id, as three parallel
    lists (the keys are handed to rapidfuzz as they are)."""

    __slots__ = ("ids", "keys", "types")

    def __init__(self, rows: Sequence[tuple[int, str, str]]) -> None:
        ids, keys, types = zip(*rows) if rows else ((), (), ())
        self.ids: list[int] = list(ids)
        self.keys: list[str] = list(keys)
        self.types: list[str] = [_TYPE_NAME.get(t, t) for t in types]  # one string object per type, not one per row

    def add(self, entity_id: int, key: str, type: str) -> None:
        self.ids.append(entity_id)
        self.keys.append(key)
        self.types.append(_TYPE_NAME.get(type, type))

    def is_full(self) -> bool:
        return len(self.ids) >= FUZZY_CANDIDATES

    def rows(self) -> list[tuple[int, str, str]]:
        return list(zip(self.ids, self.keys, self.types))


_TYPE_NAME = {name: name for name in TYPE_CODES}


class _FuzzyBlocks:
    """The fuzzy blocks of entities, (column, block) -> ``FuzzyBlock``, kept in memory between
    batches of an import (at most FUZZY_BLOCKS_KEPT, least recently used dropped first: a few MB).

    A block changes only when an entity is created in it (it comes last, by id: this connection
    appends the ones it creates to a kept block that is not full yet), deleted (a merge) or
    retyped (those blocks are forgotten). Nothing is kept before the first ``start_batch``;
    everything is forgotten when another connection has written to the library since the last
    batch (``PRAGMA data_version``), when a transaction of this connection rolls back
    (``forget``, from ``Library.transaction``), or when entities this connection created are
    gone at the next batch (a rollback that did not pass through ``Library.transaction``).
    """

    def __init__(self) -> None:
        self.blocks: dict[tuple[str, str], FuzzyBlock] = {}
        self.data_version: int | None = None
        self.created_top = 0  # the largest entity id seen at a batch start or created since

    def start_batch(self, data_version: int, top: int) -> None:
        if data_version != self.data_version or top < self.created_top:
            self.forget()
            self.data_version = data_version
        self.created_top = top

    def created(self, entity_id: int, key: str, type: str) -> None:
        self.created_top = max(self.created_top, entity_id)
        head, tail = entity_blocks(key)
        for block in (self.blocks.get(("block_head", head)), self.blocks.get(("block_tail", tail))):
            if block is not None and not block.is_full():
                block.add(entity_id, key, type)

    def get(self, block: tuple[str, str]) -> FuzzyBlock | None:
        found = self.blocks.pop(block, None)
        if found is not None:
            self.blocks[block] = found  # most recently used last
        return found

    def keep(self, block: tuple[str, str], found: FuzzyBlock) -> None:
        if self.data_version is None:
            return  # no batch started: nothing tells when it would go stale
        if len(self.blocks) >= FUZZY_BLOCKS_KEPT:
            del self.blocks[next(iter(self.blocks))]
        self.blocks[block] = found

    def forget_entity(self, key: str) -> None:
        """The blocks of an entity with this key (deleted or retyped)."""
        head, tail = entity_blocks(key)
        self.blocks.pop(("block_head", head), None)
        self.blocks.pop(("block_tail", tail), None)

    def forget(self) -> None:
        self.blocks.clear()


class _EntitiesByKey:
    """Entities by canonical key, as this connection read them (at most ENTITIES_BY_KEY_KEPT,
    least recently used dropped first): most keys of a batch were met in earlier batches, and
    each costs the unique index and a table row to read again.

    Only rows as committed are kept: everything is forgotten when another connection has
    written to the library (``PRAGMA data_version``, checked at every look-up) or a
    transaction of this one rolled back (``Library.transaction`` calls ``forget``); an entity
    this connection renames, retypes or merges away is forgotten at once. Entities created by
    this connection are not added here until a later look-up reads them."""

    def __init__(self) -> None:
        self.refs: dict[str, EntityRef] = {}
        self.key_of: dict[int, str] = {}
        self.data_version: int | None = None

    def check(self, data_version: int) -> None:
        if data_version != self.data_version:
            self.forget()
            self.data_version = data_version

    def take(self, keys: Iterable[str]) -> tuple[dict[str, EntityRef], list[str]]:
        """The kept entities of these keys (now the most recently used), and the other keys."""
        found: dict[str, EntityRef] = {}
        missing: list[str] = []
        refs = self.refs
        for key in keys:
            ref = refs.pop(key, None)
            if ref is None:
                missing.append(key)
            else:
                refs[key] = found[key] = ref
        return found, missing

    def keep(self, refs: Iterable[EntityRef]) -> None:
        for ref in refs:
            self.refs[ref.key] = ref
            self.key_of[ref.id] = ref.key
        for key in list(islice(self.refs, max(0, len(self.refs) - ENTITIES_BY_KEY_KEPT))):
            del self.key_of[self.refs.pop(key).id]

    def forget_ids(self, entity_ids: Iterable[int]) -> None:
        for entity_id in entity_ids:
            key = self.key_of.pop(entity_id, None)
            if key is not None:
                del self.refs[key]

    def forget(self) -> None:
        self.refs.clear()
        self.key_of.clear()


class EntityStore:
    conn: sqlite3.Connection

    # -- linking: lookups ---------------------------------------------------------------------

    def entities_by_keys(self, keys: Iterable[str]) -> dict[str, EntityRef]:
        """Entities whose canonical key is one of ``keys``: from memory (``_EntitiesByKey``), or
        the unique index."""
        known = self._entities_by_key
        known.check(self.conn.execute("PRAGMA data_version").fetchone()[0])
        found, missing = known.take(keys)
        cursor = plain_cursor(self.conn)
        read: list[EntityRef] = []
        for chunk in parameter_chunks(missing):
            marks = ",".join("?" * len(chunk))
            read += map(EntityRef._make, cursor.execute(f"SELECT id, key, type, name FROM entities WHERE key IN ({marks})", chunk))
        known.keep(read)
        found.update((ref.key, ref) for ref in read)
        return found

    @cached_property
    def _entities_by_key(self) -> _EntitiesByKey:
        """The entities looked up by key, kept in memory for this connection."""
        return _EntitiesByKey()

    def forget_uncommitted(self) -> None:
        """Called when a transaction of this connection rolls back: what this store keeps in
        memory may hold rows that are gone."""
        self._entities_by_key.forget()
        self._kept_fuzzy_blocks.forget()

    def entities_by_alias(self, alias_key: str, *, kind: str = "name") -> list[EntityRef]:
        """Entities that carry this alias key (at most a few; see ``entities_by_alias_keys``)."""
        return self.entities_by_alias_keys([alias_key], kind=kind, per_key=5).get(alias_key, [])

    def entities_by_alias_keys(
        self, alias_keys: Iterable[str], *, kind: str = "name", per_key: int | None = None, own_keys: bool = True
    ) -> dict[str, list[EntityRef]]:
        """The entities that carry each of these alias keys (an alias of ``kind`` whose name
        folds to it), by increasing id: one index range per key, 500 keys a query.

        A name alias whose key is its entity's own key is stored without it (m017): those are
        found by the entity's key instead (``_own_key_alias_entities``, one more index probe per
        key), unless ``own_keys`` is False: the caller knows that no entity has any of these
        keys (it has just looked them up).

        ``per_key`` caps the entities read per key (the lowest ids), for callers that only ask
        whether there is exactly one: at 100,000 articles a common word can be the surname of a
        thousand "persons" (320 surname keys read 25,839 rows; capped at 3, 367)."""
        found: dict[str, dict[int, EntityRef]] = {}
        keys = list(dict.fromkeys(alias_keys))
        cursor = plain_cursor(self.conn)
        for chunk in parameter_chunks(keys):
            if per_key is None:
                rows = cursor.execute(
                    f"""SELECT a.alias_key, e.id, e.key, e.type, e.name FROM entity_aliases a JOIN entities e ON e.id = a.entity_id
                        WHERE a.alias_key IN ({",".join("?" * len(chunk))}) AND a.kind = ?""",
                    (*chunk, kind),
                )
            else:
                rows = cursor.execute(
                    f"""SELECT q.alias_key, e.id, e.key, e.type, e.name
                        FROM (SELECT DISTINCT value AS alias_key FROM json_each(?)) AS q
                        JOIN entities e ON e.id IN (
                            SELECT DISTINCT a.entity_id FROM entity_aliases a
                            WHERE a.alias_key = q.alias_key AND a.kind = ? LIMIT {int(per_key)})""",
                    (json.dumps(chunk), kind),
                )
            for alias_key, *entity in rows:
                found.setdefault(alias_key, {}).setdefault(entity[0], EntityRef._make(entity))
        if own_keys and kind == "name":
            for ref in self._own_key_alias_entities(keys, kind):
                found.setdefault(ref.key, {}).setdefault(ref.id, ref)
        return {key: sorted(by_id.values())[:per_key] for key, by_id in found.items()}

    def _own_key_alias_entities(self, keys: Sequence[str], kind: str) -> list[EntityRef]:
        """The entities whose own key is one of ``keys`` and that have an alias of ``kind``
        stored without its key (NULL: the entity's own key)."""
        cursor = plain_cursor(self.conn)
        found: list[EntityRef] = []
        for chunk in parameter_chunks(keys):
            found += map(
                EntityRef._make,
                cursor.execute(
                    f"""SELECT e.id, e.key, e.type, e.name FROM entities e WHERE e.key IN ({",".join("?" * len(chunk))})
                        AND EXISTS (SELECT 1 FROM entity_aliases a WHERE a.entity_id = e.id AND a.kind = ? AND a.alias_key IS NULL)""",
                    (*chunk, kind),
                ),
            )
        return found

    def entities_by_ids(self, ids: Sequence[int]) -> dict[int, EntityRef]:
        cursor = plain_cursor(self.conn)
        found: dict[int, EntityRef] = {}
        for chunk in parameter_chunks(ids):
            for row in cursor.execute(f"SELECT id, key, type, name FROM entities WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                found[row[0]] = EntityRef._make(row)
        return found

    def fuzzy_blocks(self, key: str) -> tuple[FuzzyBlock, FuzzyBlock]:
        """The two blocks of ``key`` (by its head, by its tail): the only entities a fuzzy match
        may pick, the first FUZZY_CANDIDATES of each block by id. Each is one range of its
        covering index (m015), then kept in memory for the batches that follow (see
        ``_FuzzyBlocks`` for when it is forgotten)."""
        head, tail = entity_blocks(key)
        return self._fuzzy_block("block_head", head), self._fuzzy_block("block_tail", tail)

    def _fuzzy_block(self, column: str, block: str) -> FuzzyBlock:
        kept = self._kept_fuzzy_blocks
        found = kept.get((column, block))
        if found is None:
            cursor = plain_cursor(self.conn)
            found = FuzzyBlock(cursor.execute(f"SELECT id, key, type FROM entities WHERE {column} = ? LIMIT {FUZZY_CANDIDATES}", (block,)).fetchall())
            kept.keep((column, block), found)
        return found

    @cached_property
    def _kept_fuzzy_blocks(self) -> _FuzzyBlocks:
        """The fuzzy blocks kept in memory for this connection."""
        return _FuzzyBlocks()

    def start_entity_batch(self) -> None:
        """Called by the linker at the start of each batch, inside its transaction, before it
        writes: the fuzzy blocks kept in memory are checked against the library (see
        ``_FuzzyBlocks``)."""
        data_version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        top = self.conn.execute("SELECT max(id) FROM entities").fetchone()[0] or 0
        self._kept_fuzzy_blocks.start_batch(data_version, top)

    # -- linking: writes ----------------------------------------------------------------------

    def create_entity(self, name: str, type: str, key: str) -> int:
        head, tail = entity_blocks(key)
        cur = self.conn.execute(
            "INSERT INTO entities (name, type, key, block_head, block_tail) VALUES (?, ?, ?, ?, ?)", (name, type, key, head, tail)
        )
        entity_id = int(cur.lastrowid)
        self._kept_fuzzy_blocks.created(entity_id, key, type)
        return entity_id

    def name_alias_counts(self, entity_ids: Iterable[int]) -> dict[int, dict[str, int]]:
        """Each entity's name aliases with their mention counts (the primary key's range per entity)."""
        found: dict[int, dict[str, int]] = {}
        ids = list(entity_ids)
        cursor = plain_cursor(self.conn)
        for chunk in parameter_chunks(ids):
            rows = cursor.execute(
                f"SELECT entity_id, name, count FROM entity_aliases WHERE entity_id IN ({','.join('?' * len(chunk))}) AND kind = 'name'",
                chunk,
            )
            for entity_id, name, count in rows:
                found.setdefault(entity_id, {})[name] = count
        return found

    def rename_entities(self, names: Iterable[tuple[int, str]]) -> None:
        """(entity_id, new name) pairs."""
        rows = [(name, entity_id) for entity_id, name in names]
        self._entities_by_key.forget_ids(entity_id for _, entity_id in rows)
        self.conn.executemany("UPDATE entities SET name = ? WHERE id = ?", rows)

    def set_entity_type(self, entity_id: int, type: str) -> None:
        self._forget_blocks_of(entity_id)
        self.conn.execute("UPDATE entities SET type = ? WHERE id = ?", (type, entity_id))

    def _forget_blocks_of(self, entity_id: int) -> None:
        """Forget what is kept in memory about an entity that is about to change type or go."""
        self._entities_by_key.forget_ids((entity_id,))
        row = self.conn.execute("SELECT key FROM entities WHERE id = ?", (entity_id,)).fetchone()
        if row is not None:
            self._kept_fuzzy_blocks.forget_entity(row[0])

    def add_entity_aliases(self, rows: Iterable[tuple[int, str, str | None, str, int]]) -> None:
        """(entity_id, name, alias_key, kind, count) — counts add up. ``alias_key`` is None for
        a name alias whose key is the entity's own key (left out of the alias index, see m017;
        never for another kind); a caller that passes the key itself gets the same look-ups,
        with one more index entry."""
        self.conn.executemany(
            """INSERT INTO entity_aliases (entity_id, name, alias_key, kind, count) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (entity_id, kind, name) DO UPDATE SET count = count + excluded.count""",
            rows,
        )

    def replace_mentions(self, article_id: int, mentions: Sequence[MentionRow]) -> None:
        """Drop the article's stored mentions (counts follow by trigger) and store these."""
        self.store_mentions({article_id: mentions}, replace=[article_id])

    def store_mentions(self, mentions_of: dict[int, Sequence[MentionRow]], *, replace: Iterable[int] = ()) -> None:
        """Store the mentions of many articles at once; those in ``replace`` lose their old ones first."""
        pairs: list[tuple[int, int, int]] = []
        for article_id, ms in mentions_of.items():
            per_entity: dict[int, int] = {}
            for m in ms:
                per_entity[m.entity_id] = per_entity.get(m.entity_id, 0) + 1
            pairs += ((entity_id, article_id, count) for entity_id, count in per_entity.items())
        pairs.sort()
        totals: dict[int, list[int]] = {}  # entity id -> [mentions, articles]
        for entity_id, _, count in pairs:
            total = totals.setdefault(entity_id, [0, 0])
            total[0] += count
            total[1] += 1
        linked = LinkedMentions(
            spans=[(article_id, pack_spans(ms)) for article_id, ms in mentions_of.items() if ms],
            pairs=pairs,
            entity_counts=[(mentions, articles, entity_id) for entity_id, (mentions, articles) in totals.items()],
        )
        self.store_linked_mentions(linked, replace=replace)

    def store_linked_mentions(self, linked: LinkedMentions, *, replace: Iterable[int] = ()) -> None:
        """One packed row per article and one row per (entity, article), in key order (each
        insert lands next to the one before in the table's B-tree); the entities' counts are
        added per entity for the whole batch. The articles in ``replace`` lose their stored
        mentions first (their counts come off by trigger)."""
        replace = [(i,) for i in replace]
        self.conn.executemany("DELETE FROM entity_articles WHERE article_id = ?", replace)
        self.conn.executemany("DELETE FROM entity_spans WHERE article_id = ?", replace)
        self.conn.executemany("INSERT INTO entity_spans (article_id, spans) VALUES (?, ?)", linked.spans)
        self.conn.executemany("INSERT INTO entity_articles (entity_id, article_id, mentions) VALUES (?, ?, ?)", linked.pairs)
        self.conn.executemany(
            "UPDATE entities SET mention_count = mention_count + ?, article_count = article_count + ? WHERE id = ?",
            linked.entity_counts,
        )

    def merge_entity(self, source_id: int, target_id: int) -> None:
        """Fold one entity into another: its mentions and aliases move, the counts are recomputed.

        The articles mentioning the source (one index range) get their packed spans rewritten,
        read in one statement and written in another.
        """
        if source_id == target_id:
            return
        self._forget_blocks_of(source_id)
        spans = plain_cursor(self.conn).execute(
            """SELECT s.article_id, s.spans FROM entity_articles p JOIN entity_spans s ON s.article_id = p.article_id
               WHERE p.entity_id = ?""",
            (source_id,),
        )
        self.conn.executemany(
            "UPDATE entity_spans SET spans = ? WHERE article_id = ?",
            [(respan_entity(blob, source_id, target_id), article_id) for article_id, blob in spans],
        )
        self.conn.execute(
            """INSERT INTO entity_articles (entity_id, article_id, mentions)
               SELECT ?, article_id, mentions FROM entity_articles WHERE entity_id = ? AND true
               ON CONFLICT (entity_id, article_id) DO UPDATE SET mentions = mentions + excluded.mentions""",
            (target_id, source_id),
        )
        # the source's own key (a name alias's NULL) becomes an alias key of the target like any other
        self.conn.execute(
            """INSERT INTO entity_aliases (entity_id, name, alias_key, kind, count)
               SELECT t.id, a.name,
                      CASE a.kind WHEN 'name' THEN NULLIF(COALESCE(a.alias_key, s.key), t.key) ELSE a.alias_key END,
                      a.kind, a.count
               FROM entity_aliases a JOIN entities s ON s.id = a.entity_id JOIN entities t ON t.id = ?
               WHERE a.entity_id = ? AND true
               ON CONFLICT (entity_id, kind, name) DO UPDATE SET count = count + excluded.count""",
            (target_id, source_id),
        )
        self.conn.execute("DELETE FROM entity_aliases WHERE entity_id = ?", (source_id,))
        self.conn.execute("DELETE FROM entities WHERE id = ?", (source_id,))
        # after the entity: the delete trigger then has no counts to take off it, row by row
        self.conn.execute("DELETE FROM entity_articles WHERE entity_id = ?", (source_id,))
        self.conn.execute(
            """UPDATE entities SET (mention_count, article_count) =
                   (SELECT COALESCE(SUM(mentions), 0), COUNT(*) FROM entity_articles WHERE entity_id = ?)
               WHERE id = ?""",
            (target_id, target_id),
        )

    # -- reading, for the UI, the CLI and the clustering ---------------------------------------

    def entity_spans(self, article_id: int) -> list[EntitySpan]:
        """The article's entity spans, in text order (one packed row, then the entities' names)."""
        cursor = plain_cursor(self.conn)
        row = cursor.execute("SELECT spans FROM entity_spans WHERE article_id = ?", (article_id,)).fetchone()
        if row is None:
            return []
        rows = unpack_spans(row[0])
        ids = list({r[2] for r in rows})
        names: dict[int, str] = {}
        for chunk in parameter_chunks(ids):
            names.update(cursor.execute(f"SELECT id, name FROM entities WHERE id IN ({','.join('?' * len(chunk))})", chunk).fetchall())
        return [EntitySpan(start, end, kind, entity_id, names.get(entity_id, "")) for start, end, entity_id, kind in rows]

    def get_entity(self, entity_id: int, *, with_aliases: bool = True) -> Entity | None:
        row = self.conn.execute(f"SELECT {_ENTITY_COLUMNS} FROM entities e WHERE e.id = ?", (entity_id,)).fetchone()
        if row is None:
            return None
        return _row_to_entity(row, self.entity_aliases(entity_id) if with_aliases else ())

    def entity_aliases(self, entity_id: int, *, limit: int = 50) -> tuple[str, ...]:
        rows = self.conn.execute(
            "SELECT name FROM entity_aliases WHERE entity_id = ? AND kind = 'name' ORDER BY count DESC, name LIMIT ?",
            (entity_id, limit),
        )
        return tuple(r[0] for r in rows)

    def find_entities(self, name: str, *, limit: int = 20) -> list[Entity]:
        """Entities called ``name`` or with it as an alias, spelling variants included; most mentioned first.

        Read by key only (there is no index on names since m017): an entity's name is one of its
        aliases, so an entity called ``name`` (case aside) is the one whose key is ``name``'s key
        or one that has that key as an alias; a place may be called by the gazetteer's name.
        Of each kind of match the same ``limit`` are kept as when names were indexed: the
        lowest ids of those called ``name``, and the first entities by alias kind and id."""
        from reader.entities.gazetteer import gazetteer
        from reader.entities.keys import name_key

        key = name_key(name)
        own = [r[0] for r in self.conn.execute("SELECT id FROM entities WHERE key = ?", (key,))]
        first_kind: dict[int, str] = {}  # entity id -> the first kind of alias it has this key in
        for kind, entity_id in self.conn.execute("SELECT kind, entity_id FROM entity_aliases WHERE alias_key = ?", (key,)):
            first_kind[entity_id] = min(kind, first_kind.get(entity_id, kind))
        for entity_id, kind in self.conn.execute(
            f"SELECT entity_id, min(kind) FROM entity_aliases WHERE entity_id IN ({','.join('?' * len(own))}) AND alias_key IS NULL GROUP BY entity_id",
            own,
        ):
            first_kind[entity_id] = min(kind, first_kind.get(entity_id, kind))
        place = gazetteer().lookup(name)
        places = [r[0] for r in self.conn.execute("SELECT id FROM entities WHERE key = ?", (place.key,))] if place is not None else []
        candidates = sorted({*first_kind, *places})
        called = [
            r[0]
            for chunk in parameter_chunks(candidates)
            for r in self.conn.execute(f"SELECT id FROM entities WHERE id IN ({','.join('?' * len(chunk))}) AND name = ? COLLATE NOCASE", (*chunk, name))
        ]
        ids = sorted({*own, *called})[:limit]
        ids += sorted(first_kind, key=lambda entity_id: (first_kind[entity_id], entity_id))[:limit]
        if not ids:
            ids = places
        entities = [e for e in (self.get_entity(i) for i in dict.fromkeys(ids)) if e is not None]
        entities.sort(key=lambda e: (-e.mention_count, e.id))
        return entities[:limit]

    def article_entities(self, article_id: int) -> list[EntityCount]:
        """The entities of one article with how often each is mentioned there, most first."""
        rows = self.conn.execute(
            f"""SELECT {_ENTITY_COLUMNS}, p.mentions AS n FROM entity_articles p JOIN entities e ON e.id = p.entity_id
                WHERE p.article_id = ? ORDER BY n DESC, e.id""",
            (article_id,),
        ).fetchall()
        return [EntityCount(_row_to_entity(r), r["n"]) for r in rows]

    def cluster_entities(self, cluster_id: int, limit: int = 20) -> list[EntityCount]:
        """The top entities of a story cluster: by the number of its articles mentioning them."""
        rows = self.conn.execute(
            f"""SELECT {_ENTITY_COLUMNS}, COUNT(*) AS n, SUM(p.mentions) AS mentions
                FROM articles a JOIN entity_articles p ON p.article_id = a.id JOIN entities e ON e.id = p.entity_id
                WHERE a.cluster_id = ? GROUP BY p.entity_id ORDER BY n DESC, mentions DESC, e.id LIMIT ?""",
            (cluster_id, limit),
        ).fetchall()
        return [EntityCount(_row_to_entity(r), r["n"]) for r in rows]

    def articles_mentioning(self, entity_id: int, *, after_id: int = 0, limit: int = 100) -> list[int]:
        """Ids of articles mentioning the entity, ascending, one keyset page after ``after_id``."""
        rows = self.conn.execute(
            "SELECT article_id FROM entity_articles WHERE entity_id = ? AND article_id > ? ORDER BY article_id LIMIT ?",
            (entity_id, after_id, limit),
        )
        return [r[0] for r in rows]

    def clusters_mentioning(self, entity_id: int, *, limit: int = 100) -> list[tuple[int, int]]:
        """(cluster id, articles of it mentioning the entity), most first; at most ``limit``."""
        rows = self.conn.execute(
            """SELECT a.cluster_id, COUNT(*) AS n FROM entity_articles p JOIN articles a ON a.id = p.article_id
               WHERE p.entity_id = ? AND a.cluster_id IS NOT NULL GROUP BY a.cluster_id ORDER BY n DESC, a.cluster_id LIMIT ?""",
            (entity_id, limit),
        )
        return [(r[0], r[1]) for r in rows]

    def iter_entities(self, *, cluster_id: int | None = None, page_size: int = 500) -> Iterator[Entity]:
        """Every entity mentioned somewhere (or in one cluster), most mentioned first, page by page."""
        if cluster_id is not None:
            for counted in self.cluster_entities(cluster_id, limit=10_000):
                yield Entity(**{**counted.entity.__dict__, "aliases": self.entity_aliases(counted.entity.id)})
            return
        after: tuple[int, int] | None = None
        while True:
            if after is None:
                rows = self.conn.execute(
                    f"SELECT {_ENTITY_COLUMNS} FROM entities e WHERE e.article_count > 0 ORDER BY e.article_count DESC, e.id DESC LIMIT ?",
                    (page_size,),
                ).fetchall()
            else:
                rows = self.conn.execute(
                    f"""SELECT {_ENTITY_COLUMNS} FROM entities e WHERE e.article_count > 0 AND (e.article_count, e.id) < (?, ?)
                        ORDER BY e.article_count DESC, e.id DESC LIMIT ?""",
                    (*after, page_size),
                ).fetchall()
            if not rows:
                return
            for row in rows:
                yield _row_to_entity(row, self.entity_aliases(row["id"]))
            after = (rows[-1]["article_count"], rows[-1]["id"])

    def article_ids_after(self, after_id: int, *, limit: int) -> list[int]:
        """One keyset page of article ids (sections included), for relinking."""
        return [r[0] for r in self.conn.execute("SELECT id FROM articles WHERE id > ? ORDER BY id LIMIT ?", (after_id, limit))]

    def article_langs(self, article_ids: Sequence[int]) -> dict[int, str | None]:
        marks = ",".join("?" * len(article_ids))
        return {r[0]: r[1] for r in self.conn.execute(f"SELECT id, lang FROM articles WHERE id IN ({marks})", list(article_ids))}

    def entity_count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM entities WHERE article_count > 0").fetchone()[0])
