"""The library store: one SQLite file, the only place that writes SQL.

Usage::

    with open_library(path) as library:
        with library.transaction():
            library.upsert_articles(batch)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reader.store.annotations import AnnotationStore
from reader.store.articles import ArticleStore, LibraryStats, SearchHit, UpsertResult
from reader.store.clusters import ClusterSort, ClusterStore
from reader.store.duplicates import DuplicateStore
from reader.store.entities import EntityStore
from reader.store.story_clusters import StoryClusterStore
from reader.store.connection import (
    LibraryTooNew,
    NotALibrary,
    StoreError,
    check_application,
    connect,
    enable_wal,
    migrate,
    refuse_newer,
    schema_version,
    write_transaction,
)

__all__ = [
    "Library",
    "LibraryStats",
    "LibraryTooNew",
    "NotALibrary",
    "SearchHit",
    "StoreError",
    "UpsertResult",
    "ClusterSort",
    "open_library",
]


class Library(ArticleStore, DuplicateStore, ClusterStore, StoryClusterStore, AnnotationStore, EntityStore):
    """A connection to one library file with a typed API. One per thread."""

    def __init__(self, conn: sqlite3.Connection, path: Path, *, created: bool, backup: Path | None = None) -> None:
        self.conn = conn
        self.path = path
        self.created = created  # True when this open created the file
        self.backup = backup  # where the pre-migration backup went, if one was taken

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            with write_transaction(self.conn) as conn:
                yield conn
        except BaseException:
            self.forget_uncommitted()  # rolled back: rows kept in memory may be gone
            raise

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    @property
    def schema_version(self) -> int:
        return schema_version(self.conn)

    def reopen(self) -> "Library":
        """A fresh connection to the same file, for another thread."""
        return open_library(self.path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Library":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# The derived indexes a library holds besides its articles, with the schema version that
# brought each. A library upgraded from before that version has articles the index has never
# seen: they are listed under REINDEX_PENDING and built by ``reader.reindex``.
DERIVED_INDEXES: dict[str, int] = {"entities": 4, "duplicates": 2, "clusters": 3}
REINDEX_PENDING = "reindex_pending"


def note_indexes_to_build(conn: sqlite3.Connection, old_version: int) -> None:
    """After an upgrade from ``old_version``, record which derived indexes the stored articles lack."""
    missing = [name for name, since in DERIVED_INDEXES.items() if 0 < old_version < since]
    if not missing or conn.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is None:
        return
    with write_transaction(conn):
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (REINDEX_PENDING,)).fetchone()
        pending = set(row[0].split(",")) if row and row[0] else set()
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (REINDEX_PENDING, ",".join(sorted(pending | set(missing)))),
        )


def open_library(path: Path | str) -> Library:
    """Open (creating and migrating as needed) the library at ``path``."""
    path = Path(path)
    created = not path.exists() or path.stat().st_size == 0
    if created:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = connect(path)
    except sqlite3.DatabaseError as exc:
        raise NotALibrary(f"{path}: cannot open as a library: {exc}") from exc
    try:
        check_application(conn, path)
        refuse_newer(conn, path)
        enable_wal(conn, path)
        old_version, _, backup = migrate(conn, path)
        note_indexes_to_build(conn, old_version)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise NotALibrary(f"{path}: cannot open as a library: {exc}") from exc
    except BaseException:
        conn.close()
        raise
    return Library(conn, path, created=created, backup=backup)
