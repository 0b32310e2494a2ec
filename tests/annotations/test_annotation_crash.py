"""kill -9 while annotating: every annotation reported as made is there afterwards, intact."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from reader.store import open_library

DRIVER = """
import sys
from reader.cli import main

library, article = sys.argv[1], sys.argv[2]
i = 0
while True:
    # the same code path as `reader annotate ... --json`; it prints only after the commit
    main(["--library", library, "annotate", article, "--quote", "Oracle", "--occurrence", str(i % 5 + 1),
          "--note", f"note {i}", "--tag", f"t{i % 3}", "--json"])
    sys.stdout.flush()
    i += 1
"""


def test_annotate_as_a_separate_process_then_kill_9_mid_loop(tmp_path: Path):
    path = tmp_path / "lib.sqlite3"
    env = dict(os.environ, READER_LIBRARY=str(path))
    # one real `reader annotate` process (it also creates the library with the sample)
    first = subprocess.run(
        [sys.executable, "-m", "reader", "annotate", "1", "--quote", "Oracle caught the eye.", "--json"],
        capture_output=True, text=True, env=env, check=True,
    )
    reported = [json.loads(first.stdout)]
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    for kill_after in (3, 8, 13):  # three crashes, at different points of the loop
        proc = subprocess.Popen(
            [sys.executable, str(driver), str(path), "1"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, env=env,
        )
        assert proc.stdout is not None
        for _ in range(kill_after):
            line = proc.stdout.readline()
            assert line, "the driver stopped before it was killed"
            reported.append(json.loads(line))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert proc.returncode == -signal.SIGKILL

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with open_library(path) as library:
        text = library.get_article(1).text
        stored = {a.id: a for a in library.iter_annotations()}
        for made in reported:
            kept = stored[made["id"]]
            assert (kept.exact, kept.note, list(kept.tags), kept.state) == (
                made["exact"], made["note"], made["tags"], "anchored"
            )
            assert text[kept.start : kept.end] == kept.exact
        # at most one more than reported per crash: committed just before the kill, not yet printed
        assert len(reported) <= len(stored) <= len(reported) + 3
        assert all(text[a.start : a.end] == a.exact for a in stored.values())
