"""The library store: pragmas, versioning, migrations from the first version, refusals."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from reader.store import LibraryTooNew, NotALibrary, open_library
from reader.store.connection import APPLICATION_ID
from reader.store.migrations import all_migrations, latest_version
from tests_support import apply_migrations

V1_FIXTURE = Path(__file__).resolve().parent.parent / "data" / "library_v1.sqlite3"


def test_new_library_is_wal_with_foreign_keys_and_latest_schema(library):
    assert library.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert library.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert library.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert library.schema_version == latest_version() >= 1
    assert library.created


def test_reopening_does_not_recreate(library_path):
    open_library(library_path).close()
    again = open_library(library_path)
    assert not again.created
    again.close()


def test_migrations_are_ordered_and_start_at_one():
    versions = [m.version for m in all_migrations()]
    assert versions[0] == 1
    assert versions == sorted(set(versions))


def _copy_v1(tmp_path: Path) -> Path:
    target = tmp_path / "old.sqlite3"
    shutil.copy(V1_FIXTURE, target)
    return target


def test_v1_fixture_is_really_version_1():
    conn = sqlite3.connect(V1_FIXTURE)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()


def test_migrating_a_v1_library_keeps_articles_and_reading_state_and_takes_a_backup(tmp_path):
    path = _copy_v1(tmp_path)
    library = open_library(path)
    try:
        assert library.schema_version == latest_version()
        articles = list(library.iter_articles())
        assert [a.external_id for a in articles] == [
            "sample/000_9dd72cae0654412e.txt",
            "sample/001_3f7b207e56d880eb.txt",
            "sample/002_8268a96aead7f407.txt",
            "sample/003_6a1b31ed2248d2f4.txt",
            "sample/004_092449573fc0f0ef.txt",
        ]
        assert [a.read for a in articles] == [True, False, False, False, False]
        assert [a.starred for a in articles] == [False, False, False, True, False]
        assert library.get_cluster(articles[1].cluster_id).starred
        full = library.get_article(articles[2].id)
        assert full.text.startswith("Passer au contenu") and full.lang == "fr"
        assert library.search("Oracle")  # full-text index still answers
        if latest_version() > 1:
            assert library.backup is not None and library.backup.exists()
            backup = sqlite3.connect(library.backup)
            assert backup.execute("PRAGMA user_version").fetchone()[0] == 1
            assert backup.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 5
            backup.close()
    finally:
        library.close()


@pytest.mark.parametrize("step", [m.version for m in all_migrations()][1:] or [None])
def test_each_migration_step_from_v1_keeps_data(tmp_path, step):
    """Apply migrations one at a time from the v1 file, checking integrity at every version."""
    if step is None:
        pytest.skip("only one schema version so far")
    path = _copy_v1(tmp_path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    apply_migrations(conn, above=1, up_to=step)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 5
    conn.close()


def test_library_from_a_newer_version_is_refused_and_not_modified(tmp_path):
    path = _copy_v1(tmp_path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(LibraryTooNew, match="newer reader"):
        open_library(path)
    assert path.read_bytes() == before


def test_a_foreign_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE x (y)")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    with pytest.raises(NotALibrary):
        open_library(path)


def test_a_non_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("just some text, not a database\n" * 100)
    with pytest.raises(NotALibrary):
        open_library(path)


def test_rolled_back_transaction_leaves_nothing(sample_library):
    before = sample_library.article_count()
    with pytest.raises(RuntimeError):
        with sample_library.transaction():
            sample_library.delete_sample_articles()
            raise RuntimeError("boom")
    assert sample_library.article_count() == before


def test_cluster_listing_uses_keyset_pages_without_gaps_or_repeats(sample_library):
    library = sample_library
    seen = []
    after = None
    while True:
        page = library.list_clusters(sort="size", after=after, limit=2)
        if not page:
            break
        seen.extend(c.id for c in page)
        after = library.cluster_sort_key(page[-1], "size")
    assert sorted(seen) == sorted(c.id for c in library.list_clusters(limit=1000))
    assert len(seen) == len(set(seen)) == library.cluster_count()


def test_fewer_checkpoints_raises_the_checkpoint_interval_for_the_block_only(library):
    from reader.store.articles import IMPORT_CHECKPOINT_PAGES

    def interval() -> int:
        return library.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]

    before = interval()
    with library.fewer_checkpoints():
        assert interval() == IMPORT_CHECKPOINT_PAGES
    assert interval() == before
    with pytest.raises(RuntimeError), library.fewer_checkpoints():
        raise RuntimeError("an import that fails")
    assert interval() == before
