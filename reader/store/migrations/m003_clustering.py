"""Version 3: the story-clustering index (document frequencies, cluster profiles, key postings).

- ``story_df``: how many stories (articles or sections) hold each term key, for IDF weights;
  terms are stored as 64-bit hashes of their keys: integer keys make these two tables, which
  every batch touches tens of thousands of times, several times cheaper than text keys;
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
    term  INTEGER PRIMARY KEY,  -- 64-bit hash of the term key (see store.story_clusters.term_id)
    df    INTEGER NOT NULL
);

CREATE TABLE story_profiles (
    cluster_id   INTEGER PRIMARY KEY REFERENCES clusters (id) ON DELETE CASCADE,
    members      INTEGER NOT NULL,
    first_day    INTEGER,
    last_day     INTEGER,
    langs        TEXT    NOT NULL DEFAULT '',
    terms        TEXT    NOT NULL,  -- the profile's keys, strongest first, joined by U+001F
    weights      BLOB    NOT NULL,  -- their weights, float32 little-endian, same order
    index_keys   TEXT    NOT NULL,  -- the keys listed in story_keys, joined by U+001F
    surfaces     TEXT    NOT NULL DEFAULT '{}',
    best_article INTEGER,
    best_title   TEXT    NOT NULL DEFAULT '',
    best_score   REAL    NOT NULL DEFAULT 0
);

CREATE TABLE story_keys (
    term        INTEGER NOT NULL,  -- term_id of the key
    cluster_id  INTEGER NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    PRIMARY KEY (term, cluster_id)
) WITHOUT ROWID;
CREATE INDEX story_keys_by_cluster ON story_keys (cluster_id);

-- the sidebar's "latest" order sorts on this expression: an index on it saves a sort per page
CREATE INDEX clusters_by_latest_key ON clusters (COALESCE(last_date, ''), id);

CREATE TABLE story_dirty (
    cluster_id  INTEGER PRIMARY KEY
);
CREATE TRIGGER story_member_deleted AFTER DELETE ON articles WHEN old.cluster_id IS NOT NULL BEGIN
    INSERT OR IGNORE INTO story_dirty (cluster_id) VALUES (old.cluster_id);
END;
"""


def migrate(conn: sqlite3.Connection) -> None:
    execute_statements(conn, SCHEMA)
