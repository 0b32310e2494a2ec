"""Version 10: the duplicate index keeps each indexed article's check hashes as a sorted set.

``fingerprints.check_distinct``: the article's distinct check hashes, sorted (little-endian
uint32); ``fingerprints.check_inverse``: for each of its shingles in text order, the index of
its hash among them (little-endian uint16 while there are at most 65,536 distinct hashes,
uint32 beyond; see ``reader.similarity.fingerprint.check_set``). The exact check of many
candidate pairs merges sorted sets instead of searching each text's shingles one by one.
Articles indexed before this version keep ``check_hashes`` (text order) and NULL here; the
check turns theirs into a set when it meets them.
"""

import sqlite3

from reader.store.sqlutil import execute_statements

SCHEMA = """
ALTER TABLE fingerprints ADD COLUMN check_distinct BLOB;
ALTER TABLE fingerprints ADD COLUMN check_inverse BLOB;
"""


def migrate(conn: sqlite3.Connection) -> None:
    execute_statements(conn, SCHEMA)
