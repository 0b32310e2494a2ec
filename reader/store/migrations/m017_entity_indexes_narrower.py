"""Version 17: fewer and narrower entity index entries, so that linking a batch dirties fewer pages.

Importing 10,000 articles into a 100,000-article library, every article dirtied ~36 pages per
batch, ~19 of them in the entity tables; every new entity (~1.3 per article) went into six
B-trees at random places, and every new alias into two. Now:

- ``entity_aliases.alias_key`` is NULL for a name alias whose key is the entity's own key
  (73 % of the name aliases: the spellings that fold to the canonical key, "Trump" of
  ``trump``; surname aliases never have it), and
  ``entity_aliases_by_key`` indexes only the other rows (a partial index). An alias look-up by
  key gives the entities that have the key as an alias (the index) and the entity whose key it
  is when that entity has an alias of the kind asked for (the unique key of ``entities``);
  see ``reader.store.entities.EntityStore.entities_by_alias_keys``.
- ``entities_by_name`` (name COLLATE NOCASE) goes: only ``find_entities`` used it, and an
  entity's name is one of its aliases (or, for a place, its gazetteer name), which it finds by
  key.
- The fuzzy-block indexes (m015) hold (block, id, key, type): the name, which the blocks no
  longer read, is left out.
"""

import sqlite3

from reader.store.sqlutil import execute_statements

SCHEMA = """
CREATE TABLE entity_aliases_v17 (
    entity_id  INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    alias_key  TEXT,
    kind       TEXT    NOT NULL DEFAULT 'name',
    count      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (entity_id, kind, name)
) WITHOUT ROWID;
INSERT INTO entity_aliases_v17 (entity_id, name, alias_key, kind, count)
    SELECT a.entity_id, a.name, CASE a.kind WHEN 'name' THEN NULLIF(a.alias_key, e.key) ELSE a.alias_key END, a.kind, a.count
    FROM entity_aliases a LEFT JOIN entities e ON e.id = a.entity_id
    ORDER BY a.entity_id, a.kind, a.name;
DROP TABLE entity_aliases;
ALTER TABLE entity_aliases_v17 RENAME TO entity_aliases;
CREATE INDEX entity_aliases_by_key ON entity_aliases (alias_key, kind) WHERE alias_key IS NOT NULL;

DROP INDEX entities_by_name;
DROP INDEX entities_by_head_covering;
DROP INDEX entities_by_tail_covering;
CREATE INDEX entities_by_head_covering ON entities (block_head, id, key, type);
CREATE INDEX entities_by_tail_covering ON entities (block_tail, id, key, type);
"""


def migrate(conn: sqlite3.Connection) -> None:
    execute_statements(conn, SCHEMA)
