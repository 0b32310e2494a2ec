"""Similar-but-different events stay apart: ECB+ topics have two halves that must not merge."""

from __future__ import annotations

import json
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import pytest

from reader.model import RawArticle
from reader.pipeline import import_records
from reader.store import Library

pytestmark = pytest.mark.corpus


def bcubed_f1(predicted: dict[str, object], gold: dict[str, str]) -> float:
    by_pred: dict[object, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for item in gold:
        by_pred[predicted[item]].add(item)
        by_gold[gold[item]].add(item)
    p = sum(len(by_pred[predicted[i]] & by_gold[gold[i]]) / len(by_pred[predicted[i]]) for i in gold) / len(gold)
    r = sum(len(by_pred[predicted[i]] & by_gold[gold[i]]) / len(by_gold[gold[i]]) for i in gold) / len(gold)
    return 2 * p * r / (p + r)


@pytest.fixture
def ecb_library(library: Library, corpora: Path) -> tuple[Library, list[dict]]:
    rows = [json.loads(line) for line in (corpora / "ecbplus_dev.jsonl").open(encoding="utf-8")]
    import_records(
        library,
        [
            RawArticle(external_id=r["id"], title=r["title"], text=r["text"], origin="ecb", date=r["date"],
                       lang=r["lang"], source=r["source"])
            for r in rows
        ],
        workers=1,
    )
    return library, rows


def test_ecbplus_halves_stay_apart(ecb_library: tuple[Library, list[dict]]) -> None:
    """Pairs of articles from the two halves of one topic (two different events that share
    their kind, places and often people) must almost never share a cluster."""
    library, rows = ecb_library
    cluster = {a.external_id: a.cluster_id for a in library.iter_articles()}
    cross_pairs = together = 0
    for a, b in combinations(rows, 2):
        if a["topic"] == b["topic"] and a["cluster"] != b["cluster"]:
            cross_pairs += 1
            together += cluster[a["id"]] == cluster[b["id"]]
    assert cross_pairs > 1000
    assert together / cross_pairs <= 0.10
    topics_blurred = {
        row["topic"]
        for row in rows
        if any(cluster[o["id"]] == cluster[row["id"]] for o in rows if o["topic"] == row["topic"] and o["cluster"] != row["cluster"])
    }
    assert len(topics_blurred) <= 2  # of eight topics


def test_ecbplus_bcubed_f1(ecb_library: tuple[Library, list[dict]]) -> None:
    library, rows = ecb_library
    cluster = {a.external_id: a.cluster_id for a in library.iter_articles()}
    predicted = {r["id"]: cluster[r["id"]] or f"none:{r['id']}" for r in rows}
    gold = {r["id"]: r["cluster"] for r in rows}
    assert bcubed_f1(predicted, gold) >= 0.85
    assert 14 <= len(set(predicted.values())) <= 40
