"""``reader reindex``: build the derived indexes (entities, duplicates, story clusters) from
the stored articles, for a library upgraded from an older ``reader`` (``reader import`` runs
it first on its own), or on demand with ``--all``."""

from __future__ import annotations

import argparse
from typing import Any

from rich.text import Text

from reader import cli
from reader.reindex import BUILD_ORDER, pending_indexes, reindex
from reader.store import Library


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("reindex", help="build the entity, duplicate and cluster indexes of stored articles")
    p.add_argument("--all", action="store_true", help="rebuild every index, not only the ones an upgrade left to build")
    p.add_argument("--json", action="store_true", help="print {index: articles gone through}")
    p.set_defaults(handler=cmd_reindex)


def cmd_reindex(args: argparse.Namespace, library: Library) -> int:
    names = list(BUILD_ORDER) if args.all else pending_indexes(library)
    if not names:
        if args.json:
            cli.print_json({})
        else:
            cli.err.print("reader: every index is up to date (reader reindex --all rebuilds them anyway)")
        return 0
    done = run_reindex(library, names)
    if args.json:
        cli.print_json(done)
    return 0


def run_reindex(library: Library, names: list[str]) -> dict[str, int]:
    """Build these indexes, telling the user on stderr what is happening and what was done."""
    cli.err.print(Text(f"reader: building the {', '.join(names)} index{'es' if len(names) > 1 else ''} of the stored articles"))
    done = reindex(library, names)
    for name, count in done.items():
        cli.err.print(Text(f"reader: {name}: {count:,} articles indexed"))
    return done


def notice_pending(library: Library) -> None:
    """One line on stderr when an upgrade left indexes to build."""
    names = pending_indexes(library)
    if names:
        cli.err.print(
            Text(
                f"reader: this library was upgraded; its {', '.join(names)} index{'es' if len(names) > 1 else ''} "
                "will be built at the next import, or now with: reader reindex"
            ),
            style="yellow",
        )


cli.EXTRA_COMMANDS.append(register)
