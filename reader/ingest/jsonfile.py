"""`.json`, `.jsonl` and `.ndjson` files: one object per article.

Fields: ``title``, ``text`` (or ``content``/``body``), ``url``, ``date``, ``lang``,
``source``, ``author``; ``id`` (or ``guid``) is the external id, else
``<path>#<line>`` for JSON Lines and ``<path>#<index>`` (0-based) for JSON. Every other
field is kept as metadata.

Both are read as streams: JSON Lines line by line (a malformed line is reported with its
number and the rest goes on), JSON through ``JsonCursor`` so that an array of 100,000
articles (bare, or inside an object such as ``{"articles": [...]}``) is never held whole.
A JSON Feed document is handed to the feeds module.
"""

from __future__ import annotations

import io
import itertools
import json
from collections.abc import Callable, Iterator
from datetime import datetime, UTC
from typing import Any, TextIO

from reader.config import Limits
from reader.ingest import feeds
from reader.ingest.base import ReadResult, Source, article_too_long, single_line, title_from_text
from reader.ingest.decoding import UTF8_OR_CP1252, stream_encoding
from reader.ingest.htmltext import html_to_text, looks_like_html
from reader.ingest.jsonstream import TOO_DEEP, JsonCursor, JsonStreamError
from reader.ingest.sniff import looks_like_json, media_type
from reader.model import IngestProblem, RawArticle

name = "json"
JSON_SUFFIXES = {".json"}
LINES_SUFFIXES = {".jsonl", ".ndjson", ".jsonlines"}
MEDIA_TYPES = {"application/json", "text/json"}
LINES_MEDIA_TYPES = {"application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines"}

# Field names, in order of preference (matched case-insensitively).
ID_FIELDS = ("id", "guid", "_id", "uuid")
TITLE_FIELDS = ("title", "headline")
TEXT_FIELDS = ("text", "content", "body", "full_text", "article", "content_text", "content_html", "maintext")
SUMMARY_FIELDS = ("summary", "description")  # the text when an object has nothing longer
URL_FIELDS = ("url", "link", "canonical_url", "href")
DATE_FIELDS = ("date", "published", "published_at", "publishedat", "pubdate", "date_published", "datetime", "created_at", "timestamp")
LANG_FIELDS = ("lang", "language")
SOURCE_FIELDS = ("source", "source_name", "site_name", "sitename", "site", "publisher", "outlet")
AUTHOR_FIELDS = ("author", "authors", "byline", "creator")
# Keys of an object that holds the article list, e.g. {"articles": [...]}.
LIST_KEYS = ("articles", "items", "entries", "documents", "docs", "posts", "records", "stories", "news", "results", "data")


def accepts(source: Source, head: bytes) -> bool:
    if source.suffix in JSON_SUFFIXES | LINES_SUFFIXES:
        return True
    kind = media_type(source.content_type)
    if kind in MEDIA_TYPES | LINES_MEDIA_TYPES or kind.endswith("+json"):
        return True
    return not source.suffix and looks_like_json(head)


def read(source: Source, limits: Limits) -> ReadResult:
    head = source.head()
    if source.suffix in LINES_SUFFIXES or media_type(source.content_type) in LINES_MEDIA_TYPES:
        yield from read_lines(source, head, limits)
    else:
        yield from read_document(source, head, limits)


def open_text(source: Source, head: bytes) -> TextIO:
    """The source as a text stream: UTF-16/32 by BOM or NUL pattern, else UTF-8 (stray bytes as cp1252)."""
    encoding, bom_length = stream_encoding(head)
    binary = source.open_binary()
    binary.read(bom_length)
    errors = UTF8_OR_CP1252 if encoding == "utf-8" else "replace"
    return io.TextIOWrapper(binary, encoding=encoding, errors=errors)


# -- JSON Lines ---------------------------------------------------------------------------------


def streams(source: Source) -> bool:
    """JSON Lines is read a line at a time, each line bounded (see ``read_lines``)."""
    return source.suffix in LINES_SUFFIXES or media_type(source.content_type) in LINES_MEDIA_TYPES


def max_line_chars(limits: Limits) -> int:
    """The longest line read: an article at its length limit, with room for its other fields
    and JSON escapes."""
    return 2 * limits.max_article_chars + 65_536


