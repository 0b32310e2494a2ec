"""Re-importing a changed article re-anchors its annotations, through the real import pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.pipeline import import_inputs
from reader.store import Library


@pytest.fixture
def article_file(tmp_path: Path, seeds_dir: Path) -> Path:
    seed = sorted(seeds_dir.glob("*.txt"))[0]
    path = tmp_path / "news" / "tiktok.txt"
    path.parent.mkdir()
    path.write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    return path


SHIFTED = "Oracle caught the eye."
EDITED = "The takeover of the American activities of TikTok is imminent."
EDITED_TO = "The takeover of the American activities of TikTok is expected within days."


def import_file(library: Library, path: Path):
    report = import_inputs(library, [str(path)], workers=1)
    assert report.failed == 0
    article = library.find_article(str(path))
    assert article is not None
    return report, article


def annotate(library: Library, article, quote: str, **kwargs):
    start = article.text.index(quote)
    return library.create_annotation(article.id, start, start + len(quote), **kwargs)


def test_reimport_of_a_changed_article_reanchors_its_annotations(library: Library, article_file: Path):
    _, article = import_file(library, article_file)
    shifted = annotate(library, article, SHIFTED, note="who is Oracle?", tags=["deals"])
    edited = annotate(library, article, EDITED, note="timing")
    last_paragraph = [p for p in article.text.split("\n\n") if len(p) > 80][-1]
    deleted_sentence = last_paragraph.split(". ")[0] + "."
    deleted = annotate(library, article, deleted_sentence, note="gone soon")

    original = article_file.read_text(encoding="utf-8")
    title, body = original.split("\n", 1)
    changed = title + "\n\nUpdate: this article was revised on Monday with new details.\n" + body
    changed = changed.replace(EDITED, EDITED_TO).replace(deleted_sentence, "")
    article_file.write_text(changed, encoding="utf-8")

    report, article = import_file(library, article_file)
    assert report.updated == 1
    text = article.text

    after = library.get_annotation(shifted.id)
    assert after.state == "anchored" and after.start > shifted.start
    assert text[after.start : after.end] == SHIFTED
    assert (after.note, after.tags) == ("who is Oracle?", ("deals",))
    assert after.prefix == text[after.start - 32 : after.start]

    after = library.get_annotation(edited.id)
    assert after.state == "moved"
    assert text[after.start : after.end] == EDITED_TO == after.current_quote
    assert after.exact == EDITED  # what the user highlighted is kept

    after = library.get_annotation(deleted.id)
    assert after.state == "orphaned" and after.note == "gone soon"
    assert after.article_id == article.id  # still listed with its article

    # The same file again: nothing changed, nothing is re-anchored, states stay.
    report, _ = import_file(library, article_file)
    assert report.skipped == 1
    assert [library.get_annotation(a.id).state for a in (shifted, edited, deleted)] == ["anchored", "moved", "orphaned"]

    # The deleted sentence comes back: the orphan finds its place again.
    article_file.write_text(original, encoding="utf-8")
    _, article = import_file(library, article_file)
    back = library.get_annotation(deleted.id)
    assert back.state == "anchored" and article.text[back.start : back.end] == deleted_sentence
    again = library.get_annotation(edited.id)
    assert again.state == "anchored" and article.text[again.start : again.end] == EDITED


def test_an_article_deleted_and_imported_again_gets_its_annotations_back(library: Library, article_file: Path):
    _, article = import_file(library, article_file)
    made = annotate(library, article, SHIFTED, note="keep")
    with library.transaction():
        library.delete_articles([article.id])
    assert library.get_annotation(made.id).article_id is None
    _, article = import_file(library, article_file)
    back = library.get_annotation(made.id)
    assert (back.article_id, back.state, back.note) == (article.id, "anchored", "keep")


def test_the_stage_costs_one_query_per_batch_when_nothing_is_annotated(library: Library, article_file: Path):
    statements: list[str] = []
    library.conn.set_trace_callback(statements.append)
    import_file(library, article_file)
    library.conn.set_trace_callback(None)
    touching = [s for s in statements if "annotations" in s and "CREATE" not in s]
    assert touching == ["SELECT 1 FROM annotations LIMIT 1"]
