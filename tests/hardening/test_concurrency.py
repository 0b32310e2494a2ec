"""Two reader processes on one library: one importing, one reading and annotating.

Neither may show "database is locked", and no write may be lost.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from tests_support import write_articles


def reader(lib: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "reader", "--library", str(lib), *args], capture_output=True, text=True, timeout=300, **kwargs
    )


def test_importing_while_another_process_reads_and_annotates(tmp_path):
    lib = tmp_path / "lib.sqlite3"
    assert reader(lib, "stats").returncode == 0  # creates the library with the sample
    sample_id = json.loads(reader(lib, "list", "--json", "--limit", "1").stdout)[0]["id"]
    write_articles(tmp_path / "in", 1500)
    importer = subprocess.Popen(
        [sys.executable, "-m", "reader", "--library", str(lib), "import", "--quiet", "--workers", "2", str(tmp_path / "in")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    notes = 0
    errors: list[str] = []
    try:
        while importer.poll() is None or notes < 10:
            for result in (
                reader(lib, "annotate", str(sample_id), "--quote", "Oracle", "--occurrence", "1", "--note", f"note {notes}"),
                reader(lib, "list", "--json", "--limit", "3"),
                reader(lib, "search", "oracle", "--json"),
            ):
                if result.returncode != 0 or "locked" in result.stderr.lower():
                    errors.append(result.stderr.strip())
            notes += 1
            if notes > 200:
                break
    finally:
        out, err = importer.communicate(timeout=300)
    assert importer.returncode == 0 and "locked" not in err.lower(), err
    assert errors == []
    annotations = json.loads(reader(lib, "annotations", "--json").stdout)
    assert sorted(a["note"] for a in annotations) == sorted(f"note {i}" for i in range(notes))
    stats = json.loads(reader(lib, "stats", "--json").stdout)
    assert stats["articles"] == 1505
    conn_check = subprocess.run(
        [sys.executable, "-c", f"import sqlite3; print(sqlite3.connect({str(lib)!r}).execute('PRAGMA integrity_check').fetchone()[0])"],
        capture_output=True,
        text=True,
    )
    assert conn_check.stdout.strip() == "ok"
