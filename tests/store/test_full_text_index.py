"""The full-text index matches the stored articles after every kind of write."""

from reader.model import RawArticle
from reader.pipeline import import_records


def fts_integrity_ok(library) -> bool:
    """FTS5's own check against the content table (rank 1: compare with the articles' text)."""
    library.conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
    return True  # the statement raises sqlite3.DatabaseError on any mismatch


def article(external_id: str, text: str, title: str = "Title") -> RawArticle:
    return RawArticle(origin="test", external_id=external_id, title=title, text=text)


def test_new_articles_and_sections_are_searchable(sample_library):
    assert fts_integrity_ok(sample_library)
    assert sample_library.search("antitrust"), "a section of the multi-story seed page"
    assert sample_library.search("Oracle")


def test_an_update_replaces_the_indexed_text(library):
    import_records(library, [article("a", "The harbour of Valparaiso reopened on Monday.")], workers=1)
    import_records(library, [article("a", "The airport of Antofagasta reopened on Tuesday.")], workers=1)
    assert fts_integrity_ok(library)
    assert not library.search("Valparaiso")
    assert [hit.article.external_id for hit in library.search("Antofagasta")] == ["a"]


def test_one_id_twice_in_one_import_keeps_the_later_text(library):
    records = [
        article("twice", "Flooding closed the bridge at Kinshasa for three days."),
        article("other", "A new library opened in Tromsø with a reading room."),
        article("twice", "Flooding closed the ferry at Brazzaville for two days."),
    ]
    report = import_records(library, records, workers=1)
    assert (report.imported, report.updated, report.failed) == (2, 1, 0)
    assert fts_integrity_ok(library)
    assert [hit.article.external_id for hit in library.search("Brazzaville")] == ["twice"]
    assert not library.search("Kinshasa")
    assert [hit.article.external_id for hit in library.search("Tromsø")] == ["other"]


def test_removing_the_sample_leaves_the_index_consistent(sample_library):
    sample_library.delete_sample_articles()
    assert fts_integrity_ok(sample_library)
    assert not sample_library.search("Oracle")


def test_a_store_batch_holding_one_id_twice_keeps_the_index_consistent(library):
    from reader.pipeline import prepare_article

    batch = [
        prepare_article(article("twice", "Snow closed the pass at Andermatt overnight.")),
        prepare_article(article("twice", "Snow closed the road at Zermatt overnight.")),
    ]
    with library.transaction():
        results = library.upsert_articles(batch)
    assert [r.status for r in results] == ["inserted", "updated"]
    assert fts_integrity_ok(library)
    assert library.search("Zermatt") and not library.search("Andermatt")


def test_search_results_do_not_depend_on_how_the_index_is_merged(library):
    """The index merges its segments rarely (migration 16): hits, scores and snippets are those
    of the same index merged into one segment."""
    words = "harbour bridge ferry council election storm flood market vaccine court".split()
    records = [
        article(f"a{i}", " ".join(words[(i * k) % len(words)] for k in range(1, 40)) + f" report{i % 7}.", title=f"{words[i % 10]} news")
        for i in range(60)
    ]
    import_records(library, records, workers=1, batch_size=5)
    segments = library.conn.execute("SELECT count(DISTINCT segid) FROM articles_fts_idx").fetchone()[0]
    queries = ["harbour", "storm flood", "report3", "court elec", "news"]

    def hits() -> list[list[tuple[str, float, str]]]:
        return [[(h.article.external_id, round(h.score, 9), h.snippet) for h in library.search(q)] for q in queries]

    before = hits()
    library.conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('optimize')")
    assert segments > 1, "a segment per batch, not merged yet"
    assert library.conn.execute("SELECT count(DISTINCT segid) FROM articles_fts_idx").fetchone()[0] == 1
    assert hits() == before
    assert all(before), "every query finds something"
    assert fts_integrity_ok(library)
