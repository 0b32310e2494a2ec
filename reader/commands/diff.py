"""``reader diff ID_A ID_B``: what changed between two articles, on the terminal or as JSON.

Side by side when the terminal is wide enough (else unified), unchanged runs folded,
insertions green, deletions red, moves marked at both places. ``--json`` prints the
engine's result (``DiffResult.to_json``) plus the two articles' ids and titles.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from rich.style import Style
from rich.table import Table
from rich.text import Text

from reader import cli
from reader.diffing import (
    DiffResult,
    Fold,
    Mark,
    Row,
    StyledSegment,
    aligned_rows,
    describe,
    diff_texts,
    entity_marks,
    fold_rows,
    side_segments,
    unified_segments,
)
from reader.model import Article
from reader.store import Library
from reader.text.terminal_safety import safe_line, strip_terminal_controls

SIDE_BY_SIDE_MIN_WIDTH = 120

TAG_STYLES: dict[str, Style] = {
    "insert": Style(color="green", bold=True, underline=True),
    "delete": Style(color="red", bold=True, strike=True),
    "entity": Style(underline=True),
}
ROW_STYLES: dict[str, Style] = {
    "equal": Style(),
    "insert": Style(color="green"),
    "delete": Style(color="red"),
    "replace": Style(),
    "moved-here": Style(),
    "moved-away": Style(dim=True),
}
MARKERS = {"equal": "  ", "insert": "+ ", "delete": "- ", "replace": "~ ", "moved-here": "» ", "moved-away": "« "}
MOVE_STYLE = Style(color="magenta", italic=True)
FOLD_STYLE = Style(dim=True, italic=True)


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("diff", help="compare two articles: what changed, which one adds something")
    p.add_argument("a", metavar="ID_A", help="store id or external id")
    p.add_argument("b", metavar="ID_B", help="store id or external id")
    p.add_argument("--json", action="store_true", help="the engine's result for scripts")
    layout = p.add_mutually_exclusive_group()
    layout.add_argument("--side-by-side", dest="layout", action="store_const", const="side-by-side",
                        help="two columns (default when the terminal has 120 columns or more)")
    layout.add_argument("--unified", dest="layout", action="store_const", const="unified",
                        help="one column, insertions and deletions inline")
    p.add_argument("--context", type=int, default=1, metavar="N", help="unchanged paragraphs kept around a change (1)")
    p.add_argument("--all", action="store_true", help="show unchanged paragraphs too, unfolded")
    p.set_defaults(handler=cmd_diff)


def cmd_diff(args: argparse.Namespace, library: Library) -> int:
    article_a = _find(library, args.a)
    article_b = _find(library, args.b)
    result = diff_texts(article_a.text or "", article_b.text or "")
    if args.json:
        data = result.to_json()
        data["a"] = _article_json(article_a)
        data["b"] = _article_json(article_b)
        cli.print_json(data)
        return 0
    marks_a = entity_marks(library, article_a.id)
    marks_b = entity_marks(library, article_b.id)
    console = cli.out
    layout = args.layout or ("side-by-side" if console.width >= SIDE_BY_SIDE_MIN_WIDTH else "unified")
    console.print(_article_line("A", article_a))
    console.print(_article_line("B", article_b))
    console.print(Text(describe(result), style="bold"))
    console.print()
    rows = aligned_rows(result)
    shown: Sequence[Row | Fold] = rows if args.all else fold_rows(rows, context=max(0, args.context))
    if layout == "side-by-side":
        console.print(side_by_side_table(result, shown, marks_a, marks_b))
    else:
        for item in shown:
            console.print(unified_text(result, item, marks_a, marks_b))
            console.print()
    return 0


def _find(library: Library, key: str) -> Article:
    article = library.find_article(key)
    if article is None:
        raise cli.UsageError(f"no article with id or external id {key!r}")
    return article


def _article_json(article: Article) -> dict[str, Any]:
    return {"id": article.id, "external_id": article.external_id, "title": article.title}


def _article_line(side: str, article: Article) -> Text:
    meta = " · ".join(x for x in (article.source, (article.date or "")[:10], article.lang) if x)
    line = Text(f"{side}  ", style="bold")
    line.append(f"#{article.id} ")
    line.append(safe_line(article.title, 100), style="bold")
    if meta:
        line.append(f"  {safe_line(meta)}", style="dim")
    return line


# -- building rich Text (never markup) -----------------------------------------------------------


def styled(segments: list[StyledSegment], base: Style | None = None) -> Text:
    """Untrusted text segments as one Text: controls stripped, tags turned into styles."""
    text = Text(style=base or "")
    for piece, tags in segments:
        style = Style()
        for tag in sorted(tags):
            style += TAG_STYLES.get("entity" if tag.startswith("entity-") else tag, Style())
        text.append(strip_terminal_controls(piece), style=style or None)
    return text


def _fold_text(fold: Fold) -> Text:
    return Text(f"… {fold.count} unchanged paragraph{'s' if fold.count != 1 else ''} …", style=FOLD_STYLE)


def _move_note(row: Row) -> Text:
    assert row.a is not None and row.b is not None
    if row.kind == "moved-away":
        return Text(f"⇣ moved to ¶{row.b + 1} of B\n", style=MOVE_STYLE)
    return Text(f"⇡ moved from ¶{row.a + 1} of A\n", style=MOVE_STYLE)


def _cell(result: DiffResult, row: Row, side: str, marks: Sequence[Mark]) -> Text:
    index = row.a if side == "a" else row.b
    if index is None or (row.kind == "moved-here" and side == "a") or (row.kind == "moved-away" and side == "b"):
        return Text()
    text = Text(MARKERS[row.kind], style=ROW_STYLES[row.kind])
    if row.kind in ("moved-here", "moved-away"):
        text.append_text(_move_note(row))
    text.append_text(styled(side_segments(result, row, side, marks), ROW_STYLES[row.kind]))  # type: ignore[arg-type]
    return text


def side_by_side_table(
    result: DiffResult, shown: Sequence[Row | Fold], marks_a: Sequence[Mark], marks_b: Sequence[Mark]
) -> Table:
    table = Table(box=None, expand=True, show_header=False, padding=(0, 1, 1, 0), pad_edge=False)
    table.add_column(ratio=1)
    table.add_column(ratio=1)
    for item in shown:
        if isinstance(item, Fold):
            table.add_row(_fold_text(item), _fold_text(item))
        else:
            table.add_row(_cell(result, item, "a", marks_a), _cell(result, item, "b", marks_b))
    return table


def unified_text(result: DiffResult, item: Row | Fold, marks_a: Sequence[Mark], marks_b: Sequence[Mark]) -> Text:
    if isinstance(item, Fold):
        return _fold_text(item)
    row = item
    text = Text(MARKERS[row.kind], style=ROW_STYLES[row.kind])
    if row.kind in ("moved-here", "moved-away"):
        text.append_text(_move_note(row))
    if row.kind == "replace" or (row.kind == "moved-here" and result.ops[row.op].words):
        text.append_text(styled(unified_segments(result, row, marks_a, marks_b)))
    elif row.kind in ("delete", "moved-away"):
        text.append_text(styled(side_segments(result, row, "a", marks_a), ROW_STYLES[row.kind]))
    else:
        text.append_text(styled(side_segments(result, row, "b", marks_b), ROW_STYLES[row.kind]))
    return text


cli.EXTRA_COMMANDS.append(register)
