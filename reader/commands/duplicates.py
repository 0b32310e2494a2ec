"""Duplicate relations from the command line: ``reader duplicates``.

``reader duplicates --json`` streams a JSON array of pairs
``{"a": article, "b": article, "relation": "exact"|"near"|"contained", "score": float}``
where the articles are ``reader list --json`` objects; for ``contained``, ``a`` is inside
``b``. Pairs come in keyset pages, so memory stays flat at any library size.
``reader show ID --json`` gains ``"duplicates"``: the article's relations, best first.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Iterator
from typing import Any

from rich.table import Table
from rich.text import Text

from reader import cli
from reader.similarity.duplicates import rebuild_duplicates
from reader.store import Library
from reader.store.duplicates import RELATIONS, DuplicatePair

TABLE_SLICE = 1000  # rows printed at a time: never a 100,000-row table in memory
_MARK = {"exact": "=", "near": "≈", "contained": "⊂"}


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("duplicates", help="list duplicate pairs: exact, near and contained copies")
    p.add_argument("--json", action="store_true", help="a JSON array of pairs {a, b, relation, score}")
    p.add_argument("--relation", choices=RELATIONS, action="append", help="only this relation (repeatable)")
    p.add_argument("--of", metavar="ID", help="only the relations of this article (id or external id)")
    p.add_argument("--limit", type=int, default=None, help="at most this many pairs")
    p.add_argument("--rebuild", action="store_true", help="index every article again and find all relations")
    p.set_defaults(handler=cmd_duplicates)


def pairs_of(library: Library, key: str, relations: Iterable[str]) -> Iterator[DuplicatePair]:
    """The relations of one article as pairs, oriented as stored (a inside b for contained)."""
    article = library.find_article(key)
    if article is None:
        raise cli.UsageError(f"no article with id or external id {key!r}")
    for found in library.duplicates_of(article.id, tuple(relations)):
        if found.relation == "contained" and not found.inside:
            yield DuplicatePair(article, found.article, found.relation, found.score)
        elif found.relation == "contained" or found.article.id < article.id:
            yield DuplicatePair(found.article, article, found.relation, found.score)
        else:
            yield DuplicatePair(article, found.article, found.relation, found.score)


def _limited(pairs: Iterator[DuplicatePair], limit: int | None) -> Iterator[DuplicatePair]:
    for count, pair in enumerate(pairs):
        if limit is not None and count >= limit:
            return
        yield pair


def cmd_duplicates(args: argparse.Namespace, library: Library) -> int:
    if args.limit is not None and args.limit < 0:
        raise cli.UsageError("--limit must be 0 or more")
    if args.rebuild:
        count = rebuild_duplicates(library)
        cli.err.print(f"indexed {count:,} articles: {library.duplicate_count():,} duplicate pairs")
        if not args.json:
            return 0
    relations = tuple(args.relation or RELATIONS)
    pairs = pairs_of(library, args.of, relations) if args.of else library.iter_duplicate_pairs(relations=relations)
    pairs = _limited(pairs, args.limit)
    if args.json:
        cli.stream_json_array(pair.to_json() for pair in pairs)
        return 0
    return print_table(pairs)


def print_table(pairs: Iterable[DuplicatePair]) -> int:
    table = _new_table(header=True)
    shown = 0
    for pair in pairs:
        table.add_row(
            Text(pair.relation), f"{pair.score:.2f}", str(pair.a.id), cli.cell(pair.a.title, 50),
            Text(_MARK[pair.relation], style="bold"), str(pair.b.id), cli.cell(pair.b.title, 50),
        )
        shown += 1
        if table.row_count >= TABLE_SLICE:
            cli.out.print(table)
            table = _new_table(header=False)
    if table.row_count:
        cli.out.print(table)
    if not shown:
        cli.err.print("no duplicates")
        return 1
    return 0


def _new_table(*, header: bool) -> Table:
    table = Table(box=None, pad_edge=False, show_header=header)
    for name in ("relation", "score", "a", "title", "", "b", "title"):
        table.add_column(name)
    return table


def duplicates_json(library: Library, article_id: int) -> dict[str, Any]:
    """``show --json`` extra: this article's relations, best first."""
    return {
        "duplicates": [
            {
                "id": found.article.id,
                "external_id": found.article.external_id,
                "title": found.article.title,
                "relation": found.relation,
                "score": round(found.score, 4),
                "other_is_inside": found.inside,
            }
            for found in library.duplicates_of(article_id)
        ]
    }


cli.EXTRA_COMMANDS.append(register)
cli.SHOW_JSON_EXTRAS.append(duplicates_json)
