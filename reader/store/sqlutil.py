"""Small SQLite helpers shared by the store modules."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator


def split_statements(script: str) -> Iterator[str]:
    """Split an SQL script into complete statements (triggers with inner ';' included)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer.strip()
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement: {buffer.strip()[:80]}")


def execute_statements(conn: sqlite3.Connection, script: str) -> None:
    """Run a script statement by statement inside the caller's transaction.

    Unlike ``executescript`` this never commits behind the caller's back.
    """
    for statement in split_statements(script):
        conn.execute(statement)
