"""Version 18: each story profile keeps the persons its stories mention and are about.

``story_profiles.persons``: for each person (the name key of their surname, see
``reader.similarity.clustering.persons_of``) the number of times the cluster's stories mention
them and the number of its stories whose headline names them, joined by U+001F
("n:williams", "52", "9", "n:jackson", "18", "0"). A new story about a person who is a minor
figure of a cluster about someone else does not join it. Empty for profiles written before this
version: such a cluster never refuses a story.
"""

import sqlite3

from reader.store.sqlutil import execute_statements

SCHEMA = """
ALTER TABLE story_profiles ADD COLUMN persons TEXT NOT NULL DEFAULT '';
"""


def migrate(conn: sqlite3.Connection) -> None:
    execute_statements(conn, SCHEMA)
