"""The import pipeline: idempotence, updates keep ids, interruptions keep the store consistent."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.pipeline import BATCHES_PER_COMMIT, import_inputs
from reader.store import open_library
from tests_support import HALF_WRITTEN_SQL, write_articles


def test_reimporting_the_same_files_is_a_no_op(library, tmp_path):
    write_articles(tmp_path / "in", 12)
    first = import_inputs(library, [str(tmp_path / "in")], workers=1)
    assert (first.imported, first.skipped) == (12, 0)
    again = import_inputs(library, [str(tmp_path / "in")], workers=1)
    assert (again.imported, again.updated, again.skipped) == (0, 0, 12)
    assert library.article_count() == 12


def test_a_changed_version_updates_in_place_and_keeps_the_id(library, tmp_path):
    doc = tmp_path / "story.txt"
    doc.write_text("Headline\n\nFirst version of the text.\n", encoding="utf-8")
    import_inputs(library, [str(doc)], workers=1)
    (article,) = list(library.iter_articles())
    doc.write_text("Headline\n\nSecond, corrected version of the text.\n", encoding="utf-8")
    report = import_inputs(library, [str(doc)], workers=1)
    assert (report.imported, report.updated) == (0, 1)
    updated = library.get_article(article.id)
    assert "corrected" in updated.text and library.article_count() == 1


def test_the_same_text_by_another_path_is_recognised(library, tmp_path):
    write_articles(tmp_path / "in", 3)
    import_inputs(library, [str(tmp_path / "in")], workers=1)
    report = import_inputs(library, [str((tmp_path / "in").resolve()) + "/"], workers=1)
    assert report.skipped == 3 and library.article_count() == 3


def test_the_worker_pool_gives_the_same_result_as_in_process(tmp_path):
    write_articles(tmp_path / "in", 260)
    results = []
    for workers in (1, 2):
        lib = open_library(tmp_path / f"lib{workers}.sqlite3")
        report = import_inputs(lib, [str(tmp_path / "in")], workers=workers)
        results.append((report.imported, [(a.external_id, a.lang) for a in lib.iter_articles()]))
        lib.close()
    assert results[0] == results[1] and results[0][0] == 260


def test_a_chunk_analyser_that_fails_on_one_article_fails_only_that_one(library, tmp_path, monkeypatch):
    from reader import pipeline

    def fussy(chunk):
        if any(prepared.raw.external_id.endswith("a00003.txt") for prepared in chunk):
            raise ValueError("no")
        return chunk

    monkeypatch.setattr(pipeline, "CHUNK_ANALYZERS", [*pipeline.CHUNK_ANALYZERS, fussy])
    write_articles(tmp_path / "in", 6)
    report = import_inputs(library, [str(tmp_path / "in")], workers=1)
    assert (report.imported, report.failed) == (5, 1)
    assert "a00003" in str(report.problems[0]) and "ValueError: no" in str(report.problems[0])
    assert sorted(Path(a.external_id).name for a in library.iter_articles()) == [f"a0000{i}.txt" for i in (0, 1, 2, 4, 5)]


def test_an_interrupted_import_keeps_whole_transactions_and_finishes_on_rerun(library, tmp_path):
    write_articles(tmp_path / "in", 40)
    committed = BATCHES_PER_COMMIT * 10  # the first transaction's batches

    def interrupt_in_the_second_transaction(done: int) -> None:
        if done > committed:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_inputs(library, [str(tmp_path / "in")], workers=1, batch_size=10, on_progress=interrupt_in_the_second_transaction)
    assert library.article_count() == committed  # the open transaction was rolled back, nothing half-written
    report = import_inputs(library, [str(tmp_path / "in")], workers=1, batch_size=10)
    assert (report.imported, report.skipped) == (40 - committed, committed)
    assert library.article_count() == 40


def test_batches_sharing_a_commit_are_stored_as_with_a_commit_each(tmp_path, monkeypatch, seeds_dir):
    from reader import pipeline

    write_articles(tmp_path / "in", 30)
    outcomes = []
    for batches_per_commit in (1, 3):
        monkeypatch.setattr(pipeline, "BATCHES_PER_COMMIT", batches_per_commit)
        lib = open_library(tmp_path / f"lib{batches_per_commit}.sqlite3")
        report = import_inputs(lib, [str(tmp_path / "in"), str(seeds_dir)], workers=1, batch_size=4)
        articles = list(lib.iter_articles())
        pairs = lib.duplicate_pairs_among(a.id for a in articles)
        outcomes.append((report, [(a.external_id, a.cluster_id) for a in articles], pairs))
        lib.close()
    assert outcomes[0][0].imported == 35 and len(outcomes[0][2]) > 0
    assert outcomes[0] == outcomes[1]


def _integrity(path: Path) -> tuple[str, int, int]:
    conn = sqlite3.connect(path)
    try:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles'").fetchone():
            return check, 0, 0  # killed before the first schema version landed: an empty library
        articles = conn.execute("SELECT COUNT(*) FROM articles WHERE parent_id IS NULL").fetchone()[0]
        half = conn.execute(HALF_WRITTEN_SQL).fetchone()[0]
        fts = conn.execute("SELECT COUNT(*) FROM articles_fts").fetchone()[0]
        total = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        assert fts == total, "full-text index out of step with articles"
        return check, articles, half
    finally:
        conn.close()


@pytest.mark.parametrize("seed", range(3))
def test_kill_9_during_import_leaves_a_consistent_store_and_rerun_completes(tmp_path, seed):
    folder = tmp_path / "in"
    write_articles(folder, 1500)
    lib = tmp_path / "lib.sqlite3"
    command = [sys.executable, "-m", "reader", "--library", str(lib), "import", "--quiet", "--workers", "2", str(folder)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    # wait until the library file exists, then kill at a random moment of the import
    while not lib.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    time.sleep(random.Random(seed).uniform(0.2, 1.5))
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    check, count, half = _integrity(lib)
    assert check == "ok" and half == 0 and 0 <= count <= 1500
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    check, count, half = _integrity(lib)
    assert (check, count, half) == ("ok", 1500, 0)


def test_the_import_restores_the_garbage_collector_settings(library, tmp_path):
    import gc

    from reader.pipeline import import_inputs

    (tmp_path / "a.txt").write_text("A title\n\nSome text about the harbour reopening on Monday.")
    thresholds = gc.get_threshold()
    gc.freeze()  # as the app does at start-up
    try:
        import_inputs(library, [str(tmp_path)])
        assert gc.get_threshold() == thresholds
        assert gc.get_freeze_count() > 0  # what the app froze stays frozen
    finally:
        gc.unfreeze()
