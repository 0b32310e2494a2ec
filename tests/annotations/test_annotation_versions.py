"""Annotations made on one copy of a story, shown on its other versions."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from reader.annotations.versions import annotations_from_other_versions, other_version_ids
from reader.store import Library


def versions_of_the_tiktok_story(library: Library) -> tuple[int, int]:
    """Two stored versions of the same story (the sample holds a copy with a different ending)."""
    articles = [library.get_article(a.id) for a in library.iter_articles()]
    opening = "After Microsoft’s offer this weekend by TikTok’s parent company ByteDance"
    copies = [a for a in articles if a.text.startswith(opening)]
    assert len(copies) >= 2
    a, b = copies[-1], copies[-2]
    assert a.text != b.text
    return a.id, b.id


@pytest.fixture
def fake_duplicates(monkeypatch):
    """Stands in for the duplicates area's ``Library.duplicates_of`` (shapes vary: ids, records)."""
    relations: dict[int, list[object]] = {}

    def duplicates_of(self, article_id, *args, **kwargs):
        return relations.get(article_id, [])

    monkeypatch.setattr(Library, "duplicates_of", duplicates_of, raising=False)
    return relations


def test_an_annotation_shows_on_the_other_version(sample_library: Library, fake_duplicates):
    annotated_id, other_id = versions_of_the_tiktok_story(sample_library)
    text = sample_library.get_article(annotated_id).text
    quote = "Oracle caught the eye."
    start = text.index(quote)
    made = sample_library.create_annotation(annotated_id, start, start + len(quote), note="same words elsewhere")
    missing = sample_library.create_annotation(annotated_id, len(text) - 40, len(text) - 2)  # only in this copy
    fake_duplicates[other_id] = [SimpleNamespace(a=other_id, b=annotated_id, relation="near")]
    shown = annotations_from_other_versions(sample_library, other_id)
    other_text = sample_library.get_article(other_id).text
    ids = [f.annotation.id for f in shown]
    assert made.id in ids
    placed = shown[ids.index(made.id)]
    assert other_text[placed.start : placed.end] == quote
    assert placed.from_article_id == annotated_id and placed.annotation.note == "same words elsewhere"
    span = placed.span()
    assert (span.start, span.end, span.from_article_id) == (placed.start, placed.end, annotated_id)
    if missing.exact not in other_text:
        assert missing.id not in ids
    # nothing was written to the other version
    assert sample_library.article_annotations(other_id) == []


def test_with_the_stores_own_duplicate_relations(sample_library: Library):
    """The sample's second file is contained in the first (a multi-story page): a highlight on
    either shows on the other, placed on the same words."""
    if not callable(getattr(Library, "duplicates_of", None)):
        pytest.skip("the duplicates area is not in this tree")
    pairs = [
        (a.id, d.other_id) for a in sample_library.iter_articles() for d in sample_library.duplicates_of(a.id)
    ]
    assert pairs, "the sample holds a known containment"
    a_id, b_id = pairs[0]
    a_text, b_text = sample_library.get_article(a_id).text, sample_library.get_article(b_id).text
    quote = next(
        p for p in b_text.split("\n\n") if 40 < len(p) < 400 and p in a_text and a_text.count(p) == 1 and b_text.count(p) == 1
    )
    start = a_text.index(quote)
    made = sample_library.create_annotation(a_id, start, start + len(quote), note="shared")
    (shown,) = [f for f in annotations_from_other_versions(sample_library, b_id) if f.annotation.id == made.id]
    assert b_text[shown.start : shown.end] == quote and shown.from_article_id == a_id
    assert shown.state == "anchored"


def test_duplicates_in_any_shape(sample_library: Library, fake_duplicates):
    fake_duplicates[1] = [5, {"other_id": 7}, SimpleNamespace(id=8), {"a": SimpleNamespace(id=1), "b": SimpleNamespace(id=6)}, 5]
    assert other_version_ids(sample_library, 1) == [5, 7, 8, 6]
    assert annotations_from_other_versions(sample_library, 2) == []


def test_without_a_duplicates_helper_there_are_no_other_versions(sample_library: Library, monkeypatch):
    monkeypatch.setattr(Library, "duplicates_of", None, raising=False)
    assert other_version_ids(sample_library, 1) == []
    assert annotations_from_other_versions(sample_library, 1) == []


def test_the_reading_apps_layer_holds_own_and_other_version_highlights(sample_library: Library, fake_duplicates):
    from reader.tui.annotation_access import (
        OTHER_VERSION_CLASS,
        OWN_CLASS,
        annotation_layer,
        annotations_at,
        create_annotation_job,
        delete_annotation_job,
    )

    annotated_id, other_id = versions_of_the_tiktok_story(sample_library)
    quote = "Oracle caught the eye."
    start = sample_library.get_article(annotated_id).text.index(quote)
    made = create_annotation_job(annotated_id, start, start + len(quote), note="n", tags=["t"])(sample_library)
    own_start = sample_library.get_article(other_id).text.index("ByteDance")
    own = sample_library.create_annotation(other_id, own_start, own_start + len("ByteDance"))
    fake_duplicates[other_id] = [annotated_id]
    layer = annotation_layer(sample_library, other_id)
    other_text = sample_library.get_article(other_id).text
    at = other_text.index(quote)
    assert (at, at + len(quote), OTHER_VERSION_CLASS) in layer
    assert (own.start, own.end, OWN_CLASS) in layer
    assert layer == sorted(layer)
    assert annotation_layer(sample_library, other_id, other_versions=False) == [(own.start, own.end, OWN_CLASS)]
    assert [a.id for a in annotations_at(sample_library, annotated_id, start + 3)] == [made.id]
    assert annotations_at(sample_library, annotated_id, start + len(quote)) == []
    assert delete_annotation_job(made.id)(sample_library) is True
