"""Version 2: the duplicate index (LSH band and containment keys) and duplicate relations.

- ``fingerprints``: one row per indexed article (pages, not sections): its number of distinct
  shingles, its index keys (JSON, so a deletion can remove exactly its postings) and the cut
  under which it kept its containment keys;
- ``lsh_bands``: the inverted index from a key (an LSH band of the MinHash signature, or a
  winnowed containment key) to the articles that hold it. A WITHOUT ROWID table whose
  primary key (band_key, article_id) is the lookup index; a trigger on ``fingerprints``
  removes an article's postings when its fingerprint goes (article deleted or re-indexed);
- ``duplicates``: verified relations. ``exact`` and ``near`` are symmetric and stored with
  a_id < b_id; ``contained`` means a's text is wholly or mostly inside b's.
"""

import sqlite3

from reader.store.sqlutil import execute_statements

SCHEMA = """
CREATE TABLE fingerprints (
    article_id  INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    shingles    INTEGER NOT NULL,
    key_count   INTEGER NOT NULL,
    key_cut     INTEGER NOT NULL,
    keys        TEXT    NOT NULL
);

CREATE TABLE lsh_bands (
    band_key    INTEGER NOT NULL,
    article_id  INTEGER NOT NULL,
    PRIMARY KEY (band_key, article_id)
) WITHOUT ROWID;

CREATE TRIGGER fingerprints_unindex AFTER DELETE ON fingerprints BEGIN
    DELETE FROM lsh_bands
     WHERE article_id = old.article_id AND band_key IN (SELECT value FROM json_each(old.keys));
END;

CREATE TABLE duplicates (
    a_id      INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    b_id      INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    relation  TEXT    NOT NULL CHECK (relation IN ('exact', 'near', 'contained')),
    score     REAL    NOT NULL,
    PRIMARY KEY (a_id, b_id)
) WITHOUT ROWID;
CREATE INDEX duplicates_by_b ON duplicates (b_id, a_id);
"""


def migrate(conn: sqlite3.Connection) -> None:
    execute_statements(conn, SCHEMA)
