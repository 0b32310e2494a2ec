"""JSON and JSON Lines: field mapping, the shapes a document takes, streaming, bad lines."""

from __future__ import annotations

import io
import json
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.config import Limits
from reader.ingest import read_inputs
from reader.ingest.jsonstream import JsonCursor, JsonStreamError
from reader.model import IngestProblem, RawArticle


def read(*inputs: str | Path, **limits: int) -> tuple[list[RawArticle], list[IngestProblem]]:
    items = list(read_inputs([str(i) for i in inputs], Limits(**limits)))
    return [i for i in items if isinstance(i, RawArticle)], [i for i in items if isinstance(i, IngestProblem)]


def test_array_maps_fields_and_keeps_the_rest_as_metadata(tmp_path):
    path = tmp_path / "articles.json"
    records = [
        {"id": "a-1", "title": "Oracle wins TikTok deal", "text": "Oracle was chosen.\n\nMore follows.", "url": "https://x.example/1",
         "date": "2020-09-14", "lang": "en", "source": "Wire", "author": "Jo Doe", "cluster": 3, "tags": ["tech"]},
        {"title": "Second", "content": "From the content field."},
        {"Title": "Third", "Body": "From a capitalised body field.", "guid": 99},
    ]  # fmt: skip
    path.write_text(json.dumps(records), encoding="utf-8")
    articles, problems = read(path)
    assert problems == []
    first, second, third = articles
    assert (first.external_id, first.title, first.text) == ("a-1", "Oracle wins TikTok deal", "Oracle was chosen.\n\nMore follows.")
    assert (first.url, first.date, first.lang, first.source, first.author) == ("https://x.example/1", "2020-09-14", "en", "Wire", "Jo Doe")
    assert first.metadata == {"cluster": 3, "tags": ["tech"]}
    assert first.origin == str(path)
    # no id: the path and the item's 0-based index
    assert (second.external_id, second.text) == (f"{path}#1", "From the content field.")
    assert (third.external_id, third.title, third.text) == ("99", "Third", "From a capitalised body field.")


def test_common_api_shapes_source_objects_author_lists_html_and_epoch_dates(tmp_path):
    path = tmp_path / "newsapi.json"
    document = {
        "status": "ok",
        "totalResults": 2,
        "articles": [
            {"source": {"id": "bbc", "name": "BBC News"}, "author": ["A. One", {"name": "B. Two"}], "title": "Storm",
             "description": "A storm.", "content": "<p>Rain fell.</p><p>Wind blew.</p>", "publishedAt": "2021-01-02T03:04:05Z"},
            {"headline": "Epoch", "body": "Timed.", "timestamp": 1600000000},
        ],
    }  # fmt: skip
    path.write_text(json.dumps(document), encoding="utf-8")
    articles, problems = read(path)
    assert problems == []
    storm, epoch = articles
    assert (storm.source, storm.author, storm.text) == ("BBC News", "A. One, B. Two", "Rain fell.\n\nWind blew.")
    assert storm.date == "2021-01-02T03:04:05Z" and storm.metadata == {"description": "A storm."}
    assert (epoch.title, epoch.date) == ("Epoch", "2020-09-13T12:26:40+00:00")


def test_a_single_object_and_concatenated_objects(tmp_path):
    single = tmp_path / "one.json"
    single.write_text(json.dumps({"title": "Alone", "text": "Only one.", "extra": {"k": 1}}), encoding="utf-8")
    several = tmp_path / "several.json"  # JSON Lines saved as .json
    several.write_text('{"title": "A", "text": "a"}\n{"title": "B", "text": "b"}\n', encoding="utf-8")
    articles, problems = read(single, several)
    assert problems == []
    assert [(a.title, a.external_id) for a in articles] == [("Alone", f"{single}#0"), ("A", f"{several}#0"), ("B", f"{several}#1")]
    assert articles[0].metadata == {"extra": {"k": 1}}


def test_records_without_text_or_not_objects_are_reported_with_their_line(tmp_path):
    path = tmp_path / "mixed.json"
    path.write_text('[\n{"title": "Good", "text": "Fine."},\n{"title": "No text"},\n42,\n{"title": "Also good", "body": "Yes."}\n]', encoding="utf-8")
    articles, problems = read(path)
    assert [a.title for a in articles] == ["Good", "Also good"]
    assert [(p.line, p.message) for p in problems] == [
        (3, "no article text (expected a text, content or body field): skipped"),
        (4, "expected an article object, found a number: skipped"),
    ]
    assert str(problems[0]).startswith(f"{path}:3: ")


def test_malformed_json_keeps_what_came_before_and_names_the_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[\n{"title": "Kept", "text": "ok"},\n{"title": "Broken" "text": "x"},\n{"title": "Lost", "text": "y"}\n]', encoding="utf-8")
    articles, problems = read(path)
    assert [a.title for a in articles] == ["Kept"]
    assert len(problems) == 1 and problems[0].line == 3
    assert problems[0].message.startswith("malformed JSON: Expecting ',' delimiter")
    assert "\n" not in str(problems[0])


