"""Seeds as the plain-text importer reads them: (title, raw text, clean text)."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from reader.ingest.plaintext import split_title
from reader.text.cleaning import clean_text


class Seed(NamedTuple):
    name: str
    title: str
    raw: str
    clean: str


def load_seed(seeds_dir: Path, prefix: str) -> Seed:
    (path,) = sorted(seeds_dir.glob(f"{prefix}_*.txt"))
    title, raw = split_title(path.read_text(encoding="utf-8"))
    return Seed(path.name, title, raw, clean_text(raw, title=title))


@pytest.fixture
def seed(seeds_dir: Path):
    return lambda prefix: load_seed(seeds_dir, prefix)


@pytest.fixture
def all_seeds(seeds_dir: Path) -> list[Seed]:
    return [load_seed(seeds_dir, path.name[:3]) for path in sorted(seeds_dir.glob("*.txt"))]
