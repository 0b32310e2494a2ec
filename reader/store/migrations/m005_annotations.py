"""Version 5: annotations (highlights with notes, tags and colours) and their tags.

Annotations are the most valuable data in a library, so deleting an article never deletes
one: the article's external id, URL and title are copied into the annotation, the link is
set to NULL and the annotation becomes ``orphaned`` (a trigger does this, whatever code
deletes the article). When an article with that external id comes back (a re-import), the
import re-attaches and re-anchors it.
"""

import sqlite3

from reader.store.sqlutil import execute_statements

SCHEMA = """
CREATE TABLE annotations (
    id                   INTEGER PRIMARY KEY,
    uuid                 TEXT    NOT NULL UNIQUE,
    article_id           INTEGER REFERENCES articles (id) ON DELETE SET NULL,
    article_external_id  TEXT    NOT NULL,
    article_url          TEXT,
    article_title        TEXT    NOT NULL DEFAULT '',
    exact                TEXT    NOT NULL CHECK (length(exact) > 0),
    prefix               TEXT    NOT NULL DEFAULT '',
    suffix               TEXT    NOT NULL DEFAULT '',
    pos_start            INTEGER NOT NULL CHECK (pos_start >= 0),
    pos_end              INTEGER NOT NULL CHECK (pos_end > pos_start),
    text_hash            TEXT    NOT NULL,
    state                TEXT    NOT NULL DEFAULT 'anchored' CHECK (state IN ('anchored', 'moved', 'orphaned')),
    note                 TEXT    NOT NULL DEFAULT '',
    color                TEXT,
    created_at           TEXT    NOT NULL,
    updated_at           TEXT    NOT NULL
);
CREATE INDEX annotations_by_article ON annotations (article_id, pos_start);
CREATE INDEX annotations_detached   ON annotations (article_external_id) WHERE article_id IS NULL;
CREATE INDEX annotations_by_created ON annotations (created_at, id);

CREATE TABLE annotation_tags (
    annotation_id  INTEGER NOT NULL REFERENCES annotations (id) ON DELETE CASCADE,
    tag            TEXT    NOT NULL COLLATE NOCASE,
    PRIMARY KEY (annotation_id, tag)
) WITHOUT ROWID;
CREATE INDEX annotation_tags_by_tag ON annotation_tags (tag, annotation_id);

-- Imported annotations may name their article by URL only (other tools' W3C JSON).
CREATE INDEX IF NOT EXISTS articles_by_url ON articles (url) WHERE url IS NOT NULL;

CREATE TRIGGER annotations_outlive_their_article BEFORE DELETE ON articles BEGIN
    UPDATE annotations
       SET state = 'orphaned', article_external_id = old.external_id, article_url = old.url,
           article_title = old.title
     WHERE article_id = old.id;
END;
"""


def migrate(conn: sqlite3.Connection) -> None:
    execute_statements(conn, SCHEMA)
