"""The main screen: clusters on the left, the article in the middle, entities on the right.

Widgets take data through methods and attributes and report through their messages;
this screen wires them together, keeps the reading state (which article is open, the
mark-read timer) and sends writes to the app's writer thread.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget

from reader.model import Article, ClusterRow
from reader.store import Library
from reader.tui.cluster_pages import SORTS, ClusterQuery, FirstPage
from reader.tui.store_access import (
    ArticleRow,
    EntityCount,
    article_entities,
    closest_duplicate,
    cluster_article_rows,
    cluster_entities,
    clusters_mentioning,
    entity_spans,
    mark_article_read,
    mark_cluster_read,
    set_article_starred,
    set_cluster_starred,
)
from reader.annotations.model import Annotation
from reader.tui.annotation_access import ArticleNote, article_notes, create_annotation_job, delete_annotation_job, layer_of
from reader.tui.widgets.article_view import ArticlePane, ArticleView
from reader.tui.widgets.chrome import KeyHints, TitleBar
from reader.tui.widgets.sidebar import Sidebar

if TYPE_CHECKING:
    from reader.tui.widgets.annotation_panel import AnnotationPanel
    from reader.tui.widgets.entity_panel import EntityPanel
    from reader.tui.widgets.find_bar import FindBar

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp


PanelT = TypeVar("PanelT", bound=Widget)

FIRST_FRAME_WAIT = 0.3  # seconds the first frame may wait for the library to open


class MainScreen(Screen[None]):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (130, "-wide")]

    BINDINGS = [
        Binding("tab", "focus_next_pane", "Next pane", id="main.next-pane", show=False, tooltip="story list, article, entity panel"),
        Binding("shift+tab", "focus_previous_pane", "Previous pane", id="main.previous-pane", show=False, tooltip="the other way round"),
        Binding("u", "next_unread", "Unread", id="main.next-unread", tooltip="open the next story with unread articles"),
        Binding("right_square_bracket", "next_article", "Next article", id="main.next-article", show=False, tooltip="the next article of the open story"),
        Binding("left_square_bracket", "previous_article", "Previous article", id="main.previous-article", show=False, tooltip="the previous article of the open story"),
        Binding("slash", "find", "Find", id="main.find", tooltip="find in the article; n / N for the next / previous match"),
        Binding("ctrl+f", "search", "Search", id="main.search", tooltip="search the whole library"),
        Binding("e", "toggle_entities", "Entities", id="main.toggle-entities", tooltip="entities of the article or its story, with counts"),
        Binding("h", "toggle_highlights", "Entity colours", id="main.toggle-highlights", show=False, tooltip="colour people, organisations and places"),
        Binding("H", "toggle_notes", "Highlights", id="main.toggle-notes", tooltip="the open article's highlights and notes, in a side list"),
        Binding("r", "toggle_raw", "Raw/clean text", id="main.toggle-raw", show=False, tooltip="the text as imported, or cleaned"),
        Binding("m", "toggle_read", "Read/unread article", id="main.toggle-read", show=False, tooltip="the article under the cursor, or the open one"),
        Binding("M", "toggle_cluster_read", "Read/unread cluster", id="main.toggle-cluster-read", show=False, tooltip="every article of the story under the cursor"),
        Binding("s", "toggle_star", "Star/unstar", id="main.toggle-star", show=False,
                tooltip="in the story list: the story or article under the cursor; elsewhere: the open article"),
        Binding("o", "cycle_sort", "Sort", id="main.cycle-sort", show=False, tooltip="latest, largest or most unread stories first"),
        Binding("U", "filter_unread", "Only unread", id="main.filter-unread", show=False, tooltip="only stories with unread articles"),
        Binding("S", "filter_starred", "Only starred", id="main.filter-starred", show=False,
                tooltip="only starred stories, and stories with starred articles (listing just those)"),
        Binding("L", "cycle_language", "Language filter", id="main.filter-language", show=False, tooltip="cycle through the languages of the library"),
        Binding("C", "clear_filters", "Clear filters", id="main.clear-filters", show=False, tooltip="every story again, same sort"),
        Binding("d", "diff", "Diff", id="main.diff", tooltip="with the closest duplicate, or the two articles picked with space"),
        Binding("A", "annotations", "Annotations", id="main.annotations", show=False, tooltip="every highlight and note; enter goes to one"),
        Binding("x", "export", "Export notes", id="main.export", show=False, tooltip="highlights and notes to Markdown, JSON or CSV"),
        Binding("ctrl+r", "reload", "Reload", id="main.reload", show=False, tooltip="read the list again from the library"),
    ]

    app: "ReaderApp"

    def __init__(self) -> None:
        super().__init__()
        self.library: Library | None = None
        self.article: Article | None = None
        self._read_timer: Timer | None = None
        self._mention_after: int | None = None
        self._mention_entity: object = None
        self._pending_span: object = None
        self._notes: list[ArticleNote] = []  # the open article's annotations, as listed and drawn
        self.ready = False  # mounted with its widgets: the library can be shown

    def compose(self) -> ComposeResult:
        # The find bar and the entity panel are mounted the first time they are wanted.
        yield TitleBar(id="title-bar")
        with Horizontal(id="panes"):
            yield Sidebar(id="sidebar")
            yield ArticlePane(id="article-pane")
        yield KeyHints(id="key-hints")

    # -- widgets ---------------------------------------------------------------------------

    @property
    def sidebar(self) -> Sidebar:
        return self.query_one(Sidebar)

    @property
    def article_view(self) -> ArticleView:
        return self.query_one(ArticleView)

    def _side_panel(self, panel_type: type[PanelT]) -> PanelT | None:
        """The side panel of this type, if it is mounted (side panels are mounted on first use)."""
        found = self.query(panel_type)
        return found.first() if found else None

    async def _ensure_side_panel(self, panel_type: type[PanelT], panel_id: str) -> PanelT:
        panel = self._side_panel(panel_type)
        if panel is None:
            panel = panel_type(id=panel_id)
            await self.query_one("#panes").mount(panel)
        return panel

    @property
    def entity_panel(self) -> "EntityPanel | None":
        from reader.tui.widgets.entity_panel import EntityPanel

        return self._side_panel(EntityPanel)

    async def ensure_entity_panel(self) -> "EntityPanel":
        from reader.tui.widgets.entity_panel import EntityPanel

        return await self._ensure_side_panel(EntityPanel, "entities")

    @property
    def annotation_panel(self) -> "AnnotationPanel | None":
        from reader.tui.widgets.annotation_panel import AnnotationPanel

        return self._side_panel(AnnotationPanel)

    async def ensure_annotation_panel(self) -> "AnnotationPanel":
        from reader.tui.widgets.annotation_panel import AnnotationPanel

        return await self._ensure_side_panel(AnnotationPanel, "notes")

    @property
    def find_bar(self) -> "FindBar | None":
        from reader.tui.widgets.find_bar import FindBar

        found = self.query(FindBar)
        return found.first() if found else None

    async def ensure_find_bar(self) -> "FindBar":
        bar = self.find_bar
        if bar is None:
            from reader.tui.widgets.find_bar import FindBar

            bar = FindBar(id="find-bar")
            await self.query_one("#article-pane").mount(bar)
        return bar

    async def on_mount(self) -> None:
        if self.app.no_color:
            self.add_class("-no-color")
        self.query_one(TitleBar).status = "opening library…"
        self.sidebar.focus()
        self.ready = True
        self.app.attach_main_screen()
        if not self.app.loaded.is_set():
            # The app opens the library in a worker. Opening is quick unless a migration
            # runs: wait a moment so the first frame already shows the stories, then draw
            # anyway ("opening library…") and fill in when the worker is done.
            try:
                await asyncio.wait_for(self.app.loaded.wait(), FIRST_FRAME_WAIT)
            except asyncio.TimeoutError:
                pass

    def attach(self, library: Library, first: "FirstPage | None" = None) -> None:
        """The library is open (the app opened it in a worker): show its clusters."""
        self.library = library
        self.sidebar.attach(library, first)
        self._update_subtitle()

    def _update_subtitle(self) -> None:
        sidebar = self.sidebar
        total = sidebar.pages.total
        count = f"{total:,} clusters" if total is not None else "counting clusters…"
        self.sub_title = f"{count} · {sidebar.query.describe()}"
        self.query_one(TitleBar).status = self.sub_title

    # -- opening articles ------------------------------------------------------------------

    @on(Sidebar.ClusterOpened)
    def _cluster_opened(self, message: Sidebar.ClusterOpened) -> None:
        if not message.rows:
            return
        wanted = message.article_id
        if wanted is None or all(r.article.id != wanted for r in message.rows):
            wanted = next((r for r in message.rows if not r.article.read), message.rows[0]).article.id
        self.open_article(wanted)
        self._refresh_entities()

    @on(Sidebar.ArticleChosen)
    def _article_chosen(self, message: Sidebar.ArticleChosen) -> None:
        self.open_article(message.article_id)

    @on(Sidebar.Highlighted)
    def _highlighted(self, message: Sidebar.Highlighted) -> None:
        self._update_subtitle()
        panel = self.entity_panel
        if panel is not None and panel.scope == "cluster" and self.has_class("-entities"):
            self._refresh_entities()

    @on(Sidebar.Counted)
    def _counted(self) -> None:
        self._update_subtitle()

    @on(Sidebar.NothingUnread)
    def _nothing_unread(self) -> None:
        self.notify("Everything is read.", title="No unread stories")

    def open_article(self, article_id: int) -> None:
        """Show an article; it is marked read after it stays open a moment."""
        if self.library is None:
            return
        article = self.library.get_article(article_id)
        if article is None:
            self.notify(f"Article {article_id} is no longer in the library.", severity="warning")
            return
        self.article = article
        self._mention_after = None
        self.article_view.show_article(article, entity_spans(self.library, article_id))
        self.show_annotations()
        unplaced = sum(not n.placed for n in self._notes)
        if unplaced:
            self.notify(
                f"{unplaced} highlight{'s' * (unplaced != 1)} of this article {'are' if unplaced != 1 else 'is'} no longer in its text; "
                f"press {self._key('main.toggle-notes')} to list {'them' if unplaced != 1 else 'it'}.",
                title="Not placed", timeout=6,
            )
        self._show_pending_span()
        if self.find_bar is not None:
            self.find_bar.display = False
        sidebar = self.sidebar
        sidebar.set_open_article(article_id)
        sidebar.show_article(article_id)
        self._refresh_entities()
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        if not article.read:
            self._read_timer = self.set_timer(self.app.mark_read_after, lambda: self._mark_read_now(article_id))
        self.app.article_opened(article)

    def _mark_read_now(self, article_id: int) -> None:
        self._read_timer = None
        if self.article is not None and self.article.id == article_id:
            self.app.write(lambda library: mark_article_read(library, article_id, True), self._after_write)

    def _after_write(self, touched: object) -> None:
        self.sidebar.reload(list(touched) if isinstance(touched, list) else None)
        if self.article is not None and self.library is not None:
            fresh = self.library.get_article(self.article.id, with_text=False)
            if fresh is not None:
                self.article = _with_flags(self.article, fresh)
        self._update_subtitle()

    def _article_ids_in_cluster(self) -> list[int]:
        if self.article is None or self.library is None or self.article.cluster_id is None:
            return []
        sidebar = self.sidebar
        if sidebar.expanded is not None and sidebar.expanded.cluster.id == self.article.cluster_id:
            return sidebar.expanded_article_ids()
        return [row.article.id for row in cluster_article_rows(self.library, self.article.cluster_id)]

    def action_next_article(self) -> None:
        self._step_article(+1)

    def action_previous_article(self) -> None:
        self._step_article(-1)

    def _step_article(self, step: int) -> None:
        ids = self._article_ids_in_cluster()
        if self.article is None or self.article.id not in ids:
            return
        index = ids.index(self.article.id) + step
        if 0 <= index < len(ids):
            self.open_article(ids[index])
        else:
            self.notify("First article of the story." if step < 0 else "Last article of the story.", timeout=2)

    def action_next_unread(self) -> None:
        self.sidebar.next_unread()

    # -- panes -----------------------------------------------------------------------------

    def _panes(self) -> list:
        panes = [self.sidebar, self.article_view]
        if self.has_class("-entities") and self.entity_panel is not None:
            panes.append(self.entity_panel.entity_list)
        if self.has_class("-notes") and self.annotation_panel is not None:
            panes.append(self.annotation_panel.note_list)
        return [p for p in panes if p.display and p.styles.display != "none" and p.region.width > 0]

    def _focus_pane(self, step: int) -> None:
        panes = self._panes()
        if not panes:
            return
        focused = self.focused
        index = next((i for i, p in enumerate(panes) if focused is p or (focused is not None and p in focused.ancestors)), -1)
        panes[(index + step) % len(panes)].focus()

    def action_focus_next_pane(self) -> None:
        self._focus_pane(+1)

    def action_focus_previous_pane(self) -> None:
        self._focus_pane(-1)

    # -- article toggles -------------------------------------------------------------------

    def action_toggle_highlights(self) -> None:
        view = self.article_view
        view.highlight_entities = not view.highlight_entities
        self.notify("Entity highlighting on." if view.highlight_entities else "Entity highlighting off.", timeout=2)

    def action_toggle_raw(self) -> None:
        view = self.article_view
        view.raw = not view.raw
        self.notify("Raw text (as imported)." if view.raw else "Clean text.", timeout=2)

    # -- find in article -------------------------------------------------------------------

    async def action_find(self) -> None:
        if self.article is None:
            return
        (await self.ensure_find_bar()).open()

    def on_find_bar_changed(self, message: "FindBar.Changed") -> None:
        count = self.article_view.find(message.query)
        if self.find_bar is not None:
            self.find_bar.show_count(count, None)

    def on_find_bar_submitted(self, message: "FindBar.Submitted") -> None:
        view = self.article_view
        if view.find(message.query):
            view.action_next_match()
        view.focus()

    def on_find_bar_closed(self) -> None:
        self.article_view.focus()

    @on(ArticleView.Matches)
    def _matches(self, message: ArticleView.Matches) -> None:
        if self.find_bar is not None:
            self.find_bar.show_count(message.count, message.current)
        if message.current is not None:
            self.notify(f"match {message.current + 1} of {message.count}", timeout=1)

    # -- entity panel ----------------------------------------------------------------------

    async def action_toggle_entities(self) -> None:
        showing = not self.has_class("-entities")
        panel = await self.ensure_entity_panel()
        if showing and self.has_class("-notes"):
            await self.action_toggle_notes()  # one side panel at a time
        self.set_class(showing, "-entities")
        if showing:
            self._refresh_entities()
            panel.entity_list.focus()
        elif self.focused is None or panel in self.focused.ancestors:
            self.article_view.focus() if self.article is not None else self.sidebar.focus()

    def _refresh_entities(self) -> None:
        panel = self.entity_panel
        if not self.has_class("-entities") or self.library is None or panel is None:
            return
        missing = [m for m in ("entity_spans", "article_entities") if not hasattr(self.library, m)]
        note = "entities are not in this library yet" if len(missing) == 2 else "no entities"
        if panel.scope == "article":
            if self.article is None:
                panel.show_entities([], "Entities", "open an article")
                return
            panel.show_entities(article_entities(self.library, self.article.id), "Entities", note)
        else:
            cluster = self._scope_cluster()
            if cluster is None:
                panel.show_entities([], "Entities", "no story")
                return
            note = "no entities" if hasattr(self.library, "cluster_entities") else "cluster entities are not available"
            panel.show_entities(cluster_entities(self.library, cluster.id), "Entities", note)

    def _scope_cluster(self) -> ClusterRow | None:
        if self.article is not None and self.article.cluster_id is not None and self.library is not None:
            return self.library.get_cluster(self.article.cluster_id)
        return self.sidebar.current_cluster()

    def on_entity_panel_scope_changed(self) -> None:
        self._refresh_entities()

    def on_entity_panel_jump_to_mention(self, message: "EntityPanel.JumpToMention") -> None:
        entity = message.entity
        if self._mention_entity != (entity.entity_id, entity.name):
            self._mention_entity = (entity.entity_id, entity.name)
            self._mention_after = None
        found = self.article_view.next_mention(entity.entity_id, entity.name, after=self._mention_after)
        if found is None:
            self.notify(f"{entity.name} is not mentioned in this article.", timeout=3)
        self._mention_after = found

    def on_entity_panel_filter_clusters(self, message: "EntityPanel.FilterClusters") -> None:
        self.filter_by_entity(message.entity)

    def article_entity_choices(self, limit: int = 20) -> list[EntityCount]:
        """The open article's most mentioned entities (for the command palette)."""
        counts: dict[object, list] = {}
        for span in self.article_view.entity_spans:
            if span.entity_id is not None:
                counts.setdefault(span.entity_id, [span, 0])[1] += 1
        ranked = sorted(counts.values(), key=lambda item: -item[1])[:limit]
        return [EntityCount(s.entity_id, s.name, s.type, n) for s, n in ranked]

    def filter_by_entity(self, entity: EntityCount) -> None:
        if self.library is None or entity.entity_id is None:
            return
        ids = clusters_mentioning(self.library, int(entity.entity_id))
        if ids is None:
            self.notify("This library cannot list the clusters mentioning an entity yet.", severity="warning")
            return
        self.set_query(self.sidebar.query.with_(cluster_ids=ids, entity_name=entity.name))
        self.sidebar.focus()

    # -- sort and filters ------------------------------------------------------------------

    def set_query(self, query: ClusterQuery) -> None:
        self.sidebar.set_query(query)
        self._update_subtitle()

    def action_cycle_sort(self) -> None:
        query = self.sidebar.query
        self.set_query(query.with_(sort=SORTS[(SORTS.index(query.sort) + 1) % len(SORTS)]))

    def action_filter_unread(self) -> None:
        self.set_query(self.sidebar.query.with_(unread_only=not self.sidebar.query.unread_only))

    def action_filter_starred(self) -> None:
        self.set_query(self.sidebar.query.with_(starred_only=not self.sidebar.query.starred_only))

    def action_cycle_language(self) -> None:
        languages = [None, *self.app.languages]
        current = self.sidebar.query.lang
        index = languages.index(current) if current in languages else 0
        self.set_query(self.sidebar.query.with_(lang=languages[(index + 1) % len(languages)]))

    def action_clear_filters(self) -> None:
        self.set_query(ClusterQuery(sort=self.sidebar.query.sort))

    def action_reload(self) -> None:
        self.sidebar.reload()
        self._update_subtitle()

    # -- read state and stars --------------------------------------------------------------

    def action_toggle_read(self) -> None:
        entry = self.sidebar.current_entry()
        article = entry.article if isinstance(entry, ArticleRow) else self.article
        if article is None:
            return
        read = not self._is_read(article)
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        self.app.write(lambda library: mark_article_read(library, article.id, read), self._after_write)
        self.notify("Marked read." if read else "Marked unread.", timeout=2)

    def _is_read(self, article: Article) -> bool:
        if self.library is None:
            return article.read
        fresh = self.library.get_article(article.id, with_text=False)
        return fresh.read if fresh is not None else article.read

    def action_toggle_cluster_read(self) -> None:
        cluster = self.sidebar.current_cluster()
        if cluster is None:
            return
        read = cluster.unread_count > 0
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        self.app.write(lambda library: mark_cluster_read(library, cluster.id, read), self._after_write)
        self.notify("Story marked read." if read else "Story marked unread.", timeout=2)

    def action_toggle_star(self) -> None:
        focused = self.focused
        sidebar = self.sidebar
        if focused is not sidebar and focused is not None and self.article is not None:
            self.action_star_open_article()  # the article pane or a side panel: the open article
            return
        entry = sidebar.current_entry()
        if isinstance(entry, ArticleRow):
            article = entry.article
            starred = not article.starred
            self.app.write(lambda library: set_article_starred(library, article.id, starred), self._after_star)
        elif isinstance(entry, ClusterRow):
            starred = not entry.starred
            self.app.write(lambda library: set_cluster_starred(library, entry.id, starred), self._after_write)
        else:
            return
        self.notify("Starred." if starred else "Star removed.", timeout=2)

    def action_star_open_article(self) -> None:
        article = self.article
        if article is None:
            self.notify("Open an article first.", timeout=2)
            return
        starred = not self._is_starred(article)
        self.app.write(lambda library: set_article_starred(library, article.id, starred), self._after_star)
        self.notify("Article starred." if starred else "Star removed from the article.", timeout=2)

    def action_start_selection(self) -> None:
        """Selection mode in the article pane (for the command palette; v in the pane)."""
        view = self.article_view
        view.focus()
        view.action_start_selection()

    def _is_starred(self, article: Article) -> bool:
        if self.library is None:
            return article.starred
        fresh = self.library.get_article(article.id, with_text=False)
        return fresh.starred if fresh is not None else article.starred

    def _after_star(self, touched: object) -> None:
        self._after_write(touched)
        if self.article is not None:
            self.article_view.update_flags(self.article)

    # -- search, diff, export --------------------------------------------------------------

    def action_search(self) -> None:
        self.search_library("")

    def search_library(self, query: str) -> None:
        if self.library is None:
            return
        from reader.tui.screens.search import SearchScreen

        def opened(article_id: int | None) -> None:
            if article_id is None or self.library is None:
                return
            article = self.library.get_article(article_id, with_text=False)
            if article is None or article.cluster_id is None or not self.sidebar.open_cluster(article.cluster_id, article_id):
                self.open_article(article_id)  # its story is not in the list read so far: just show it

        self.app.push_screen(SearchScreen(self.library.path, query), opened)

    def action_diff(self) -> None:
        if self.library is None:
            return
        pair = self._diff_pair()
        if pair is None:
            return
        try:
            from reader.tui.screens.diff import DiffScreen
        except ImportError:
            self.notify("The diff view is not installed in this version.", severity="warning")
            return
        self.app.push_screen(DiffScreen(self.library.path, *pair))

    def _diff_pair(self) -> tuple[int, int] | None:
        picked = list(self.sidebar.picked)
        if len(picked) == 2:
            return picked[0], picked[1]
        if len(picked) == 1 and self.article is not None and self.article.id != picked[0]:
            return picked[0], self.article.id
        if self.article is None:
            self.notify("Open an article first, or pick two with space.", timeout=3)
            return None
        assert self.library is not None
        other = closest_duplicate(self.library, self.article.id)
        if other is None:
            self.notify("No duplicate of this article is known. Pick two articles with space, then press d.", timeout=4)
            return None
        return self.article.id, other

    def show_annotations(self, *, keep: int | None = None) -> None:
        """Draw the open article's highlights and list them (call again after one changes)."""
        if self.article is None or self.library is None:
            return
        self._notes = article_notes(self.library, self.article.id)
        layer = layer_of(self._notes)
        if layer:
            self.article_view.set_layer("annotations", layer)
        else:
            self.article_view.clear_layer("annotations")
        self._refresh_notes(keep=keep)

    def _refresh_notes(self, *, keep: int | None = None) -> None:
        panel = self.annotation_panel
        if panel is None or not self.has_class("-notes"):
            return
        if self.article is None:
            panel.show_notes([])
            panel.set_status("open an article")
        else:
            panel.show_notes(self._notes, keep=keep)

    @property
    def article_notes(self) -> list[ArticleNote]:
        return list(self._notes)

    def _key(self, binding_id: str) -> str:
        """How the first key of a binding (after the user's keymap) is shown."""
        keys = self.app.keymap_in_effect().get(binding_id)
        if keys is None:
            keys = next((b.key for b in self.BINDINGS if isinstance(b, Binding) and b.id == binding_id), "")
        first = keys.split(",")[0].strip()
        return self.app.get_key_display(Binding(first, "")) if first else "?"

    # -- making and editing highlights -------------------------------------------------------

    @on(ArticleView.HighlightRequested)
    def _highlight_requested(self, message: ArticleView.HighlightRequested) -> None:
        view = message.view
        article_id = message.article_id
        text = view.selected_text()
        if not text.strip():
            self.notify("The selection holds only spaces: select some words.", timeout=3)
            return
        view.cancel_selection()
        self.app.write(create_annotation_job(article_id, message.start, message.end), self._highlighted_done)

    def _highlighted_done(self, annotation: Annotation) -> None:
        if self.article is not None and annotation.article_id == self.article.id:
            self.show_annotations(keep=annotation.id)
        self.notify("Highlighted.", timeout=2)
        if self.app.note_after_highlight:
            self.edit_note(annotation, title="Highlighted: add a note and tags", keys_hint="ctrl+s saves, escape skips")

    def edit_note(self, annotation: Annotation, *, title: str = "Note", keys_hint: str = "ctrl+s saves, escape cancels") -> None:
        """Open the note editor on an annotation; saving writes note and tags, escape keeps the old."""
        from reader.tui.screens.note_editor import NoteEdit, NoteEditor, save_note_edit

        def saved(edit: NoteEdit | None) -> None:
            if edit is None:
                return  # cancelled: nothing is written, the old note stays
            self.app.write(lambda library: save_note_edit(library, annotation.id, edit), self._note_saved)

        editor = NoteEditor(annotation.note, annotation.tags, quote=annotation.exact, title=title, keys_hint=keys_hint)
        self.app.push_screen(editor, saved)

    def _note_saved(self, annotation: Annotation) -> None:
        self.show_annotations(keep=annotation.id)
        self.notify("Note saved.", timeout=2)

    # -- the side list of the article's highlights -------------------------------------------

    async def action_toggle_notes(self) -> None:
        showing = not self.has_class("-notes")
        panel = await self.ensure_annotation_panel()
        if showing and self.has_class("-entities"):
            self.set_class(False, "-entities")  # one side panel at a time
        self.set_class(showing, "-notes")
        if showing:
            self._refresh_notes()
            panel.note_list.focus()
        elif self.focused is None or panel in self.focused.ancestors:
            self.article_view.focus() if self.article is not None else self.sidebar.focus()

    def on_annotation_panel_show_note(self, message: "AnnotationPanel.ShowNote") -> None:
        note = message.note
        if not note.placed or note.start is None or note.end is None:
            self.notify("This passage is no longer in the article's text, so it is not shown in it.", timeout=4)
            return
        view = self.article_view
        if view.raw:
            view.raw = False
        view.set_layer("focus", [(note.start, note.end, "article--mention-current")])
        view.scroll_to_offset(note.start)

    def on_annotation_panel_edit_note(self, message: "AnnotationPanel.EditNote") -> None:
        self.edit_note(message.note.annotation)

    def on_annotation_panel_delete_note(self, message: "AnnotationPanel.DeleteNote") -> None:
        annotation_id = message.note.annotation.id
        self.app.write(delete_annotation_job(annotation_id), self._note_deleted)

    def _note_deleted(self, _: object) -> None:
        self.show_annotations()
        self.notify("Highlight deleted.", timeout=2)

    def action_annotations(self) -> None:
        if self.library is None:
            return
        try:
            from reader.tui.screens.annotations import AnnotationsScreen
        except ImportError:
            self.notify("Annotations are not available in this version.", severity="warning")
            return
        def closed(target: object) -> None:
            if target is None:
                self.show_annotations()  # notes may have been edited or deleted there
            else:
                self.go_to_annotation(target)

        self.app.push_screen(AnnotationsScreen(self.library.path), closed)

    def go_to_annotation(self, target: object) -> None:
        """Open the article of an annotation and bring its span into view."""
        article_id = getattr(target, "article_id", None)
        if article_id is None or self.library is None:
            return
        self._pending_span = target  # shown by open_article, now or when the story has opened
        article = self.library.get_article(article_id, with_text=False)
        if article is None or article.cluster_id is None or not self.sidebar.open_cluster(article.cluster_id, article_id):
            self.open_article(article_id)

    def _show_pending_span(self) -> None:
        target, self._pending_span = self._pending_span, None
        if target is None or self.article is None or self.article.id != getattr(target, "article_id", None):
            return
        start, end = int(getattr(target, "start", 0)), int(getattr(target, "end", 0))
        view = self.article_view
        view.set_layer("focus", [(start, end, "article--mention-current")])
        view.scroll_to_offset(start)
        view.focus()

    def action_export(self) -> None:
        self.app.action_export()


def _with_flags(article: Article, fresh: Article) -> Article:
    from dataclasses import replace

    return replace(article, read=fresh.read, starred=fresh.starred, cluster_id=fresh.cluster_id)
