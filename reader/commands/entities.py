"""Entities from the command line: ``reader entities`` and the entity spans of ``reader show --json``.

``reader entities --json`` streams a JSON array, one object per entity, most mentioned
first: ``{"id", "name", "type", "aliases", "mentions", "articles"}``; with ``--cluster ID``
only the entities of that story cluster (its top entities, by articles mentioning them).
``reader show ID --json`` gains ``"entities": [{"start", "end", "type", "entity_id", "name"}]``,
character spans into the article's ``text``.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from itertools import islice
from typing import Any

from rich.text import Text

from reader import cli
from reader.model import Entity
from reader.store import Library



def register(subparsers: Any) -> None:
    p = subparsers.add_parser("entities", help="list the people, organisations and places of the library (streams)")
    p.add_argument("--cluster", type=int, metavar="ID", help="only the entities of this story cluster")
    p.add_argument("--json", action="store_true", help="a JSON array of entities")
    p.add_argument("--limit", type=int, default=None, help="at most this many entities")
    p.add_argument("--relink", action="store_true", help="recompute the entities of every article (after an upgrade)")
    p.set_defaults(handler=cmd_entities)


def iter_listed(library: Library, args: argparse.Namespace) -> Iterator[Entity]:
    if args.cluster is not None and library.get_cluster(args.cluster) is None:
        raise cli.UsageError(f"no cluster with id {args.cluster}")
    entities = library.iter_entities(cluster_id=args.cluster)
    return islice(entities, args.limit) if args.limit is not None else entities


def cmd_entities(args: argparse.Namespace, library: Library) -> int:
    if args.relink:
        from reader.entities.linking import relink_library

        count = relink_library(library)
        cli.err.print(f"relinked the entities of {count} articles")
        if not args.json:
            return 0
    entities = iter_listed(library, args)
    if args.json:
        cli.stream_json_array(e.to_json() for e in entities)
        return 0
    rows = (
        (
            str(e.id), Text(e.type), cli.cell(e.name, 40), cli.cell(", ".join(e.aliases[:5]), 50),
            str(e.mention_count), str(e.article_count),
        )
        for e in entities
    )
    cli.print_table(("id", "type", "name", "aliases", "mentions", "articles"), rows, empty="no entities")
    return 0


def entities_json(library: Library, article_id: int) -> dict[str, Any]:
    """The ``entities`` key of ``reader show --json``: spans into the article's text."""
    return {"entities": [span.to_json() for span in library.entity_spans(article_id)]}


cli.EXTRA_COMMANDS.append(register)
cli.SHOW_JSON_EXTRAS.append(entities_json)
