"""Version 3: the story-clustering index (document frequencies, cluster profiles, key postings).

- ``story_df``: how many stories (articles or sections) hold each term key, for IDF weights;
- ``story_profiles``: each cluster's mean term vector (JSON), date span in days, members and
  its best headline so far;
- ``story_keys``: an inverted index from a cluster's strongest keys to the cluster, which is
  how a new story finds its candidate clusters without scanning the library;
- ``story_dirty``: clusters that lost a member through a deletion, refreshed by the next batch.
"""

import sqlite3

from reader.store.sqlutil import execute_statements

SCHEMA = """
CREATE TABLE story_df (
    term  TEXT    PRIMARY KEY,
    df    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE story_profiles (
    cluster_id   INTEGER PRIMARY KEY REFERENCES clusters (id) ON DELETE CASCADE,
    members      INTEGER NOT NULL,
    first_day    INTEGER,
    last_day     INTEGER,
    langs        TEXT    NOT NULL DEFAULT '',
    weights      TEXT    NOT NULL,
    index_keys   TEXT    NOT NULL,
    surfaces     TEXT    NOT NULL DEFAULT '{}',
    best_article INTEGER,
    best_title   TEXT    NOT NULL DEFAULT '',
    best_score   REAL    NOT NULL DEFAULT 0
);

CREATE TABLE story_keys (
    term        TEXT    NOT NULL,
    cluster_id  INTEGER NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    PRIMARY KEY (term, cluster_id)
) WITHOUT ROWID;
CREATE INDEX story_keys_by_cluster ON story_keys (cluster_id);

CREATE TABLE story_dirty (
    cluster_id  INTEGER PRIMARY KEY
);
CREATE TRIGGER story_member_deleted AFTER DELETE ON articles WHEN old.cluster_id IS NOT NULL BEGIN
    INSERT OR IGNORE INTO story_dirty (cluster_id) VALUES (old.cluster_id);
END;
"""


def migrate(conn: sqlite3.Connection) -> None:
    execute_statements(conn, SCHEMA)