def bounded_lines(text: TextIO, longest: int) -> Iterator[str | None]:
    """The lines of a text stream; None for a line longer than ``longest`` characters, which
    is skipped without ever being held whole."""
    while line := text.readline(longest):
        if len(line) == longest and not line.endswith("\n"):
            while (rest := text.readline(longest)) and not rest.endswith("\n"):
                pass
            yield None
        else:
            yield line


def read_lines(source: Source, head: bytes, limits: Limits) -> ReadResult:
    """One article per line; blank lines are skipped, a bad or overlong line is reported by number."""
    longest = max_line_chars(limits)
    with open_text(source, head) as lines:
        for number, line in enumerate(bounded_lines(lines, longest), start=1):
            if line is None:
                yield IngestProblem(
                    source.origin,
                    f"line longer than {longest:,} characters, skipped (raise --max-article-chars to import it)",
                    line=number,
                )
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line.rstrip("\r\n"))
            except json.JSONDecodeError as exc:
                yield IngestProblem(source.origin, f"malformed JSON: {exc.msg} (column {exc.colno}), line skipped", line=number)
                continue
            except RecursionError:
                yield IngestProblem(source.origin, f"malformed JSON: {TOO_DEEP}, line skipped", line=number)
                continue
            yield record_article(source.origin, record, fallback_id=f"{source.origin}#{number}", line=number, limits=limits)


# -- JSON ---------------------------------------------------------------------------------------


def read_document(source: Source, head: bytes, limits: Limits) -> ReadResult:
    """An array of articles, one article object, an object holding the array, or several of those in a row."""
    with open_text(source, head) as text:
        cursor = JsonCursor(text)
        next_index = itertools.count().__next__  # running position of records in the file, for fallback ids
        try:
            if not cursor.peek():
                yield IngestProblem(source.origin, "no JSON value in the file, nothing to import")
                return
            while cursor.peek():
                for item in _top_level_value(source.origin, cursor, next_index, limits):
                    if item is JSON_FEED:
                        yield from feeds.read_json_feed(source, source.read_bytes(), limits)
                        return
                    yield item  # type: ignore[misc]
        except JsonStreamError as exc:
            yield IngestProblem(source.origin, f"malformed JSON: {exc.message}; the rest of the file is skipped", line=exc.line)


JSON_FEED = object()  # yielded instead of articles when the document turns out to be a JSON Feed
TopLevelItem = RawArticle | IngestProblem | object


def _top_level_value(origin: str, cursor: JsonCursor, next_index: Callable[[], int], limits: Limits) -> Iterator[TopLevelItem]:
    first = cursor.peek()
    if first == "[":
        for _, line, record in cursor.iter_array():
            yield record_article(origin, record, fallback_id=f"{origin}#{next_index()}", line=line, limits=limits)
    elif first == "{":
        yield from _object(origin, cursor, next_index, limits)
    else:
        line = cursor.line
        value = cursor.value()
        yield IngestProblem(origin, f"expected an article object or an array of them, found {_json_type(value)}", line=line)


def _object(origin: str, cursor: JsonCursor, next_index: Callable[[], int], limits: Limits) -> Iterator[TopLevelItem]:
    """A top-level object: stream an article list it holds, or take it as one article."""
    start_line = cursor.line
    cursor.take("{")
    fields: dict[str, Any] = {}
    streamed = False
    while cursor.peek() != "}":
        if fields:
            cursor.take(",")
        key = cursor.key()
        holds_articles = key.lower() in LIST_KEYS and _lookup(fields, TEXT_FIELDS) is None
        if holds_articles and cursor.peek() == "[":
            for _, line, record in cursor.iter_array():
                yield record_article(origin, record, fallback_id=f"{origin}#{next_index()}", line=line, limits=limits)
            fields[key] = None
            streamed = True
            continue
        fields[key] = cursor.value()
        if key.lower() == "version" and _is_json_feed_version(fields[key]) and not streamed:
            yield JSON_FEED
            return
    cursor.take("}")
    if streamed:
        return
    if _lookup(fields, TEXT_FIELDS + SUMMARY_FIELDS) is not None:
        yield record_article(origin, fields, fallback_id=f"{origin}#{next_index()}", line=start_line, limits=limits)
        return
    nested = next((v for v in fields.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)), None)
    if nested is None:
        yield IngestProblem(
            origin,
            "no articles found: expected an array of objects, an object with a text field, "
            "or an object holding an array of articles",
            line=start_line,
        )
        return
    for record in nested:
        yield record_article(origin, record, fallback_id=f"{origin}#{next_index()}", line=None, limits=limits)


