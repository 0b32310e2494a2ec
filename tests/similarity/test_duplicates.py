"""Duplicate relations through the real pipeline: the seeds, planted edits, incremental
imports, re-imports, deletions, the store API, the index and the command."""

from __future__ import annotations

import json
import random
import sqlite3

import numpy as np
import pytest

from reader import cli
from reader.model import RawArticle
from reader.pipeline import import_records
from reader.similarity.duplicates import rebuild_duplicates
from reader.store import Library, open_library
from reader.store.duplicates import POSTINGS_SQL
from reader.text.cleaning import clean_text


def raw(external_id: str, text: str, *, title: str | None = None, source: str | None = None) -> RawArticle:
    return RawArticle(external_id=external_id, title=title or external_id, text=text, origin="test", source=source)


def add(library: Library, *articles: RawArticle, batch_size: int = 500) -> list[int]:
    report = import_records(library, list(articles), workers=1, batch_size=batch_size)
    assert report.failed == 0, report.problems
    return [library.find_article(a.external_id).id for a in articles]  # type: ignore[union-attr]


def pairs(library: Library) -> set[tuple[str, str, str]]:
    """(a, b, relation) by external id; for contained, a is inside b."""
    return {(p.a.external_id, p.b.external_id, p.relation) for p in library.iter_duplicate_pairs()}


