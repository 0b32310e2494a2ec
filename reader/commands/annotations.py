"""Annotations from the command line: annotate, list, export, import.

``reader annotate ID --quote "exact text"`` highlights a passage (committed at once);
``reader annotations`` lists them with their anchoring state; ``reader export`` writes
them as Markdown, W3C JSON or Readwise CSV (atomically with ``-o``); ``reader
import-annotations`` reads our JSON back, re-anchored.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rich.text import Text

from reader import cli
from reader.annotations.anchoring import find_quote
from reader.annotations.formats import export_formats, format_choices, get_format
from reader.annotations.model import ANCHOR_STATES, AnnotationError, AnnotationFilter, parse_since
from reader.store import Library
from reader.text.terminal_safety import safe_line, strip_terminal_controls

STATE_STYLES = {"anchored": "green", "moved": "yellow", "orphaned": "red"}


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("annotate", help="highlight a passage of an article, with a note and tags")
    p.add_argument("id", help="store id or external id of the article")
    p.add_argument("--quote", required=True, help="the exact text to highlight (whitespace between words may differ)")
    p.add_argument("--occurrence", type=int, metavar="N", help="which occurrence when the quote appears more than once (1 = first)")
    p.add_argument("--note", default="", help="a note on the highlight")
    p.add_argument("--tag", action="append", default=[], metavar="TAG", help="a tag (repeat for more)")
    p.add_argument("--color", help="highlight colour name")
    p.add_argument("--json", action="store_true", help="print the new annotation as JSON")
    p.set_defaults(handler=cmd_annotate)

    p = subparsers.add_parser("annotations", help="list annotations with their anchoring state")
    _add_filters(p)
    p.add_argument("--article", metavar="ID", help="only this article's (store id or external id)")
    p.add_argument("--state", choices=ANCHOR_STATES, help="only annotations in this anchoring state")
    p.add_argument("--text", metavar="TEXT", help="only those whose quote, note or article title holds this")
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_annotations)

    names = ", ".join(f"{fmt.name} ({fmt.description})" for fmt in export_formats().values())
    p = subparsers.add_parser("export", help="export annotations: markdown, json (W3C) or csv (Readwise)")
    p.add_argument("--format", "-f", required=True, choices=format_choices(), metavar="FORMAT", help=names)
    _add_filters(p)
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of standard output")
    p.set_defaults(handler=cmd_export)

    p = subparsers.add_parser("import-annotations", help="import W3C annotation JSON (e.g. from reader export), re-anchored")
    p.add_argument("file", metavar="FILE.json")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(handler=cmd_import_annotations)


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--cluster", type=int, metavar="ID", help="only annotations on articles of this story cluster")
    p.add_argument("--tag", metavar="TAG", help="only annotations with this tag")
    p.add_argument("--since", metavar="DATE", help="only annotations made on or after DATE (YYYY-MM-DD)")


def _filter(args: argparse.Namespace, library: Library) -> AnnotationFilter:
    article_id = None
    if getattr(args, "article", None):
        article = library.find_article(args.article)
        if article is None:
            raise cli.UsageError(f"no article with id or external id {args.article!r}")
        article_id = article.id
    try:
        since = parse_since(args.since) if args.since else None
    except AnnotationError as exc:
        raise cli.UsageError(str(exc)) from None
    return AnnotationFilter(
        tag=args.tag,
        cluster_id=args.cluster,
        article_id=article_id,
        text=getattr(args, "text", None),
        since=since,
        state=getattr(args, "state", None),
    )


def cmd_annotate(args: argparse.Namespace, library: Library) -> int:
    article = library.find_article(args.id)
    if article is None:
        raise cli.UsageError(f"no article with id or external id {args.id!r}")
    spans = find_quote(article.text or "", args.quote)
    if not spans:
        raise cli.UsageError(f"the quote is not in article {article.id} ({safe_line(article.title, 60)})")
    if args.occurrence is not None and not 1 <= args.occurrence <= len(spans):
        raise cli.UsageError(f"--occurrence {args.occurrence} is out of range: the quote occurs {len(spans)} time(s)")
    if args.occurrence is None and len(spans) > 1:
        cli.err.print(Text(f"reader: the quote occurs {len(spans)} times; annotating the first (choose with --occurrence N)"))
    start, end = spans[(args.occurrence or 1) - 1]
    try:
        annotation = library.create_annotation(
            article.id, start, end, note=args.note, tags=args.tag, color=args.color
        )
    except AnnotationError as exc:
        raise cli.UsageError(str(exc)) from None
    if args.json:
        cli.print_json(annotation.to_json())
    else:
        cli.out.print(Text(f"annotation {annotation.id} on article {article.id}: “{safe_line(annotation.exact, 60)}”"))
    return 0


def cmd_annotations(args: argparse.Namespace, library: Library) -> int:
    flt = _filter(args, library)
    annotations = library.iter_annotations(flt, order="newest")
    if args.limit is not None:
        annotations = (a for _, a in zip(range(max(args.limit, 0)), annotations))
    if args.json:
        cli.stream_json_array(a.to_json() for a in annotations)
        return 0
    def row(annotation) -> tuple[Text | str, ...]:
        where = str(annotation.article_id) if annotation.article_id is not None else f"({annotation.article_external_id})"
        return (
            str(annotation.id),
            Text(annotation.state, style=STATE_STYLES[annotation.state]),
            cli.cell(where, 24),
            cli.cell(annotation.exact, 50),
            cli.cell(annotation.note, 40),
            cli.cell(", ".join(annotation.tags), 30),
        )

    cli.print_table(("id", "state", "article", "quote", "note", "tags"), map(row, annotations), empty="no annotations")
    return 0


def cmd_export(args: argparse.Namespace, library: Library) -> int:
    from reader.annotations.export import export_annotations, export_to_file

    flt = _filter(args, library)
    fmt = get_format(args.format)
    if args.output:
        path = Path(args.output).expanduser()
        try:
            count = export_to_file(library, fmt.name, path, flt)
        except OSError as exc:
            raise cli.UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
        cli.err.print(Text(f"exported {count} annotation{'s' * (count != 1)} to {path}"))
        return 0
    out = _TerminalSafe(sys.stdout) if sys.stdout.isatty() else sys.stdout
    export_annotations(library, fmt.name, out, flt)  # type: ignore[arg-type]
    sys.stdout.flush()
    return 0


class _TerminalSafe:
    """Export text bound for a terminal: invisible and bidirectional controls removed too."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(strip_terminal_controls(text))
        return len(text)


def cmd_import_annotations(args: argparse.Namespace, library: Library) -> int:
    from reader.annotations.importing import import_annotation_file

    try:
        report = import_annotation_file(library, Path(args.file).expanduser())
    except ValueError as exc:
        raise cli.UsageError(str(exc)) from None
    if args.json:
        cli.print_json(report.to_json())
    else:
        for problem in report.problems:
            cli.err.print(Text(f"warning: {safe_line(problem)}"), style="yellow")
        cli.err.print(
            f"imported {report.imported} (anchored {report.anchored}, moved {report.moved}, orphaned {report.orphaned}), "
            f"updated {report.updated}, already present {report.unchanged}, failed {report.failed}"
        )
    return 1 if report.failed and not (report.imported or report.updated or report.unchanged) else 0


def annotations_json(library: Library, article_id: int) -> dict[str, Any]:
    """`reader show ID --json` gains the article's annotations."""
    return {"annotations": [a.to_json() for a in library.article_annotations(article_id)]}


cli.EXTRA_COMMANDS.append(register)
cli.SHOW_JSON_EXTRAS.append(annotations_json)
