"""Version 4: canonical entities, their aliases, and the entity mentions of each article."""

import sqlite3

from reader.store.sqlutil import execute_statements

SCHEMA = """
CREATE TABLE entities (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL,
    type           TEXT    NOT NULL,
    key            TEXT    NOT NULL UNIQUE,
    mention_count  INTEGER NOT NULL DEFAULT 0,
    article_count  INTEGER NOT NULL DEFAULT 0,
    block_head     TEXT    NOT NULL DEFAULT '',
    block_tail     TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX entities_by_head     ON entities (block_head);
CREATE INDEX entities_by_tail     ON entities (block_tail);
CREATE INDEX entities_by_articles ON entities (article_count, id);
CREATE INDEX entities_by_name     ON entities (name COLLATE NOCASE);

CREATE TABLE entity_aliases (
    entity_id  INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    alias_key  TEXT    NOT NULL,
    kind       TEXT    NOT NULL DEFAULT 'name',
    count      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (entity_id, kind, name)
) WITHOUT ROWID;
CREATE INDEX entity_aliases_by_key ON entity_aliases (alias_key, kind);

CREATE TABLE mentions (
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    entity_id   INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    type        TEXT    NOT NULL,
    PRIMARY KEY (article_id, start)
) WITHOUT ROWID;
CREATE INDEX mentions_by_entity ON mentions (entity_id, article_id);

-- Counts follow deletions of any kind (replaced mentions, deleted articles via cascade).
CREATE TRIGGER mentions_count_delete AFTER DELETE ON mentions BEGIN
    UPDATE entities SET
        mention_count = mention_count - 1,
        article_count = article_count - NOT EXISTS (
            SELECT 1 FROM mentions WHERE entity_id = old.entity_id AND article_id = old.article_id)
    WHERE id = old.entity_id;
END;
"""


def migrate(conn: sqlite3.Connection) -> None:
    execute_statements(conn, SCHEMA)