def test_an_object_with_no_articles_is_one_clear_problem(tmp_path):
    path = tmp_path / "config.json"
    path.write_text('{"name": "not articles", "size": 3}', encoding="utf-8")
    articles, problems = read(path)
    assert articles == [] and len(problems) == 1
    assert problems[0].message.startswith("no articles found: expected an array of objects")


def test_jsonl_reports_a_malformed_line_by_number_and_goes_on(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(
        '{"id": "1", "title": "One", "text": "First."}\n'
        "\n"
        '{"id": "2", "title": "Two", "text": "Second."\n'
        '{"title": "Three", "text": "Third."}\n'
        "[1, 2]\n",
        encoding="utf-8",
    )
    articles, problems = read(path)
    assert [(a.external_id, a.title) for a in articles] == [("1", "One"), (f"{path}#4", "Three")]
    assert [(p.line, p.message) for p in problems] == [
        (3, "malformed JSON: Expecting ',' delimiter (column 46), line skipped"),
        (5, "expected an article object, found an array: skipped"),
    ]
    assert str(problems[0]) == f"{path}:3: malformed JSON: Expecting ',' delimiter (column 46), line skipped"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig"])
def test_jsonl_in_utf16_or_with_a_bom(tmp_path, encoding):
    path = tmp_path / "wide.jsonl"
    path.write_text('{"title": "Élan", "text": "Café crème"}\n{"title": "Zwei", "text": "Größe"}\n', encoding=encoding)
    articles, problems = read(path)
    assert problems == []
    assert [(a.title, a.text) for a in articles] == [("Élan", "Café crème"), ("Zwei", "Größe")]


def test_jsonl_with_stray_latin1_bytes_is_decoded_not_refused(tmp_path):
    path = tmp_path / "legacy.jsonl"
    path.write_bytes('{"title": "Ação", "text": "Não há"}\n'.encode("cp1252") + b'{"title": "ok", "text": "fine"}\n')
    articles, problems = read(path)
    assert problems == [] and [(a.title, a.text) for a in articles] == [("Ação", "Não há"), ("ok", "fine")]


def test_article_length_limit_applies_per_record(tmp_path):
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"title": "Long", "text": "x" * 500}) + "\n" + json.dumps({"title": "Short", "text": "y"}) + "\n", encoding="utf-8")
    articles, problems = read(path, max_article_chars=100)
    assert [a.title for a in articles] == ["Short"]
    assert problems[0].line == 1 and "over the 100 limit (raise it with --max-article-chars N)" in problems[0].message


def _peak_bytes_reading(path: Path) -> tuple[int, int]:
    """Articles read and peak traced memory while reading a file through the formats."""
    tracemalloc.start()
    try:
        count = sum(1 for item in read_inputs([str(path)], Limits()) if isinstance(item, RawArticle))
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _article(i: int) -> dict[str, str]:
    return {"id": f"n{i}", "title": f"Story {i}", "text": f"Paragraph about event {i}. " * 80, "lang": "en"}


@pytest.mark.parametrize("shape", ["jsonl", "array", "wrapped"])
def test_big_inputs_are_streamed_not_loaded_whole(tmp_path, shape):
    count = 3_000  # ~6 MB of JSON
    path = tmp_path / ("big.jsonl" if shape == "jsonl" else "big.json")
    with path.open("w", encoding="utf-8") as out:
        if shape == "jsonl":
            for i in range(count):
                out.write(json.dumps(_article(i)) + "\n")
        else:
            out.write('{"source": "x", "articles": [' if shape == "wrapped" else "[")
            out.write(",\n".join(json.dumps(_article(i)) for i in range(count)))
            out.write("]}" if shape == "wrapped" else "]")
    read_count, peak = _peak_bytes_reading(path)
    assert read_count == count
    size = path.stat().st_size
    assert size > 6_000_000
    assert peak < size / 4, f"peak {peak:,} bytes for a {size:,}-byte file: not streamed"


@pytest.mark.corpus
def test_real_jsonl_corpus_reads_every_line_with_its_ids_and_extras(corpora):
    path = corpora / "ecbplus_dev.jsonl"
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles, problems = read(path)
    assert problems == []
    assert [a.external_id for a in articles] == [str(r["id"]) for r in lines]
    assert all(a.metadata.get("cluster") == r["cluster"] and a.lang == r["lang"] for a, r in zip(articles, lines, strict=True))


# -- the streaming cursor -----------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=40, deadline=None)
@given(items=st.lists(json_values, max_size=6), chunk=st.integers(min_value=1, max_value=17), indent=st.sampled_from([None, 1, 4]))
def test_cursor_reads_any_array_whatever_the_chunk_size(items, chunk, indent):
    text = json.dumps(items, indent=indent, ensure_ascii=False)
    cursor = JsonCursor(io.StringIO(text), chunk_chars=chunk)
    assert [item for _, _, item in cursor.iter_array()] == items
    assert cursor.peek() == ""


def test_cursor_reports_the_line_of_an_error_far_into_the_document():
    text = "[\n" + ",\n".join(json.dumps({"n": i}) for i in range(1000)) + ',\n{"n": oops}\n]'
    cursor = JsonCursor(io.StringIO(text), chunk_chars=64)
    with pytest.raises(JsonStreamError) as info:
        for _ in cursor.iter_array():
            pass
    assert info.value.line == 1002
