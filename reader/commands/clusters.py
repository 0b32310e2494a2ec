"""Story clusters from the command line: ``reader clusters`` and ``reader recluster``.

``reader clusters --json`` streams a JSON array, one object per cluster:
``{"id", "label", "article_count", "source_count", "languages", "unread_count",
"first_date", "last_date", "starred", "duplicate_groups", "articles": [...]}`` where each
article is the ``reader list --json`` object. Clusters come in keyset pages and each
cluster's articles are read on their own, so memory stays flat at any library size.

A page split into several stories is not itself a member of any cluster: its sections are
(``external_id`` ``<page>#N``, titled by their heading), so no page is counted twice.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import Any

from rich.text import Text

from reader import cli
from reader.model import ClusterRow
from reader.similarity.clustering import duplicate_groups, recluster
from reader.store import Library
from reader.store.clusters import ClusterSort

PAGE = 200


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("clusters", help="list story clusters (streams; use --limit)")
    p.add_argument("--json", action="store_true", help="a JSON array of clusters with their articles")
    p.add_argument("--sort", choices=("latest", "size", "unread"), default="latest", help="order (default: latest)")
    p.add_argument("--limit", type=int, default=None, help="at most this many clusters")
    p.set_defaults(handler=cmd_clusters)

    p = subparsers.add_parser("recluster", help="rebuild every story cluster, keeping stars and read state")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(handler=cmd_recluster)


def iter_clusters(library: Library, *, sort: ClusterSort, limit: int | None) -> Iterator[ClusterRow]:
    """Every cluster in sort order, page by page (keyset, never OFFSET)."""
    after = None
    left = limit
    while left is None or left > 0:
        page = library.list_clusters(sort=sort, after=after, limit=PAGE if left is None else min(PAGE, left))
        if not page:
            return
        yield from page
        after = library.cluster_sort_key(page[-1], sort)
        if left is not None:
            left -= len(page)


def cluster_json(library: Library, cluster: ClusterRow) -> dict[str, Any]:
    articles = list(library.iter_articles(cluster_id=cluster.id))
    data = cluster.to_json()
    data["duplicate_groups"] = duplicate_groups(library, cluster.id, articles)
    data["articles"] = [a.to_json() for a in articles]
    return data


def cmd_clusters(args: argparse.Namespace, library: Library) -> int:
    if args.limit is not None and args.limit < 0:
        raise cli.UsageError("--limit must be 0 or more")
    clusters = iter_clusters(library, sort=args.sort, limit=args.limit)
    if args.json:
        cli.stream_json_array(cluster_json(library, c) for c in clusters)
        return 0
    def row(cluster) -> tuple[Text | str, ...]:
        dates = " – ".join(sorted({d[:10] for d in (cluster.first_date, cluster.last_date) if d}))
        return (
            Text(str(cluster.id), style="bold" if cluster.starred else ""),
            str(cluster.article_count), str(cluster.source_count), cli.cell(",".join(cluster.languages)),
            cli.cell(dates), cli.cell(cluster.label, 90),
        )

    cli.print_table(("id", "articles", "sources", "langs", "dates", "label"), map(row, clusters), empty="no clusters")
    return 0


def cmd_recluster(args: argparse.Namespace, library: Library) -> int:
    report = recluster(library)
    if args.json:
        cli.print_json(
            {
                "stories": report.stories,
                "clusters": report.clusters,
                "kept_ids": report.kept_ids,
                "starred_carried": report.starred_carried,
            }
        )
    else:
        cli.err.print(
            f"reclustered {report.stories} stories into {report.clusters} clusters "
            f"({report.kept_ids} kept their id, {report.starred_carried} stars carried over)"
        )
    return 0


def story_json(library: Library, article_id: int) -> dict[str, Any]:
    """`reader show ID --json` gains the stories of a multi-story page and their clusters."""
    return {
        "sections": [
            {"id": i, "external_id": external_id, "title": title, "cluster_id": cluster_id}
            for i, external_id, title, cluster_id in library.page_sections(article_id)
        ]
    }


cli.EXTRA_COMMANDS.append(register)
cli.SHOW_JSON_EXTRAS.append(story_json)
