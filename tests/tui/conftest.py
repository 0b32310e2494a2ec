"""Fixtures for the reading app's tests: libraries with a known story layout.

``story_library`` writes articles and clusters straight through the store API, so the
tests of the app do not depend on how the clustering stage groups things this week;
the snapshot and end-to-end tests use the real sample through the real pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pytest

from reader.model import PreparedArticle, RawArticle
from reader.store import Library, open_library
from reader.text.normalize import content_hash


@dataclass
class StoryLibrary:
    path: Path
    ids: dict[str, int] = field(default_factory=dict)  # article name -> id
    clusters: dict[str, int] = field(default_factory=dict)  # story name -> cluster id

    def open(self) -> Library:
        return open_library(self.path)


def prepared(name: str, text: str, *, title: str, lang: str, source: str, date: str, raw_text: str | None = None) -> PreparedArticle:
    raw = RawArticle(external_id=name, title=title, text=raw_text if raw_text is not None else text, origin="test",
                     url=f"https://example.org/{name}", date=date, lang=lang, source=source)
    return PreparedArticle(raw=raw, text=text, content_hash=content_hash(text), lang=lang, lang_prob=None,
                           date=date, date_origin="metadata")


def write_stories(path: Path, stories: dict[str, list[PreparedArticle]]) -> StoryLibrary:
    out = StoryLibrary(path)
    library = open_library(path)
    try:
        with library.transaction():
            for story, articles in stories.items():
                results = library.upsert_articles(articles)
                cluster_id = library.create_cluster(story)
                library.set_cluster_of([r.article_id for r in results], cluster_id)
                library.refresh_cluster_stats([cluster_id])
                out.clusters[story] = cluster_id
                for article, result in zip(articles, results):
                    out.ids[article.raw.external_id] = result.article_id
    finally:
        library.close()
    return out


UNTRUSTED = (
    "Plain words first. [bold red]not bold[/] and [link=https://evil.example]not a link[/link].\n\n"
    "Colour \x1b[31mred\x1b[0m and a title \x1b]0;pwned\x07 and a clipboard \x1b]52;c;SGVsbG8=\x07 write.\n\n"
    "Bell\x07 and backspace\x08 and a C1 \x9b31m control."
)


@pytest.fixture
def story_library(tmp_path: Path, seeds_dir: Path) -> StoryLibrary:
    """Four stories: Oracle (3 articles: en, fr, an exact en copy), ByteDance, TikTok partner, untrusted."""
    seeds = {p.name[:3]: p.read_text(encoding="utf-8") for p in seeds_dir.iterdir()}

    def body(seed: str) -> str:
        return seeds[seed].split("\n", 1)[1].strip()

    stories = {
        "Oracle wins the TikTok partnership": [
            prepared("en-1", body("001"), title="TikTok: Oracle has surpassed the Microsoft pole", lang="en", source="Wire", date="2020-09-14"),
            prepared("fr-1", body("002"), title="TikTok : Microsoft hors-jeu, Oracle en passe de conclure un partenariat",
                     lang="fr", source="Journal", date="2020-09-15"),
            prepared("en-copy", body("001"), title="TikTok: Oracle has surpassed the Microsoft pole", lang="en", source="Copy News",
                     date="2020-09-16"),
        ],
        "ByteDance and Oracle cooperate": [
            prepared("en-2", body("004"), title="ByteDance announces a cooperation agreement with Oracle", lang="en", source="Tech Daily",
                     date="2020-09-13"),
        ],
        "TikTok chooses Oracle": [
            prepared("en-3", body("003"), title="TikTok Chooses Oracle To Be US Partner", lang="en", source="App News", date="2020-09-12"),
        ],
        "Untrusted [b]markup[/b]": [
            prepared("evil", "Plain words first. [bold red]not bold[/] and [link=https://evil.example]not a link[/link].\n\n"
                     "Colour [31mred[0m here.", raw_text=UNTRUSTED, title="Evil \x1b[2J title [i]x[/i]", lang="en", source="Evil",
                     date="2020-09-01"),
        ],
    }
    return write_stories(tmp_path / "stories.sqlite3", stories)


ENTITY_NAMES = {"Oracle": ("ORG", 1), "Microsoft": ("ORG", 2), "TikTok": ("ORG", 3), "ByteDance": ("ORG", 4),
                "Donald Trump": ("PERSON", 5), "United States": ("PLACE", 6)}


@pytest.fixture
def fake_entities(monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[str, int]]:
    """Entity methods computed from the text, so tests know exactly what is highlighted."""
    import re

    def spans(self: Library, article_id: int):
        article = self.get_article(article_id)
        out = []
        for name, (kind, entity_id) in ENTITY_NAMES.items():
            for m in re.finditer(re.escape(name), article.text or ""):
                out.append(SimpleNamespace(start=m.start(), end=m.end(), type=kind, entity_id=entity_id, name=name))
        return sorted(out, key=lambda s: s.start)

    def article_entities(self: Library, article_id: int):
        counts: dict[int, list] = {}
        for s in spans(self, article_id):
            counts.setdefault(s.entity_id, [s, 0])[1] += 1
        return [SimpleNamespace(entity=SimpleNamespace(id=k, name=v[0].name, type=v[0].type), count=v[1]) for k, v in counts.items()]

    def cluster_entities(self: Library, cluster_id: int, limit: int = 20):
        totals: dict[int, list] = {}
        for article in self.cluster_articles(cluster_id):
            for e in article_entities(self, article.id):
                totals.setdefault(e.entity.id, [e.entity, 0])[1] += 1
        return [SimpleNamespace(entity=v[0], count=v[1]) for v in totals.values()][:limit]

    def clusters_mentioning(self: Library, entity_id: int, *, limit: int = 100):
        name = next(n for n, (_, i) in ENTITY_NAMES.items() if i == entity_id)
        found = {}
        for article in self.iter_articles():
            full = self.get_article(article.id)
            if full.cluster_id is not None and name in (full.text or ""):
                found[full.cluster_id] = found.get(full.cluster_id, 0) + 1
        return sorted(found.items())[:limit]

    monkeypatch.setattr(Library, "entity_spans", spans, raising=False)
    monkeypatch.setattr(Library, "article_entities", article_entities, raising=False)
    monkeypatch.setattr(Library, "cluster_entities", cluster_entities, raising=False)
    monkeypatch.setattr(Library, "clusters_mentioning", clusters_mentioning, raising=False)
    return ENTITY_NAMES


@pytest.fixture
def fake_duplicates(monkeypatch: pytest.MonkeyPatch, story_library: StoryLibrary) -> StoryLibrary:
    """en-1 and en-copy are exact copies; fr-1 is a near copy (translation counts as near here)."""
    ids = story_library.ids
    links = {
        ids["en-1"]: [SimpleNamespace(other_id=ids["en-copy"], kind="exact"), SimpleNamespace(other_id=ids["fr-1"], kind="containment")],
        ids["en-copy"]: [SimpleNamespace(other_id=ids["en-1"], kind="exact")],
        ids["fr-1"]: [SimpleNamespace(other_id=ids["en-1"], kind="containment")],
    }

    def duplicates_of(self: Library, article_id: int):
        return links.get(article_id, [])

    def closest_duplicate(self: Library, article_id: int):
        found = links.get(article_id)
        return found[0].other_id if found else None

    monkeypatch.setattr(Library, "duplicates_of", duplicates_of, raising=False)
    monkeypatch.setattr(Library, "closest_duplicate", closest_duplicate, raising=False)
    return story_library


class StoryWriter:
    """Write small libraries for a test: ``stories.write({"story": [stories.prepared(...)]})``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    @staticmethod
    def prepared(name: str, text: str, *, title: str, lang: str = "en", source: str = "Test", date: str = "2024-01-01",
                 raw_text: str | None = None) -> PreparedArticle:
        return prepared(name, text, title=title, lang=lang, source=source, date=date, raw_text=raw_text)

    def write(self, stories: dict[str, list[PreparedArticle]]) -> StoryLibrary:
        self.count += 1
        return write_stories(self.folder / f"stories-{self.count}.sqlite3", stories)


@pytest.fixture
def stories(tmp_path: Path) -> StoryWriter:
    return StoryWriter(tmp_path)
