"""Canonical entities across the library: merging, replacement, sections, store queries, CLI."""

from __future__ import annotations

import dataclasses
import json

import pytest

from reader.cli import main
from reader.model import RawArticle, Section
from reader.pipeline import import_records, prepare_article, store_batch
from reader.store import Library


def raw(external_id: str, text: str, *, title: str = "", lang: str | None = None) -> RawArticle:
    return RawArticle(external_id=external_id, title=title or external_id, text=text, origin="test", lang=lang)


def add(library: Library, *articles: RawArticle) -> list[int]:
    import_records(library, list(articles), workers=1)
    ids = []
    for article in articles:
        found = library.find_article(article.external_id)
        assert found is not None
        ids.append(found.id)
    return ids


def entity_named(library: Library, name: str):
    found = library.find_entities(name)
    assert found, f"no entity for {name!r}"
    return found[0]


def spans_are_valid(library: Library, article_id: int) -> None:
    text = library.get_article(article_id).text
    for span in library.entity_spans(article_id):
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end].strip() == text[span.start : span.end]


def test_the_sample_links_spellings_and_languages(sample_library):
    us = entity_named(sample_library, "États-Unis")
    assert us.type == "PLACE" and us.name == "United States"
    assert {"US", "United States", "États-Unis"} <= set(us.aliases)
    assert entity_named(sample_library, "USA").id == us.id
    bytedance = entity_named(sample_library, "Byte Dance")
    assert {"ByteDance", "Byte Dance"} <= set(bytedance.aliases)
    assert entity_named(sample_library, "bytedance").id == bytedance.id
    trump = entity_named(sample_library, "Donald Trump")
    assert trump.type == "PERSON" and "Trump" in trump.aliases
    for article_id in sample_library.sample_article_ids():
        spans_are_valid(sample_library, article_id)


def test_trump_forms_are_one_entity_across_articles(library):
    ids = add(
        library,
        raw("a", "Trump said on Monday that he would sign. Officials in Washington agreed with Trump."),
        raw("b", "President Donald Trump signed the order on Tuesday. Later, Trump flew to Florida."),
        raw("c", "The order of US President Donald Trump was criticised. Trump defended it."),
    )
    entities = {span.entity_id for i in ids for span in library.entity_spans(i) if "Trump" in span.name}
    assert len(entities) == 1
    trump = library.get_entity(entities.pop())
    assert trump.name == "Donald Trump" and trump.type == "PERSON"
    assert trump.article_count == 3
    assert {"Trump", "Donald Trump"} <= set(trump.aliases)


def test_fuzzy_spellings_merge_but_different_names_do_not(library):
    ids = add(
        library,
        raw("a", "Leaders met Muammar Gaddafi in Tripoli on Monday. Observers said Muammar Gaddafi was calm."),
        raw("b", "Reporters saw Muammar Gadaffi in the capital. Critics said Muammar Gadaffi left early."),
        raw("c", "Reporters saw Muammar Mansour in the capital. Critics said Muammar Mansour left early."),
    )
    by_article = [{s.name for s in library.entity_spans(i) if s.type == "PERSON"} for i in ids]
    gaddafi_a = {s.entity_id for s in library.entity_spans(ids[0]) if s.type == "PERSON"}
    gaddafi_b = {s.entity_id for s in library.entity_spans(ids[1]) if s.type == "PERSON"}
    mansour = {s.entity_id for s in library.entity_spans(ids[2]) if s.type == "PERSON"}
    assert gaddafi_a == gaddafi_b, by_article
    assert not (mansour & gaddafi_a)


