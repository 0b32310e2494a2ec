"""Version 13: an index that holds what a cluster's figures are made of.

``articles_cluster_members`` on ``articles (cluster_id, parent_id, source, lang, date, read_at,
content_hash)``: refreshing a cluster's sidebar figures (members, sources, languages, unread,
date span) and looking for copies among its members read only these columns. From the table,
each member's row is read past its text and raw text (their overflow pages) to reach them,
which made the refresh of a large cluster cost thousands of page reads; from this index it is
one range of small entries.
"""

import sqlite3

from reader.store.sqlutil import execute_statements

SCHEMA = """
CREATE INDEX articles_cluster_members ON articles (cluster_id, parent_id, source, lang, date, read_at, content_hash);
"""


def migrate(conn: sqlite3.Connection) -> None:
    execute_statements(conn, SCHEMA)
