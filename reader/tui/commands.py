"""Command palette (ctrl+p): library search, sort and filters, themes, export, panes.

Whatever is typed can also be run as a library-wide search ("Search the library for …").
Texts that hold what the user typed are built as plain ``Content``, never markup.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from reader.text.terminal_safety import safe_line

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp
    from reader.tui.screens.main import MainScreen

Command = tuple[str, str, Callable[[], object]]


class ReaderCommands(Provider):
    @property
    def reader_app(self) -> "ReaderApp":
        return self.app  # type: ignore[return-value]

    def _main(self) -> "MainScreen | None":
        return self.reader_app.main_screen

    def commands(self) -> list[Command]:
        app = self.reader_app
        main = self._main()
        out: list[Command] = []
        if main is not None:
            query = main.sidebar.query
            out += [
                ("Search the library…", "full-text search over every article", main.action_search),
                ("Next unread story", "open the next cluster with unread articles", main.action_next_unread),
                ("Sort: latest first", "order stories by their newest article", partial(main.set_query, query.with_(sort="latest"))),
                ("Sort: largest first", "order stories by how many articles they hold", partial(main.set_query, query.with_(sort="size"))),
                ("Sort: most unread first", "order stories by unread articles", partial(main.set_query, query.with_(sort="unread"))),
                (
                    "Filter: only unread" if not query.unread_only else "Filter: read and unread",
                    "show only stories with unread articles" if not query.unread_only else "drop the unread filter",
                    main.action_filter_unread,
                ),
                (
                    "Filter: only starred" if not query.starred_only else "Filter: starred and not",
                    "show only starred stories and articles" if not query.starred_only else "drop the starred filter",
                    main.action_filter_starred,
                ),
            ]
            for lang in app.languages:
                out.append((f"Filter: language {lang}", f"stories with an article in {lang}", partial(main.set_query, query.with_(lang=lang))))
            for entity in main.article_entity_choices():
                out.append(
                    (f"Stories mentioning {safe_line(entity.name, 60)}", f"filter the list ({entity.type.lower()})",
                     partial(main.filter_by_entity, entity))
                )
            out += [
                ("Filter: clear all", "every story, keep the sort", main.action_clear_filters),
                ("Toggle entity panel", "entities of the article or story, with counts", main.action_toggle_entities),
                ("Toggle entity highlighting", "colour people, organisations and places", main.action_toggle_highlights),
                ("Toggle raw text", "the text as imported, or cleaned", main.action_toggle_raw),
                ("Highlights of this article", "the side list of the open article's highlights and notes", main.action_toggle_notes),
                ("Select text to highlight", "selection mode in the article (v); a highlights", main.action_start_selection),
                ("Star or unstar this article", "the open article", main.action_star_open_article),
                ("Find in article", "search the open article (n / N for next / previous)", main.action_find),
                ("Diff with closest duplicate", "what changed between two versions", main.action_diff),
            ]
        out += [
            ("Theme: dark", "the default dark theme", partial(app.set_theme, "textual-dark")),
            ("Theme: light", "the default light theme", partial(app.set_theme, "textual-light")),
            ("Export annotations…", "highlights and notes as Markdown, JSON or CSV", app.action_export),
            ("Keys (help)", "every key binding", app.action_help),
        ]
        return out

    async def discover(self) -> Hits:
        for name, help_text, callback in self.commands():
            yield DiscoveryHit(Content(name), callback, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, plain_highlight(matcher, name), callback, text=name, help=help_text)
        main = self._main()
        if main is not None and query.strip():
            label = f"Search the library for “{query.strip()}”"
            yield Hit(0.05, Content(label), partial(main.search_library, query.strip()), text=label, help="full-text search")


def plain_highlight(matcher: Matcher, candidate: str) -> Content:
    """``Matcher.highlight`` without reading the candidate as markup (names come from articles)."""
    content = Content(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if not score:
        return content
    for offset in offsets:
        if not candidate[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
