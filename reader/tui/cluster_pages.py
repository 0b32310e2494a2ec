"""Keyset pages of story clusters for the virtual sidebar (no Textual here).

The sidebar never holds the cluster list: it asks for row ``i`` and gets it from a small
LRU of pages. Page ``p`` is fetched with ``library.list_clusters(after=<key of the last row
of page p-1>, limit=PAGE_SIZE)``, so every query is an index range scan, never an OFFSET.
The keys that start each page are learnt as pages are read (in order, on the UI thread
for the page in view, or in a worker that walks ahead for far jumps and for counting a
filtered list); they are a few bytes per page, so 100,000 rows cost ~1,000 keys.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from reader.model import ClusterRow

PAGE_SIZE = 100
WALK_PAGE_SIZE = 1000
CACHED_PAGES = 40

ClusterSort = Literal["latest", "size", "unread"]
SORTS: tuple[ClusterSort, ...] = ("latest", "size", "unread")
SortKey = tuple[object, int]


@dataclass(frozen=True)
class ClusterQuery:
    """What the sidebar lists: a sort order and filters (all optional)."""

    sort: ClusterSort = "latest"
    lang: str | None = None
    unread_only: bool = False
    starred_only: bool = False
    cluster_ids: tuple[int, ...] | None = None  # e.g. the clusters that mention an entity
    entity_name: str | None = None  # what cluster_ids stands for, for display

    @property
    def filtered(self) -> bool:
        return bool(self.lang or self.unread_only or self.starred_only or self.cluster_ids is not None)

    def with_(self, **changes: Any) -> "ClusterQuery":
        return replace(self, **changes)

    def describe(self) -> str:
        parts = [f"sort: {self.sort}"]
        if self.lang:
            parts.append(f"lang {self.lang}")
        if self.unread_only:
            parts.append("unread")
        if self.starred_only:
            parts.append("starred")
        if self.cluster_ids is not None:
            parts.append(f"mentions {self.entity_name or 'entity'}")
        return " · ".join(parts)

    def list_arguments(self) -> dict[str, Any]:
        return {
            "sort": self.sort,
            "lang": self.lang,
            "unread_only": self.unread_only,
            "starred_only": self.starred_only,
            "cluster_ids": list(self.cluster_ids) if self.cluster_ids is not None else None,
        }


def sort_key(row: ClusterRow, sort: ClusterSort) -> SortKey:
    """The keyset cursor of a row: the same (key, id) pair the store orders by."""
    if sort == "latest":
        return (row.last_date or "", row.id)
    if sort == "size":
        return (row.article_count, row.id)
    return (row.unread_count, row.id)


ListClusters = Callable[..., list[ClusterRow]]


def walk_pages(
    list_clusters: ListClusters,
    query: ClusterQuery,
    *,
    after: SortKey | None = None,
    page_size: int = WALK_PAGE_SIZE,
) -> Iterator[list[ClusterRow]]:
    """Every page from ``after`` to the end, in order (for a worker with its own connection)."""
    arguments = query.list_arguments()
    while True:
        rows = list_clusters(after=after, limit=page_size, **arguments)
        if not rows:
            return
        yield rows
        if len(rows) < page_size:
            return
        after = sort_key(rows[-1], query.sort)


@dataclass(frozen=True)
class FirstPage:
    """What a worker read for the first frame: the count and the first page of a query."""

    query: ClusterQuery
    total: int | None
    rows: list[ClusterRow]


def read_first_page(library: object, query: ClusterQuery, page_size: int = PAGE_SIZE) -> FirstPage:
    total = None if query.filtered else library.cluster_count()  # type: ignore[attr-defined]
    rows = library.list_clusters(limit=page_size, **query.list_arguments())  # type: ignore[attr-defined]
    return FirstPage(query, total, rows)


@dataclass
class ClusterPages:
    """Row ``i`` of a cluster query, fetched a page at a time and kept in a small LRU."""

    query: ClusterQuery
    total: int | None = None  # None until known (a filtered list is counted by a walk)
    page_size: int = PAGE_SIZE
    max_pages: int = CACHED_PAGES
    _page_starts: list[SortKey | None] = field(default_factory=lambda: [None])
    _pages: OrderedDict[int, list[ClusterRow]] = field(default_factory=OrderedDict)
    fetches: int = 0  # how many pages were read (for tests and the benchmark)

    @property
    def known_rows(self) -> int:
        """The total when known, else an upper bound: every page whose start key is known, full."""
        if self.total is not None:
            return self.total
        return len(self._page_starts) * self.page_size

    def can_fetch(self, index: int) -> bool:
        return index // self.page_size < len(self._page_starts)

    def cached(self, index: int) -> ClusterRow | None:
        page = self._pages.get(index // self.page_size)
        if page is None:
            return None
        offset = index % self.page_size
        return page[offset] if offset < len(page) else None

    def row(self, index: int, list_clusters: ListClusters) -> ClusterRow | None:
        """Row ``index``; reads at most one page, and only when its start key is known."""
        if index < 0 or (self.total is not None and index >= self.total):
            return None
        number = index // self.page_size
        page = self._pages.get(number)
        if page is None:
            if number >= len(self._page_starts):
                return None  # not reachable yet: a walker is learning the keys
            page = self._fetch(number, list_clusters)
        else:
            self._pages.move_to_end(number)
        offset = index % self.page_size
        return page[offset] if offset < len(page) else None

    def _fetch(self, number: int, list_clusters: ListClusters) -> list[ClusterRow]:
        after = self._page_starts[number]
        rows = list_clusters(after=after, limit=self.page_size, **self.query.list_arguments())
        self.fetches += 1
        return self.put(number, rows)

    def page_start(self, number: int) -> SortKey | None | Literal[False]:
        """The keyset cursor page ``number`` starts after (False: not known yet)."""
        return self._page_starts[number] if number < len(self._page_starts) else False

    def has_page(self, number: int) -> bool:
        return number in self._pages

    def put(self, number: int, rows: list[ClusterRow]) -> list[ClusterRow]:
        """Keep page ``number`` (read here, or by a worker) and learn where the next one starts."""
        if number >= len(self._page_starts):
            return rows
        self._pages[number] = rows
        if len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        if len(rows) == self.page_size and number + 1 == len(self._page_starts):
            self._page_starts.append(sort_key(rows[-1], self.query.sort))
        if len(rows) < self.page_size and self.total is None:
            self.total = number * self.page_size + len(rows)
        return rows

    def learn(self, first_index: int, rows: list[ClusterRow]) -> None:
        """Take the page keys from rows a walker read, starting at row ``first_index``."""
        sort = self.query.sort
        size = self.page_size
        for offset in range(len(rows)):
            index = first_index + offset
            if (index + 1) % size == 0 and (index + 1) // size == len(self._page_starts):
                self._page_starts.append(sort_key(rows[offset], sort))

    def walk_start(self) -> tuple[int, SortKey | None]:
        """Where a walker should start: the first row of the last page whose key is known."""
        number = len(self._page_starts) - 1
        return number * self.page_size, self._page_starts[number]

    def seen_languages(self) -> list[str]:
        """Languages of the clusters in the cached pages, most common first."""
        counts: dict[str, int] = {}
        for page in self._pages.values():
            for row in page:
                for lang in row.languages:
                    counts[lang] = counts.get(lang, 0) + 1
        return sorted(counts, key=lambda lang: (-counts[lang], lang))

    def index_of(self, cluster_id: int) -> int | None:
        """Where a cluster sits, if it is in a page read so far."""
        for number, page in self._pages.items():
            for offset, row in enumerate(page):
                if row.id == cluster_id:
                    return number * self.page_size + offset
        return None

    def forget_rows(self) -> None:
        """Drop cached rows (after a change in the store); keys stay valid if sort keys did not move."""
        self._pages.clear()

    def find(
        self, predicate: Callable[[ClusterRow], bool], start: int, list_clusters: ListClusters, *, max_pages: int
    ) -> int | Literal["end", "unknown"]:
        """The first row index >= start where ``predicate`` holds, reading at most ``max_pages``.

        "end": no such row up to the end of the list; "unknown": the budget ran out first
        (a worker should carry on with :func:`walk_pages`).
        """
        index = max(0, start)
        pages_read = 0
        while self.total is None or index < self.total:
            number = index // self.page_size
            if number not in self._pages:
                if pages_read >= max_pages or number >= len(self._page_starts):
                    return "unknown"
                pages_read += 1
            row = self.row(index, list_clusters)
            if row is None:
                return "end" if self.total is not None and index >= self.total else "unknown"
            if predicate(row):
                return index
            index += 1
        return "end"
