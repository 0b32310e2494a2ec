"""Version 6: the duplicate index keeps each indexed article's check hashes.

``fingerprints.check_hashes``: the 32-bit hashes of the article's word shingles in text order
(little-endian uint32, see ``reader.similarity.fingerprint.check_hashes``), what the exact
check of a candidate pair compares. With them the main process verifies a new article against
stored ones without tokenising their texts again. NULL for articles indexed before this
version: those are checked from their text, as before, until ``reader duplicates --rebuild``.
"""

import sqlite3

from reader.store.sqlutil import execute_statements

SCHEMA = """
ALTER TABLE fingerprints ADD COLUMN check_hashes BLOB;
"""


def migrate(conn: sqlite3.Connection) -> None:
    execute_statements(conn, SCHEMA)
