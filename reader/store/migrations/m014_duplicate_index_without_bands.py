"""Version 14: the duplicate index drops its LSH band postings.

Since fingerprint format 4 the winnowed containment keys are the whole index (they find near
copies as well as containments, see ``reader.similarity.fingerprint``): no article looks up
or posts a band key any more. The band postings of articles indexed before (keys with bit 62
set, about a third of the postings) are removed from ``lsh_bands`` and ``lsh_recent``, so
the lookups of new keys walk a smaller tree. One range of each table's primary key: about
0.2 s at 100,000 articles. The band keys stay in ``fingerprints.keys``, where the trigger
that removes an article's postings only looks them up in vain.
"""

import sqlite3

from reader.store.sqlutil import execute_statements

SCHEMA = """
DELETE FROM lsh_bands WHERE band_key >= 4611686018427387904;
DELETE FROM lsh_recent WHERE band_key >= 4611686018427387904;
"""


def migrate(conn: sqlite3.Connection) -> None:
    execute_statements(conn, SCHEMA)
