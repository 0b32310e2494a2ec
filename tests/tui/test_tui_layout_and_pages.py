"""Plain parts of the app: text layout, keyset pages of clusters, duplicate grouping, the big sidebar."""

from __future__ import annotations

import random
from pathlib import Path
from types import SimpleNamespace

import pytest

from reader.model import Article
from reader.store import open_library
from reader.text.terminal_safety import strip_terminal_controls
from reader.tui.cluster_pages import ClusterPages, ClusterQuery, walk_pages
from reader.tui.store_access import DuplicateLink, group_duplicates, read_together
from reader.tui.textlayout import display_text, wrap_lines

# -- wrapping ------------------------------------------------------------------------------------


def lines_of(text: str, width: int) -> list[str]:
    wrapped = wrap_lines(text, width)
    return [text[a:b] for a, b in zip(wrapped.starts, wrapped.ends)]


def test_wrap_breaks_at_spaces_and_keeps_paragraphs() -> None:
    text = "the quick brown fox jumps over the lazy dog\n\nend"
    assert lines_of(text, 10) == ["the quick", "brown fox", "jumps over", "the lazy", "dog", "", "end"]


def test_wrap_cuts_a_word_longer_than_the_width() -> None:
    assert lines_of("abcdefghij klm", 4) == ["abcd", "efgh", "ij", "klm"]


def test_wrap_counts_wide_characters_as_two_cells() -> None:
    lines = lines_of("日本語のテキストです", 6)
    assert lines == ["日本語", "のテキ", "ストで", "す"]


@pytest.mark.parametrize("width", [1, 7, 33, 80])
def test_wrap_loses_no_character(width: int) -> None:
    rng = random.Random(width)
    words = ["".join(rng.choice("abcdé") for _ in range(rng.randint(1, 15))) for _ in range(400)]
    text = " ".join(words[:200]) + "\n" + " ".join(words[200:])
    lines = lines_of(text, width)
    assert all(len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "").replace("\n", "")


def test_wrap_of_100000_words_is_one_line_per_width_worth() -> None:
    text = " ".join(["word"] * 100_000)
    wrapped = wrap_lines(text, 80)
    assert len(text) / 80 <= len(wrapped) <= len(text) / 76  # whole words, at most 4 cells lost per line
    assert all(b - a <= 80 for a, b in zip(wrapped.starts, wrapped.ends))
    assert wrapped.line_of(len(text) - 1) == len(wrapped) - 1


# -- safe display text ---------------------------------------------------------------------------


def test_display_text_strips_controls_and_maps_offsets() -> None:
    original = "a\x1b[31mred\x1b[0m b \x1b]52;c;SGk=\x07tail\tend"
    shown, offsets = display_text(original)
    assert shown == strip_terminal_controls(original).replace("\t", " ") == "ared b tail end"
    for word in ("red", "tail", "end"):
        start = original.index(word)
        assert shown[offsets.to_display(start) : offsets.to_display(start + len(word))] == word


def test_display_text_of_clean_text_is_the_same_string() -> None:
    text = "Plain text, [bold]markup[/bold] stays as characters."
    shown, offsets = display_text(text)
    assert shown is text and offsets.to_display(10) == 10


# -- keyset pages --------------------------------------------------------------------------------


@pytest.fixture
def many_clusters(stories) -> Path:
    """450 clusters with varied figures, written through the store."""
    writer = stories
    rng = random.Random(3)
    stories = {}
    for i in range(450):
        size = rng.choice((1, 1, 2, 3))
        day = rng.randint(1, 28)
        lang = rng.choice(("en", "en", "fr"))
        stories[f"story {i:03d}"] = [
            writer.prepared(f"a{i}-{k}", f"text {i} {k}", title=f"title {i}", lang=lang, source=f"s{k}", date=f"2024-03-{day:02d}")
            for k in range(size)
        ]
    lib = writer.write(stories)
    with open_library(lib.path) as library, library.transaction():
        for cluster_id in rng.sample(range(1, 451), 100):
            library.set_cluster_read(cluster_id, True)
    return lib.path


