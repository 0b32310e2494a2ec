"""Build the derived indexes of a library from its stored articles.

A library made by an older ``reader`` keeps its articles through the schema upgrade, but the
indexes that later versions brought (entity mentions, the duplicate index, story-cluster
profiles) have never seen them: new imports would not be recognised as copies of old
articles nor join their stories. The upgrade notes which indexes are missing
(``reader.store.REINDEX_PENDING``); ``reindex`` builds them, in dependency order, and
crosses each off once it is complete, so an interrupted reindex resumes where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable

from reader.entities.linking import relink_library
from reader.similarity.clustering import recluster
from reader.similarity.duplicates import rebuild_duplicates
from reader.store import DERIVED_INDEXES, REINDEX_PENDING, Library

# Entities first (clustering reads them), then duplicates (clustering puts copies together).
BUILD_ORDER = ("entities", "duplicates", "clusters")
assert set(BUILD_ORDER) == set(DERIVED_INDEXES)

Progress = Callable[[str, int], None]


def pending_indexes(library: Library) -> list[str]:
    """The derived indexes this library still has to build, in build order."""
    value = library.get_meta(REINDEX_PENDING) or ""
    pending = set(value.split(","))
    return [name for name in BUILD_ORDER if name in pending]


def _mark_built(library: Library, name: str) -> None:
    remaining = [n for n in pending_indexes(library) if n != name]
    with library.transaction():
        library.set_meta(REINDEX_PENDING, ",".join(remaining))


def build_index(library: Library, name: str, on_progress: Callable[[int], None] | None = None) -> int:
    """Build one derived index over every stored article; returns how many it went through."""
    if name == "entities":
        return relink_library(library, on_progress=on_progress)
    if name == "duplicates":
        return rebuild_duplicates(library, on_progress=on_progress)
    if name == "clusters":
        return recluster(library, on_progress=on_progress).stories
    raise ValueError(f"unknown index {name!r}")


def reindex(library: Library, names: list[str] | None = None, *, on_progress: Progress | None = None) -> dict[str, int]:
    """Build the pending indexes (or the ones named); returns articles gone through per index."""
    done: dict[str, int] = {}
    for name in names if names is not None else pending_indexes(library):
        report = (lambda count, name=name: on_progress(name, count)) if on_progress else None
        done[name] = build_index(library, name, report)
        _mark_built(library, name)
    return done
