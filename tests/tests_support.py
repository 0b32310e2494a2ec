"""Helpers shared by test modules (tests/ is on sys.path under pytest's rootdir import mode)."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path


def write_articles(folder: Path, count: int, *, start: int = 0) -> None:
    """Write `count` small, distinct text articles into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    words = "oracle tiktok cloud deal market court judge minister vote storm river bank".split()
    rng = random.Random(start)
    for i in range(start, start + count):
        body = " ".join(rng.choice(words) for _ in range(120))
        (folder / f"a{i:05d}.txt").write_text(f"Story number {i}\n\n{body}.\n", encoding="utf-8")


# Pages whose import did not complete: no text, no hash, or neither a cluster nor sections.
HALF_WRITTEN_SQL = """
    SELECT COUNT(*) FROM articles
    WHERE parent_id IS NULL
      AND (text = '' OR content_hash = ''
           OR (cluster_id IS NULL AND NOT EXISTS (SELECT 1 FROM articles s WHERE s.parent_id = articles.id)))
"""


def apply_migrations(conn: sqlite3.Connection, *, above: int = 0, up_to: int) -> None:
    """Bring a raw connection's schema from version ``above`` to ``up_to``, one migration (and
    one transaction) at a time, as the store does: for tests of libraries left at an old version."""
    from reader.store.migrations import all_migrations

    for migration in all_migrations():
        if above < migration.version <= up_to:
            conn.execute("BEGIN")
            migration.apply(conn)
            conn.execute(f"PRAGMA user_version = {migration.version}")
            conn.execute("COMMIT")
