"""What the app reads from and writes to the library, in the shapes the widgets draw.

No Textual here. The store is built by several people at once; the methods the app uses
beyond the core ones (entity spans, duplicates, entity counts) are called when the
library has them and the app degrades gracefully when it does not (no highlights, no
duplicate grouping). :func:`missing_features` says which ones are absent.

Writes (read state, stars) are small functions taking a ``Library``: the app runs them on
its writer thread, each in one ``library.transaction()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from reader.model import Article
from reader.store import Library

OPTIONAL_METHODS = (
    "entity_spans",
    "article_entities",
    "cluster_entities",
    "clusters_mentioning",
    "duplicates_of",
    "closest_duplicate",
)

READ_WITH = frozenset({"exact", "near"})  # reading one copy marks these duplicates read too


def missing_features(library: Library) -> list[str]:
    return [name for name in OPTIONAL_METHODS if not hasattr(library, name)]


def _field(item: Any, *names: str, default: Any = None) -> Any:
    """A field of a record that may be a dataclass, a mapping, or a sqlite Row."""
    for name in names:
        if isinstance(item, dict):
            if name in item:
                return item[name]
        elif hasattr(item, name):
            return getattr(item, name)
        else:
            try:
                return item[name]
            except (KeyError, IndexError, TypeError):
                pass
    return default


# -- entities ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntitySpan:
    """A mention of an entity: a character range of the clean text."""

    start: int
    end: int
    type: str  # PERSON | ORG | PLACE | OTHER (other values shown as OTHER)
    entity_id: int | None
    name: str


@dataclass(frozen=True)
class EntityCount:
    entity_id: int | None
    name: str
    type: str
    count: int


ENTITY_TYPES = ("PERSON", "ORG", "PLACE", "OTHER")


def entity_type(value: object) -> str:
    text = str(value or "OTHER").upper()
    aliases = {"PER": "PERSON", "LOC": "PLACE", "GPE": "PLACE", "LOCATION": "PLACE", "ORGANIZATION": "ORG"}
    text = aliases.get(text, text)
    return text if text in ENTITY_TYPES else "OTHER"


def entity_spans(library: Library, article_id: int) -> list[EntitySpan]:
    method = getattr(library, "entity_spans", None)
    if method is None:
        return []
    spans = [
        EntitySpan(
            start=int(_field(s, "start")),
            end=int(_field(s, "end")),
            type=entity_type(_field(s, "type", "entity_type", "kind")),
            entity_id=_field(s, "entity_id", "id"),
            name=str(_field(s, "name", "text", default="")),
        )
        for s in method(article_id)
    ]
    spans.sort(key=lambda s: (s.start, s.end))
    return spans


def _entity_counts(rows: Iterable[Any]) -> list[EntityCount]:
    """Counts from the store (``EntityCount(entity=Entity, count)``) or flat records."""
    counts = []
    for r in rows:
        entity = _field(r, "entity", default=r)
        counts.append(
            EntityCount(
                entity_id=_field(entity, "entity_id", "id"),
                name=str(_field(entity, "name", "text", "label", default="")),
                type=entity_type(_field(entity, "type", "entity_type", "kind")),
                count=int(_field(r, "count", "mentions", "mention_count", "n", default=0) or 0),
            )
        )
    counts.sort(key=lambda c: (-c.count, c.name.casefold()))
    return counts


def article_entities(library: Library, article_id: int) -> list[EntityCount]:
    method = getattr(library, "article_entities", None)
    if method is not None:
        return _entity_counts(method(article_id))
    # without the store method, count the spans (when those exist)
    totals: dict[tuple[Any, str, str], int] = {}
    for span in entity_spans(library, article_id):
        key = (span.entity_id, span.name, span.type)
        totals[key] = totals.get(key, 0) + 1
    return _entity_counts({"entity_id": k[0], "name": k[1], "type": k[2], "count": n} for k, n in totals.items())


CLUSTER_ENTITIES_LIMIT = 50


def cluster_entities(library: Library, cluster_id: int) -> list[EntityCount]:
    """The cluster's top entities, counted by the articles mentioning them."""
    method = getattr(library, "cluster_entities", None)
    if method is None:
        return []
    try:
        return _entity_counts(method(cluster_id, limit=CLUSTER_ENTITIES_LIMIT))
    except TypeError:
        return _entity_counts(method(cluster_id))


CLUSTERS_MENTIONING_LIMIT = 10_000  # enough for a sidebar filter; the list is passed to SQL as ids


def clusters_mentioning(library: Library, entity_id: int) -> tuple[int, ...] | None:
    """Ids of the clusters whose articles mention the entity (None: the store cannot say)."""
    method = getattr(library, "clusters_mentioning", None)
    if method is None:
        return None
    try:
        found = method(entity_id, limit=CLUSTERS_MENTIONING_LIMIT)
    except TypeError:  # an implementation without the limit argument
        found = method(entity_id)
    ids = []
    for item in found:
        if isinstance(item, int):
            ids.append(item)
        elif isinstance(item, tuple):
            ids.append(int(item[0]))
        else:
            ids.append(int(_field(item, "cluster_id", "id")))
    return tuple(sorted(set(ids)))


# -- duplicates --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DuplicateLink:
    other_id: int
    kind: str  # exact | near | containment (or whatever the store calls it)


def duplicates_of(library: Library, article_id: int) -> list[DuplicateLink]:
    method = getattr(library, "duplicates_of", None)
    if method is None:
        return []
    links: list[DuplicateLink] = []
    for item in method(article_id):
        if isinstance(item, int):
            links.append(DuplicateLink(item, "near"))
            continue
        other = _field(item, "other_id", "duplicate_id", "article_id", "id")
        if other == article_id:  # a relation record naming both sides
            other = _field(item, "b_id", "b", "other", default=None)
        if other is None:
            continue
        kind = str(_field(item, "kind", "relation", "type", default="near") or "near").lower()
        links.append(DuplicateLink(int(other), kind))
    return links


