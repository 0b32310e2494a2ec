"""Command line: parse arguments, call the domain, print with rich. No logic of its own.

``reader`` alone opens the app; subcommands do the same work from scripts.
Every listing command has ``--json`` with a stable contract (see Article.to_json).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from reader import __version__
from reader.config import Limits, load_settings, resolve_library_path
from reader.model import IngestProblem
from reader.store import Library, StoreError, open_library
from reader.text.snippets import plain_snippet, snippet_text
from reader.text.terminal_safety import safe_line, strip_terminal_controls, terminal_safe_json

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

Handler = Callable[[argparse.Namespace, Library], int]


class UsageError(Exception):
    """A mistake in the command line that the user can fix; printed as one line."""


# -- helpers -----------------------------------------------------------------------------------


def open_for(args: argparse.Namespace, *, add_sample_if_new: bool = True) -> Library:
    """Open the library; a brand-new one starts with the bundled sample (except for import)."""
    path = resolve_library_path(args.library)
    library = open_library(path)
    if library.backup is not None:
        err.print(Text(f"reader: library upgraded to schema {library.schema_version}; backup kept at {library.backup}"))
    if library.created and add_sample_if_new:
        from reader.sample import add_sample

        report = add_sample(library)
        err.print(
            Text(
                f"reader: new library at {path}: added the bundled sample ({report.imported} articles). "
                "Remove it with: reader sample --remove"
            )
        )
    return library


def print_json(value: Any) -> None:
    """The exact values; characters a terminal would act on or hide are \\u-escaped."""
    sys.stdout.write(terminal_safe_json(json.dumps(value, ensure_ascii=False, indent=None)))
    sys.stdout.write("\n")


def stream_json_array(items: Iterable[dict[str, Any]]) -> None:
    """Write a JSON array item by item, so memory stays flat however long it is."""
    write = sys.stdout.write
    write("[")
    first = True
    for item in items:
        write("\n" if first else ",\n")
        write(terminal_safe_json(json.dumps(item, ensure_ascii=False)))
        first = False
    write("\n]\n" if not first else "]\n")


def cell(value: object, width: int | None = None) -> Text:
    """A table cell from untrusted text: controls stripped, never parsed as markup."""
    return Text(safe_line(None if value is None else str(value), width))


TABLE_SLICE = 1000


def print_table(columns: Sequence[str], rows: Iterable[Sequence[Text | str]], *, empty: str) -> int:
    """Print rows under a header, a slice of TABLE_SLICE rows at a time so that a listing of
    100,000 rows never builds one huge table; says ``empty`` on stderr when there is no row.
    Returns the number of rows printed."""

    def new_table(header: bool) -> Table:
        table = Table(*columns, box=None, pad_edge=False, show_header=header)
        return table

    table = new_table(True)
    shown = 0
    for row in rows:
        table.add_row(*row)
        shown += 1
        if table.row_count >= TABLE_SLICE:
            out.print(table)
            table = new_table(False)
    if table.row_count:
        out.print(table)
    if not shown:
        err.print(empty)
    return shown


def print_problem(problem: IngestProblem) -> None:
    prefix = "warning" if problem.warning else "error"
    err.print(Text(f"{prefix}: {safe_line(str(problem))}"), style="yellow" if problem.warning else "red")


# -- commands ----------------------------------------------------------------------------------


def cmd_import(args: argparse.Namespace, library: Library) -> int:
    from reader.commands.reindex import run_reindex
    from reader.pipeline import import_inputs
    from reader.reindex import pending_indexes

    if pending := pending_indexes(library):  # an upgraded library: index what it holds first
        run_reindex(library, pending)

    settings = load_settings()
    limits = Limits(
        max_file_bytes=args.max_file_size or settings.limits.max_file_bytes,
        max_article_chars=args.max_article_chars or settings.limits.max_article_chars,
        max_feed_items=args.max_feed_items or settings.limits.max_feed_items,
    )
    progress_cb = None
    progress = None
    if err.is_terminal and not args.quiet:
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        progress = Progress(
            SpinnerColumn(), TextColumn("importing"), BarColumn(), TextColumn("{task.completed:,} articles"),
            TimeElapsedColumn(), console=err, transient=True,
        )
        task = progress.add_task("import", total=None)
        progress.start()

        def progress_cb(done: int) -> None:
            progress.update(task, completed=done)

    try:
        report = import_inputs(
            library,
            args.inputs,
            limits=limits,
            workers=args.workers,
            batch_size=max(1, args.batch_size),
            on_problem=print_problem,
            on_progress=progress_cb,
        )
    except KeyboardInterrupt:
        if progress:
            progress.stop()
        err.print("reader: import interrupted; what was committed is kept. Run the same import again to finish.")
        return 130
    finally:
        if progress:
            progress.stop()
    summary = f"imported {report.imported}, updated {report.updated}, skipped {report.skipped}, failed {report.failed}"
    if args.json:
        print_json(
            {
                "imported": report.imported,
                "updated": report.updated,
                "skipped": report.skipped,
                "failed": report.failed,
                "problems": [str(p) for p in report.problems],
            }
        )
    else:
        err.print(summary)
    return 1 if report.failed and not (report.imported or report.updated or report.skipped) else 0


def cmd_list(args: argparse.Namespace, library: Library) -> int:
    articles = library.iter_articles(limit=args.limit, include_sections=not args.no_sections)
    if args.json:
        stream_json_array(a.to_json() for a in articles)
        return 0
    rows = (
        (str(a.id), cell((a.date or "")[:10]), cell(a.lang), cell(a.source, 24), cell(a.title, 80)) for a in articles
    )
    print_table(("id", "date", "lang", "source", "title"), rows, empty="no articles")
    return 0


def article_json(library: Library, article_id: int) -> dict[str, Any]:
    """The full `show --json` object; other areas add keys (entities, annotations)."""
    article = library.get_article(article_id)
    assert article is not None
    data = article.to_json(with_text=True)
    for extra in SHOW_JSON_EXTRAS:
        data.update(extra(library, article_id))
    return data


SHOW_JSON_EXTRAS: list[Callable[[Library, int], dict[str, Any]]] = []


def cmd_show(args: argparse.Namespace, library: Library) -> int:
    article = library.find_article(args.id)
    if article is None:
        raise UsageError(f"no article with id or external id {args.id!r}")
    if args.json:
        print_json(article_json(library, article.id))
        return 0
    out.print(Text(safe_line(article.title), style="bold"))
    meta = " · ".join(x for x in (article.source, (article.date or "")[:10], article.lang, article.url) if x)
    out.print(Text(safe_line(meta), style="dim"))
    out.print()
    body = article.raw_text if args.raw else article.text
    out.print(Text(strip_terminal_controls(body or "")))
    return 0


def cmd_search(args: argparse.Namespace, library: Library) -> int:
    hits = library.search(" ".join(args.query), limit=args.limit)
    if args.json:
        print_json([dict(hit.article.to_json(), snippet=plain_snippet(hit.snippet)) for hit in hits])
        return 0
    if not hits:
        err.print("no match")
        return 1
    table = Table("id", "date", "source", "title", "match", box=None, pad_edge=False)
    for hit in hits:
        table.add_row(str(hit.article.id), cell((hit.article.date or "")[:10]), cell(hit.article.source, 20), cell(hit.article.title, 60), snippet_text(hit.snippet))
    out.print(table)
    return 0


def cmd_stats(args: argparse.Namespace, library: Library) -> int:
    stats = library.stats()
    data = {
        "library": str(library.path),
        "schema_version": library.schema_version,
        "articles": stats.articles,
        "pages_with_sections": stats.pages_with_sections,
        "clusters": stats.clusters,
        "sources": stats.sources,
        "languages": stats.languages,
        "unread": stats.unread,
        "starred": stats.starred,
        "sample_articles": stats.sample_articles,
    }
    if args.json:
        print_json(data)
        return 0
    table = Table(show_header=False, box=None, pad_edge=False)
    for key, value in data.items():
        shown = ", ".join(f"{k} {v}" for k, v in value.items()) if isinstance(value, dict) else f"{value:,}" if isinstance(value, int) else str(value)
        table.add_row(Text(key.replace("_", " "), style="bold"), cell(shown))
    out.print(table)
    return 0


def cmd_sample(args: argparse.Namespace, library: Library) -> int:
    from reader.sample import add_sample, remove_sample

    if args.remove:
        removed = remove_sample(library)
        err.print(f"removed {removed} sample articles" if removed else "no sample articles in this library")
        return 0
    if library.sample_article_ids():
        err.print("the sample is already in this library")
        return 0
    report = add_sample(library)
    err.print(f"added the bundled sample ({report.imported} articles)")
    return 0


# -- parser ------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader",
        description="Read story clusters of news articles in the terminal. Without a command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    parser.add_argument("--library", metavar="PATH", help="library file (default: $READER_LIBRARY or the platform data dir)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("import", help="import files, folders, feeds and URLs")
    p.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.add_argument("--workers", type=int, default=None, help="processes for analysis (default: all cores)")
    p.add_argument("--batch-size", type=int, default=500, metavar="N", help="articles per batch; two batches are committed per transaction (default: 500)")
    p.add_argument("--max-file-size", type=int, metavar="BYTES", help="refuse files larger than this")
    p.add_argument("--max-article-chars", type=int, metavar="N", help="refuse articles longer than this")
    p.add_argument("--max-feed-items", type=int, metavar="N", help="read at most this many items per feed")
    p.set_defaults(handler=cmd_import, add_sample=False)

    p = sub.add_parser("list", help="list articles (streams; use --limit)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--no-sections", action="store_true", help="leave out the sections of multi-story pages")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("show", help="show one article")
    p.add_argument("id", help="store id or external id")
    p.add_argument("--json", action="store_true")
    p.add_argument("--raw", action="store_true", help="the raw text as imported, not the clean text")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("search", help="full-text search")
    p.add_argument("query", nargs="+")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(handler=cmd_search)

    p = sub.add_parser("stats", help="library figures")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_stats)

    p = sub.add_parser("sample", help="add or remove the bundled sample")
    p.add_argument("--remove", action="store_true", help="remove the sample articles")
    p.set_defaults(handler=cmd_sample, add_sample=False)

    for register in EXTRA_COMMANDS:
        register(sub)
    return parser


# Other areas register their subcommands here: fn(subparsers) -> None
EXTRA_COMMANDS: list[Callable[[Any], None]] = []


def run_app(args: argparse.Namespace) -> int:
    library = open_for(args)
    path = library.path
    library.close()
    from reader.tui.app import run

    return run(path)


def main(argv: list[str] | None = None) -> int:
    _load_command_modules()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            return run_app(args)
        library = open_for(args, add_sample_if_new=getattr(args, "add_sample", True))
        if args.command not in ("import", "reindex"):
            from reader.commands.reindex import notice_pending

            notice_pending(library)
        try:
            return args.handler(args, library)
        finally:
            library.close()
    except (StoreError, UsageError) as exc:  # messages may quote ids, titles and paths: untrusted
        err.print(Text("reader: " + safe_line(str(exc))), style="red")
        return 2
    except BrokenPipeError:  # `reader list | head`
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        err.print("reader: interrupted")
        return 130


def _load_command_modules() -> None:
    """Import the modules that add subcommands (kept out of the core parser)."""
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(name)


COMMAND_MODULES: list[str] = [
    "reader.commands.diff",
    "reader.commands.annotations",
    "reader.commands.clusters",
    "reader.commands.entities",
    "reader.commands.duplicates",
    "reader.commands.reindex",
]