def _is_json_feed_version(value: Any) -> bool:
    return isinstance(value, str) and value.lower().startswith(("https://jsonfeed.org/version/", "http://jsonfeed.org/version/"))


# -- one record ---------------------------------------------------------------------------------


def record_article(origin: str, record: Any, *, fallback_id: str, line: int | None, limits: Limits) -> RawArticle | IngestProblem:
    """One JSON object as a RawArticle; fields it does not use go to metadata."""
    if not isinstance(record, dict):
        return IngestProblem(origin, f"expected an article object, found {_json_type(record)}: skipped", line=line)
    used: set[str] = set()
    keys = _lowered_keys(record)

    def field(names: tuple[str, ...]) -> Any:
        found = _lookup(record, names, keys)
        if found is None:
            return None
        used.add(found[0])
        return found[1]

    text = _text_value(field(TEXT_FIELDS))
    if not text:
        text = _text_value(field(SUMMARY_FIELDS))
    if not text:
        return IngestProblem(origin, "no article text (expected a text, content or body field): skipped", line=line)
    too_long = article_too_long(origin, text, limits, line=line)
    if too_long:
        return too_long
    title = single_line(_plain(field(TITLE_FIELDS))) or title_from_text(text)
    external_id = _scalar(field(ID_FIELDS)) or fallback_id
    url = _scalar(field(URL_FIELDS))
    date = _date_value(field(DATE_FIELDS))
    author = _names(field(AUTHOR_FIELDS))
    lang = _scalar(field(LANG_FIELDS))
    outlet = _names(field(SOURCE_FIELDS))
    metadata = {key: value for key, value in record.items() if key not in used}  # after every field() call
    return RawArticle(
        external_id=external_id,
        title=title,
        text=text,
        origin=origin,
        url=url,
        date=date,
        author=author,
        lang=lang,
        source=outlet,
        metadata=metadata,
    )


def _text_value(value: Any) -> str:
    """A text field as plain text: HTML converted, a list of paragraphs joined."""
    if isinstance(value, list):
        value = "\n\n".join(str(part).strip() for part in value if isinstance(part, (str, int, float)) and str(part).strip())
    if not isinstance(value, str):
        return ""
    return html_to_text(value) if looks_like_html(value) else value.strip()


def _plain(value: Any) -> str:
    if not isinstance(value, str):
        return _scalar(value) or ""
    return html_to_text(value) if looks_like_html(value) else value


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int, float)):
        text = str(value).strip()
        return text or None
    return None


def _names(value: Any) -> str | None:
    """An author or source given as a string, {"name": ...}, or a list of either."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict):
            item = item.get("name") or item.get("title")
        text = single_line(_scalar(item))
        if text:
            names.append(text)
    return ", ".join(names) or None


def _date_value(value: Any) -> str | None:
    """A date as given (a string, for reader.text.dates to read), or a Unix time as ISO 8601."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        seconds = value / 1000 if abs(value) > 1e11 else value  # milliseconds since the epoch
        try:
            return datetime.fromtimestamp(seconds, tz=UTC).isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        return single_line(value) or None
    return None


def _json_type(value: Any) -> str:
    return {list: "an array", str: "a string", bool: "true/false", type(None): "null"}.get(type(value), "a number")


def _lowered_keys(record: dict[str, Any]) -> dict[str, str]:
    return {key.lower(): key for key in record}


def _lookup(record: dict[str, Any], names: tuple[str, ...], keys: dict[str, str] | None = None) -> tuple[str, Any] | None:
    """The first of ``names`` (case-insensitive) that the record has with a non-empty value."""
    keys = keys if keys is not None else _lowered_keys(record)
    for candidate in names:
        key = keys.get(candidate)
        if key is not None and record[key] not in (None, "", [], {}):
            return key, record[key]
    return None
