"""Small SQLite helpers shared by the store modules."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")


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


PARAMETERS_PER_QUERY = 500  # bound parameters per IN (...) query, well under SQLite's limit


def parameter_chunks(values: Sequence[T]) -> Iterator[list[T]]:
    """The values in lists of at most PARAMETERS_PER_QUERY, one ``IN (...)`` query each."""
    for start in range(0, len(values), PARAMETERS_PER_QUERY):
        yield list(values[start : start + PARAMETERS_PER_QUERY])


def plain_cursor(conn: sqlite3.Connection) -> sqlite3.Cursor:
    """A cursor whose rows are plain tuples, whatever the connection's row factory: thousands
    of rows a batch are made about twice as fast as ``sqlite3.Row`` objects, and a dict is
    built from them in C."""
    cursor = conn.cursor()
    cursor.row_factory = None
    return cursor
