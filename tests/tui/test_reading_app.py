"""The reading app driven by Pilot: every binding and flow, asserted on widgets and the store."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from reader.config import Settings
from reader.model import ClusterRow
from reader.store import open_library
from reader.tui.app import ReaderApp
from reader.tui.keys import binding_ids
from reader.tui.store_access import ArticleRow
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.sidebar import Sidebar

SIZE = (140, 40)


def make_app(path: Path, **options) -> ReaderApp:
    options.setdefault("mark_read_after", 3600)
    options.setdefault("settings", Settings())
    return ReaderApp(path, **options)


async def ready(app: ReaderApp, pilot) -> None:
    await app.loaded.wait()
    await pilot.pause()


async def settle(app: ReaderApp, pilot) -> None:
    """Let timers, the writer thread and workers finish, then process what they posted."""
    await pilot.pause()
    await app.writer.idle()
    await app.workers.wait_for_complete()
    await pilot.pause()


def cluster_labels(app: ReaderApp) -> list[str]:
    sidebar = app.main_screen.sidebar
    labels = []
    for row in range(sidebar.row_count):
        entry = sidebar.entry(row)
        if isinstance(entry, ClusterRow):
            labels.append(entry.label)
    return labels


# -- start-up and moving -------------------------------------------------------------------------


async def test_start_lists_every_cluster_in_latest_order(story_library) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert cluster_labels(app) == [
            "Oracle wins the TikTok partnership",
            "ByteDance and Oracle cooperate",
            "TikTok chooses Oracle",
            "Untrusted [b]markup[/b]",
        ]
        assert "4 clusters" in app.main_screen.sub_title
        assert app.focused is app.main_screen.sidebar


async def test_j_k_and_arrows_move_the_cursor(story_library) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        sidebar = app.main_screen.sidebar
        await pilot.press("j", "j")
        assert sidebar.cursor == 2
        await pilot.press("k")
        assert sidebar.cursor == 1
        await pilot.press("down", "down", "down", "down")  # stops at the last row
        assert sidebar.cursor == 3
        await pilot.press("up")
        assert sidebar.cursor == 2
        await pilot.press("g")
        assert sidebar.cursor == 0
        await pilot.press("G")
        assert sidebar.cursor == 3
        await pilot.press("home", "pagedown")
        assert sidebar.cursor == 3
        await pilot.press("pageup")
        assert sidebar.cursor == 0


async def test_enter_opens_a_cluster_and_its_first_unread_article(story_library) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("enter")
        main = app.main_screen
        sidebar = main.sidebar
        assert sidebar.expanded is not None and sidebar.expanded.cluster.label == "Oracle wins the TikTok partnership"
        assert [r.article.source for r in sidebar.expanded.rows] == ["Wire", "Journal", "Copy News"]  # by date
        assert main.article is not None and main.article.id == story_library.ids["en-1"]
        assert main.article_view.text.startswith("TikTok: Oracle has surpassed the Microsoft pole\nWire · 2020-09-14 · en")
        assert isinstance(sidebar.current_entry(), ArticleRow)
        # enter on another article row opens it
        await pilot.press("j", "enter")
        assert main.article.id == story_library.ids["fr-1"]
        # left closes the cluster; enter on the cluster row toggles it
        await pilot.press("left")
        assert sidebar.expanded is None and sidebar.cursor == 0
        await pilot.press("right")
        assert sidebar.expanded is not None
        await pilot.press("k", "enter")
        assert sidebar.expanded is None


async def test_brackets_step_through_the_articles_of_the_story(story_library) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        ids = story_library.ids
        main = app.main_screen
        await pilot.press("enter")
        await pilot.press("right_square_bracket")
        assert main.article.id == ids["fr-1"]
        assert main.sidebar.current_entry().article.id == ids["fr-1"]
        await pilot.press("right_square_bracket", "right_square_bracket")  # the last one stays
        assert main.article.id == ids["en-copy"]
        await pilot.press("left_square_bracket")
        assert main.article.id == ids["fr-1"]


async def test_tab_switches_panes(story_library, fake_entities) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        main = app.main_screen
        await pilot.press("enter", "tab")
        assert app.focused is main.article_view
        await pilot.press("tab")
        assert app.focused is main.sidebar
        await pilot.press("e")  # the entity panel joins the cycle
        await pilot.pause()
        assert app.focused is main.entity_panel.entity_list
        await pilot.press("tab")
        assert app.focused is main.sidebar
        await pilot.press("shift+tab")
        assert app.focused is main.entity_panel.entity_list


# -- read state ----------------------------------------------------------------------------------


async def test_article_is_marked_read_after_a_moment_with_its_copies(fake_duplicates) -> None:
    ids = fake_duplicates.ids
    app = make_app(fake_duplicates.path, mark_read_after=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("enter")
        await pilot.pause(0.2)
        await settle(app, pilot)
        with open_library(fake_duplicates.path) as library:
            read = {name: library.get_article(i, with_text=False).read for name, i in ids.items()}
            cluster = library.get_cluster(fake_duplicates.clusters["Oracle wins the TikTok partnership"])
        # the exact copy is read with it; the French containment is not; others untouched
        assert read == {"en-1": True, "en-copy": True, "fr-1": False, "en-2": False, "en-3": False, "evil": False}
        assert cluster.unread_count == 1
        sidebar = app.main_screen.sidebar
        assert sidebar.entry(0).unread_count == 1  # the sidebar shows the stored figure
        assert [r.article.read for r in sidebar.expanded.rows] == [True, False, True]


class RecordedTimer:
    def __init__(self, callback) -> None:
        self.callback = callback
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


async def test_leaving_before_the_moment_keeps_it_unread(story_library, monkeypatch) -> None:
    """The mark-read timer of an article is stopped when another opens (timers recorded, fired by hand)."""
    from reader.tui.screens.main import MainScreen

    timers: list[RecordedTimer] = []

    def set_timer(self, delay, callback):
        timers.append(RecordedTimer(callback))
        return timers[-1]

    monkeypatch.setattr(MainScreen, "set_timer", set_timer)
    app = make_app(story_library.path, mark_read_after=2.0)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("enter", "j", "enter")  # opened en-1, then fr-1
        first, second = timers
        assert first.stopped and not second.stopped
        first.callback()  # even if it fired late, it would not mark the article that is no longer open
        second.callback()
        await settle(app, pilot)
        with open_library(story_library.path) as library:
            assert not library.get_article(story_library.ids["en-1"], with_text=False).read
            assert library.get_article(story_library.ids["fr-1"], with_text=False).read


async def test_m_toggles_an_article_and_M_a_whole_cluster(story_library) -> None:
    ids, clusters = story_library.ids, story_library.clusters
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("enter", "j", "m")  # cursor on fr-1
        await settle(app, pilot)
        with open_library(story_library.path) as library:
            assert library.get_article(ids["fr-1"], with_text=False).read
            assert not library.get_article(ids["en-1"], with_text=False).read
        await pilot.press("m")
        await settle(app, pilot)
        with open_library(story_library.path) as library:
            assert not library.get_article(ids["fr-1"], with_text=False).read
        await pilot.press("M")
        await settle(app, pilot)
        with open_library(story_library.path) as library:
            assert library.get_cluster(clusters["Oracle wins the TikTok partnership"]).unread_count == 0
            assert all(a.read for a in library.cluster_articles(clusters["Oracle wins the TikTok partnership"]))
        await pilot.press("M")
        await settle(app, pilot)
        with open_library(story_library.path) as library:
            assert library.get_cluster(clusters["Oracle wins the TikTok partnership"]).unread_count == 3


async def test_u_opens_the_next_unread_cluster(story_library) -> None:
    app = make_app(story_library.path)
    with open_library(story_library.path) as library, library.transaction():
        library.set_cluster_read(story_library.clusters["ByteDance and Oracle cooperate"], True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        main = app.main_screen
        await pilot.press("u")  # from the first row: the next unread after it skips the read one
        assert main.sidebar.expanded.cluster.label == "TikTok chooses Oracle"
        assert main.article.id == story_library.ids["en-3"]
        await pilot.press("u")
        assert main.sidebar.expanded.cluster.label == "Untrusted [b]markup[/b]"
        await pilot.press("u")  # wraps around to the top
        assert main.sidebar.expanded.cluster.label == "Oracle wins the TikTok partnership"


async def test_s_stars_and_S_filters_starred(story_library) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("j", "s")  # star the ByteDance cluster
        await settle(app, pilot)
        with open_library(story_library.path) as library:
            assert library.get_cluster(story_library.clusters["ByteDance and Oracle cooperate"]).starred
        await pilot.press("S")
        await settle(app, pilot)
        assert cluster_labels(app) == ["ByteDance and Oracle cooperate"]
        await pilot.press("S")
        await settle(app, pilot)
        assert len(cluster_labels(app)) == 4


# -- sort and filters ----------------------------------------------------------------------------


async def test_o_cycles_the_sort(story_library) -> None:
    app = make_app(story_library.path)
    with open_library(story_library.path) as library, library.transaction():
        library.set_read([story_library.ids["en-1"]], True)
        library.refresh_cluster_stats(story_library.clusters.values())
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        sidebar = app.main_screen.sidebar
        await pilot.press("o")
        await settle(app, pilot)
        assert sidebar.query.sort == "size"
        assert cluster_labels(app)[0] == "Oracle wins the TikTok partnership"  # 3 articles
        await pilot.press("o")
        await settle(app, pilot)
        assert sidebar.query.sort == "unread"
        with open_library(story_library.path) as library:
            expected = [c.label for c in library.list_clusters(sort="unread", limit=10)]
        assert cluster_labels(app) == expected
        await pilot.press("o")
        assert sidebar.query.sort == "latest"


async def test_U_L_and_C_filter_the_list(story_library) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert app.languages == ["en", "fr"]  # from the stories read so far; all of them are counted in a worker
        await settle(app, pilot)
        assert app._languages == ["en", "fr"]
        await pilot.press("j", "M")  # ByteDance read
        await settle(app, pilot)
        await pilot.press("U")
        await settle(app, pilot)
        assert "ByteDance and Oracle cooperate" not in cluster_labels(app)
        assert len(cluster_labels(app)) == 3
        assert app.main_screen.sub_title.startswith("3 clusters")  # counted, not "counting…"
        await pilot.press("C", "L")  # clear, then the first language (en)
        await settle(app, pilot)
        assert app.main_screen.sidebar.query.lang == "en"
        await pilot.press("L")
        await settle(app, pilot)
        assert app.main_screen.sidebar.query.lang == "fr"
        assert cluster_labels(app) == ["Oracle wins the TikTok partnership"]
        assert "lang fr" in app.main_screen.sub_title
        await pilot.press("C")
        await settle(app, pilot)
        assert len(cluster_labels(app)) == 4


# -- article pane --------------------------------------------------------------------------------


async def test_find_in_article_with_n_and_N(story_library) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("enter", "slash")
        await pilot.pause()
        await pilot.press(*"oracle")
        view = app.main_screen.article_view
        expected = view.text.lower().count("oracle")
        assert expected >= 3 and view.match_count == expected
        await pilot.press("enter")
        assert app.focused is view and view.current_match == 0
        await pilot.press("n", "n")
        assert view.current_match == 2
        await pilot.press("N")
        assert view.current_match == 1
        await pilot.press("escape")
        assert view.match_count == 0


async def test_find_moves_the_view_to_a_far_match(story_library) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter", "slash")
        await pilot.pause()
        await pilot.press(*"silicon valley", "enter")  # words from the last paragraph
        view = app.main_screen.article_view
        assert view.match_count == 1
        line = next(i for i in range(view.line_count) if "silicon" in view.line_text(i).lower())
        assert line in view.visible_lines() and view.scroll_offset.y > 0


async def test_h_toggles_entity_highlights_and_r_raw_text(story_library, fake_entities) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("enter")
        view = app.main_screen.article_view
        assert "entities" in view._layers
        classes = {cls for span in view._layers["entities"].spans for cls in [span[2]]}
        assert classes == {"article--entity-org", "article--entity-person"}  # Oracle ..., Donald Trump
        oracle = view.text.index("Oracle", view.text.index("\n\n"))
        assert any(a <= oracle < b and cls == "article--entity-org" for a, b, cls in view._layers["entities"].spans)
        await pilot.press("h")
        assert "entities" not in view._layers and not view.highlight_entities
        await pilot.press("h", "r")
        assert view.raw and "raw text" in view.text.split("\n")[1]
        assert "entities" not in view._layers  # spans are offsets into the clean text


async def test_pane_scrolls_by_line_and_page(story_library) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter", "tab")
        view = app.main_screen.article_view
        await pilot.press("j", "j")
        assert view.scroll_offset.y == 2
        await pilot.press("k")
        assert view.scroll_offset.y == 1
        await pilot.press("pagedown")
        assert view.scroll_offset.y == 1 + view.scrollable_content_region.height - 1
        await pilot.press("space", "b")
        assert view.scroll_offset.y == 1 + view.scrollable_content_region.height - 1
        await pilot.press("G")
        assert view.scroll_offset.y == view.max_scroll_y > 0
        await pilot.press("g")
        assert view.scroll_offset.y == 0


# -- entity panel --------------------------------------------------------------------------------


async def test_entity_panel_lists_jumps_and_filters(story_library, fake_entities) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        main = app.main_screen
        await pilot.press("enter", "e")
        await pilot.pause()
        panel = main.entity_panel
        names = [e.name for e in panel.entities]
        text = main.article.text
        assert set(names) == {n for n in fake_entities if n in text}
        assert [e.count for e in panel.entities] == sorted((e.count for e in panel.entities), reverse=True)
        top = panel.entities[0]
        assert top.count == text.count(top.name)
        await pilot.press("enter")  # first mention
        view = main.article_view
        (focus,) = view._layers["focus"].spans
        assert view.text[focus[0] : focus[1]] == top.name
        await pilot.press("enter")  # the next one
        (second,) = view._layers["focus"].spans
        assert second[0] > focus[0] and view.text[second[0] : second[1]] == top.name
        await pilot.press("c")  # cluster scope
        await pilot.pause()
        assert panel.scope == "cluster" and panel.entities
        # filter the sidebar to the clusters mentioning "ByteDance"
        index = [e.name for e in panel.entities].index("ByteDance")
        panel.entity_list.highlighted = index
        await pilot.press("f")
        await settle(app, pilot)
        with open_library(story_library.path) as library:
            expected = {a.cluster_id for a in library.iter_articles() if "ByteDance" in (library.get_article(a.id).text or "")}
        assert set(main.sidebar.query.cluster_ids) == expected
        assert {c for c in cluster_labels(app)} == {
            label for label, cid in story_library.clusters.items() if cid in expected
        }
        assert "mentions ByteDance" in main.sub_title
        await pilot.press("e")
        assert not main.has_class("-entities")


# -- search, palette, help, quit -----------------------------------------------------------------


async def test_library_search_opens_a_result(story_library) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert type(app.screen).__name__ == "SearchScreen"
        await pilot.press(*"Redmond")
        await settle(app, pilot)
        screen = app.screen
        assert [hit.article.id for hit in screen.hits] == [story_library.ids["fr-1"]]
        await pilot.press("enter", "enter")
        await pilot.pause()
        main = app.main_screen
        assert app.screen is main
        assert main.article.id == story_library.ids["fr-1"]
        assert main.sidebar.expanded.cluster.label == "Oracle wins the TikTok partnership"


async def test_command_palette_offers_filters_and_search(story_library) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"only unread")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.main_screen.sidebar.query.unread_only
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"theme: light")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "textual-light"


async def test_help_lists_every_binding(story_library) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert type(help_screen).__name__ == "HelpScreen"
        listed = {row.binding_id for row in help_screen.rows}
        assert listed == binding_ids(app.key_sections())
        for owner_section, owner in app.key_sections():
            for binding in owner.BINDINGS:
                assert binding.id and binding.description, (owner_section, binding)
        await pilot.press("escape")
        assert app.screen is app.main_screen


async def test_q_quits(story_library) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_keymap_from_the_config_rebinds_keys(story_library) -> None:
    settings = Settings(keys={"sidebar.down": "ctrl+n", "no.such.binding": "x"})
    app = make_app(story_library.path, settings=settings)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(app, pilot)
        sidebar = app.main_screen.sidebar
        await pilot.press("ctrl+n")
        assert sidebar.cursor == 1
        await pilot.press("j")  # no longer bound
        assert sidebar.cursor == 1
        assert any("no.such.binding" in str(n.message) for n in app._notifications)


async def test_config_file_theme_and_keys(story_library, tmp_path, monkeypatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('theme = "light"\n[keys]\n"app.help" = "f1"\n', encoding="utf-8")
    monkeypatch.setenv("READER_CONFIG", str(config))
    app = ReaderApp(story_library.path, mark_read_after=3600)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert app.theme == "textual-light"
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"


# -- diff and export -----------------------------------------------------------------------------


async def test_d_diffs_with_the_closest_duplicate_or_two_picked_articles(fake_duplicates) -> None:
    pytest.importorskip("reader.tui.screens.diff")
    ids = fake_duplicates.ids
    app = make_app(fake_duplicates.path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("enter", "d")
        await settle(app, pilot)
        screen = app.screen
        assert type(screen).__name__ == "DiffScreen"
        assert (screen.article_a_id, screen.article_b_id) == (ids["en-1"], ids["en-copy"])
        app.pop_screen()
        await pilot.pause()
        await pilot.press("space", "j", "space", "d")  # pick en-1 and fr-1
        await settle(app, pilot)
        assert (app.screen.article_a_id, app.screen.article_b_id) == (ids["en-1"], ids["fr-1"])


async def test_d_without_any_duplicate_says_so(story_library, monkeypatch) -> None:
    from reader.store import Library

    monkeypatch.setattr(Library, "closest_duplicate", lambda self, article_id: None, raising=False)
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(app, pilot)
        await pilot.press("j", "enter", "d")
        await pilot.pause()
        assert app.screen is app.main_screen
        assert any("No duplicate" in str(n.message) for n in app._notifications)


async def test_x_opens_the_export_prompt_when_installed(story_library) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(app, pilot)
        await pilot.press("x")
        await pilot.pause()
        try:
            import reader.tui.screens.export_prompt  # noqa: F401
        except ImportError:
            assert any("Export is not available" in str(n.message) for n in app._notifications)
        else:
            assert app.screen is not app.main_screen


# -- layout, mouse, colours ----------------------------------------------------------------------


async def test_resize_rewraps_and_adapts(story_library) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        main = app.main_screen
        await pilot.press("enter")
        view = main.article_view
        assert main.has_class("-narrow")
        narrow = view.scrollable_content_region.width
        assert all(len(view.line_text(i)) <= narrow for i in range(view.line_count))
        lines_narrow = view.line_count
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        assert main.has_class("-wide")
        wide = view.scrollable_content_region.width
        assert wide > narrow
        assert all(len(view.line_text(i)) <= wide for i in range(view.line_count))
        assert view.line_count < lines_narrow
        assert main.sidebar.region.width >= 30


async def test_entity_panel_takes_the_sidebar_place_at_80_columns(story_library, fake_entities) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        main = app.main_screen
        await pilot.press("enter", "e")
        await pilot.pause()
        assert main.entity_panel.region.width > 0
        assert main.sidebar.region.width == 0
        assert main.article_view.region.width >= 40


async def test_mouse_click_opens_a_cluster(story_library) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.click(Sidebar, offset=(4, 2))  # the second cluster's first line
        await pilot.pause()
        main = app.main_screen
        assert main.sidebar.expanded.cluster.label == "ByteDance and Oracle cooperate"
        assert main.article.id == story_library.ids["en-2"]


async def test_no_color_switches_highlights_to_text_styles(story_library, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert app.no_color and app.main_screen.has_class("-no-color")
        view = app.main_screen.article_view
        assert view.get_component_rich_style("article--entity-person", partial=True).underline


# -- untrusted text ------------------------------------------------------------------------------


async def open_evil(app: ReaderApp, pilot) -> ArticleView:
    await ready(app, pilot)
    await pilot.press("G", "enter")
    return app.main_screen.article_view


async def test_markup_in_article_text_shows_literally(story_library) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_evil(app, pilot)
        shown = " ".join(view.line_text(i) for i in range(view.line_count))
        assert "[bold red]not bold[/]" in shown and "[link=https://evil.example]not a link[/link]" in shown
        # and what reaches the screen is the same characters, unstyled
        strips = [view.render_line(y) for y in range(view.scrollable_content_region.height)]
        screen_text = "\n".join(s.text for s in strips)
        assert "[bold red]not bold[/]" in screen_text
        bold = [seg for s in strips for seg in s if "not bold" in seg.text and seg.style and seg.style.bold]
        assert not bold
        assert all(seg.style is None or seg.style.link is None for s in strips for seg in s)
        assert app.main_screen.sidebar.entry(app.main_screen.sidebar.cursor - 1).label == "Untrusted [b]markup[/b]"


async def test_escape_sequences_and_controls_are_stripped(story_library) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_evil(app, pilot)
        assert "\x1b" not in view.text and view.text.split("\n")[0] == "Evil title [i]x[/i]"
        await pilot.press("r")  # the raw text holds real escapes
        text = view.text
        for bad in ("\x1b", "\x07", "\x08", "\x9b", "pwned", "SGVsbG8"):
            assert bad not in text
        assert "Colour red and a title  and a clipboard  write." in text
        strips = [view.render_line(y) for y in range(view.scrollable_content_region.height)]
        assert all(not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in s.text) for s in strips)


async def test_a_100000_character_line_wraps_and_pages(stories) -> None:
    word_line = " ".join(["word"] * 20_000)  # 99,999 characters, one paragraph
    solid = "x" * 100_000  # no space to break at
    lib = stories.write({"Long lines": [
        stories.prepared("words", word_line, title="Long words"),
        stories.prepared("solid", solid, title="Solid"),
    ]})
    app = make_app(lib.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        main = app.main_screen
        await pilot.press("enter")
        view = main.article_view
        width = view.scrollable_content_region.width
        assert view.line_count >= len(word_line) // width
        await pilot.press("tab", *["pagedown"] * 5, "G")
        assert view.scroll_offset.y == view.max_scroll_y
        last = view.line_text(view.line_count - 1)
        assert last.strip() == "word" or last.endswith("word")
        await pilot.press("right_square_bracket")
        assert main.article.external_id == "solid"
        lines = [view.line_text(i) for i in range(view.line_count)]
        assert lines.count("x" * width) == 100_000 // width  # cut at the width, nothing lost
        assert lines[-1] == "x" * (100_000 % width or width)
        await pilot.press("G")
        await pilot.pause()
        assert view.render_line(0).text.startswith("x")


def test_tui_start_up_does_not_import_the_pipeline() -> None:
    import subprocess

    code = (
        "import sys, reader.tui.app\n"
        "heavy = [m for m in ('trafilatura', 'feedparser', 'langdetect', 'numpy', 'reader.pipeline') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


# -- annotations (screens from the annotations area, wired here) ---------------------------------


async def test_annotations_show_as_highlights_and_A_jumps_to_one(story_library) -> None:
    pytest.importorskip("reader.tui.screens.annotations")
    fr = story_library.ids["fr-1"]
    with open_library(story_library.path) as library:
        text = library.get_article(fr).text
        start = text.index("Redmond")
        annotation = library.create_annotation(fr, start, start + len("Redmond"), note="who?")
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("A")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "AnnotationsScreen"
        await pilot.press("down", "enter")
        await settle(app, pilot)
        main = app.main_screen
        assert app.screen is main and main.article.id == fr
        view = main.article_view
        (highlight,) = view._layers["annotations"].spans
        assert view.text[highlight[0] : highlight[1]] == "Redmond" and highlight[2] == "article--annotation"
        (focus,) = view._layers["focus"].spans
        assert focus[:2] == highlight[:2]
        line = view._wrapped().line_of(focus[0])
        assert line in view.visible_lines() and app.focused is view
        assert annotation.article_id == fr


async def test_offset_at_maps_the_screen_to_clean_text_offsets(story_library) -> None:
    """The hook the annotations' selection mode builds on: a click position to a text offset."""
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("enter")
        view = app.main_screen.article_view
        text = app.main_screen.article.text
        body_line = next(i for i in range(view.line_count) if view.line_text(i) and text.startswith(view.line_text(i)[:20]))
        left = view.styles.gutter.left
        assert view.offset_at(left, body_line) == 0
        assert view.offset_at(left + 7, body_line) == 7
        assert view.offset_at(left, 0) is None  # the title is not article text
        second = body_line + 1
        start = text.index(view.line_text(second)[:30])
        assert view.offset_at(left + 3, second) == start + 3


async def test_a_slow_open_draws_first_then_fills_in(story_library, monkeypatch) -> None:
    import threading

    import reader.tui.app as app_module

    release = threading.Event()
    real_open = app_module.open_library

    def held_open(path):
        release.wait(10)  # held until the test has seen the first frame
        return real_open(path)

    monkeypatch.setattr(app_module, "open_library", held_open)
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        main = app.main_screen
        assert not app.loaded.is_set() and main.query_one("#title-bar").status == "opening library…"
        assert main.sidebar.row_count == 0
        release.set()
        await ready(app, pilot)
        assert len(cluster_labels(app)) == 4 and "4 clusters" in main.sub_title


async def test_a_library_that_cannot_open_is_reported(tmp_path) -> None:
    bad = tmp_path / "not-a-library.sqlite3"
    bad.write_bytes(b"this is not sqlite" * 100)
    app = make_app(bad)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("Cannot open the library" in str(n.message) for n in app._notifications)
        assert not app.loaded.is_set()