def test_updated_articles_replace_their_mentions_and_counts_follow(library):
    first = raw("x", "Microsoft met Oracle in Seattle. Later, Microsoft and Oracle signed a deal.")
    (article_id,) = add(library, first)
    oracle = entity_named(library, "Oracle")
    assert (oracle.mention_count, oracle.article_count) == (2, 1)
    add(library, dataclasses.replace(first, text="Microsoft met Netflix in Seattle. Later, Microsoft and Netflix signed a deal."))
    assert library.find_article("x").id == article_id
    names = {span.name for span in library.entity_spans(article_id)}
    assert "Oracle" not in names and "Netflix" in names
    assert library.get_entity(oracle.id).article_count == 0
    microsoft = entity_named(library, "Microsoft")
    assert (microsoft.mention_count, microsoft.article_count) == (2, 1)
    spans_are_valid(library, article_id)
    with library.transaction():
        library.delete_articles([article_id])
    assert library.entity_spans(article_id) == []
    assert library.get_entity(microsoft.id).mention_count == 0


def test_sections_get_their_own_shifted_mentions(library):
    page = ("Oracle wins TikTok\n\nOracle will host TikTok in Texas, said Larry Ellison.\n\n"
            "Google faces a lawsuit\n\nThe Justice Department sued Google in Washington, said William Barr.")
    prepared = prepare_article(raw("page", page, title="Tech news"))
    cut = prepared.text.index("Google faces")
    prepared = dataclasses.replace(prepared, sections=(Section(0, "Oracle wins TikTok", 0, cut), Section(1, "Google faces a lawsuit", cut, len(prepared.text))))
    results = store_batch(library, [prepared])
    section_ids = results[0].section_ids
    assert len(section_ids) == 2
    for section_id in section_ids:
        spans_are_valid(library, section_id)
    first = {s.name for s in library.entity_spans(section_ids[0])}
    second = {s.name for s in library.entity_spans(section_ids[1])}
    assert "Larry Ellison" in first and "Larry Ellison" not in second
    assert "William Barr" in second and "Google" in second
    second_text = library.get_article(section_ids[1]).text
    assert any(second_text[s.start : s.end] == "Google" for s in library.entity_spans(section_ids[1]))


def test_store_queries(sample_library):
    library = sample_library
    article_id = library.sample_article_ids()[0]
    counts = library.article_entities(article_id)
    assert counts and counts == sorted(counts, key=lambda c: -c.count)
    spans = library.entity_spans(article_id)
    assert sum(c.count for c in counts) == len(spans)
    oracle = entity_named(library, "Oracle")
    mentioning = library.articles_mentioning(oracle.id, limit=2)
    assert len(mentioning) == 2 and mentioning == sorted(mentioning)
    rest = library.articles_mentioning(oracle.id, after_id=mentioning[-1], limit=100)
    assert not set(rest) & set(mentioning)
    assert len(mentioning) + len(rest) == oracle.article_count
    clusters = library.clusters_mentioning(oracle.id)
    assert clusters
    cluster_id = clusters[0][0]
    top = library.cluster_entities(cluster_id, limit=5)
    assert 0 < len(top) <= 5
    assert [t.count for t in top] == sorted((t.count for t in top), reverse=True)
    assert library.get_entity(oracle.id).name == "Oracle"
    assert library.get_entity(10**9) is None
    assert library.find_entities("no such entity anywhere") == []


def test_the_mentions_schema_cascades_and_is_indexed(library):
    plans = {
        sql: " ".join(str(row[-1]) for row in library.conn.execute("EXPLAIN QUERY PLAN " + sql, params))
        for sql, params in (
            ("SELECT spans FROM entity_spans WHERE article_id = ?", (1,)),
            ("SELECT entity_id, mentions FROM entity_articles WHERE article_id = ?", (1,)),
            ("SELECT article_id FROM entity_articles WHERE entity_id = ? AND article_id > ? ORDER BY article_id LIMIT 5", (1, 0)),
            ("SELECT id FROM entities WHERE key = ?", ("x",)),
            ("SELECT entity_id FROM entity_aliases WHERE alias_key = ?", ("x",)),
        )
    }
    for sql, plan in plans.items():
        assert "SCAN" not in plan.replace("SCAN CONSTANT", ""), (sql, plan)


