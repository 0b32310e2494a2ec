"""On real news (../shared/corpora): the index finds what an exhaustive check finds, and
articles about different events are never copies."""

from __future__ import annotations

import itertools
import json

from reader.model import RawArticle
from reader.pipeline import import_records
from reader.similarity.duplicates import Shingled, relation_between
from reader.store import Library


def test_index_finds_every_relation_an_all_pairs_check_finds(library: Library, corpora) -> None:
    records = [json.loads(line) for line in (corpora / "ecbplus_dev.jsonl").open(encoding="utf-8")]
    raws = [RawArticle(r["id"], r["title"], r["text"], origin="ecbplus", lang=r.get("lang")) for r in records]
    report = import_records(library, raws, workers=1, batch_size=50)  # pairs meet across batches too
    assert report.failed == 0

    found = {(p.a.external_id, p.b.external_id, p.relation) for p in library.iter_duplicate_pairs()}

    stored = {a.external_id: library.get_article(a.id) for a in library.iter_articles(include_sections=False)}
    shingled = {key: Shingled.of(article.text or "") for key, article in stored.items()}
    hashes = {key: library.hashes_and_texts([article.id])[article.id][0] for key, article in stored.items()}
    ids = {key: article.id for key, article in stored.items()}
    exhaustive = set()
    for a, b in itertools.combinations(sorted(stored), 2):
        verdict = relation_between(ids[a], shingled[a], hashes[a], ids[b], shingled[b], hashes[b])
        if verdict is not None:
            name = {ids[a]: a, ids[b]: b}
            exhaustive.add((name[verdict.inside], name[verdict.container], verdict.relation))

    assert exhaustive, "the dev file holds wire copies; an all-pairs check finds them"
    assert found == exhaustive

    topic = {r["id"]: r["topic"] for r in records}
    assert all(topic[a] == topic[b] for a, b, _ in found)  # different events are never copies