def seed(seeds_dir, prefix: str) -> str:
    return next(seeds_dir.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def body(seeds_dir, prefix: str) -> str:
    """A seed's text without its headline line (as the text of a JSON or feed article would be)."""
    return seed(seeds_dir, prefix).split("\n", 1)[1].strip()


def substitute(text: str, rate: float, rng: random.Random) -> str:
    words = text.split(" ")
    vocabulary = [w for w in words if w.isalpha()]
    return " ".join(rng.choice(vocabulary) if rng.random() < rate else w for w in words)


# -- the seeds ---------------------------------------------------------------------------------------


def test_the_seeds_have_one_relation_001_inside_000(sample_library: Library) -> None:
    found = list(sample_library.iter_duplicate_pairs())
    assert [(p.a.external_id.split("/")[-1][:3], p.b.external_id.split("/")[-1][:3], p.relation) for p in found] == [
        ("001", "000", "contained")
    ]
    assert found[0].score >= 0.95


def test_the_seeds_in_any_order_and_batches_give_the_same_relation(library: Library, seeds_dir) -> None:
    files = sorted(seeds_dir.glob("*.txt"), reverse=True)  # 004 ... 000: the page comes last
    add(library, *[raw(f.stem, f.read_text(encoding="utf-8")) for f in files], batch_size=2)
    assert {(a[:3], b[:3], r) for a, b, r in pairs(library)} == {("001", "000", "contained")}


def test_duplicates_of_and_closest_duplicate(sample_library: Library) -> None:
    page = sample_library.find_article("sample/000_9dd72cae0654412e.txt")
    part = sample_library.find_article("sample/001_3f7b207e56d880eb.txt")
    article, relation, score = sample_library.duplicates_of(page.id)[0]  # unpacks as a triple
    assert (article.id, relation) == (part.id, "contained") and score >= 0.95
    of_part = sample_library.duplicates_of(part.id)
    assert [(d.other_id, d.inside) for d in of_part] == [(page.id, False)]  # the part is inside the page
    assert sample_library.duplicates_of(page.id)[0].inside is True
    assert sample_library.closest_duplicate(part.id).article.id == page.id
    assert sample_library.duplicates_of(page.id, relations=("near", "exact")) == []
    others = [a for a in sample_library.iter_articles() if a.id not in (page.id, part.id) and a.parent_id is None]
    assert others and all(sample_library.closest_duplicate(a.id) is None for a in others)


def test_the_cluster_holding_both_seeds_is_marked(sample_library: Library) -> None:
    part = sample_library.find_article("sample/001_3f7b207e56d880eb.txt")
    flagged = [c for c in sample_library.list_clusters() if c.has_duplicates]
    assert [c.id for c in flagged] == [part.cluster_id]
    assert sample_library.cluster_has_duplicates(part.cluster_id)


# -- planted edits -----------------------------------------------------------------------------------


def test_exact_near_and_contained_copies_are_told_apart(library: Library, seeds_dir) -> None:
    original = body(seeds_dir, "003")
    rng = random.Random(4)
    paragraphs = original.split("\n\n")
    near = "\n\n".join(
        ["TikTok has picked Oracle after weeks of talks, sources told us on Monday."]  # a rewritten intro
        + [substitute(p, 0.03, rng) for p in paragraphs[1:]]  # changed words
        + ["Subscribe to our newsletter for the latest technology news."]  # boilerplate
    )
    prefix = "\n\n".join(paragraphs[:3])  # the headline, a dateline and the first paragraph
    other = body(seeds_dir, "004")  # the same event, written independently
    add(
        library,
        raw("original", original, title="TikTok Chooses Oracle"),
        raw("exact", original, title="Oracle wins TikTok", source="another outlet"),
        raw("near", near, title="TikTok picks Oracle"),
        raw("prefix", prefix, title="TikTok Chooses Oracle (teaser)"),
        raw("other", other, title="ByteDance and Oracle"),
    )
    found = pairs(library)
    assert ("exact", "original", "exact") in found or ("original", "exact", "exact") in found
    assert {("near", "original", "near"), ("original", "near", "near")} & found
    assert ("prefix", "original", "contained") in found
    assert not any("other" in (a, b) for a, b, _ in found)
    assert len(clean_text(prefix).split()) < 0.5 * len(clean_text(original).split())


def test_a_story_inside_a_longer_page_is_contained(library: Library, seeds_dir) -> None:
    story = body(seeds_dir, "004")
    page = "\n\n".join([body(seeds_dir, "003"), story, body(seeds_dir, "002")])
    add(library, raw("page", page, title="Tech news of the day"), raw("story", story, title="ByteDance and Oracle"))
    assert pairs(library) == {("story", "page", "contained")}


def test_independent_articles_on_one_event_are_not_duplicates(library: Library, seeds_dir) -> None:
    add(library, *[raw(p, body(seeds_dir, p)) for p in ("002", "003", "004")])
    assert pairs(library) == set()


# -- incremental and changed articles ----------------------------------------------------------------


def test_a_later_import_finds_the_earlier_article(library: Library, seeds_dir) -> None:
    text = body(seeds_dir, "003")
    add(library, raw("first", text), raw("unrelated", body(seeds_dir, "002")))
    assert pairs(library) == set()
    copy = substitute(text, 0.02, random.Random(1)) + "\n\nAll rights reserved."
    add(library, raw("second", copy))
    assert pairs(library) == {("first", "second", "near")}


def test_reimporting_a_changed_article_updates_its_relations(library: Library, seeds_dir) -> None:
    text = body(seeds_dir, "003")
    _, second = add(library, raw("a", text), raw("b", substitute(text, 0.02, random.Random(2))))
    assert pairs(library) == {("a", "b", "near")}
    keys_before = postings_of(library, second)

    add(library, raw("b", body(seeds_dir, "004")))  # same external id, another text
    assert library.find_article("b").id == second
    assert pairs(library) == set()
    keys_after = postings_of(library, second)
    assert keys_after and not keys_after & keys_before  # the old postings are gone, the new ones there
    assert keys_after == set(json.loads(fingerprint_row(library, second)["keys"]))

    add(library, raw("b", body(seeds_dir, "003")[:800]))  # now a part of a
    assert pairs(library) == {("b", "a", "contained")}


def test_deleting_an_article_drops_its_relations_and_postings(library: Library, seeds_dir) -> None:
    text = body(seeds_dir, "003")
    first, second = add(library, raw("a", text), raw("b", text.upper()))  # the same text once normalised
    assert pairs(library) == {("a", "b", "exact")}
    with library.transaction():
        library.delete_articles([second])
    assert pairs(library) == set()
    assert postings_of(library, second) == set()
    assert fingerprint_row(library, second) is None
    assert postings_of(library, first)


def test_rebuild_finds_the_same_relations(sample_library: Library) -> None:
    before = pairs(sample_library)
    assert rebuild_duplicates(sample_library) == 5
    assert pairs(sample_library) == before


def test_a_v1_library_is_migrated_and_rebuilt(tmp_path, seeds_dir) -> None:
    import shutil
    from pathlib import Path

    source = Path(__file__).resolve().parent.parent / "data" / "library_v1.sqlite3"
    target = tmp_path / "old.sqlite3"
    shutil.copy(source, target)
    with open_library(target) as library:  # the five seeds, stored before the index existed
        assert library.duplicate_count() == 0
        assert rebuild_duplicates(library) == 5
        assert pairs(library) == {("sample/001_3f7b207e56d880eb.txt", "sample/000_9dd72cae0654412e.txt", "contained")}


# -- the index ----------------------------------------------------------------------------------------


def postings_of(library: Library, article_id: int) -> set[int]:
    """The article's postings, in the recent table or the big one."""
    return {
        r[0]
        for r in library.conn.execute(
            "SELECT band_key FROM lsh_bands WHERE article_id = :a UNION SELECT band_key FROM lsh_recent WHERE article_id = :a",
            {"a": article_id},
        )
    }


def fingerprint_row(library: Library, article_id: int) -> sqlite3.Row | None:
    return library.conn.execute("SELECT * FROM fingerprints WHERE article_id = ?", (article_id,)).fetchone()


def test_postings_are_looked_up_through_the_index(sample_library: Library) -> None:
    plans = sample_library.conn.execute("EXPLAIN QUERY PLAN " + POSTINGS_SQL, {"keys": "[1,2]"}).fetchall()
    details = " ".join(row[3] for row in plans)
    assert "SEARCH lsh_bands USING PRIMARY KEY (band_key=?)" in details
    assert "SEARCH lsh_recent USING PRIMARY KEY (band_key=?)" in details
    assert "SCAN lsh_bands" not in details and "SCAN lsh_recent" not in details
    empty = sample_library.postings(np.empty(0, dtype=np.int64), per_key=64)
    assert len(empty.article_ids) == 0 and len(empty.stop) == 0


def test_postings_of_both_tables_stop_keys_only_flagged(library: Library) -> None:
    big = [(10, i) for i in range(1, 8)] + [(20, 1), (50, 1)] + [(60, i) for i in range(1, 5)]
    recent = [(10, 8), (20, 2), (20, 3), (50, 8), (40, 9), (60, 9)]
    library.conn.executemany("INSERT INTO lsh_bands (band_key, article_id) VALUES (?, ?)", big)
    library.conn.executemany("INSERT INTO lsh_recent (band_key, article_id) VALUES (?, ?)", recent)
    keys = np.array([10, 20, 30, 40, 50, 60], dtype=np.int64)
    found = library.postings(keys, per_key=5)
    # 7 holders in the big table, or 4 there and 1 in the recent one: stop keys
    assert found.stop.tolist() == [True, False, False, False, False, True]
    by_key = {k: sorted(found.article_ids[found.key_index == i].tolist()) for i, k in enumerate(keys.tolist())}
    assert by_key == {10: [], 20: [1, 2, 3], 30: [], 40: [9], 50: [1, 8], 60: []}


def test_recent_postings_move_to_the_big_table_when_full(library: Library, seeds_dir, monkeypatch) -> None:
    from reader.store import duplicates as store

    monkeypatch.setattr(store, "RECENT_POSTINGS", 60)  # about two pages' worth of keys
    text = body(seeds_dir, "003")
    first, _, third = add(library, raw("a", text), raw("b", body(seeds_dir, "002")), raw("c", body(seeds_dir, "000")))
    assert library.conn.execute("SELECT count(*) FROM lsh_recent").fetchone()[0] < 60
    assert library.conn.execute("SELECT count(*) FROM lsh_bands WHERE article_id = ?", (first,)).fetchone()[0] > 0
    add(library, raw("d", substitute(text, 0.02, random.Random(5))))  # meets a through the big table
    assert ("a", "d", "near") in pairs(library)
    with library.transaction():
        library.delete_articles([first, third])
    assert postings_of(library, first) == set() and postings_of(library, third) == set()


def test_stop_keys_get_no_new_postings(library: Library, monkeypatch) -> None:
    from reader.similarity import duplicates

    monkeypatch.setattr(duplicates, "POSTINGS_PER_KEY", 3)
    boilerplate = "Subscribe to our newsletter to get the latest news delivered to your inbox every single morning."
    rng = random.Random(6)
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda omicron sigma tau upsilon".split()
    texts = [" ".join(rng.choice(words) + str(rng.randrange(10**6)) for _ in range(60)) + " " + boilerplate for _ in range(6)]
    ids = []
    for i, text in enumerate(texts):  # one batch each: the boilerplate's keys fill up, then stop
        ids += add(library, raw(f"t{i}", text))
    holders = library.conn.execute(
        "SELECT band_key, count(*) FROM lsh_bands GROUP BY band_key HAVING count(*) > 1 UNION ALL "
        "SELECT band_key, count(*) FROM lsh_recent GROUP BY band_key HAVING count(*) > 1"
    ).fetchall()
    assert holders and max(count for _, count in holders) == 3  # the shared keys stop at three postings
    assert pairs(library) == set()

    remembered = duplicates.stop_keys_of(library).keys
    assert remembered and remembered <= {key for key, _ in holders}  # the open library remembers them
    asked: list[int] = []
    lookup = library.postings
    monkeypatch.setattr(library, "postings", lambda keys, **kw: asked.extend(keys.tolist()) or lookup(keys, **kw))
    add(library, raw("t6", texts[0].replace("alpha", "omega")))
    assert asked and not remembered & set(asked)  # and skip their lookups


def test_each_page_has_its_bands_and_keys_in_the_index(sample_library: Library) -> None:
    pages = [a for a in sample_library.iter_articles() if a.parent_id is None]
    for page in pages:
        row = fingerprint_row(sample_library, page.id)
        assert row is not None
        assert postings_of(sample_library, page.id) == set(json.loads(row["keys"]))
    sections = [a for a in sample_library.iter_articles() if a.parent_id is not None]
    assert all(fingerprint_row(sample_library, s.id) is None for s in sections)  # pages only


def test_pairs_are_paged_by_keyset(library: Library, seeds_dir) -> None:
    text = body(seeds_dir, "003")
    add(library, *[raw(f"copy-{i}", text, title=f"copy {i}", source=f"outlet {i}") for i in range(6)])
    everything = list(library.iter_duplicate_pairs())
    assert len(everything) == 15 and all(p.relation == "exact" for p in everything)
    paged = list(library.iter_duplicate_pairs(page_size=4))
    assert [(p.a.id, p.b.id) for p in paged] == [(p.a.id, p.b.id) for p in everything]
    assert [(p.a.id, p.b.id) for p in everything] == sorted((p.a.id, p.b.id) for p in everything)
    assert all(p.a.id < p.b.id for p in everything)


# -- the command ------------------------------------------------------------------------------------


def test_duplicates_json_contract(sample_library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--library", str(sample_library.path), "duplicates", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data) == 1
    pair = data[0]
    assert set(pair) == {"a", "b", "relation", "score"}
    assert pair["relation"] == "contained" and 0.95 <= pair["score"] <= 1
    assert pair["a"]["external_id"].endswith("001_3f7b207e56d880eb.txt")  # a is inside b
    assert pair["b"]["external_id"].endswith("000_9dd72cae0654412e.txt")
    listed = {a.id: a.to_json() for a in sample_library.iter_articles()}
    assert pair["a"] == listed[pair["a"]["id"]] and pair["b"] == listed[pair["b"]["id"]]


def test_duplicates_table_and_filters(sample_library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(sample_library.path)
    assert cli.main(["--library", path, "duplicates"]) == 0
    out = capsys.readouterr().out
    assert "contained" in out and "⊂" in out and "TikTok" in out
    assert cli.main(["--library", path, "duplicates", "--relation", "near", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert cli.main(["--library", path, "duplicates", "--relation", "near"]) == 1
    assert cli.main(["--library", path, "duplicates", "--of", "sample/001_3f7b207e56d880eb.txt", "--json"]) == 0
    of = json.loads(capsys.readouterr().out)
    assert [(p["a"]["external_id"], p["relation"]) for p in of] == [("sample/001_3f7b207e56d880eb.txt", "contained")]
    assert cli.main(["--library", path, "duplicates", "--of", "no-such-article"]) == 2
    assert cli.main(["--library", path, "duplicates", "--limit", "0", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_show_json_lists_the_duplicates(sample_library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    page = sample_library.find_article("sample/000_9dd72cae0654412e.txt")
    assert cli.main(["--library", str(sample_library.path), "show", str(page.id), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)["duplicates"]
    assert [(d["relation"], d["other_is_inside"]) for d in shown] == [("contained", True)]


def test_article_text_is_never_markup(library: Library, capsys: pytest.CaptureFixture[str], seeds_dir) -> None:
    text = body(seeds_dir, "003")
    add(library, raw("a", text, title="[bold red]boom[/] \x1b[31mred"), raw("b", text, title="copy", source="x"))
    assert cli.main(["--library", str(library.path), "duplicates"]) == 0
    out = capsys.readouterr().out
    assert "[bold red]boom[/]" in out and "\x1b[31m" not in out


def test_the_store_keeps_the_check_hashes_of_indexed_pages(library: Library, seeds_dir) -> None:
    from reader.similarity.duplicates import Shingled
    from reader.store.duplicates import CheckMaterial

    text = body(seeds_dir, "003")
    (first,) = add(library, raw("a", text))
    row = fingerprint_row(library, first)
    stored = Shingled.of_stored(CheckMaterial("h", row["check_distinct"], row["check_inverse"], None))
    fresh = Shingled.of(library.get_article(first).text)
    assert np.array_equal(stored.sequence, fresh.sequence) and np.array_equal(stored.distinct, fresh.distinct)
    assert list(stored.distinct) == sorted(set(stored.sequence.tolist()))


def test_a_page_indexed_with_check_hashes_in_text_order_is_checked_from_them(library: Library, seeds_dir) -> None:
    from reader.similarity.fingerprint import check_sequence

    text = body(seeds_dir, "003")
    (first,) = add(library, raw("a", text))
    sequence = check_sequence(library.get_article(first).text)[1].astype("<u4").tobytes()
    with library.transaction():  # as if indexed before the store kept the sorted set (version 9)
        library.conn.execute(
            "UPDATE fingerprints SET check_distinct = NULL, check_inverse = NULL, check_hashes = ? WHERE article_id = ?",
            (sequence, first),
        )
    add(library, raw("b", substitute(text, 0.02, random.Random(3))), raw("c", text[: len(text) // 3]))
    assert pairs(library) == {("a", "b", "near"), ("c", "a", "contained"), ("c", "b", "contained")}


def test_a_page_indexed_without_check_hashes_is_checked_from_its_text(library: Library, seeds_dir) -> None:
    text = body(seeds_dir, "003")
    (first,) = add(library, raw("a", text))
    with library.transaction():  # as if indexed before the store kept check hashes (version 5)
        library.conn.execute(
            "UPDATE fingerprints SET check_distinct = NULL, check_inverse = NULL, check_hashes = NULL WHERE article_id = ?",
            (first,),
        )
    add(library, raw("b", substitute(text, 0.02, random.Random(3))), raw("c", text[: len(text) // 3]))
    assert pairs(library) == {("a", "b", "near"), ("c", "a", "contained"), ("c", "b", "contained")}


def test_postings_without_sizes_still_find_copies(library: Library, seeds_dir) -> None:
    text = body(seeds_dir, "003")
    add(library, raw("a", text), raw("b", body(seeds_dir, "002")))
    with library.transaction():  # as if posted before the postings carried sizes (version 8)
        library.conn.execute("UPDATE lsh_recent SET holder_size = NULL")
        library.merge_recent_postings()
    assert library.conn.execute("SELECT count(*) FROM lsh_bands WHERE holder_size IS NULL").fetchone()[0] > 0
    add(library, raw("c", substitute(text, 0.02, random.Random(7))), raw("d", text[: len(text) // 3]))
    assert pairs(library) == {("a", "c", "near"), ("d", "a", "contained"), ("d", "c", "contained")}


def test_stop_keys_are_left_out_of_the_keys_a_pair_can_share(seeds_dir) -> None:
    from reader.similarity.duplicates import Indexed, countable_share
    from reader.similarity.fingerprint import Signature, fingerprint

    page, story = fingerprint(body(seeds_dir, "000")), fingerprint(body(seeds_dir, "003"))
    articles = [Indexed(7, "p", Signature.of(page.to_bytes())), Indexed(3, "s", Signature.of(story.to_bytes()))]
    stop = page.containment_keys[: len(page.containment_keys) // 4]  # a quarter of the page's keys are boilerplate
    shares = countable_share(articles, stop, np.array([3, 7]))
    assert shares[0] == 1.0
    assert shares[1] == pytest.approx(1 - len(stop) / len(page.containment_keys))


def test_copies_of_one_text_each_get_the_relations_of_that_text(library: Library, seeds_dir) -> None:
    text = body(seeds_dir, "003")
    edited = substitute(text, 0.02, random.Random(11))
    add(library, raw("a", text), raw("a2", text, source="x"), raw("a3", text, source="y"))  # one text, three articles
    add(library, raw("b", edited), raw("c", text[: len(text) // 3]))
    found = pairs(library)
    for copy in ("a", "a2", "a3"):  # the check meets the text once; every copy gets the relations
        assert (copy, "b", "near") in found and ("c", copy, "contained") in found
    assert {("a", "a2", "exact"), ("a", "a3", "exact"), ("a2", "a3", "exact"), ("c", "b", "contained")} <= found
    assert len(found) == 3 + 3 + 3 + 1


def test_migration_14_drops_the_band_postings_and_keeps_the_containment_keys(library: Library) -> None:
    from reader.store.migrations import m014_duplicate_index_without_bands as m014

    band = 1 << 62 | 12345
    library.conn.executemany("INSERT INTO lsh_bands (band_key, article_id) VALUES (?, ?)", [(band, 1), (77, 1), ((1 << 62) - 1, 2)])
    library.conn.executemany("INSERT INTO lsh_recent (band_key, article_id) VALUES (?, ?)", [(band, 3), (78, 3)])
    m014.migrate(library.conn)
    left = {tuple(r) for r in library.conn.execute("SELECT band_key, article_id FROM lsh_bands UNION ALL SELECT band_key, article_id FROM lsh_recent")}
    assert left == {(77, 1), ((1 << 62) - 1, 2), (78, 3)}
