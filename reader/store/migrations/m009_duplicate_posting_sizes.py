"""Version 9: each posting of the duplicate index carries the size of the article holding it.

``holder_size`` on ``lsh_bands`` and ``lsh_recent``: ``(shingles << 13) | key_count`` of the
posting's article (as in ``fingerprints``). Deciding whether two articles that share keys are
worth an exact check needs both sizes; with them in the postings, a lookup brings them along
instead of one more seek per article met. NULL for postings written before this version
(the sizes are then read from ``fingerprints``).
"""

import sqlite3

from reader.store.sqlutil import execute_statements

SCHEMA = """
ALTER TABLE lsh_bands ADD COLUMN holder_size INTEGER;
ALTER TABLE lsh_recent ADD COLUMN holder_size INTEGER;
"""


def migrate(conn: sqlite3.Connection) -> None:
    execute_statements(conn, SCHEMA)
