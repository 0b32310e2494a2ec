"""The annotation store: immediate commits, edits, filters, keyset pages, and never losing one."""

from __future__ import annotations

import sqlite3

import pytest

from reader.annotations.model import AnnotationError, AnnotationNotFound
from reader.store import Library, open_library


def first_article(library: Library):
    article = next(library.iter_articles(include_sections=False))
    return library.get_article(article.id)


def span_of(text: str, quote: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return start, start + len(quote)


def test_a_new_annotation_is_committed_before_create_returns(sample_library: Library):
    article = first_article(sample_library)
    start, end = span_of(article.text, "Oracle caught the eye.")
    created = sample_library.create_annotation(article.id, start, end, note="Key line", tags=["tiktok", "deals"])
    # another connection (another process) sees it at once
    other = sqlite3.connect(sample_library.path)
    row = other.execute("SELECT exact, note, state FROM annotations WHERE id = ?", (created.id,)).fetchone()
    other.close()
    assert row == ("Oracle caught the eye.", "Key line", "anchored")
    assert created.exact == "Oracle caught the eye."
    assert created.tags == ("deals", "tiktok")
    assert created.prefix == article.text[start - 32 : start] and created.suffix == article.text[end : end + 32]
    assert created.article_external_id == article.external_id and created.article_title == article.title
    assert len(created.uuid) == 36 and created.w3c_id.startswith("urn:uuid:")


def test_create_trims_whitespace_and_refuses_bad_spans(sample_library: Library):
    article = first_article(sample_library)
    start, end = span_of(article.text, "Oracle caught the eye.")
    created = sample_library.create_annotation(article.id, start - 1, end + 1)
    assert created.exact == "Oracle caught the eye." and (created.start, created.end) == (start, end)
    for bad in ((5, 5), (-1, 3), (0, len(article.text) + 1)):
        with pytest.raises(AnnotationError):
            sample_library.create_annotation(article.id, *bad)
    blank = article.text.index("\n\n")
    with pytest.raises(AnnotationError, match="whitespace"):
        sample_library.create_annotation(article.id, blank, blank + 2)
    with pytest.raises(AnnotationNotFound):
        sample_library.create_annotation(999_999, 0, 3)
    with pytest.raises(AnnotationError, match="colour"):
        sample_library.create_annotation(article.id, start, end, color="octarine")
    assert sample_library.count_annotations() == 1


def test_tags_are_cleaned_and_deduplicated(sample_library: Library):
    article = first_article(sample_library)
    created = sample_library.create_annotation(
        article.id, 0, 6, tags=["#Brexit", "brexit", "  eu   talks ", "", "a,b", "\x1b[31mred"]
    )
    assert set(created.tags) == {"a b", "Brexit", "eu talks", "red"}  # the escape sequence goes whole
    assert list(created.tags) == sorted(created.tags, key=str.casefold)


def test_update_note_tags_and_colour(sample_library: Library):
    article = first_article(sample_library)
    created = sample_library.create_annotation(article.id, 0, 6, note="first", tags=["a"])
    updated = sample_library.update_annotation(created.id, note="second\nline", color="green")
    assert (updated.note, updated.tags, updated.color) == ("second\nline", ("a",), "green")
    updated = sample_library.update_annotation(created.id, tags=["b", "c"])
    assert (updated.note, updated.tags) == ("second\nline", ("b", "c"))
    updated = sample_library.update_annotation(created.id, color=None)
    assert updated.color is None
    with pytest.raises(AnnotationNotFound):
        sample_library.update_annotation(999_999, note="x")
    assert sample_library.delete_annotation(created.id) is True
    assert sample_library.delete_annotation(created.id) is False
    assert sample_library.get_annotation(created.id) is None
    assert sample_library.conn.execute("SELECT COUNT(*) FROM annotation_tags").fetchone()[0] == 0


def test_a_failed_edit_leaves_the_old_note(sample_library: Library):
    article = first_article(sample_library)
    created = sample_library.create_annotation(article.id, 0, 6, note="keep me")
    with pytest.raises(AnnotationError):
        sample_library.update_annotation(created.id, note="new", color="octarine")
    assert sample_library.get_annotation(created.id).note == "keep me"


def test_create_inside_an_open_transaction_joins_it(sample_library: Library):
    article = first_article(sample_library)
    with pytest.raises(RuntimeError):
        with sample_library.transaction():
            sample_library.create_annotation(article.id, 0, 6)
            raise RuntimeError("rolled back")
    assert sample_library.count_annotations() == 0


def test_list_filters_and_keyset_pages(sample_library: Library):
    articles = [sample_library.get_article(a.id) for a in sample_library.iter_articles(include_sections=False)]
    made = []
    for i, article in enumerate(articles):
        for j in range(3):
            start = 10 + j * 40
            made.append(
                sample_library.create_annotation(
                    article.id, start, start + 20, note=f"note {i}-{j}", tags=["even" if j % 2 == 0 else "odd", f"a{i}"]
                )
            )
    assert sample_library.count_annotations() == len(made) == 3 * len(articles)
    newest_first = [a.id for a in made][::-1]
    # keyset pages of 4, newest first, cover everything exactly once
    pages, after = [], None
    while True:
        page = sample_library.list_annotations(limit=4, after=after)
        if not page:
            break
        pages.extend(a.id for a in page)
        after = page[-1].id
    assert pages == newest_first
    assert [a.id for a in sample_library.iter_annotations(page_size=4)] == newest_first
    # filters
    assert {a.id for a in sample_library.list_annotations(tag="EVEN")} == {a.id for a in made if "even" in a.tags}
    assert {a.id for a in sample_library.list_annotations(tag="#a0")} == {a.id for a in made[:3]}
    assert [a.id for a in sample_library.list_annotations(text="note 2-1")] == [made[7].id]
    assert {a.id for a in sample_library.list_annotations(article_id=articles[1].id)} == {a.id for a in made[3:6]}
    cluster = articles[2].cluster_id
    assert cluster is not None
    in_cluster = {a.id for a in made if sample_library.get_article(a.article_id).cluster_id == cluster}
    assert {a.id for a in sample_library.list_annotations(cluster_id=cluster)} == in_cluster
    assert sample_library.list_annotations(since="2999-01-01T00:00:00+00:00") == []
    assert len(sample_library.list_annotations(since="2000-01-01T00:00:00+00:00", limit=1000)) == len(made)
    assert sample_library.list_annotations(state="orphaned") == []
    assert dict(sample_library.annotation_tag_counts())["even"] == 2 * len(articles)


def test_article_order_groups_by_cluster_then_article_across_pages(sample_library: Library):
    articles = [sample_library.get_article(a.id) for a in sample_library.iter_articles(include_sections=False)]
    for article in reversed(articles):
        for start in (300, 100, 200):
            sample_library.create_annotation(article.id, start, start + 10)
    listed = list(sample_library.iter_annotations(order="article", page_size=2))
    assert len(listed) == 3 * len(articles)
    last = float("inf")  # unclustered articles come after the clusters
    keys = [(a.cluster_id if a.cluster_id is not None else last, a.date or "", a.article_external_id, a.start) for a in listed]
    assert keys == sorted(keys)
    # each article's highlights are contiguous and in text order
    seen: list[str] = []
    for annotation in listed:
        if not seen or seen[-1] != annotation.article_external_id:
            assert annotation.article_external_id not in seen
            seen.append(annotation.article_external_id)


def test_spans_for_rendering_overlap_freely_and_leave_out_orphans(sample_library: Library):
    article = first_article(sample_library)
    a = sample_library.create_annotation(article.id, 100, 160, color="blue")
    b = sample_library.create_annotation(article.id, 120, 140)
    c = sample_library.create_annotation(article.id, 10, 30)
    sample_library.conn.execute("UPDATE annotations SET state = 'orphaned' WHERE id = ?", (c.id,))
    spans = sample_library.annotation_spans(article.id)
    assert [(s.start, s.end, s.annotation_id, s.state, s.color) for s in spans] == [
        (a.start, a.end, a.id, "anchored", "blue"),
        (b.start, b.end, b.id, "anchored", None),
    ]
    assert sample_library.annotation_spans(999_999) == []


def test_spans_follow_a_text_changed_behind_the_imports_back(sample_library: Library):
    article = first_article(sample_library)
    start, end = span_of(article.text, "Oracle caught the eye.")
    created = sample_library.create_annotation(article.id, start, end)
    with sample_library.transaction():
        sample_library.conn.execute("UPDATE articles SET text = 'New intro. ' || text WHERE id = ?", (article.id,))
    (span,) = sample_library.annotation_spans(article.id)
    assert (span.start, span.end, span.state) == (start + 11, end + 11, "anchored")
    assert sample_library.get_annotation(created.id).start == start  # reading never writes


def test_deleting_an_article_keeps_its_annotations_orphaned(sample_library: Library):
    article = first_article(sample_library)
    created = sample_library.create_annotation(article.id, 0, 6, note="precious", tags=["keep"])
    with sample_library.transaction():
        sample_library.delete_articles([article.id])
    kept = sample_library.get_annotation(created.id)
    assert kept is not None
    assert (kept.article_id, kept.state, kept.note, kept.tags) == (None, "orphaned", "precious", ("keep",))
    assert kept.article_external_id == article.external_id and kept.article_title == article.title
    assert kept.article_url == article.url


def test_removing_the_sample_keeps_annotations_made_on_it(sample_library: Library):
    from reader.sample import add_sample, remove_sample

    article = first_article(sample_library)
    start, end = span_of(article.text, "Oracle caught the eye.")
    created = sample_library.create_annotation(article.id, start, end, note="from the sample")
    remove_sample(sample_library)
    assert sample_library.get_annotation(created.id).state == "orphaned"
    assert sample_library.list_annotations(state="orphaned")[0].id == created.id
    # the same articles come back: the annotation is re-attached and re-anchored
    add_sample(sample_library)
    back = sample_library.get_annotation(created.id)
    assert back.state == "anchored" and back.article_id is not None
    assert sample_library.get_article(back.article_id).external_id == article.external_id
    text = sample_library.get_article(back.article_id).text
    assert text[back.start : back.end] == "Oracle caught the eye."


def test_migration_from_a_version_1_library_adds_annotations(tmp_path):
    import shutil
    from pathlib import Path

    v1 = Path(__file__).resolve().parent.parent / "data" / "library_v1.sqlite3"
    if not v1.exists():
        pytest.skip("no v1 fixture")
    path = tmp_path / "old.sqlite3"
    shutil.copy(v1, path)
    with open_library(path) as library:
        assert library.schema_version >= 5
        assert library.count_annotations() == 0
        article = next(library.iter_articles(include_sections=False))
        created = library.create_annotation(article.id, 0, 4)
        assert library.get_annotation(created.id).state == "anchored"
