"""A library upgraded from the first schema gets the indexes later versions brought: entities,
duplicates and story clusters are built from its stored articles (by ``reader reindex``, or
first thing at the next ``reader import``), and a fresh library has nothing to build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from reader.cli import main
from reader.reindex import pending_indexes
from reader.store import open_library

V1_FIXTURE = Path(__file__).resolve().parent / "data" / "library_v1.sqlite3"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def upgraded_v1(tmp_path: Path) -> Path:
    path = tmp_path / "old.sqlite3"
    shutil.copy(V1_FIXTURE, path)
    return path


def test_an_upgrade_from_v1_lists_every_derived_index_as_pending(tmp_path):
    with open_library(upgraded_v1(tmp_path)) as library:
        assert library.backup is not None
        assert pending_indexes(library) == ["entities", "duplicates", "clusters"]


def test_other_commands_say_what_is_pending_and_reindex_builds_it(capsys, tmp_path):
    path = upgraded_v1(tmp_path)
    code, out, err = run(capsys, "--library", str(path), "stats", "--json")
    assert code == 0 and "reader reindex" in err
    code, out, err = run(capsys, "--library", str(path), "reindex", "--json")
    assert code == 0
    assert json.loads(out) == {"entities": 5, "duplicates": 5, "clusters": 5}
    code, out, err = run(capsys, "--library", str(path), "stats", "--json")
    assert "reindex" not in err
    # what the indexes give: entities, the seed that is the start of another is inside it,
    # and the five TikTok articles (the French one too) share one story cluster
    code, out, _ = run(capsys, "--library", str(path), "entities", "--json")
    names = {entity["name"] for entity in json.loads(out)}
    assert {"TikTok", "Oracle"} <= names
    code, out, _ = run(capsys, "--library", str(path), "duplicates", "--json")
    pairs = json.loads(out)
    assert any(p["relation"] == "contained" and p["a"]["external_id"].startswith("sample/001") for p in pairs), pairs
    code, out, _ = run(capsys, "--library", str(path), "clusters", "--json")
    sizes = sorted(len(c["articles"]) for c in json.loads(out))
    assert sizes[-1] == 5
    code, out, err = run(capsys, "--library", str(path), "reindex")
    assert code == 0 and "up to date" in err


def test_import_into_an_upgraded_library_indexes_the_old_articles_first(capsys, tmp_path):
    path = upgraded_v1(tmp_path)
    copy = tmp_path / "copy.txt"  # the seed that is a near-copy of another, under a new name
    copy.write_text((SEEDS / sorted(p.name for p in SEEDS.glob("001*"))[0]).read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run(capsys, "--library", str(path), "import", "--json", str(copy))
    assert code == 0 and "building the entities, duplicates, clusters indexes" in err
    with open_library(path) as library:
        assert pending_indexes(library) == []
        new = library.find_article(str(copy))
        assert new is not None
        related = library.duplicates_of(new.id)
        assert related, "the new copy must be related to the stored articles it copies"


def test_a_new_library_has_nothing_to_build(library):
    assert pending_indexes(library) == []
