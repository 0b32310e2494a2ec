"""kill -9 at random points, 20 times each: during an import, and while annotations are written.

After every kill: PRAGMA integrity_check is ok, no article is half-written, the full-text
index matches the articles, every annotation reported as committed is there, and running
the work again completes it.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tests_support import HALF_WRITTEN_SQL, write_articles

KILLS = 20


def check_library(path: Path) -> int:
    """Return the number of pages stored, asserting the store is consistent."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles'").fetchone() is None:
            return 0  # killed before the first schema version was committed: an empty library
        half_written = conn.execute(HALF_WRITTEN_SQL).fetchone()[0]
        assert half_written == 0
        assert conn.execute("SELECT COUNT(*) FROM articles_fts").fetchone()[0] == conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        return conn.execute("SELECT COUNT(*) FROM articles WHERE parent_id IS NULL").fetchone()[0]
    finally:
        conn.close()


def kill_after(proc: subprocess.Popen, seconds: float) -> None:
    time.sleep(seconds)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def test_import_survives_20_kills_and_completes(tmp_path):
    folder = tmp_path / "in"
    write_articles(folder, 2000)
    lib = tmp_path / "lib.sqlite3"
    command = [sys.executable, "-m", "reader", "--library", str(lib), "import", "--quiet", "--workers", "2", "--batch-size", "50", str(folder)]
    rng = random.Random(2026)
    survived = 0
    counts = []
    for _ in range(KILLS):
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        kill_after(proc, rng.uniform(0.5, 4.0))
        counts.append(check_library(lib) if lib.exists() else 0)
        survived += 1
    assert counts == sorted(counts), "a kill lost committed articles"
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert check_library(lib) == 2000
    print(f"import: survived {survived} kill -9 points; pages after each kill: {counts}")


WRITER = textwrap.dedent(
    """
    import sys
    from reader.store import open_library
    library = open_library(sys.argv[1])
    article = next(library.iter_articles(limit=1))
    text = library.get_article(article.id).text
    i = 0
    while True:
        start = (i * 37) % max(1, len(text) - 40)
        made = library.create_annotation(article.id, start, start + 30, note=f"note {i}", tags=["t"])
        print(made.id, flush=True)  # reported only after the commit
        i += 1
    """
)


def test_annotations_survive_20_kills(tmp_path):
    lib = tmp_path / "lib.sqlite3"
    assert subprocess.run([sys.executable, "-m", "reader", "--library", str(lib), "stats"], capture_output=True).returncode == 0
    rng = random.Random(7)
    reported: list[int] = []
    for _ in range(KILLS):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(lib)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True
        )
        time.sleep(rng.uniform(0.8, 2.0))
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        reported.extend(int(line) for line in out.split() if line.isdigit())
        check_library(lib)
        conn = sqlite3.connect(lib)
        stored = {row[0] for row in conn.execute("SELECT id FROM annotations")}
        tagged = {row[0] for row in conn.execute("SELECT annotation_id FROM annotation_tags")}
        conn.close()
        missing = set(reported) - stored
        assert not missing, f"committed annotations lost: {sorted(missing)[:5]}"
        assert stored <= tagged | set(), "an annotation was stored without its tags"
    assert len(reported) > KILLS
    print(f"annotations: survived {KILLS} kill -9 points; {len(reported)} reported annotations all present")
