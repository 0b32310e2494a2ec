"""A library from before entities (schema v1, a checked-in file) gains them: schema, then relinking."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from reader.cli import main
from reader.store import open_library
from tests_support import apply_migrations

V1_FIXTURE = Path(__file__).resolve().parent.parent / "data" / "library_v1.sqlite3"


def test_a_v1_library_is_migrated_and_relinked(tmp_path, capsys):
    path = tmp_path / "old.sqlite3"
    shutil.copy(V1_FIXTURE, path)
    with open_library(path) as library:
        assert library.schema_version >= 4
        tables = {r[0] for r in library.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"entities", "entity_aliases", "entity_spans", "entity_articles"} <= tables
        assert "mentions" not in tables
        ids = [a.id for a in library.iter_articles()]
        assert ids and all(library.entity_spans(i) == [] for i in ids)
    assert main(["--library", str(path), "entities", "--relink", "--json"]) == 0
    entities = json.loads(capsys.readouterr().out)
    assert {e["name"] for e in entities} >= {"Oracle", "TikTok"}
    with open_library(path) as library:
        for article_id in ids:
            text = library.get_article(article_id).text
            spans = library.entity_spans(article_id)
            assert spans
            assert all(text[s.start : s.end] for s in spans)


def test_v4_mention_rows_become_packed_spans_and_pairs(tmp_path):
    """A library at version 6 (mentions as rows, m004) is brought to m007 with the same spans and counts."""
    import sqlite3

    from reader.store.connection import APPLICATION_ID

    path = tmp_path / "v6.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    apply_migrations(conn, up_to=6)
    columns = {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
    text = "Angela Merkel met Emmanuel Macron in Berlin. Angela Merkel spoke."
    values = {"external_id": "x", "title": "t", "text": text, "raw_text": text, "content_hash": "h", "origin": "test"}
    values["imported_at"] = values["updated_at"] = "2026-01-01T00:00:00+00:00"
    for n in (1, 2):
        row = {k: (v + str(n) if k in ("external_id", "content_hash") else v) for k, v in values.items() if k in columns}
        conn.execute(f"INSERT INTO articles (id, {', '.join(row)}) VALUES ({n}, {', '.join('?' * len(row))})", list(row.values()))
    conn.execute("INSERT INTO entities (id, name, type, key, mention_count, article_count) VALUES (1, 'Angela Merkel', 'PERSON', 'angelamerkel', 3, 2)")
    conn.execute("INSERT INTO entities (id, name, type, key, mention_count, article_count) VALUES (2, 'Berlin', 'PLACE', 'city:berlin', 1, 1)")
    conn.executemany(
        "INSERT INTO mentions (article_id, start, end, entity_id, type) VALUES (?, ?, ?, ?, ?)",
        [(1, 0, 13, 1, "PERSON"), (1, 37, 43, 2, "PLACE"), (1, 45, 58, 1, "PERSON"), (2, 0, 13, 1, "PERSON")],
    )
    conn.close()
    with open_library(path) as library:
        assert library.schema_version >= 7
        assert [(s.start, s.end, s.type, s.entity_id, s.name) for s in library.entity_spans(1)] == [
            (0, 13, "PERSON", 1, "Angela Merkel"),
            (37, 43, "PLACE", 2, "Berlin"),
            (45, 58, "PERSON", 1, "Angela Merkel"),
        ]
        assert [(e.entity.name, e.count) for e in library.article_entities(1)] == [("Angela Merkel", 2), ("Berlin", 1)]
        assert library.articles_mentioning(1) == [1, 2]
        with library.transaction():
            library.delete_articles([1])
        merkel = library.get_entity(1)
        assert (merkel.mention_count, merkel.article_count) == (1, 1)


def test_v15_fuzzy_blocks_are_read_from_covering_indexes(tmp_path):
    """A v14 library's entities keep their fuzzy candidates (first of each block, by id) and the
    blocks are then read from the (block, id, key, type, name) indexes alone."""
    import sqlite3

    from reader.store.connection import APPLICATION_ID
    from reader.store.entities import FUZZY_CANDIDATES

    path = tmp_path / "v14.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    apply_migrations(conn, up_to=14)
    # more entities in the head block "byte" than are read; "bytedancelt" shares the tail block "celt"
    keys = [f"byte{n:03d}xyz" for n in range(FUZZY_CANDIDATES + 5)] + ["bytedancelt", "zzzzcelt"]
    for key in keys:
        conn.execute(
            "INSERT INTO entities (name, type, key, block_head, block_tail) VALUES (?, 'ORG', ?, ?, ?)", (key, key, key[:4], key[-4:])
        )
    conn.close()
    with open_library(path) as library:
        assert library.schema_version >= 15
        indexes = {r[0] for r in library.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entities'")}
        assert {"entities_by_head_covering", "entities_by_tail_covering"} <= indexes
        assert not {"entities_by_head", "entities_by_tail"} & indexes
        found = sorted({row for block in library.fuzzy_blocks("bytedancelt") for row in block.rows()})
        # "bytedancelt" is past the read part of its head block, and first of its tail block
        assert [key for _, key, _ in found] == keys[:FUZZY_CANDIDATES] + ["bytedancelt", "zzzzcelt"]
        assert [entity_id for entity_id, _, _ in found] == sorted(entity_id for entity_id, _, _ in found)
        plan = " ".join(r[3] for r in library.conn.execute("EXPLAIN QUERY PLAN SELECT id, key, type, name FROM entities WHERE block_head = ? LIMIT 5", ("byte",)))
        assert "COVERING INDEX entities_by_head_covering" in plan
