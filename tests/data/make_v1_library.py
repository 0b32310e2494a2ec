"""Build tests/data/library_v1.sqlite3: a library at schema version 1 (the first release).

Kept as a checked-in fixture so every later migration is tested from a real old file.
Run once (`python tests/data/make_v1_library.py`); the file must not change afterwards.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from reader.store.connection import APPLICATION_ID
from reader.store.migrations import m001_initial

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parent.parent / "seeds"


def build(target: Path) -> None:
    target.unlink(missing_ok=True)
    conn = sqlite3.connect(str(target), isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("BEGIN")
    m001_initial.migrate(conn)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    now = "2026-11-22T00:00:00+00:00"
    for i, seed in enumerate(sorted(SEEDS.glob("*.txt")), start=1):
        text = seed.read_text(encoding="utf-8")
        title = next(line for line in text.splitlines() if line.strip())
        cluster = conn.execute(
            "INSERT INTO clusters (label, article_count, unread_count, created_at, updated_at, starred) VALUES (?, 1, ?, ?, ?, ?)",
            (title, 0 if i == 1 else 1, now, now, int(i == 2)),
        ).lastrowid
        conn.execute(
            """INSERT INTO articles (external_id, cluster_id, title, text, raw_text, content_hash, lang, lang_prob,
                   source, date, is_sample, read_at, starred, imported_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, 0.99, 'seed', '2020-09-14', 1, ?, ?, ?, ?)""",
            (f"sample/{seed.name}", cluster, title, text, text, f"hash{i}", "fr" if i == 3 else "en",
             now if i == 1 else None, int(i == 4), now, now),
        )
    conn.execute("COMMIT")
    conn.close()


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "library_v1.sqlite3")
