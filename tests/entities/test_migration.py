"""A library from before entities (schema v1, a checked-in file) gains them: schema, then relinking."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from reader.cli import main
from reader.store import open_library

V1_FIXTURE = Path(__file__).resolve().parent.parent / "data" / "library_v1.sqlite3"


def test_a_v1_library_is_migrated_and_relinked(tmp_path, capsys):
    path = tmp_path / "old.sqlite3"
    shutil.copy(V1_FIXTURE, path)
    with open_library(path) as library:
        assert library.schema_version >= 4
        tables = {r[0] for r in library.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"entities", "entity_aliases", "mentions"} <= tables
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
