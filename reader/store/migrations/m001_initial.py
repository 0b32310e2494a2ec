"""Version 1: articles with full-text search, story clusters, read and star state."""

import sqlite3

from reader.store.sqlutil import execute_statements

SCHEMA = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE clusters (
    id              INTEGER PRIMARY KEY,
    label           TEXT    NOT NULL DEFAULT '',
    article_count   INTEGER NOT NULL DEFAULT 0,
    source_count    INTEGER NOT NULL DEFAULT 0,
    languages       TEXT    NOT NULL DEFAULT '',
    unread_count    INTEGER NOT NULL DEFAULT 0,
    has_duplicates  INTEGER NOT NULL DEFAULT 0,
    first_date      TEXT,
    last_date       TEXT,
    starred         INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);
CREATE INDEX clusters_by_latest ON clusters (last_date, id);
CREATE INDEX clusters_by_size   ON clusters (article_count, id);
CREATE INDEX clusters_by_unread ON clusters (unread_count, id);

CREATE TABLE articles (
    id            INTEGER PRIMARY KEY,
    external_id   TEXT    NOT NULL UNIQUE,
    parent_id     INTEGER REFERENCES articles (id) ON DELETE CASCADE,
    section       INTEGER,
    cluster_id    INTEGER REFERENCES clusters (id) ON DELETE SET NULL,
    title         TEXT    NOT NULL DEFAULT '',
    text          TEXT    NOT NULL DEFAULT '',
    raw_text      TEXT    NOT NULL DEFAULT '',
    content_hash  TEXT    NOT NULL,
    lang          TEXT,
    lang_prob     REAL,
    source        TEXT,
    url           TEXT,
    author        TEXT,
    date          TEXT,
    date_origin   TEXT,
    metadata      TEXT    NOT NULL DEFAULT '{}',
    origin        TEXT,
    is_sample     INTEGER NOT NULL DEFAULT 0,
    read_at       TEXT,
    starred       INTEGER NOT NULL DEFAULT 0,
    imported_at   TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);
CREATE INDEX articles_by_hash    ON articles (content_hash);
CREATE INDEX articles_by_cluster ON articles (cluster_id, lang);
CREATE INDEX articles_by_parent  ON articles (parent_id);
CREATE INDEX articles_by_date    ON articles (date);

CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text,
    content = 'articles', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
"""


def migrate(conn: sqlite3.Connection) -> None:
    execute_statements(conn, SCHEMA)