@pytest.mark.parametrize(
    "query",
    [ClusterQuery(), ClusterQuery(sort="size"), ClusterQuery(sort="unread"), ClusterQuery(lang="fr"),
     ClusterQuery(unread_only=True, sort="size")],
)
def test_pages_give_the_store_order_one_page_at_a_time(many_clusters: Path, query: ClusterQuery) -> None:
    with open_library(many_clusters) as library:
        expected = [row.id for rows in walk_pages(library.list_clusters, query, page_size=37) for row in rows]
        pages = ClusterPages(query, total=None if query.filtered else library.cluster_count(), page_size=50)
        got = []
        index = 0
        while (row := pages.row(index, library.list_clusters)) is not None:
            got.append(row.id)
            index += 1
        assert got == expected
        assert pages.total == len(expected)
        # one read per page; a list of unknown length needs one more to find its end
        assert pages.fetches == (len(expected) // 50 + 1 if query.filtered else -(-len(expected) // 50))


def test_pages_learnt_from_a_walk_reach_far_rows_with_one_read(many_clusters: Path) -> None:
    with open_library(many_clusters) as library:
        query = ClusterQuery(sort="size")
        pages = ClusterPages(query, total=library.cluster_count(), page_size=50)
        assert pages.row(420, library.list_clusters) is None  # the key of page 8 is not known yet
        first, after = pages.walk_start()
        for rows in walk_pages(library.list_clusters, query, after=after, page_size=120):
            pages.learn(first, rows)
            first += len(rows)
        expected = [row.id for rows in walk_pages(library.list_clusters, query) for row in rows]
        assert pages.row(420, library.list_clusters).id == expected[420]
        assert pages.fetches == 1


def test_find_stops_at_its_page_budget(many_clusters: Path) -> None:
    with open_library(many_clusters) as library:
        pages = ClusterPages(ClusterQuery(), total=library.cluster_count(), page_size=20)
        never = pages.find(lambda row: False, 0, library.list_clusters, max_pages=3)
        assert never == "unknown" and pages.fetches == 3
        rows = [row for rows in walk_pages(library.list_clusters, ClusterQuery()) for row in rows]
        target = next(i for i, row in enumerate(rows) if i > 5 and row.unread_count == 0)
        found = pages.find(lambda row: row.unread_count == 0, 6, library.list_clusters, max_pages=30)
        assert found == target


# -- duplicates ----------------------------------------------------------------------------------


def article(i: int, date: str) -> Article:
    return Article(id=i, external_id=str(i), title=f"t{i}", lang="en", source=f"s{i}", url=None, date=date)


def test_group_duplicates_puts_copies_under_the_earliest() -> None:
    articles = [article(1, "2024-01-02"), article(2, "2024-01-01"), article(3, "2024-01-03"), article(4, "2024-01-04")]
    links = {3: [DuplicateLink(2, "near")], 2: [DuplicateLink(3, "near")], 1: [DuplicateLink(4, "exact")]}
    rows = group_duplicates(articles, links)
    assert [(r.article.id, r.depth, r.relation) for r in rows] == [(1, 0, None), (4, 1, "exact"), (2, 0, None), (3, 1, "near")]


def test_reading_one_copy_reads_exact_and_near_copies_only() -> None:
    library = SimpleNamespace(
        duplicates_of=lambda article_id: [
            SimpleNamespace(other_id=2, kind="exact"),
            SimpleNamespace(other_id=3, kind="near"),
            SimpleNamespace(other_id=4, kind="containment"),
        ]
    )
    assert read_together(library, 1) == [1, 2, 3]  # type: ignore[arg-type]


# -- the sidebar on a big library ----------------------------------------------------------------


async def test_sidebar_reads_a_page_at_a_time_and_jumps_to_the_end(many_clusters: Path) -> None:
    from reader.config import Settings
    from reader.model import ClusterRow
    from reader.tui.app import ReaderApp

    app = ReaderApp(many_clusters, mark_read_after=3600, settings=Settings())
    async with app.run_test(size=(100, 30)) as pilot:
        await app.loaded.wait()
        await pilot.pause()
        sidebar = app.main_screen.sidebar
        assert sidebar.cluster_count == 450
        assert sidebar.pages.fetches == 0  # the worker that opened the library read the first page
        sidebar.page_size = 50  # small pages, so the end is several pages away
        sidebar.set_query(ClusterQuery())
        await pilot.press("G")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("G")  # the walker learnt the keys: now the last row is one read away
        await pilot.pause()
        assert sidebar.cursor == 449
        with open_library(many_clusters) as library:
            last = [row for rows in walk_pages(library.list_clusters, ClusterQuery()) for row in rows][-1]
        entry = sidebar.current_entry()
        assert isinstance(entry, ClusterRow) and entry.id == last.id
        assert sidebar.pages.fetches < 450 // 50


def test_palette_highlight_never_reads_names_as_markup() -> None:
    from textual.fuzzy import Matcher

    from reader.tui.commands import plain_highlight

    shown = plain_highlight(Matcher("evil"), "Stories mentioning [bold]Evil[/bold] Corp")
    assert shown.plain == "Stories mentioning [bold]Evil[/bold] Corp"
    assert shown.spans  # the matched letters are still marked


async def test_u_finds_a_far_unread_cluster_through_a_worker(many_clusters: Path) -> None:
    from reader.config import Settings
    from reader.tui.app import ReaderApp
    from reader.tui.widgets.sidebar import FIND_PAGES_ON_UI_THREAD

    with open_library(many_clusters) as library:
        ordered = [row for rows in walk_pages(library.list_clusters, ClusterQuery()) for row in rows]
        with library.transaction():
            for row in ordered[:150]:
                library.set_cluster_read(row.id, True)
        unread_after = [i for i, row in enumerate(ordered) if i >= 150 and library.get_cluster(row.id).unread_count > 0]
    app = ReaderApp(many_clusters, mark_read_after=3600, settings=Settings())
    async with app.run_test(size=(100, 30)) as pilot:
        await app.loaded.wait()
        await pilot.pause()
        sidebar = app.main_screen.sidebar
        sidebar.page_size = 20  # 150 read rows are 7 pages: more than the UI thread reads for `u`
        sidebar.set_query(ClusterQuery())
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert sidebar.expanded is not None
        assert sidebar.expanded.cluster_index == unread_after[0]
        assert sidebar.expanded.cluster.id == ordered[unread_after[0]].id
        # the UI thread read the first page, its budget for `u` and the pages it landed on;
        # walking there alone would have taken all 8 pages up to row 150
        assert sidebar.pages.fetches <= 1 + FIND_PAGES_ON_UI_THREAD + 2 < 150 // 20 + 1


async def test_a_filtered_list_is_counted_by_a_worker(many_clusters: Path) -> None:
    from reader.config import Settings
    from reader.tui.app import ReaderApp

    with open_library(many_clusters) as library:
        unread = sum(len(rows) for rows in walk_pages(library.list_clusters, ClusterQuery(unread_only=True)))
    app = ReaderApp(many_clusters, mark_read_after=3600, settings=Settings())
    async with app.run_test(size=(100, 30)) as pilot:
        await app.loaded.wait()
        await pilot.pause()
        sidebar = app.main_screen.sidebar
        sidebar.page_size = 20
        app.main_screen.set_query(ClusterQuery(unread_only=True))
        assert sidebar.pages.total is None and "counting" in app.main_screen.sub_title
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert sidebar.pages.total == unread == 350
        assert app.main_screen.sub_title.startswith(f"{unread} clusters")