def test_deleting_an_article_takes_its_mentions_and_counts(library):
    ids = add(
        library,
        raw("a", "Angela Merkel met Emmanuel Macron in Berlin. Angela Merkel spoke first."),
        raw("b", "Angela Merkel visited Paris on Friday."),
    )
    merkel = entity_named(library, "Angela Merkel")
    assert (merkel.article_count, merkel.mention_count) == (2, 3)
    with library.transaction():
        library.delete_articles([ids[0]])
    merkel = library.get_entity(merkel.id)
    assert (merkel.article_count, merkel.mention_count) == (1, 1)
    assert library.articles_mentioning(merkel.id) == [ids[1]]
    assert library.entity_spans(ids[0]) == []
    assert library.conn.execute("SELECT COUNT(*) FROM entity_articles WHERE article_id = ?", (ids[0],)).fetchone()[0] == 0


# -- the command line --------------------------------------------------------------------------


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_show_json_has_valid_entity_spans(capsys, tmp_path):
    lib = str(tmp_path / "lib.sqlite3")
    code, out, _ = run(capsys, "--library", lib, "list", "--json")
    assert code == 0
    everywhere: set[str] = set()
    for article in json.loads(out):
        code, out, _ = run(capsys, "--library", lib, "show", str(article["id"]), "--json")
        shown = json.loads(out)
        text = shown["text"]
        assert shown["entities"], article["title"]
        for span in shown["entities"]:
            assert set(span) == {"start", "end", "type", "entity_id", "name"}
            assert span["type"] in ("PERSON", "ORG", "PLACE", "OTHER")
            assert text[span["start"] : span["end"]]
        everywhere |= {text[s["start"] : s["end"]] for s in shown["entities"]}
    assert {"Oracle", "TikTok", "ByteDance", "Microsoft", "Donald Trump", "États-Unis", "Google"} <= everywhere


def test_entities_command_json_and_cluster_filter(capsys, tmp_path):
    lib = str(tmp_path / "lib.sqlite3")
    code, out, _ = run(capsys, "--library", lib, "entities", "--json")
    assert code == 0
    entities = json.loads(out)
    assert entities and all(set(e) == {"id", "name", "type", "aliases", "mentions", "articles"} for e in entities)
    articles = [e["articles"] for e in entities]
    assert articles == sorted(articles, reverse=True)
    names = {e["name"] for e in entities}
    assert {"Oracle", "TikTok", "United States", "Donald Trump"} <= names
    code, out, _ = run(capsys, "--library", lib, "clusters", "--json", "--limit", "1")
    cluster_id = json.loads(out)[0]["id"]
    code, out, _ = run(capsys, "--library", lib, "entities", "--cluster", str(cluster_id), "--json")
    in_cluster = json.loads(out)
    assert in_cluster and {e["name"] for e in in_cluster} <= names
    code, out, err = run(capsys, "--library", lib, "entities", "--cluster", "999999")
    assert code == 2 and "no cluster" in err
    code, out, _ = run(capsys, "--library", lib, "entities", "--limit", "3")
    assert code == 0 and "Oracle" in out or "TikTok" in out


def test_relink_rebuilds_the_same_entities(sample_library):
    from reader.entities.linking import relink_library

    article_id = sample_library.sample_article_ids()[0]
    before = [(s.start, s.end, s.name) for s in sample_library.entity_spans(article_id)]
    with sample_library.transaction():
        sample_library.conn.execute("DELETE FROM entity_spans")
        sample_library.conn.execute("DELETE FROM entity_articles")
    assert sample_library.entity_spans(article_id) == []
    assert relink_library(sample_library) == sample_library.article_count()
    after = [(s.start, s.end, s.name) for s in sample_library.entity_spans(article_id)]
    assert after == before


def test_moving_an_entity_rewrites_only_its_id_fields():
    from reader.store.entities import (
        MentionRow,
        pack_spans,
        respan_entity,
        unpack_spans,
    )

    # the source id (7) also appears as a start, an end and a type-free position: only the id field moves
    spans = [MentionRow(7, 12, 7, "PERSON"), MentionRow(20, 7 + 20, 3, "ORG"), MentionRow(30, 35, 7, "PLACE")]
    moved = unpack_spans(respan_entity(pack_spans(spans), 7, 9))
    assert moved == [MentionRow(7, 12, 9, "PERSON"), MentionRow(20, 27, 3, "ORG"), MentionRow(30, 35, 9, "PLACE")]


