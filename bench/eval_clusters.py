"""Story-clustering quality against a gold file, beside a tuned TF-IDF peer baseline.

    python bench/eval_clusters.py ../shared/corpora/ecbplus_dev.jsonl

Reads JSONL lines {"id", "title", "text", "cluster", "lang"?, "source"?, "date"?}, imports
them from scratch into a temporary library through the real pipeline (cleaning, language,
sections, entities, duplicates, clustering), and prints B-cubed precision / recall / F1,
the predicted against the gold number of clusters and, when the lines carry a ``topic``, the
share of pairs of one topic but different gold events (similar but different events, such
as ECB+'s two halves of a topic) that share a predicted cluster.

With ``--orders N`` it also imports the file in N shuffled arrival orders (the order a
held-out set arrives in is unknown, and incremental clustering depends on it) and prints the
mean, spread and range of the figures, and each topic's mean F1 over its own articles (does a
change help most topics, or one?). ``--batch-size`` sets the import's batch size (stories of
one batch are placed together; later batches meet stored clusters).

In the same run, the peer: TF-IDF cosine + average-linkage agglomerative clustering
(scikit-learn, the ``bench`` extra), with its distance threshold tuned on the same file —
an upper bound for that method, since it sees the answers. A page that our pipeline splits
into sections is scored by the cluster of its first section.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path

from reader.model import RawArticle
from reader.pipeline import BATCH_SIZE, import_records
from reader.store import open_library


def read_gold(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def bcubed(predicted: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (Bagga & Baldwin 1998) over the items of ``gold``."""
    by_pred: dict[Hashable, set[str]] = defaultdict(set)
    by_gold: dict[Hashable, set[str]] = defaultdict(set)
    for item in gold:
        by_pred[predicted[item]].add(item)
        by_gold[gold[item]].add(item)
    precision = recall = 0.0
    for item in gold:
        same_pred = by_pred[predicted[item]]
        same_gold = by_gold[gold[item]]
        both = len(same_pred & same_gold)
        precision += both / len(same_pred)
        recall += both / len(same_gold)
    precision /= len(gold)
    recall /= len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def raw_articles(rows: Sequence[dict], origin: str) -> list[RawArticle]:
    return [
        RawArticle(
            external_id=str(row["id"]),
            title=row.get("title") or "",
            text=row.get("text") or "",
            origin=origin,
            date=row.get("date"),
            lang=row.get("lang"),
            source=row.get("source"),
        )
        for row in rows
    ]


def cluster_with_reader(
    rows: Sequence[dict], origin: str, workers: int | None, batch_size: int = BATCH_SIZE
) -> tuple[dict[str, Hashable], float]:
    """Import into a fresh temporary library; {gold id: predicted cluster}, seconds taken."""
    with tempfile.TemporaryDirectory() as folder:
        library = open_library(Path(folder) / "eval.sqlite3")
        try:
            started = time.perf_counter()
            import_records(library, raw_articles(rows, origin), workers=workers, batch_size=batch_size)
            seconds = time.perf_counter() - started
            predicted: dict[str, Hashable] = {}
            sections: dict[str, Hashable] = {}
            for article in library.iter_articles():
                if article.parent_id is None:
                    predicted[article.external_id] = article.cluster_id
                else:
                    page, _, index = article.external_id.rpartition("#")
                    if index == "1":
                        sections[page] = article.cluster_id
            predicted.update(sections)
        finally:
            library.close()
    # an article the store skipped (same text as another) or left unclustered is a singleton
    return {str(r["id"]): predicted.get(str(r["id"])) or f"single:{r['id']}" for r in rows}, seconds