def closest_duplicate(library: Library, article_id: int) -> int | None:
    """The best other version of an article (for a section, of its page too), or None."""
    method = getattr(library, "closest_duplicate", None)
    candidates = [article_id]
    article = library.get_article(article_id, with_text=False)
    if article is not None and article.parent_id is not None:
        candidates.append(article.parent_id)
    for candidate in candidates:
        if method is not None:
            found = method(candidate)
            other = None if found is None else (found if isinstance(found, int) else int(_field(found, "other_id", "id", "article_id")))
        else:
            links = duplicates_of(library, candidate)
            other = links[0].other_id if links else None
        if other is not None and other != article_id:
            return int(other)
    return None


@dataclass(frozen=True)
class ArticleRow:
    """An article in an opened cluster; duplicates come right after their original."""

    article: Article
    depth: int = 0  # 1 for a duplicate listed under its original
    relation: str | None = None  # how it duplicates the original


def group_duplicates(articles: Sequence[Article], links: dict[int, list[DuplicateLink]]) -> list[ArticleRow]:
    """Order a cluster's articles so each duplicate sits under its original.

    Articles joined by any duplicate relation form a group; the original is the earliest
    (by date, then id) of the group. Groups keep the order of their originals.
    """
    ids = {a.id for a in articles}
    parent = {a.id: a.id for a in articles}

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for article_id, article_links in links.items():
        for link in article_links:
            if article_id in ids and link.other_id in ids:
                a, b = root(article_id), root(link.other_id)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[int, list[Article]] = {}
    for article in articles:
        groups.setdefault(root(article.id), []).append(article)
    order = {a.id: i for i, a in enumerate(articles)}
    rows: list[ArticleRow] = []
    for members in sorted(groups.values(), key=lambda m: min(order[a.id] for a in m)):
        members.sort(key=lambda a: (a.date or "\uffff", a.id))
        original = members[0]
        rows.append(ArticleRow(original))
        relation_to_original = {link.other_id: link.kind for link in links.get(original.id, [])}
        for member in members[1:]:
            kind = relation_to_original.get(member.id)
            if kind is None:
                kind = next((l.kind for l in links.get(member.id, []) if l.other_id == original.id), "near")
            rows.append(ArticleRow(member, depth=1, relation=kind))
    return rows


def cluster_article_rows(library: Library, cluster_id: int) -> list[ArticleRow]:
    """A cluster's articles, duplicates grouped under their original.

    A section of a multi-story page stands for its page too: a copy of the page's story
    found by the duplicate detector is related to the page, and grouped with the section.
    """
    articles = library.cluster_articles(cluster_id)
    sections_of: dict[int, list[int]] = {}
    for a in articles:
        if a.parent_id is not None:
            sections_of.setdefault(a.parent_id, []).append(a.id)

    def members(article_id: int) -> list[int]:
        return sections_of.get(article_id, [article_id])

    pairs_among = getattr(library, "duplicate_pairs_among", None)
    if pairs_among is not None:  # one batched query for the whole cluster
        links: dict[int, list[DuplicateLink]] = {}
        for pair in pairs_among([a.id for a in articles] + list(sections_of)):
            kind = str(_field(pair, "relation", default="near"))
            for a in members(int(_field(pair, "a_id"))):
                for b in members(int(_field(pair, "b_id"))):
                    if a != b:
                        links.setdefault(a, []).append(DuplicateLink(b, kind))
                        links.setdefault(b, []).append(DuplicateLink(a, kind))
        return group_duplicates(articles, links)
    if not hasattr(library, "duplicates_of"):
        return [ArticleRow(a) for a in articles]
    return group_duplicates(articles, {a.id: duplicates_of(library, a.id) for a in articles})


# -- writes (run on the writer thread) ---------------------------------------------------------


def read_together(library: Library, article_id: int) -> list[int]:
    """The article and its exact and near duplicates: reading one reads them all."""
    ids = [article_id]
    ids.extend(link.other_id for link in duplicates_of(library, article_id) if _is_copy(link.kind))
    return list(dict.fromkeys(ids))


def _is_copy(kind: str) -> bool:
    return kind in READ_WITH or kind.startswith(("exact", "near"))


def mark_article_read(library: Library, article_id: int, read: bool = True) -> list[int]:
    """Mark an article read (with its copies) or unread (just it); returns touched clusters."""
    with library.transaction():
        ids = read_together(library, article_id) if read else [article_id]
        touched = library.set_read(ids, read)
        library.refresh_cluster_stats(touched)
    return touched


def mark_cluster_read(library: Library, cluster_id: int, read: bool = True) -> list[int]:
    with library.transaction():
        library.set_cluster_read(cluster_id, read)
    return [cluster_id]


def set_article_starred(library: Library, article_id: int, starred: bool) -> list[int]:
    with library.transaction():
        library.set_article_starred(article_id, starred)
    article = library.get_article(article_id, with_text=False)
    return [article.cluster_id] if article and article.cluster_id is not None else []


def set_cluster_starred(library: Library, cluster_id: int, starred: bool) -> list[int]:
    with library.transaction():
        library.set_cluster_starred(cluster_id, starred)
    return [cluster_id]


def library_languages(library: Library) -> list[str]:
    """Languages present, most common first (for the language filter)."""
    return [lang for lang in library.stats().languages if lang and lang != "unknown"]
