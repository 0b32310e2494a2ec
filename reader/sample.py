"""The bundled sample: five real articles about one story, added to a new library."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from reader.config import Limits
from reader.ingest import read_source
from reader.ingest.base import Source
from reader.model import ImportReport, IngestProblem, RawArticle
from reader.pipeline import import_records
from reader.resources import seed_files
from reader.store import Library

SAMPLE_PREFIX = "sample/"


def sample_records(limits: Limits | None = None) -> Iterator[RawArticle | IngestProblem]:
    limits = limits or Limits()
    for seed in seed_files():
        yield from read_source(Source(origin=SAMPLE_PREFIX + seed.name, path=Path(str(seed))), limits)


def add_sample(library: Library) -> ImportReport:
    """Import the bundled seeds, marked as the sample."""
    return import_records(library, sample_records(), is_sample=True, workers=1)


def remove_sample(library: Library) -> int:
    """Delete the sample articles (and their sections); returns how many pages were removed."""
    with library.transaction():
        return library.delete_sample_articles()