def peer_tfidf_agglomerative(rows: Sequence[dict]) -> tuple[dict[str, Hashable], float, float]:
    """TF-IDF cosine + average-linkage clustering, threshold tuned for F1 on this file."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    gold = {str(r["id"]): r["cluster"] for r in rows}
    texts = [f"{r.get('title') or ''}\n{r.get('text') or ''}" for r in rows]
    started = time.perf_counter()
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts).toarray()
    best: tuple[float, float, dict[str, Hashable]] = (-1.0, 0.0, {})
    for step in range(10, 100):
        threshold = step / 100
        labels = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
        ).fit_predict(matrix)
        predicted = {str(r["id"]): int(label) for r, label in zip(rows, labels)}
        f1 = bcubed(predicted, gold)[2]
        if f1 > best[0]:
            best = (f1, threshold, predicted)
    return best[2], best[1], time.perf_counter() - started


def similar_events_together(predicted: Mapping[str, Hashable], rows: Sequence[dict]) -> tuple[int, int] | None:
    """Pairs of articles of one topic but different gold events (ECB+'s two halves of a topic:
    similar but different events) that share a predicted cluster, and all such pairs."""
    if not all(row.get("topic") for row in rows):
        return None
    together = pairs = 0
    by_topic: dict[Hashable, list[dict]] = defaultdict(list)
    for row in rows:
        by_topic[row["topic"]].append(row)
    for members in by_topic.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if a["cluster"] != b["cluster"]:
                    pairs += 1
                    together += predicted[str(a["id"])] == predicted[str(b["id"])]
    return together, pairs


def report(
    name: str, predicted: Mapping[str, Hashable], gold: Mapping[str, Hashable], extra: str = "",
    rows: Sequence[dict] = (),
) -> None:
    precision, recall, f1 = bcubed(predicted, gold)
    clusters = len(set(predicted.values()))
    apart = similar_events_together(predicted, rows) if rows else None
    mixed = f"  similar events together {apart[0] / apart[1]:.1%} of {apart[1]} pairs" if apart and apart[1] else ""
    print(
        f"{name:<44} P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}  "
        f"clusters {clusters} (gold {len(set(gold.values()))}){mixed}{extra}"
    )


def report_orders(rows: Sequence[dict], origin: str, args: argparse.Namespace) -> None:
    """B-cubed over shuffled arrival orders (seeds 1..N): mean, spread and range; per topic."""
    gold = {str(r["id"]): r["cluster"] for r in rows}
    figures: list[tuple[float, float, float, int]] = []
    topic_f1: dict[Hashable, list[float]] = defaultdict(list)
    by_topic: dict[Hashable, list[dict]] = defaultdict(list)
    for row in rows:
        if row.get("topic") is not None:
            by_topic[row["topic"]].append(row)
    for seed in range(1, args.orders + 1):
        order = list(rows)
        random.Random(seed).shuffle(order)
        predicted, _ = cluster_with_reader(order, origin, args.workers, args.batch_size)
        figures.append((*bcubed(predicted, gold), len(set(predicted.values()))))
        for topic, members in by_topic.items():
            ids = [str(m["id"]) for m in members]
            topic_f1[topic].append(bcubed({i: predicted[i] for i in ids}, {i: gold[i] for i in ids})[2])
    f1s = [f[2] for f in figures]
    print(
        f"{'reader, ' + str(args.orders) + ' shuffled orders':<44} P {statistics.mean(f[0] for f in figures):.3f}  "
        f"R {statistics.mean(f[1] for f in figures):.3f}  F1 mean {statistics.mean(f1s):.3f} "
        f"sd {statistics.pstdev(f1s):.3f} min {min(f1s):.3f} max {max(f1s):.3f}  "
        f"clusters {statistics.mean(f[3] for f in figures):.1f}  (batch size {args.batch_size})"
    )
    if topic_f1:
        print("  per topic, mean F1: " + "  ".join(f"{t}: {statistics.mean(v):.3f}" for t, v in sorted(topic_f1.items(), key=lambda x: str(x[0]))))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="gold JSONL file")
    parser.add_argument("--runs", type=int, default=3, help="runs of our pipeline, for the median time")
    parser.add_argument("--workers", type=int, default=None, help="import worker processes (default: all cores)")
    parser.add_argument("--no-peer", action="store_true", help="skip the scikit-learn baseline")
    parser.add_argument("--orders", type=int, default=0, help="also import in this many shuffled arrival orders")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="import batch size (default: the import's)")
    args = parser.parse_args(argv)

    rows = read_gold(args.file)
    gold = {str(r["id"]): r["cluster"] for r in rows}
    print(f"{args.file.name}: {len(rows)} articles, {len(set(gold.values()))} gold clusters")
    times: list[float] = []
    predicted: dict[str, Hashable] = {}
    for _ in range(max(1, args.runs)):
        predicted, seconds = cluster_with_reader(rows, str(args.file), args.workers, args.batch_size)
        times.append(seconds)
    report("reader (real import pipeline)", predicted, gold, f"  import median {statistics.median(times):.2f}s", rows)
    if args.orders > 0:
        report_orders(rows, str(args.file), args)
    if not args.no_peer:
        try:
            peer, threshold, seconds = peer_tfidf_agglomerative(rows)
        except ImportError:
            print("peer: scikit-learn is not installed (pip install 'reader-tui[bench]')", file=sys.stderr)
            return 0
        report(f"peer TF-IDF + average linkage (t={threshold:.2f})", peer, gold, f"  tuning {seconds:.2f}s", rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
