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
    blocks are then read from the (block, id, key, type[, name]) indexes alone."""
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
        # what the blocks read (since m017 the name is not in these indexes)
        plan = " ".join(r[3] for r in library.conn.execute("EXPLAIN QUERY PLAN SELECT id, key, type FROM entities WHERE block_head = ? LIMIT 5", ("byte",)))
        assert "COVERING INDEX entities_by_head_covering" in plan


def test_v17_own_key_aliases_lose_their_key_and_look_ups_find_the_same_entities(tmp_path):
    """A v16 library: the aliases whose key is their entity's own key are stored without it
    (m017), the other rows and every count stay, and look-ups by alias key, ``find_entities``,
    merges and the alias lists answer as before; the entity indexes are the narrower ones."""
    import sqlite3

    from reader.store.connection import APPLICATION_ID

    path = tmp_path / "v16.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    apply_migrations(conn, up_to=16)
    entities = [
        (1, "Donald Trump", "PERSON", "donaldtrump"),
        (2, "Trump", "ORG", "trump"),  # a surname-only entity: its own key is another's surname alias
        (3, "ByteDance", "ORG", "bytedance"),
        (4, "United States", "PLACE", "country:us"),
        (5, "Quintars", "ORG", "quintars"),
    ]
    for entity_id, name, kind, key in entities:
        conn.execute(
            "INSERT INTO entities (id, name, type, key, block_head, block_tail) VALUES (?, ?, ?, ?, ?, ?)",
            (entity_id, name, kind, key, key[:4], key[-4:]),
        )
    aliases = [
        (1, "Donald Trump", "donaldtrump", "name", 4),
        (1, "President Trump", "presidenttrump", "name", 1),
        (1, "Trump", "trump", "surname", 0),
        (2, "Trump", "trump", "name", 2),
        (2, "Trump", "trump", "surname", 0),  # only name aliases lose their key
        (3, "ByteDance", "bytedance", "name", 3),
        (3, "Byte Dance", "bytedance", "name", 1),
        (3, "Bytedance Ltd", "bytedanceltd", "name", 1),
        (4, "États-Unis", "etatsunis", "name", 2),
        (4, "US", "us", "name", 5),
        (5, "Quintars", "quintars", "name", 3),
        (5, "Quintar", "quintar", "name", 1),
    ]
    conn.executemany("INSERT INTO entity_aliases (entity_id, name, alias_key, kind, count) VALUES (?, ?, ?, ?, ?)", aliases)
    conn.close()

    keys = ["donaldtrump", "trump", "bytedance", "bytedanceltd", "etatsunis", "us", "quintar", "quintars", "country:us", "nobody"]
    with open_library(path) as library:
        assert library.schema_version >= 17
        stored = library.conn.execute("SELECT entity_id, name, alias_key, kind, count FROM entity_aliases ORDER BY entity_id, kind, name")
        own = {e[0]: e[3] for e in entities}
        expected_rows = [(i, n, None if k == own[i] and kind == "name" else k, kind, c) for i, n, k, kind, c in aliases]
        assert list(map(tuple, stored)) == sorted(expected_rows, key=lambda row: (row[0], row[3], row[1]))  # primary-key order
        # every key finds the entities that have an alias folding to it, own key or not
        for kind in ("name", "surname"):
            expected = {}
            for entity_id, _, key, alias_kind, _ in aliases:
                if alias_kind == kind and key in keys:
                    expected.setdefault(key, set()).add(entity_id)
            found = library.entities_by_alias_keys(keys, kind=kind)
            assert {key: [ref.id for ref in refs] for key, refs in found.items()} == {k: sorted(v) for k, v in expected.items()}
            capped = library.entities_by_alias_keys(keys, kind=kind, per_key=1)
            assert {key: [ref.id for ref in refs] for key, refs in capped.items()} == {k: [min(v)] for k, v in expected.items()}
        assert [e.id for e in library.entities_by_alias("trump")] == [2]
        assert [e.id for e in library.entities_by_alias("trump", kind="surname")] == [1, 2]
        assert [e.id for e in library.find_entities("Byte Dance")] == [3]
        assert [e.id for e in library.find_entities("United States")] == [4]  # the gazetteer's name, not an alias
        assert [e.id for e in library.find_entities("Trump")] == [1, 2]  # a surname alias counts too
        assert library.get_entity(3).aliases == ("ByteDance", "Byte Dance", "Bytedance Ltd")
        assert library.get_entity(4).aliases == ("US", "États-Unis")

        with library.transaction():
            library.merge_entity(2, 1)  # "Trump" alone was Donald Trump
        assert library.get_entity(1).aliases == ("Donald Trump", "Trump", "President Trump")
        assert [e.id for e in library.entities_by_alias("trump")] == [1]  # the merged entity's key is now an alias key
        assert [e.id for e in library.find_entities("Trump")] == [1]

        indexes = {r[0] for r in library.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert "entities_by_name" not in indexes
        for sql, params, index in (
            ("SELECT entity_id FROM entity_aliases WHERE alias_key = ? AND kind = ?", ("trump", "name"), "entity_aliases_by_key"),
            ("SELECT entity_id FROM entity_aliases WHERE alias_key IN (?, ?) AND kind = ?", ("a", "b", "name"), "entity_aliases_by_key"),
            ("SELECT id, key, type FROM entities WHERE block_tail = ? LIMIT 50", ("ance",), "COVERING INDEX entities_by_tail_covering"),
        ):
            plan = " ".join(r[3] for r in library.conn.execute("EXPLAIN QUERY PLAN " + sql, params))
            assert index in plan, (sql, plan)
        assert library.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
