"""Shared fixtures: temporary libraries, the bundled sample, the dev corpora (skipped when absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.store import Library, open_library

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
TEST_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def _session_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache dir for the whole run: what is cached there (language profiles) is rebuilt freely."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, _session_cache_dir: Path) -> None:
    """Never touch the user's real library, config or cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(_session_cache_dir))
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("READER_LIBRARY", str(home / "library.sqlite3"))
    monkeypatch.setenv("READER_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))


@pytest.fixture
def library_path(tmp_path: Path) -> Path:
    return tmp_path / "library.sqlite3"


@pytest.fixture
def library(library_path: Path) -> Library:
    lib = open_library(library_path)
    yield lib
    lib.close()


@pytest.fixture
def sample_library(library: Library) -> Library:
    """A library holding the bundled sample, imported through the real pipeline."""
    from reader.sample import add_sample

    add_sample(library)
    return library


@pytest.fixture
def corpora() -> Path:
    if not CORPORA.is_dir():
        pytest.skip("../shared/corpora is not here (a fresh clone does not have it)")
    return CORPORA


@pytest.fixture
def seeds_dir() -> Path:
    from reader.resources import seeds_dir as bundled

    return Path(str(bundled()))
