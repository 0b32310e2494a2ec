"""The sidebar: a virtual list of story clusters, one of which can be opened to its articles.

It is a ``ScrollView`` whose virtual height is the number of lines the rows take (two per
cluster, one per article of the opened cluster); ``render_line`` draws only what is in
view, from :class:`~reader.tui.cluster_pages.ClusterPages` (a small LRU of keyset pages).
Nothing is measured up front, so 100,000 clusters open as fast as 10.

Rows a page key is not yet known for (after a jump to the end, say, or while a filtered
list is counted) are learnt by a thread worker with its own library connection that walks
the keyset pages and posts their keys back.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events, on, work
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from reader.model import ClusterRow
from reader.store import Library, open_library
from reader.text.terminal_safety import safe_line
from reader.tui.cluster_pages import PAGE_SIZE, ClusterPages, ClusterQuery, FirstPage, SortKey, walk_pages
from reader.tui.store_access import ArticleRow, cluster_article_rows
from reader.tui.widgets.styling import combined_style

RELATION_MARKS = {"exact": "=", "near": "≈", "containment": "⊂", "contains": "⊂", "contained": "⊂"}
FIND_PAGES_ON_UI_THREAD = 3  # `u` reads at most this many pages before handing over to a worker
MEMBER_TITLE_MIN_CELLS = 20  # an article row keeps this much of its title, shortening its meta first


@dataclass(frozen=True)
class Expanded:
    """The opened cluster: where it sits in the list and its article rows."""

    cluster_index: int
    cluster: ClusterRow
    rows: tuple[ArticleRow, ...]


Entry = ClusterRow | ArticleRow


class Sidebar(ScrollView, can_focus=True):
    """Story clusters; enter opens one to list its articles, enter on an article reads it."""

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", id="sidebar.down", show=False),
        Binding("k,up", "cursor_up", "Up", id="sidebar.up", show=False),
        Binding("enter", "select", "Open", id="sidebar.open", tooltip="a story lists its articles; an article opens"),
        Binding("right,l", "expand", "Open cluster", id="sidebar.expand", show=False),
        Binding("left", "collapse", "Close cluster", id="sidebar.collapse", show=False),
        Binding("pagedown,ctrl+d", "page_down", "Page down", id="sidebar.page-down", show=False),
        Binding("pageup,ctrl+u", "page_up", "Page up", id="sidebar.page-up", show=False),
        Binding("g,home", "first", "First", id="sidebar.first", show=False),
        Binding("G,end", "last", "Last", id="sidebar.last", show=False),
        Binding("space", "pick", "Pick to compare", id="sidebar.pick", show=False, tooltip="pick two articles, then d shows their diff"),
    ]

    COMPONENT_CLASSES = {
        "sidebar--cursor",
        "sidebar--label",
        "sidebar--label-read",
        "sidebar--figures",
        "sidebar--unread-count",
        "sidebar--duplicate",
        "sidebar--article",
        "sidebar--article-read",
        "sidebar--article-open",
        "sidebar--picked",
        "sidebar--starred",
        "sidebar--placeholder",
    }

    DEFAULT_CSS = """
    Sidebar {
        scrollbar-gutter: stable;
        overflow-x: hidden;
        overflow-y: auto;
    }
    """

    class ClusterOpened(Message):
        """A cluster was opened (its articles are now listed under it)."""

        def __init__(
            self, sidebar: "Sidebar", cluster: ClusterRow, rows: tuple[ArticleRow, ...], article_id: int | None = None
        ) -> None:
            super().__init__()
            self.sidebar = sidebar
            self.cluster = cluster
            self.rows = rows
            self.article_id = article_id  # the article to show; None: the first unread

    class ArticleChosen(Message):
        """Enter (or a click) on an article row."""

        def __init__(self, sidebar: "Sidebar", article_id: int, cluster_id: int | None) -> None:
            super().__init__()
            self.sidebar = sidebar
            self.article_id = article_id
            self.cluster_id = cluster_id

    class Highlighted(Message):
        """The cursor moved to another row."""

        def __init__(self, sidebar: "Sidebar", entry: Entry | None) -> None:
            super().__init__()
            self.sidebar = sidebar
            self.entry = entry

    class Counted(Message):
        """The number of clusters in the list became known (a filtered list was counted)."""

        def __init__(self, sidebar: "Sidebar", total: int) -> None:
            super().__init__()
            self.sidebar = sidebar
            self.total = total

    class NothingUnread(Message):
        """`u` found no unread cluster anywhere."""

    class _Learned(Message):
        def __init__(self, generation: int, first_index: int, rows: list[ClusterRow], end: bool) -> None:
            super().__init__()
            self.generation = generation
            self.first_index = first_index
            self.rows = rows
            self.end = end

    class _Prefetched(Message):
        def __init__(self, generation: int, number: int, rows: list[ClusterRow]) -> None:
            super().__init__()
            self.generation = generation
            self.number = number
            self.rows = rows

    class _Found(Message):
        def __init__(self, generation: int, cluster_index: int | None) -> None:
            super().__init__()
            self.generation = generation
            self.cluster_index = cluster_index

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.library: Library | None = None
        self.page_size = PAGE_SIZE  # rows per keyset page (small in tests, to cross pages)
        self.pages = ClusterPages(ClusterQuery(), total=0, page_size=self.page_size)
        self.expanded: Expanded | None = None
        self.cursor = 0
        self.open_article_id: int | None = None
        self.picked: list[int] = []
        self._generation = 0
        self._walk_target = -1  # the furthest row a running walker is heading for
        self._strips: LRUCache[tuple[int, int, bool, bool], Strip] = LRUCache(512)
        self._styles: dict[tuple[str, ...], Style] = {}
        self._view_size: Size | None = None

    # -- data ------------------------------------------------------------------------------

    @property
    def query(self) -> ClusterQuery:
        return self.pages.query

    def attach(self, library: Library, first: FirstPage | None = None) -> None:
        """Show the clusters of ``library`` (the UI thread's connection).

        ``first`` is the count and first page a worker already read, so the first frame
        needs no query on the UI thread.
        """
        self.library = library
        self.set_query(first.query if first is not None else self.pages.query, first=first)

    def set_query(self, query: ClusterQuery, *, first: FirstPage | None = None) -> None:
        """List clusters for another sort or filter: the cursor goes back to the top."""
        self._generation += 1
        self._walk_target = -1
        self.workers.cancel_group(self, "sidebar-walk")
        self.expanded = None
        self.cursor = 0
        if first is not None and first.query == query and len(first.rows) <= self.page_size:
            total = first.total
            self.pages = ClusterPages(query, total=total, page_size=self.page_size)
            self.pages.put(0, first.rows)
        else:
            total = None
            if self.library is not None and not query.filtered:
                total = self.library.cluster_count()
            self.pages = ClusterPages(query, total=total if self.library is not None else 0, page_size=self.page_size)
        self._changed()
        self.scroll_to(y=0, animate=False, immediate=True)
        if self.library is not None and total is None:
            self._start_walk(target=None)  # count the filtered list
        self.post_message(self.Highlighted(self, self.current_entry()))

    def reload(self, cluster_ids: list[int] | None = None) -> None:
        """The store changed (read state, stars): fetch rows again, keep the place."""
        if self.library is None:
            return
        query = self.pages.query
        keys_may_move = query.sort == "unread" or query.unread_only or query.starred_only
        if keys_may_move:
            cursor = self.cursor
            expanded = self.expanded
            self._generation += 1
            self.workers.cancel_group(self, "sidebar-walk")
            self._walk_target = -1
            total = None if query.filtered else self.library.cluster_count()
            self.pages = ClusterPages(query, total=total, page_size=self.page_size)
            if total is None:
                self._start_walk(target=None)
            self.expanded = None
            if expanded is not None:
                self._reexpand(expanded)
            self.cursor = max(0, min(cursor, self.row_count - 1))
        else:
            if not query.filtered:
                self.pages.total = self.library.cluster_count()
            self.pages.forget_rows()
            if self.expanded is not None:
                self._reexpand(self.expanded)
        self._changed()

    def _reexpand(self, expanded: Expanded) -> None:
        """Refresh an opened cluster's rows, if it is still where it was."""
        row = self.pages.row(expanded.cluster_index, self._list)
        if row is not None and row.id == expanded.cluster.id:
            self.expanded = Expanded(expanded.cluster_index, row, self._article_rows(row))
        else:
            self.expanded = None

    def _article_rows(self, cluster: ClusterRow) -> tuple[ArticleRow, ...]:
        """The articles an opened cluster lists: under the starred filter, only starred ones
        (all of them when the cluster itself is starred)."""
        assert self.library is not None
        rows = cluster_article_rows(self.library, cluster.id)
        if not self.query.starred_only or cluster.starred:
            return tuple(rows)
        return tuple(starred_rows(rows))

    def _list(self, **arguments: object) -> list[ClusterRow]:
        assert self.library is not None
        return self.library.list_clusters(**arguments)

    def _changed(self) -> None:
        self._strips.clear()
        self.virtual_size = Size(self._view().width, self.line_count)
        self.refresh()

    # -- geometry: rows and lines ------------------------------------------------------------

    @property
    def cluster_count(self) -> int:
        return self.pages.known_rows

    @property
    def row_count(self) -> int:
        return self.cluster_count + (len(self.expanded.rows) if self.expanded else 0)

    @property
    def line_count(self) -> int:
        return 2 * self.cluster_count + (len(self.expanded.rows) if self.expanded else 0)

    def _split(self) -> tuple[int, int]:
        """(index of the opened cluster or -1, how many article rows follow it)."""
        if self.expanded is None:
            return -1, 0
        return self.expanded.cluster_index, len(self.expanded.rows)

    def row_line(self, row: int) -> int:
        e, k = self._split()
        if e < 0 or row <= e:
            return 2 * row
        if row <= e + k:
            return 2 * (e + 1) + (row - e - 1)
        return 2 * (e + 1) + k + 2 * (row - e - 1 - k)

    def row_height(self, row: int) -> int:
        e, k = self._split()
        return 1 if e >= 0 and e < row <= e + k else 2

    def line_row(self, line: int) -> tuple[int, int]:
        """(row, line within the row) of a virtual line."""
        e, k = self._split()
        if e < 0 or line < 2 * (e + 1):
            return line // 2, line % 2
        rest = line - 2 * (e + 1)
        if rest < k:
            return e + 1 + rest, 0
        rest -= k
        return e + 1 + k + rest // 2, rest % 2

    def cluster_index_of_row(self, row: int) -> int | None:
        e, k = self._split()
        if e < 0 or row <= e:
            return row
        if row <= e + k:
            return None
        return row - k

    def row_of_cluster_index(self, index: int) -> int:
        e, k = self._split()
        return index if e < 0 or index <= e else index + k

    def entry(self, row: int) -> Entry | None:
        if self.library is None or row < 0:
            return None
        e, k = self._split()
        if e >= 0 and e < row <= e + k:
            assert self.expanded is not None
            return self.expanded.rows[row - e - 1]
        index = row if e < 0 or row <= e else row - k
        found = self.pages.row(index, self._list)
        if found is None and index < self.pages.known_rows:
            self._start_walk(target=index)
        return found

    def current_entry(self) -> Entry | None:
        return self.entry(self.cursor)

    def current_cluster(self) -> ClusterRow | None:
        """The cluster under the cursor, or the one whose article is under it."""
        entry = self.current_entry()
        if isinstance(entry, ArticleRow):
            return self.expanded.cluster if self.expanded else None
        return entry

    # -- walking ahead in a worker ------------------------------------------------------------

    def _start_walk(self, target: int | None, *, find_unread_from: int | None = None) -> None:
        if self.library is None:
            return
        if find_unread_from is None and target is not None and target <= self._walk_target:
            return  # a walker is already on its way there
        self._walk_target = 1 << 62 if target is None else target
        first, after = self.pages.walk_start()
        if find_unread_from is not None:  # search from the page holding the start, not past it
            number = min(find_unread_from // self.pages.page_size, first // self.pages.page_size)
            start_key = self.pages.page_start(number)
            if start_key is not False:
                first, after = number * self.pages.page_size, start_key
        self._walk(self.library.path, self._generation, self.pages.query, first, after, target, find_unread_from)

    @work(thread=True, exclusive=True, group="sidebar-walk")
    def _walk(
        self,
        path: Path,
        generation: int,
        query: ClusterQuery,
        first: int,
        after: SortKey | None,
        target: int | None,
        find_unread_from: int | None,
    ) -> None:
        worker = get_current_worker()
        library = open_library(path)
        try:
            index = first
            for rows in walk_pages(library.list_clusters, query, after=after):
                if worker.is_cancelled:
                    return
                self.post_message(self._Learned(generation, index, rows, end=False))
                if find_unread_from is not None:
                    for offset, row in enumerate(rows):
                        if index + offset >= find_unread_from and row.unread_count > 0:
                            self.post_message(self._Found(generation, index + offset))
                            return
                index += len(rows)
                if target is not None and find_unread_from is None and index > target:
                    return
            self.post_message(self._Learned(generation, index, [], end=True))
            if find_unread_from is not None:
                self.post_message(self._Found(generation, None))
        finally:
            library.close()

    @on(_Learned)
    def _learned(self, message: _Learned) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        before = self.line_count
        self.pages.learn(message.first_index, message.rows)
        if message.end:
            if self.pages.total is None:
                self.pages.total = message.first_index
            self.post_message(self.Counted(self, self.pages.total))
        self._walk_target = -1 if message.end else self._walk_target
        if self.line_count != before:
            self.virtual_size = Size(self._view().width, self.line_count)
            self.cursor = min(self.cursor, max(0, self.row_count - 1))
        self._strips.clear()
        self.refresh()

    @on(_Found)
    def _found(self, message: _Found) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        if message.cluster_index is None:
            self._find_unread_wrapped()
        else:
            self._open_cluster_index(message.cluster_index)

    # -- reading ahead -----------------------------------------------------------------------

    def _prefetch_near(self, row: int) -> None:
        """Read the page after the one in view in a worker, before the cursor gets there."""
        if self.library is None:
            return
        index = self.cluster_index_of_row(row)
        if index is None:
            index = self.expanded.cluster_index if self.expanded else 0
        ahead = index + max(1, self._view().height // 2) + 1
        number = ahead // self.pages.page_size
        after = self.pages.page_start(number)
        if after is False or self.pages.has_page(number) or (self.pages.total is not None and ahead >= self.pages.total):
            return
        self._prefetch(self.library.path, self._generation, self.pages.query, number, after)

    @work(thread=True, exclusive=True, group="sidebar-prefetch")
    def _prefetch(self, path: Path, generation: int, query: ClusterQuery, number: int, after: SortKey | None) -> None:
        library = open_library(path)
        try:
            rows = library.list_clusters(after=after, limit=self.pages.page_size, **query.list_arguments())
        finally:
            library.close()
        if not get_current_worker().is_cancelled:
            self.post_message(self._Prefetched(generation, number, rows))

    @on(_Prefetched)
    def _prefetched(self, message: _Prefetched) -> None:
        message.stop()
        if message.generation == self._generation and not self.pages.has_page(message.number):
            self.pages.put(message.number, message.rows)

    # -- cursor ------------------------------------------------------------------------------

    def move_cursor(self, row: int) -> None:
        row = max(0, min(row, self.row_count - 1))
        if row == self.cursor:
            self._scroll_to_row(row)
            return
        old = self.cursor
        self.cursor = row
        self._refresh_row(old)
        self._refresh_row(row)
        self._scroll_to_row(row)
        self._prefetch_near(row)
        self.post_message(self.Highlighted(self, self.current_entry()))

    def _refresh_row(self, row: int) -> None:
        self.refresh_lines(self.row_line(row), self.row_height(row))  # strips are keyed by cursor state

    def _scroll_to_row(self, row: int) -> None:
        line, height = self.row_line(row), self.row_height(row)
        view = self._view().height
        top = int(self.scroll_offset.y)
        if line < top:
            self.scroll_to(y=line, animate=False, immediate=True)
        elif line + height > top + view:
            self.scroll_to(y=line + height - view, animate=False, immediate=True)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def _rows_per_page(self) -> int:
        return max(1, self._view().height // 2)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor + self._rows_per_page())

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor - self._rows_per_page())

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(self.row_count - 1)

    # -- opening -----------------------------------------------------------------------------

    def action_select(self) -> None:
        entry = self.current_entry()
        if isinstance(entry, ArticleRow):
            self.post_message(self.ArticleChosen(self, entry.article.id, entry.article.cluster_id))
        elif entry is not None:
            if self.expanded is not None and self.expanded.cluster.id == entry.id:
                self.collapse()
            else:
                self.expand_row(self.cursor)

    def action_expand(self) -> None:
        entry = self.current_entry()
        if isinstance(entry, ClusterRow) and (self.expanded is None or self.expanded.cluster.id != entry.id):
            self.expand_row(self.cursor)

    def action_collapse(self) -> None:
        if self.expanded is not None:
            self.collapse()

    def expand_row(self, row: int, article_id: int | None = None) -> None:
        """Open the cluster at ``row``: its articles appear under it (another one closes)."""
        index = self.cluster_index_of_row(row)
        if index is None or self.library is None:
            return
        self.collapse(keep_cursor_on_cluster=False)
        cluster = self.pages.row(index, self._list)
        if cluster is None:
            return
        rows = self._article_rows(cluster)
        self.expanded = Expanded(index, cluster, rows)
        self.cursor = index
        self._changed()
        self._scroll_to_row(index)
        self.post_message(self.ClusterOpened(self, cluster, rows, article_id))

    def collapse(self, *, keep_cursor_on_cluster: bool = True) -> None:
        if self.expanded is None:
            return
        index = self.expanded.cluster_index
        in_block = self.cluster_index_of_row(self.cursor) is None
        after_block = not in_block and self.cursor > index
        k = len(self.expanded.rows)
        self.expanded = None
        if in_block and keep_cursor_on_cluster:
            self.cursor = index
        elif after_block:
            self.cursor -= k
        elif in_block:
            self.cursor = index
        self._changed()
        self._scroll_to_row(self.cursor)
        self.post_message(self.Highlighted(self, self.current_entry()))

    def show_article(self, article_id: int) -> bool:
        """Put the cursor on an article of the opened cluster; False if it is not listed."""
        if self.expanded is None:
            return False
        for offset, row in enumerate(self.expanded.rows):
            if row.article.id == article_id:
                self.move_cursor(self.expanded.cluster_index + 1 + offset)
                return True
        return False

    def set_open_article(self, article_id: int | None) -> None:
        self.open_article_id = article_id
        self._strips.clear()
        self.refresh()

    def expanded_article_ids(self) -> list[int]:
        return [row.article.id for row in self.expanded.rows] if self.expanded else []

    def open_cluster(self, cluster_id: int, article_id: int | None = None) -> bool:
        """Open a cluster by id if it is in the pages read so far (used after a search)."""
        index = self.pages.index_of(cluster_id)
        if index is None:
            return False
        self._open_cluster_index(index, article_id)
        return True

    def _open_cluster_index(self, index: int, article_id: int | None = None) -> None:
        if self.expanded is not None and self.expanded.cluster_index == index:
            self.move_cursor(index)
            self.post_message(self.ClusterOpened(self, self.expanded.cluster, self.expanded.rows, article_id))
            return
        self.collapse(keep_cursor_on_cluster=False)
        self.cursor = index
        self.expand_row(index, article_id)

    # -- next unread -------------------------------------------------------------------------

    def next_unread(self) -> None:
        """Open the next cluster with unread articles after the cursor, wrapping to the top."""
        if self.library is None:
            return
        current = self.current_cluster()
        index = self.cluster_index_of_row(self.cursor)
        if index is None:
            index = self.expanded.cluster_index if self.expanded else 0
        start = index + 1 if current is not None else 0
        found = self.pages.find(lambda c: c.unread_count > 0, start, self._list, max_pages=FIND_PAGES_ON_UI_THREAD)
        if isinstance(found, int):
            self._open_cluster_index(found)
        elif found == "end":
            self._find_unread_wrapped()
        else:
            self._start_walk(None, find_unread_from=start)

    def _find_unread_wrapped(self) -> None:
        found = self.pages.find(lambda c: c.unread_count > 0, 0, self._list, max_pages=FIND_PAGES_ON_UI_THREAD)
        if isinstance(found, int):
            self._open_cluster_index(found)
        elif found == "unknown":
            self._start_walk(None, find_unread_from=0)
        else:
            self.post_message(self.NothingUnread())

    # -- picking two articles to compare -----------------------------------------------------

    def action_pick(self) -> None:
        entry = self.current_entry()
        if not isinstance(entry, ArticleRow):
            return
        article_id = entry.article.id
        if article_id in self.picked:
            self.picked.remove(article_id)
        else:
            self.picked = (self.picked + [article_id])[-2:]
        self._strips.clear()
        self.refresh()

    # -- mouse -------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        line = int(self.scroll_offset.y) + event.y
        if line >= self.line_count:
            return
        row, _ = self.line_row(line)
        self.move_cursor(row)
        self.action_select()

    def on_focus(self) -> None:
        self._styles.clear()  # the cursor looks different with focus
        self._strips.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._styles.clear()
        self._strips.clear()
        self.refresh()

    def _view(self) -> Size:
        """The size rows are drawn in; measured once per resize (the scrollbar gutter is stable)."""
        if self._view_size is None:
            self._view_size = self.scrollable_content_region.size
        return self._view_size

    def on_resize(self) -> None:
        self._view_size = None
        self._changed()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._strips.clear()

    # -- drawing -----------------------------------------------------------------------------

    def _style(self, *classes: str) -> Style:
        style = self._styles.get(classes)
        if style is None:
            style = self._styles[classes] = combined_style(self, classes)
        return style

    def render_line(self, y: int) -> Strip:
        line = int(self.scroll_offset.y) + y
        width = self._view().width
        if line >= self.line_count or width <= 0:
            return Strip.blank(max(0, width), self._style())
        row, sub = self.line_row(line)
        is_cursor = row == self.cursor
        key = (line, width, is_cursor, self.has_focus)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._draw(row, sub, width, is_cursor)
            self._strips[key] = strip
        return strip

    def _draw(self, row: int, sub: int, width: int, is_cursor: bool) -> Strip:
        entry = self.entry(row)
        base = ("sidebar--cursor",) if is_cursor else ()
        if entry is None:
            pieces = [("…" if sub == 0 else "", self._style(*base, "sidebar--placeholder"))]
        elif isinstance(entry, ArticleRow):
            pieces = self._article_pieces(entry, base, width)
        elif sub == 0:
            pieces = self._cluster_title(entry, width, base)
        else:
            pieces = self._cluster_figures(entry, base)
        return _strip(pieces, width, self._style(*base))

    def _cluster_title(self, cluster: ClusterRow, width: int, base: tuple[str, ...]) -> list[Piece]:
        opened = self.expanded is not None and self.expanded.cluster.id == cluster.id
        unread = cluster.unread_count
        right = f" {unread}" if unread else ""
        label_style = self._style(*base, "sidebar--label" if unread else "sidebar--label-read")
        pieces: list[Piece] = [("▾ " if opened else "▸ ", label_style)]
        if cluster.starred:
            pieces.append(("★ ", self._style(*base, "sidebar--starred")))
        used = sum(cell_len(text) for text, _ in pieces)
        room = max(1, width - used - len(right))
        pieces.append((_fit(safe_line(cluster.label) or "(no label)", room, pad=bool(right)), label_style))
        if right:
            pieces.append((right, self._style(*base, "sidebar--unread-count")))
        return pieces

    def _cluster_figures(self, cluster: ClusterRow, base: tuple[str, ...]) -> list[Piece]:
        figures = self._style(*base, "sidebar--figures")
        articles = "article" if cluster.article_count == 1 else "articles"
        sources = "source" if cluster.source_count == 1 else "sources"
        text = f"  {cluster.article_count} {articles}"
        if cluster.source_count:
            text += f" · {cluster.source_count} {sources}"
        if cluster.languages:
            text += " · " + " ".join(safe_line(lang) for lang in cluster.languages)
        pieces: list[Piece] = [(text, figures)]
        if cluster.has_duplicates:
            pieces += [(" · ", figures), ("≡ dup", self._style(*base, "sidebar--duplicate"))]
        return pieces

    def _article_pieces(self, row: ArticleRow, base: tuple[str, ...], width: int) -> list[Piece]:
        article = row.article
        classes = ["sidebar--article" if not article.read else "sidebar--article-read"]
        if article.id == self.open_article_id:
            classes.append("sidebar--article-open")
        style = self._style(*base, *classes)
        pieces: list[Piece] = [("    " if row.depth else "  ", style)]
        if row.depth:
            mark = RELATION_MARKS.get((row.relation or "").split("_")[0], "≈")
            pieces.append((mark + " ", self._style(*base, *classes, "sidebar--duplicate")))
        if article.id in self.picked:
            pieces.append(("✓ ", self._style(*base, *classes, "sidebar--picked")))
        pieces.append(("• " if not article.read else "  ", self._style(*base, *classes, "sidebar--unread-count")))
        if article.starred:
            pieces.append(("★ ", self._style(*base, *classes, "sidebar--starred")))
        outlet = safe_line(article.source) or _host(article.url)
        title = safe_line(article.title)
        parts = [p for p in (outlet, (article.date or "")[:10], safe_line(article.lang)) if p]
        room = width - sum(cell_len(text) for text, _ in pieces)
        if title and outlet and cell_len(" · ".join(parts)) + 3 + min(cell_len(title), MEMBER_TITLE_MIN_CELLS) > room:
            # narrow: the outlet alone, so the title (what tells the members apart) still shows
            parts = [_fit(outlet, max(6, room - 3 - MEMBER_TITLE_MIN_CELLS))]
        pieces.append((" · ".join(parts), style))
        if title:
            pieces.append(((" — " if parts else "") + title, self._style(*base, *classes, "sidebar--figures") if parts else style))
        return pieces


Piece = tuple[str, Style]


def _fit(text: str, width: int, *, pad: bool = False) -> str:
    """Cut to ``width`` cells with an ellipsis; pad with spaces when asked."""
    if cell_len(text) > width:
        return set_cell_size(text, max(0, width - 1)) + "…" if width > 0 else ""
    return set_cell_size(text, width) if pad else text


def _strip(pieces: list[Piece], width: int, fill: Style) -> Strip:
    """One line from styled pieces: cut at the width (with an ellipsis), padded to it."""
    segments: list[Segment] = []
    used = 0
    for text, style in pieces:
        if not text:
            continue
        size = cell_len(text)
        if used + size > width:
            segments.append(Segment(_fit(text, width - used), style))
            used = width
            break
        segments.append(Segment(text, style))
        used += size
    if used < width:
        segments.append(Segment(" " * (width - used), fill))
    return Strip(segments, width)


def _host(url: str | None) -> str:
    if not url:
        return ""
    rest = url.split("://", 1)[-1]
    return safe_line(rest.split("/", 1)[0].removeprefix("www."))


def starred_rows(rows: list[ArticleRow]) -> list[ArticleRow]:
    """The starred rows; a starred duplicate whose original is not starred moves up a level."""
    kept: list[ArticleRow] = []
    original_kept = False
    for row in rows:
        if row.depth == 0:
            original_kept = row.article.starred
        if row.article.starred:
            kept.append(row if row.depth == 0 or original_kept else ArticleRow(row.article))
    return kept
