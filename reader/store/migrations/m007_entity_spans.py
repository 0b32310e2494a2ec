"""Version 7: an article's entity mentions as one packed row; entity <-> article pairs for queries.

Version 4 stored one ``mentions`` row per mention, with foreign keys and a second index by
entity: linking a batch wrote every mention into two B-trees and checked two parents. Now:

- ``entity_spans``: one row per article, ``spans`` = its mentions in text order, packed as
  little-endian int32 quadruples (start, end, entity id, type code; see
  ``reader.store.entities.pack_spans``): the highlight look-up reads one row.
- ``entity_articles``: one row per (entity, article) with the number of mentions, keyed by
  entity (articles mentioning X, keyset pages) and indexed by article (an article's or a
  cluster's entities, replacing an article's mentions).

Neither table has foreign keys (they are written in bulk by the linker, which knows its ids);
deleting an article deletes its rows by trigger, and deleting an ``entity_articles`` row
takes its counts off the entity, as the v4 trigger did.
"""

import sqlite3
from array import array
from sys import byteorder

from reader.store.sqlutil import execute_statements, plain_cursor

SCHEMA = """
CREATE TABLE entity_spans (
    article_id  INTEGER PRIMARY KEY,
    spans       BLOB    NOT NULL
);

CREATE TABLE entity_articles (
    entity_id   INTEGER NOT NULL,
    article_id  INTEGER NOT NULL,
    mentions    INTEGER NOT NULL,
    PRIMARY KEY (entity_id, article_id)
) WITHOUT ROWID;
CREATE INDEX entity_articles_by_article ON entity_articles (article_id);

CREATE TRIGGER entity_articles_count_delete AFTER DELETE ON entity_articles BEGIN
    UPDATE entities SET mention_count = mention_count - old.mentions, article_count = article_count - 1
    WHERE id = old.entity_id;
END;

CREATE TRIGGER articles_delete_entity_rows AFTER DELETE ON articles BEGIN
    DELETE FROM entity_spans WHERE article_id = old.id;
    DELETE FROM entity_articles WHERE article_id = old.id;
END;
"""

COPY_PAIRS = """
INSERT INTO entity_articles (entity_id, article_id, mentions)
SELECT entity_id, article_id, COUNT(*) FROM mentions GROUP BY entity_id, article_id;
"""

DROP_V4 = """
DROP TRIGGER mentions_count_delete;
DROP TABLE mentions;
"""

TYPE_CODES = {"PERSON": 0, "ORG": 1, "PLACE": 2, "OTHER": 3}


def migrate(conn: sqlite3.Connection) -> None:
    execute_statements(conn, SCHEMA)
    execute_statements(conn, COPY_PAIRS)
    copy_spans(conn)
    execute_statements(conn, DROP_V4)


def copy_spans(conn: sqlite3.Connection) -> None:
    """Pack the v4 mention rows of each article (one pass in primary-key order, one article in memory)."""
    cursor = plain_cursor(conn)
    current: int | None = None
    values = array("i")

    def flush() -> None:
        if current is not None:
            if byteorder == "big":
                values.byteswap()
            conn.execute("INSERT INTO entity_spans (article_id, spans) VALUES (?, ?)", (current, values.tobytes()))

    for article_id, start, end, entity_id, kind in cursor.execute(
        "SELECT article_id, start, end, entity_id, type FROM mentions ORDER BY article_id, start"
    ):
        if article_id != current:
            flush()
            current, values = article_id, array("i")
        values.extend((start, end, entity_id, TYPE_CODES.get(kind, 3)))
    flush()
