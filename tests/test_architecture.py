"""The domain never imports Textual: only reader/tui/ does (the CLI and scripts stay light)."""

from __future__ import annotations

import subprocess
import sys

DOMAIN_MODULES = [
    "reader.model",
    "reader.config",
    "reader.ingest",
    "reader.text.cleaning",
    "reader.text.language",
    "reader.text.dates",
    "reader.entities",
    "reader.similarity",
    "reader.similarity.duplicates",
    "reader.similarity.clustering",
    "reader.diffing",
    "reader.store",
    "reader.annotations",
    "reader.pipeline",
    "reader.cli",
]


def test_domain_modules_do_not_import_textual():
    code = "import sys\n" + "".join(f"import {m}\n" for m in DOMAIN_MODULES) + "print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