def test_surnames_link_across_batches_and_stay_apart_when_two_persons_share_them(library):
    (first,) = add(library, raw("a", "Officials met Zorblat on Monday. Zorblat agreed."))
    (second,) = add(library, raw("b", "Senator Anna Zorblat signed the bill on Tuesday, and Zorblat then left."))
    (third,) = add(library, raw("c", "Critics said Zorblat had changed her mind. Zorblat denied it."))
    ids = {span.entity_id for i in (first, second, third) for span in library.entity_spans(i)}
    assert len(ids) == 1  # the surname-only entity was absorbed, and the later lone surname found it
    anna = library.get_entity(ids.pop())
    assert anna.name == "Anna Zorblat" and anna.type == "PERSON" and anna.article_count == 3
    add(library, raw("d", "Professor Boris Zorblat, her brother, spoke in Paris."))
    (fifth,) = add(library, raw("e", "Zorblat was not available for comment."))
    lone = {span.entity_id for span in library.entity_spans(fifth)}
    assert anna.id not in lone  # two persons now bear the surname: a lone one is neither
    by_batch = library.entities_by_alias_keys(["zorblat", "annazorblat", "nobody"], kind="surname")
    assert {key: sorted(e.id for e in refs) for key, refs in by_batch.items()} == {
        "zorblat": sorted(e.id for e in library.entities_by_alias("zorblat", kind="surname"))
    }


def test_singular_and_plural_of_a_name_are_one_entity_named_by_its_most_frequent_surface(library):
    first, second = add(
        library,
        raw("a", "A Quintar fan cheered in the stadium on Sunday."),
        raw("b", "Fans of the Quintars cheered. Later the Quintars won, and the Quintars celebrated."),
    )
    (entity_a,) = {s.entity_id for s in library.entity_spans(first) if "Quintar" in s.name}
    entities_b = {s.entity_id for s in library.entity_spans(second) if "Quintar" in s.name}
    assert entities_b == {entity_a}
    entity = library.get_entity(entity_a)
    assert entity.name == "Quintars"  # three mentions against one: not the first surface seen
    assert set(entity.aliases) == {"Quintar", "Quintars"}
    assert {s.name for s in library.entity_spans(first)} >= {"Quintars"}


def test_a_name_keeps_its_name_on_a_tie(library):
    ids = add(library, raw("a", "Analysts met the Blixars board in Boston on Monday."))
    ids += add(library, raw("b", "Analysts met the Blixar board in Boston on Tuesday."))  # a later batch
    blixar = {s.entity_id for i in ids for s in library.entity_spans(i) if s.name.startswith("Blixar")}
    assert len(blixar) == 1
    assert library.get_entity(blixar.pop()).name == "Blixars"  # one mention each: the first name stays


def test_only_names_that_are_not_persons_or_places_have_another_number():
    from collections import Counter

    from reader.entities.linking import _KeyInfo, _other_numbers

    def info(key: str, kind: str) -> _KeyInfo:
        return _KeyInfo(key, Counter({kind: 1}))

    assert _other_numbers("oscar", info("oscar", "OTHER")) == ("oscars",)
    assert _other_numbers("chargers", info("chargers", "ORG")) == ("charger",)
    assert _other_numbers("williams", info("williams", "PERSON")) == ()
    assert _other_numbers("country:us", info("country:us", "PLACE")) == ()
    assert _other_numbers("uss", info("uss", "ORG")) == ()  # too short
    assert _other_numbers("congress", info("congress", "ORG")) == ()  # "-ss" is no plural
    ngos = _KeyInfo("ngos", Counter({"ORG": 1}), Counter({"NGOs": 1}))
    assert _other_numbers("ngos", ngos) == ("ngo",)  # an acronym's plural, however short
    assert _other_numbers("ngo", _KeyInfo("ngo", Counter({"ORG": 1}), Counter({"NGO": 1}))) == ("ngos",)
    assert _other_numbers("us", _KeyInfo("us", Counter({"ORG": 1}), Counter({"US": 1}))) == ()


