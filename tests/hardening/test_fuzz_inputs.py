"""Property-based fuzzing of every input path: random bytes, random Unicode, deeply nested or
huge structures and mixed encodings never raise; each gives articles or a clear per-file problem.

Each format's own ``read`` is called directly, below the import's safety net (which would turn a
crash into a problem line), so a bug in a reader shows here as a failure.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from reader.config import Limits
from reader.ingest import feeds, html, jsonfile, pick_format, plaintext
from reader.ingest.base import Source
from reader.ingest.decoding import binary_kind
from reader.model import IngestProblem, RawArticle
from reader.pipeline import prepare_article

LIMITS = Limits(max_file_bytes=5_000_000, max_article_chars=200_000, max_feed_items=500)
EXAMPLES: Counter[str] = Counter()


def _check(items: list, origin: str) -> None:
    for item in items:
        assert isinstance(item, RawArticle | IngestProblem)
        if isinstance(item, IngestProblem):
            message = str(item)
            assert message.startswith(origin) and "\n" not in message and len(message) < 600
            assert "Traceback" not in message
        else:
            prepared = prepare_article(item)  # cleaning, language, analysis never raise either
            assert isinstance(prepared.text, str)


def read_with(fmt, data: bytes, name: str) -> list:
    source = Source(origin=name, data=data)
    if data and binary_kind(data[:4096]) is None:
        items = list(fmt.read(source, LIMITS))
    else:
        items = []
    _check(items, name)
    return items


mixed_text = st.one_of(
    st.text(max_size=3000),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=2000),
    st.text(alphabet="\x00\x1b\x07\x9b\u202e\u200b[]/<>&;#\n\r\t aé漢😀", max_size=2000),
)


def encoded(text_strategy=mixed_text):
    return st.tuples(text_strategy, st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252", "utf-8-sig"])).map(
        lambda pair: pair[0].encode(pair[1], errors="replace")
    )


any_bytes = st.one_of(st.binary(max_size=4000), encoded(), st.tuples(encoded(), st.binary(max_size=200)).map(b"".join))


@given(data=any_bytes, suffix=st.sampled_from([".txt", ".md"]))
def test_text_and_markdown(data: bytes, suffix: str) -> None:
    EXAMPLES["text"] += 1
    read_with(plaintext, data, f"fuzz{suffix}")


html_fragment = st.recursive(
    mixed_text.map(lambda t: t.replace("<", "&lt;")),
    lambda children: st.tuples(st.sampled_from(["p", "div", "article", "h1", "span", "script", "b"]), st.lists(children, max_size=4)).map(
        lambda pair: f"<{pair[0]}>" + "".join(pair[1]) + f"</{pair[0]}>"
    ),
    max_leaves=40,
)


@given(
    data=st.one_of(
        any_bytes,
        html_fragment.map(lambda body: f"<html><head><title>t</title></head><body>{body}</body></html>".encode()),
        st.integers(1, 5000).map(lambda depth: ("<div>" * depth + "deep text" + "</div>" * depth).encode()),
    )
)
def test_html(data: bytes) -> None:
    EXAMPLES["html"] += 1
    read_with(html, data, "fuzz.html")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | mixed_text,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.sampled_from(["title", "text", "content", "body", "url", "date", "lang", "source", "id", "x"]) | mixed_text, children, max_size=6),
    max_leaves=30,
)


@given(
    data=st.one_of(
        any_bytes,
        json_values.map(lambda v: json.dumps(v).encode()),
        st.lists(json_values, max_size=20).map(lambda items: "\n".join(json.dumps(i) for i in items).encode()),
        st.integers(1, 100_000).map(lambda depth: ("[" * depth + "]" * depth).encode()),
        st.integers(1, 50_000).map(lambda depth: ('{"a":' * depth + "1" + "}" * depth).encode()),
    ),
    suffix=st.sampled_from([".json", ".jsonl"]),
)
def test_json_and_jsonl(data: bytes, suffix: str) -> None:
    EXAMPLES["json"] += 1
    read_with(jsonfile, data, f"fuzz{suffix}")


feed_item = st.tuples(mixed_text, mixed_text, mixed_text).map(
    lambda t: f"<item><title>{t[0]}</title><description>{t[1]}</description><guid>{t[2]}</guid></item>"
)


@given(
    data=st.one_of(
        any_bytes,
        st.lists(feed_item, max_size=10).map(lambda items: f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{"".join(items)}</channel></rss>'.encode("utf-8", "replace")),
        st.lists(feed_item, max_size=10).map(lambda items: f'<rss><channel>{"".join(items)}'.encode("latin-1", "replace")),
        st.integers(1, 3000).map(lambda depth: ("<feed xmlns='http://www.w3.org/2005/Atom'>" + "<entry>" * depth).encode()),
    ),
    suffix=st.sampled_from([".rss", ".atom", ".xml"]),
)
def test_feeds(data: bytes, suffix: str) -> None:
    EXAMPLES["feed"] += 1
    read_with(feeds, data, f"fuzz{suffix}")


@given(data=any_bytes, suffix=st.sampled_from([".txt", ".html", ".json", ".jsonl", ".rss", ".bin", ""]))
def test_format_dispatch_by_suffix_and_content(data: bytes, suffix: str) -> None:
    """The import's own dispatch (sniffing included) picks a reader without raising."""
    EXAMPLES["dispatch"] += 1
    source = Source(origin=f"fuzz{suffix}", data=data)
    fmt = pick_format(source, data[:4096])
    if fmt is not None and data and binary_kind(data[:4096]) is None:
        _check(list(fmt.read(source, LIMITS)), source.origin)


@given(
    data=st.one_of(
        json_values,
        st.lists(
            st.fixed_dictionaries(
                {"@context": st.just("http://www.w3.org/ns/anno.jsonld"), "type": st.just("Annotation")},
                optional={"id": mixed_text, "target": json_values, "body": json_values, "created": mixed_text},
            ),
            max_size=8,
        ),
    )
)
def test_annotation_json(data: object, tmp_path_factory) -> None:
    EXAMPLES["annotations"] += 1
    from reader.annotations.importing import import_annotation_data
    from reader.store import open_library

    global _LIBRARY
    try:
        library = _LIBRARY
    except NameError:
        library = _LIBRARY = open_library(tmp_path_factory.mktemp("fuzzlib") / "lib.sqlite3")
    report = import_annotation_data(library, data)
    for problem in report.problems:
        assert "\n" not in problem and "Traceback" not in problem
    assert library.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_report_examples_run() -> None:
    """Printed with -s; the closing note quotes these counts."""
    print("fuzz examples per input type:", dict(EXAMPLES))
