"""Version 12: each story profile keeps the squared norms of its mean vector.

``story_profiles.norms``: float64 little-endian, the squared norm of the language-neutral keys
(names, numbers, entity keys), then that of each language's words in the order of ``langs``.
Scoring a story against a candidate cluster needs them; stored, loading a candidate no longer
goes over its terms to work them out. NULL for profiles written before this version (their
norms are then computed from the terms).

From this version on ``story_profiles.surfaces`` holds name keys and their written forms
alternating, joined by U+001F, rather than a JSON object (a row written before still holds
JSON, and is read as such).
"""

import sqlite3

from reader.store.sqlutil import execute_statements

SCHEMA = """
ALTER TABLE story_profiles ADD COLUMN norms BLOB;
"""


def migrate(conn: sqlite3.Connection) -> None:
    execute_statements(conn, SCHEMA)