def test_surname_look_ups_read_at_most_a_few_persons_per_key(library):
    with library.transaction():
        ids = [library.create_entity(f"Pat Smith {n}", "PERSON", f"patsmith{n}") for n in range(5)]
        library.add_entity_aliases((i, "Smith", "smith", "surname", 1) for i in ids)
        lone = library.create_entity("Ada Lovelace", "PERSON", "adalovelace")
        library.add_entity_aliases([(lone, "Lovelace", "lovelace", "surname", 1)])
    everyone = library.entities_by_alias_keys(["smith", "lovelace"], kind="surname")
    capped = library.entities_by_alias_keys(["smith", "lovelace", "smith"], kind="surname", per_key=3)
    assert len(everyone["smith"]) == 5 and len(capped["smith"]) == 3
    assert {e.id for e in capped["smith"]} <= set(ids)
    assert [e.id for e in capped["lovelace"]] == [e.id for e in everyone["lovelace"]] == [lone]


def test_fuzzy_candidates_outside_the_key_length_window_could_never_reach_the_score():
    from rapidfuzz import fuzz

    from reader.entities.linking import FUZZY_MIN_KEY_CHARS, FUZZY_MIN_SCORE, _fuzzy_key_lengths

    for n in range(FUZZY_MIN_KEY_CHARS, 80):
        low, high = _fuzzy_key_lengths("k" * n)
        for m in range(FUZZY_MIN_KEY_CHARS, 120):
            best = fuzz.ratio("k" * n, "k" * m)  # the closest any key of length m can be
            if best >= FUZZY_MIN_SCORE:
                assert low <= m <= high, (n, m)


def block_rows(library, key: str) -> list[tuple[int, str, str]]:
    """The entities a fuzzy match of ``key`` may pick (both its blocks), as (id, key, type) in id order."""
    found = {row[0]: row for block in library.fuzzy_blocks(key) for row in block.rows()}
    return [found[i] for i in sorted(found)]


def test_fuzzy_match_takes_the_oldest_compatible_entity_of_the_best_score(library):
    from collections import Counter

    from reader.entities.linking import _by_fuzzy, _KeyInfo

    with library.transaction():
        ids = [library.create_entity(name, kind, key) for name, kind, key in [
            ("bytedance:ltt", "ORG", "bytedance:ltt"),  # scores as well, but a ':' key is never picked
            ("Bytedance Lts", "PERSON", "bytedance lts"),  # as well, but a person
            ("Bytedance Ltd", "ORG", "bytedance ltd"),  # as well: the oldest that may be picked
            ("Bytedance Ltx", "ORG", "bytedance ltx"),  # as well, but newer
            ("Bytedance Ltdd", "OTHER", "bytedance ltdd"),  # under FUZZY_MIN_SCORE
        ]]
    assert [row[0] for row in block_rows(library, "bytedance ltt")] == ids  # all share the head block "byte"
    assert _by_fuzzy(library, "bytedance ltt", _KeyInfo("bytedance ltt", Counter({"ORG": 1}))).id == ids[2]
    assert _by_fuzzy(library, "bytedance ltt", _KeyInfo("bytedance ltt", Counter({"OTHER": 1}))).id == ids[1]
    assert _by_fuzzy(library, "bytedance ltt", _KeyInfo("bytedance ltt", Counter({"PLACE": 1}))) is None


def _full_block(library, prefix: str, count: int) -> list[int]:
    from reader.store.entities import FUZZY_CANDIDATES

    with library.transaction():
        return [library.create_entity(f"{prefix}{n:03d}", "ORG", f"{prefix}{n:03d}") for n in range(FUZZY_CANDIDATES + count)]


