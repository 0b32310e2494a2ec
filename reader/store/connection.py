"""Opening a library: pragmas, version checks, backups and migrations, write transactions."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from reader.store.migrations import all_migrations

APPLICATION_ID = 0x52454144  # "READ"
BUSY_TIMEOUT_MS = 15_000


class StoreError(Exception):
    """A library that cannot be opened or used; the message is meant for the user."""


class LibraryTooNew(StoreError):
    pass


class NotALibrary(StoreError):
    pass


# Per connection, a fixed bound whatever the library's size. An import batch of 500 articles
# dirties ~18,000 pages (~72 MB) of a 100,000-article library's indexes; a smaller cache
# spills them to the WAL mid-transaction and writes them again at commit.
PAGE_CACHE_KIB = 128 * 1024
# An import lets the WAL grow to 256 MB between checkpoints (ArticleStore.fewer_checkpoints);
# the file is cut back to this size after a checkpoint, rather than keeping its largest size.
JOURNAL_LIMIT_BYTES = 64 * 1024 * 1024


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection with our pragmas. Transactions are explicit (autocommit mode)."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    # The index look-ups of every import batch (duplicate keys, cluster postings, entity
    # aliases) touch pages all over a large library; SQLite's default page cache is 2 MB.
    conn.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
    conn.execute(f"PRAGMA journal_size_limit = {JOURNAL_LIMIT_BYTES}")
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn


def enable_wal(conn: sqlite3.Connection, path: Path | str) -> None:
    """Switch to WAL (persistent in the file). Done only after the version checks pass,
    so that a library we refuse is never modified."""
    if str(path) == ":memory:":
        return
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() != "wal":
        raise StoreError(f"{path}: could not switch the library to WAL mode (got {mode})")


def refuse_newer(conn: sqlite3.Connection, path: Path | str) -> None:
    latest = all_migrations()[-1].version
    current = schema_version(conn)
    if current > latest:
        raise LibraryTooNew(
            f"{path}: this library was written by a newer reader (schema {current}, this reader knows {latest}); "
            "upgrade reader to open it. The file was not modified."
        )


def _is_locked(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


@contextmanager
def write_transaction(conn: sqlite3.Connection, *, attempts: int = 8) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, retried with backoff while another process holds the lock."""
    delay = 0.05
    for attempt in range(attempts):
        try:
            conn.execute("BEGIN IMMEDIATE")
            break
        except sqlite3.OperationalError as exc:
            if not _is_locked(exc) or attempt == attempts - 1:
                raise StoreError("the library is busy in another reader process; try again in a moment") from exc
            time.sleep(delay + random.uniform(0, delay))
            delay = min(delay * 2, 2.0)
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def check_application(conn: sqlite3.Connection, path: Path | str) -> None:
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    if app_id not in (0, APPLICATION_ID):
        raise NotALibrary(f"{path}: this SQLite file is not a reader library")
    if app_id == 0 and schema_version(conn) != 0:
        raise NotALibrary(f"{path}: this SQLite file is not a reader library")


def backup_before_migration(conn: sqlite3.Connection, path: Path, from_version: int) -> Path:
    target = path.with_name(f"{path.name}.v{from_version}-{datetime.now():%Y%m%d%H%M%S}.bak")
    backup_conn = sqlite3.connect(str(target))
    try:
        conn.backup(backup_conn)
    finally:
        backup_conn.close()
    return target


def migrate(conn: sqlite3.Connection, path: Path | str) -> tuple[int, int, Path | None]:
    """Bring the schema to the latest version. Returns (old, new, backup path or None)."""
    migrations = all_migrations()
    latest = migrations[-1].version
    current = schema_version(conn)
    refuse_newer(conn, path)
    backup = None
    if 0 < current < latest and str(path) != ":memory:":
        backup = backup_before_migration(conn, Path(path), current)
    for migration in (m for m in migrations if m.version > current):
        with write_transaction(conn):
            if schema_version(conn) >= migration.version:  # another process got there first
                continue
            migration.apply(conn)
            conn.execute(f"PRAGMA user_version = {migration.version}")
            if migration.version == 1:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    return current, latest, backup
