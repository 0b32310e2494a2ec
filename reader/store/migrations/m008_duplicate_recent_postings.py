"""Version 8: new postings of the duplicate index go to a small table first.

Postings are keyed by random hashes, so each one inserted straight into ``lsh_bands`` lands on
a page of its own: at 100,000 articles a batch of 500 rewrote some 13,000 pages (about 50 MB
of WAL a batch). ``lsh_recent`` (the same shape) takes the new postings and stays small
enough to sit in the page cache; when it is full the store moves it into ``lsh_bands`` in key
order, one pass that touches each page of the big table at most once for many postings. A
lookup reads both tables. The trigger that removes a deleted or re-indexed article's postings
now cleans both.
"""

import sqlite3

from reader.store.sqlutil import execute_statements

SCHEMA = """
CREATE TABLE lsh_recent (
    band_key    INTEGER NOT NULL,
    article_id  INTEGER NOT NULL,
    PRIMARY KEY (band_key, article_id)
) WITHOUT ROWID;

DROP TRIGGER fingerprints_unindex;

CREATE TRIGGER fingerprints_unindex AFTER DELETE ON fingerprints BEGIN
    DELETE FROM lsh_bands
     WHERE article_id = old.article_id AND band_key IN (SELECT value FROM json_each(old.keys));
    DELETE FROM lsh_recent
     WHERE article_id = old.article_id AND band_key IN (SELECT value FROM json_each(old.keys));
END;
"""


def migrate(conn: sqlite3.Connection) -> None:
    execute_statements(conn, SCHEMA)