def test_fuzzy_blocks_kept_in_memory_answer_as_the_library_does(library, tmp_path):
    from reader.store import open_library

    ids = _full_block(library, "qqqq", 3)
    with library.transaction():
        library.start_entity_batch()
        first = block_rows(library, "qqqq000")
        assert ("block_head", "qqqq") in library._kept_fuzzy_blocks.blocks  # kept: read once
        assert block_rows(library, "qqqq000") == first == sorted(first)
        library.merge_entity(ids[0], ids[1])  # a candidate goes: the next one in id order comes in
        assert ("block_head", "qqqq") not in library._kept_fuzzy_blocks.blocks
        after_merge = block_rows(library, "qqqq000")
        assert [c[0] for c in after_merge] == ids[1:51]
    # another connection writes: what this one kept is no longer trusted
    with open_library(library.path) as other, other.transaction():
        other.merge_entity(ids[1], ids[2])
    with library.transaction():
        library.start_entity_batch()
        assert [c[0] for c in block_rows(library, "qqqq000")] == ids[2:52]


def test_kept_fuzzy_blocks_that_are_not_full_take_the_entities_this_connection_creates(library):
    from reader.store.entities import FUZZY_CANDIDATES

    _full_block(library, "ssss", -3)  # three short of full
    with library.transaction():
        library.start_entity_batch()
        assert len(block_rows(library, "ssss000")) == FUZZY_CANDIDATES - 3  # now kept
        extra = [library.create_entity(f"ssss{n}x", "ORG", f"ssss{n}x") for n in range(5)]
        kept = block_rows(library, "ssss000")
    fresh = library.conn.execute("SELECT id, key, type FROM entities WHERE block_head = 'ssss' ORDER BY id LIMIT ?", (FUZZY_CANDIDATES,))
    assert kept == [tuple(row) for row in fresh]  # as the library would answer: the first three of the five came in
    assert [c[0] for c in kept][-3:] == extra[:3]


def test_fuzzy_blocks_of_a_rolled_back_batch_are_not_kept(library):
    _full_block(library, "rrrr", -3)  # three short of full
    try:
        with library.transaction():
            library.start_entity_batch()
            extra = [library.create_entity(f"rrrr{n}x", "ORG", f"rrrr{n}x") for n in range(5)]  # the block fills up
            assert len(block_rows(library, "rrrr000")) == 50
            raise RuntimeError
    except RuntimeError:
        pass
    with library.transaction():
        library.start_entity_batch()
        found = [c[0] for c in block_rows(library, "rrrr000")]
    assert len(found) == 47 and not set(found) & set(extra)


def test_entities_kept_by_key_answer_as_the_library_does(library):
    from reader.store import open_library

    with library.transaction():
        ada, bob, cyd = (library.create_entity(name, "PERSON", name.casefold()) for name in ("Ada", "Bob", "Cyd"))
    assert {k: r.id for k, r in library.entities_by_keys(["ada", "bob", "cyd", "dee"]).items()} == {"ada": ada, "bob": bob, "cyd": cyd}
    assert set(library._entities_by_key.refs) == {"ada", "bob", "cyd"}  # read once: now kept
    with library.transaction():
        library.rename_entities([(ada, "Ada L.")])  # this connection renames one: forgotten at once
        library.set_entity_type(bob, "ORG")
        assert library.entities_by_keys(["ada", "bob"]) == {
            "ada": (ada, "ada", "PERSON", "Ada L."),
            "bob": (bob, "bob", "ORG", "Bob"),
        }
    try:
        with library.transaction():
            library.rename_entities([(cyd, "Cyd C.")])
            assert library.entities_by_keys(["cyd"])["cyd"].name == "Cyd C."  # read inside the transaction
            raise RuntimeError
    except RuntimeError:
        pass
    assert library.entities_by_keys(["cyd"])["cyd"].name == "Cyd"  # rolled back: not remembered
    with open_library(library.path) as other, other.transaction():
        other.merge_entity(ada, cyd)  # another connection deletes one
    assert set(library.entities_by_keys(["ada", "bob", "cyd"])) == {"bob", "cyd"}
