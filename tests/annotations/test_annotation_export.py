"""Exports (Markdown, W3C JSON, Readwise CSV), importing JSON back, the lossless round trip, atomic writes."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from reader.annotations.export import export_annotations, export_to_file, write_atomically
from reader.annotations.formats import export_formats, get_format
from reader.annotations.importing import import_annotation_data, import_annotation_file, read_annotation_file
from reader.annotations.model import AnnotationFilter
from reader.pipeline import import_inputs
from reader.store import Library, open_library

EDITED = "The takeover of the American activities of TikTok is imminent."
EDITED_TO = "The takeover of the American activities of TikTok is expected within days."


@pytest.fixture
def news_dir(tmp_path: Path, seeds_dir: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    for seed in sorted(seeds_dir.glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
    return folder


def articles_by_name(library: Library) -> dict[str, object]:
    found = {}
    for summary in library.iter_articles(include_sections=False):
        found[Path(summary.external_id).name] = library.get_article(summary.id)
    return found


def annotate(library: Library, article, quote: str, occurrence: int = 0, **kwargs):
    start = -1
    for _ in range(occurrence + 1):
        start = article.text.index(quote, start + 1)
    return library.create_annotation(article.id, start, start + len(quote), **kwargs)


@pytest.fixture
def annotated(tmp_path: Path, news_dir: Path):
    """A library with annotations in all three states, over real articles, and the files it read."""
    library = open_library(tmp_path / "a.sqlite3")
    import_inputs(library, [str(news_dir)], workers=1)
    arts = articles_by_name(library)
    names = sorted(arts)
    first, french = arts[names[0]], next(a for a in arts.values() if a.lang == "fr")
    annotate(library, first, "Oracle caught the eye.", note="Who is Oracle here?\n# not a heading\n- not a list", tags=["deals", "us"], color="green")
    annotate(library, first, EDITED, note="timing", tags=["deals"])
    annotate(library, first, "Microsoft", occurrence=1, tags=["players"])
    gone = [p for p in first.text.split("\n\n") if len(p) > 80][-1].split(". ")[0] + "."
    annotate(library, first, gone, note="this sentence will be deleted")
    french_quote = french.text.split("\n\n")[1][:60].strip()
    annotate(library, french, french_quote, note="en français [link](http://x) *bold* <b>", tags=["fr"])
    other = arts[names[2]]
    annotate(library, other, other.text.split("\n\n")[1][:50].strip(), color="pink")
    # the first article changes: one highlight moves, one is orphaned
    path = news_dir / names[0]
    path.write_text(path.read_text(encoding="utf-8").replace(EDITED, EDITED_TO).replace(gone, ""), encoding="utf-8")
    report = import_inputs(library, [str(news_dir)], workers=1)
    assert report.updated == 1
    yield library, news_dir
    library.close()


def states(library: Library) -> dict[str, int]:
    counts: dict[str, int] = {}
    for a in library.iter_annotations():
        counts[a.state] = counts.get(a.state, 0) + 1
    return counts


def export_text(library: Library, fmt: str, flt: AnnotationFilter | None = None) -> str:
    out = io.StringIO(newline="")
    export_annotations(library, fmt, out, flt)
    return out.getvalue()


def test_registry_finds_one_module_per_format():
    formats = export_formats()
    assert set(formats) == {"markdown", "json", "csv"}
    assert get_format("md") is formats["markdown"] and get_format("readwise") is formats["csv"]
    with pytest.raises(ValueError, match="unknown export format"):
        get_format("docx")


def test_fixture_has_every_state(annotated):
    library, _ = annotated
    assert states(library) == {"anchored": 4, "moved": 1, "orphaned": 1}


def test_markdown_is_grouped_by_cluster_then_article(annotated):
    library, _ = annotated
    text = export_text(library, "markdown")
    lines = text.split("\n")
    assert lines[0] == "# Annotations"
    headings = [line for line in lines if line.startswith("#")]
    listed = list(library.iter_annotations(order="article"))
    clusters = list(dict.fromkeys((a.cluster_id, a.cluster_label) for a in listed))
    articles = list(dict.fromkeys(a.article_external_id for a in listed))
    assert len([h for h in headings if h.startswith("## ")]) == len(clusters)
    assert len([h for h in headings if h.startswith("### ")]) == len(articles)
    assert len(headings) == 1 + len(clusters) + len(articles)  # no note or quote became a heading
    # each article heading sits under its cluster heading, in export order
    order = [h for h in headings if h.startswith(("## ", "### "))]
    expected = []
    for cluster in clusters:
        expected.append(cluster)
        expected.extend(dict.fromkeys(a.article_title for a in listed if (a.cluster_id, a.cluster_label) == cluster))
    assert len(order) == len(expected)
    for heading, want in zip(order, expected):
        if isinstance(want, tuple):
            assert heading.startswith("## Story: ") or heading == "## Not in a story"
        else:
            assert heading.startswith("### ") and heading[4:].replace("\\", "") == want
    # highlights as quotes, notes escaped under them, tags, states
    assert "> Oracle caught the eye." in lines
    assert "\\# not a heading" in lines and "\\- not a list" in lines
    assert "Tags: #deals, #us" in lines
    assert any(line.startswith("*Moved: the text now reads “" + EDITED_TO) for line in lines)
    assert "*Orphaned: this passage is no longer in the article.*" in lines
    assert "en français \\[link\\](http://x) \\*bold\\* \\<b\\>" in lines
    assert sum(1 for line in lines if line.startswith("> ")) >= 6
    for article in articles:
        a = next(x for x in listed if x.article_external_id == article)
        if a.article_url:
            assert f"- URL: <{a.article_url}>" in lines


def test_json_is_the_w3c_web_annotation_model(annotated):
    library, _ = annotated
    data = json.loads(export_text(library, "json"))
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection" and data["total"] == 6
    page = data["first"]
    assert page["type"] == "AnnotationPage"
    items = page["items"]
    assert len(items) == 6
    by_id = {a.w3c_id: a for a in library.iter_annotations()}
    for item in items:
        stored = by_id[item["id"]]
        assert item["type"] == "Annotation"
        assert item["motivation"] == ("commenting" if stored.note else "highlighting")
        target = item["target"]
        assert target["source"] == stored.article_external_id
        quote, position = target["selector"]
        assert quote == {"type": "TextQuoteSelector", "exact": stored.exact, "prefix": stored.prefix, "suffix": stored.suffix}
        assert position == {"type": "TextPositionSelector", "start": stored.start, "end": stored.end}
        bodies = item.get("body", [])
        notes = [b["value"] for b in bodies if b["purpose"] == "commenting"]
        tags = [b["value"] for b in bodies if b["purpose"] == "tagging"]
        assert notes == ([stored.note] if stored.note else [])
        assert tuple(tags) == stored.tags
        assert all(b["type"] == "TextualBody" for b in bodies)
        assert target.get("styleClass") == stored.color
        assert (item["created"], item["modified"]) == (stored.created_at, stored.updated_at)


def test_csv_has_readwise_columns_plus_tags(annotated):
    library, _ = annotated
    rows = list(csv.DictReader(io.StringIO(export_text(library, "csv"), newline="")))
    assert list(rows[0].keys()) == ["Highlight", "Title", "Author", "URL", "Note", "Location", "Date", "Tags"]
    listed = list(library.iter_annotations(order="article"))
    assert [r["Highlight"] for r in rows] == [a.exact for a in listed]
    for row, a in zip(rows, listed):
        assert row["Title"] == a.article_title
        assert row["Note"] == a.note
        assert int(row["Location"]) == a.start
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", row["Date"])
        assert row["Tags"] == ", ".join(a.tags)
        assert row["URL"] == (a.article_url or "")


def test_filters_narrow_the_export(annotated):
    library, _ = annotated
    tagged = json.loads(export_text(library, "json", AnnotationFilter(tag="deals")))["first"]["items"]
    assert len(tagged) == 2
    some = next(library.iter_annotations())
    in_cluster = json.loads(export_text(library, "json", AnnotationFilter(cluster_id=some.cluster_id)))["first"]["items"]
    assert {i["id"] for i in in_cluster} == {
        a.w3c_id for a in library.iter_annotations() if a.cluster_id == some.cluster_id
    }
    assert json.loads(export_text(library, "json", AnnotationFilter(since="2999-01-01T00:00:00+00:00")))["first"]["items"] == []
    empty = export_text(library, "markdown", AnnotationFilter(tag="nothing"))
    assert "0 highlights" in empty and "##" not in empty


FIELDS = ("uuid", "exact", "prefix", "suffix", "start", "end", "state", "note", "tags", "color", "created_at",
          "updated_at", "article_external_id", "article_title", "article_url", "current_quote", "text_hash")


def snapshot(library: Library) -> dict[str, tuple]:
    """Everything an annotation holds (the text hash only where it is anchored: for an orphan
    it names a text that the other library never had)."""
    return {
        a.uuid: tuple(getattr(a, f) if f != "text_hash" or a.state != "orphaned" else None for f in FIELDS)
        for a in library.iter_annotations()
    }


def test_round_trip_into_a_fresh_library_loses_nothing(annotated, tmp_path):
    library, news_dir = annotated
    exported = tmp_path / "notes.json"
    export_to_file(library, "json", exported)
    fresh = open_library(tmp_path / "b.sqlite3")
    import_inputs(fresh, [str(news_dir)], workers=1)  # the same articles (as they are now)
    report = import_annotation_file(fresh, exported)
    assert (report.imported, report.failed) == (6, 0)
    assert (report.anchored, report.moved, report.orphaned) == (4, 1, 1)
    assert snapshot(fresh) == snapshot(library)
    # importing again changes nothing
    again = import_annotation_file(fresh, exported)
    assert (again.imported, again.unchanged) == (0, 6)
    assert snapshot(fresh) == snapshot(library)
    fresh.close()


def test_annotations_of_missing_articles_are_kept_detached_and_come_back(annotated, tmp_path):
    library, news_dir = annotated
    exported = tmp_path / "notes.json"
    export_to_file(library, "json", exported)
    fresh = open_library(tmp_path / "b.sqlite3")
    report = import_annotation_file(fresh, exported)  # no articles at all
    assert (report.imported, report.orphaned) == (6, 6)
    assert all(a.article_id is None for a in fresh.iter_annotations())
    titles = {a.uuid: a.article_title for a in fresh.iter_annotations()}
    assert titles == {a.uuid: a.article_title for a in library.iter_annotations()}
    import_inputs(fresh, [str(news_dir)], workers=1)  # the articles arrive: re-attached, re-anchored
    assert snapshot(fresh) == snapshot(library)
    fresh.close()


def test_a_newer_copy_in_the_file_updates_note_and_tags(annotated, tmp_path):
    library, _ = annotated
    data = json.loads(export_text(library, "json"))
    item = data["first"]["items"][0]
    item["modified"] = "2999-01-01T00:00:00+00:00"
    item["body"] = [{"type": "TextualBody", "value": "edited elsewhere", "purpose": "commenting"},
                    {"type": "TextualBody", "value": "new-tag", "purpose": "tagging"}]
    report = import_annotation_data(library, data)
    assert (report.updated, report.unchanged, report.imported) == (1, 5, 0)
    changed = library.get_annotation_by_uuid(item["id"].removeprefix("urn:uuid:"))
    assert (changed.note, changed.tags, changed.updated_at) == ("edited elsewhere", ("new-tag",), "2999-01-01T00:00:00+00:00")


def test_other_tools_json_and_bad_items_are_reported_not_raised(sample_library: Library):
    article = sample_library.get_article(next(sample_library.iter_articles(include_sections=False)).id)
    quote = "Oracle caught the eye."
    start = article.text.index(quote)
    items = [
        {"type": "Annotation", "bodyValue": "a plain note",  # id-less, quote only, matched by URL
         "target": {"source": article.url or article.external_id, "selector": {"type": "TextQuoteSelector", "exact": quote}}},
        {"type": "Annotation", "target": {"source": article.external_id,  # position only
         "selector": [{"type": "TextPositionSelector", "start": start, "end": start + 6}]}},
        {"type": "Annotation", "target": "http://example.com/page"},
        {"type": "Annotation"},
        "not an object",
        {"type": "Annotation", "target": {"source": "x", "selector": [{"type": "TextPositionSelector", "start": 5, "end": 2}]}},
    ]
    report = import_annotation_data(sample_library, items)
    assert report.imported == 2 and report.failed == 4
    assert len(report.problems) == 4 and all(p.startswith("item ") for p in report.problems)
    made = {a.exact: a for a in sample_library.iter_annotations()}
    assert made[quote].note == "a plain note" and made[quote].state == "anchored"
    assert made[quote].start == start
    assert made["Oracle"].start == start
    # the same id-less item again is recognised (its id is derived from its content)
    assert import_annotation_data(sample_library, items[:1]).unchanged == 1
    for bad in ("[1, 2", "{" * 100_000, '"just a string"'):
        path = Path(sample_library.path).with_name("bad.json")
        path.write_text(bad, encoding="utf-8")
        try:
            data = read_annotation_file(path)
        except ValueError as exc:
            assert "bad.json" in str(exc)
            continue
        report = import_annotation_data(sample_library, data)
        assert report.failed == 1 and report.imported == 0


def test_write_atomically_replaces_whole_or_leaves_the_old_file(tmp_path):
    target = tmp_path / "export.md"
    target.write_text("old contents\n", encoding="utf-8")
    os.chmod(target, 0o640)

    def failing(out):
        out.write("half of the new")
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        write_atomically(target, failing)
    assert target.read_text(encoding="utf-8") == "old contents\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.md"]  # no temp file left
    assert write_atomically(target, lambda out: out.write("new\n")) == 4
    assert target.read_text(encoding="utf-8") == "new\n"
    assert os.stat(target).st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.md"]
    with pytest.raises(FileNotFoundError):
        write_atomically(tmp_path / "missing" / "x.md", lambda out: out.write("x"))


def test_lone_surrogates_and_odd_items_do_not_sink_the_rest(sample_library: Library):
    data = json.loads(
        '[{"type":"Annotation","target":{"source":"x\\ud800","selector":{"type":"TextQuoteSelector","exact":"a\\udc00b"}},'
        '"bodyValue":"n\\ud800","body":{"value":"t\\ud800","purpose":"tagging"}},'
        '{"type":"Annotation","target":{"source":"y","selector":{"type":"TextQuoteSelector","exact":"kept"}}}]'
    )
    report = import_annotation_data(sample_library, data)
    assert (report.imported, report.failed) == (2, 0)
    stored = {a.article_external_id: a for a in sample_library.iter_annotations()}
    assert stored["x\ufffd"].exact == "a\ufffdb" and stored["x\ufffd"].note == "n\ufffd"
    assert stored["x\ufffd"].tags == ("t\ufffd",) and stored["y"].exact == "kept"
