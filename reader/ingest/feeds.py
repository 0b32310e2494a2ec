"""Feeds: RSS 2.0, RSS 1.0 (RDF), Atom through feedparser, and JSON Feed (version 1 and 1.1).

Each item becomes one article: its full content when the feed carries it, else its
summary, as plain text with paragraphs kept. ``external_id`` is the item's GUID/id
(else its link), ``source`` the feed's title, ``date`` ISO 8601.

feedparser 6.0 does not read JSON Feed, so JSON Feed documents are mapped here, onto
the same article builder.
"""

from __future__ import annotations

import codecs
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import datetime, UTC
from email.utils import parsedate_to_datetime
from typing import Any
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from reader.config import Limits
from reader.ingest.base import ReadResult, Source, article_too_long, single_line, title_from_text
from reader.ingest.decoding import UndecodableError, decode_bytes
from reader.ingest.htmltext import html_to_text
from reader.ingest.sniff import content_type_charset, head_text, looks_like_feed, looks_like_json_feed, media_type, xml_declared_encoding
from reader.model import IngestProblem, RawArticle

if TYPE_CHECKING:
    import feedparser

name = "feed"
SUFFIXES = {".rss", ".atom", ".xml", ".rdf", ".feed"}
XML_MEDIA_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/x-rss+xml",
    "application/xml",
    "text/xml",
    "text/rss+xml",
}
JSON_FEED_MEDIA_TYPES = {"application/feed+json"}
HTML_TYPES = {"text/html", "application/xhtml+xml", "html", "xhtml"}


def accepts(source: Source, head: bytes) -> bool:
    kind = media_type(source.content_type)
    return source.suffix in SUFFIXES or kind in XML_MEDIA_TYPES or kind in JSON_FEED_MEDIA_TYPES or looks_like_feed(head)


def read(source: Source, limits: Limits) -> ReadResult:
    data = source.read_bytes()
    if media_type(source.content_type) in JSON_FEED_MEDIA_TYPES or looks_like_json_feed(data[:4096]):
        yield from read_json_feed(source, data, limits)
    else:
        yield from read_xml_feed(source, data, limits)


# -- RSS / Atom / RDF ---------------------------------------------------------------------------


def read_xml_feed(source: Source, data: bytes, limits: Limits) -> ReadResult:
    headers: dict[str, str] = {}
    if source.content_type:  # its charset outranks the document's own declaration, as in HTTP
        headers["content-type"] = source.content_type
    if not content_type_charset(source.content_type) and not xml_declared_encoding(data[:1024]) and _is_legacy_8bit(data):
        # No declaration and not UTF-8 (XML's default): a legacy feed, read like any text file.
        headers["content-type"] = f"{media_type(source.content_type) or 'application/xml'}; charset=windows-1252"
    if source.data is not None and source.origin.startswith(("http://", "https://")):
        headers["content-location"] = source.origin  # base for relative links in items
    import feedparser  # imported when a feed is met: it costs a noticeable part of start-up

    # A BytesIO, never raw bytes or str: feedparser would try those as a file name or URL.
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    entries = parsed.entries
    # feedparser puts an XML declaration in front of a document that has none: its error
    # line numbers are then one too high.
    line_shift = 0 if head_text(data[:256]).lstrip().startswith("<?xml") else 1
    reason = bozo_reason(parsed.get("bozo_exception"), line_shift) if parsed.bozo else ""
    if not entries:
        yield _no_entries_problem(source.origin, parsed, reason)
        return
    feed = parsed.feed
    feed_info = FeedInfo(
        title=single_line(_detail_text(feed, "title")) or _hostname(feed.get("link")),
        lang=feed.get("language") or parsed.get("headers", {}).get("content-language"),
        link=feed.get("link"),
        format=parsed.get("version") or "feed",
    )
    # feedparser holds every entry already; the articles are a bounded list beside them
    results = [entry_article(source.origin, i, entry, feed_info, limits) for i, entry in enumerate(entries[: limits.max_feed_items])]
    if parsed.bozo:
        if not any(isinstance(result, RawArticle) for result in results):  # only empty fragments were recovered
            yield IngestProblem(source.origin, f"broken feed, nothing to import: {reason}")
            return
        yield IngestProblem(source.origin, f"feed is not well-formed ({reason}); read its {len(entries)} items anyway", warning=True)
    yield from _limit_items(source.origin, len(entries), limits)
    yield from with_feed_language(results, feed_info.lang)


def _is_legacy_8bit(data: bytes) -> bool:
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data[:200]:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _no_entries_problem(origin: str, parsed: feedparser.FeedParserDict, reason: str) -> IngestProblem:
    if parsed.bozo:
        return IngestProblem(origin, f"broken feed, nothing to import: {reason}")
    if not parsed.get("version"):
        return IngestProblem(origin, "not a feed: no RSS, Atom or RDF document found")
    return IngestProblem(origin, "the feed has no items, nothing to import", warning=True)


def bozo_reason(exc: BaseException | None, line_shift: int = 0) -> str:
    """feedparser's parse error as a short phrase ('line 12: mismatched tag')."""
    if exc is None:
        return "unknown error"
    get_line = getattr(exc, "getLineNumber", None)
    get_message = getattr(exc, "getMessage", None)
    if callable(get_line) and callable(get_message):  # xml.sax.SAXParseException
        text = f"line {max(1, get_line() - line_shift)}: {get_message()}"
    else:
        text = str(exc) or type(exc).__name__
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:199] + "…"


class FeedInfo:
    """What every item of a feed shares."""

    __slots__ = ("title", "lang", "link", "format")

    def __init__(self, *, title: str | None, lang: str | None, link: str | None, format: str) -> None:
        self.title = title
        self.lang = lang
        self.link = link
        self.format = format


def entry_article(origin: str, index: int, entry: Mapping[str, Any], feed: FeedInfo, limits: Limits) -> RawArticle | IngestProblem:
    """One feedparser entry as a RawArticle."""
    body, body_from = _entry_body(entry)
    author_detail = entry.get("author_detail") or {}
    return build_item_article(
        origin,
        index,
        feed,
        limits,
        item_id=entry.get("id"),
        link=entry.get("link"),
        title=_detail_text(entry, "title"),
        body=body,
        body_from=body_from,
        date=entry_date(entry),
        author=author_detail.get("name") or entry.get("author"),
        lang=_entry_language(entry),
        tags=[tag.get("term") for tag in entry.get("tags", []) if tag.get("term")],
    )


def _entry_body(entry: Mapping[str, Any]) -> tuple[str, str]:
    """The item's full content if it has any, else its summary, as plain text."""
    contents = [_content_text(part) for part in entry.get("content", [])]
    best = max(contents, key=len, default="")
    if best.strip():
        return best, "content"
    summary = _detail_text(entry, "summary")
    if summary.strip():
        return summary, "summary"
    return "", "title"


def _content_text(part: Mapping[str, Any]) -> str:
    value = part.get("value") or ""
    kind = (part.get("type") or "text/html").lower()
    return html_to_text(value) if kind in HTML_TYPES else value.strip()


def _detail_text(node: Mapping[str, Any], key: str) -> str:
    """A text construct (title, summary) as plain text, whatever type the feed declared."""
    value = node.get(key) or ""
    detail = node.get(f"{key}_detail") or {}
    kind = (detail.get("type") or "text/html").lower()
    return html_to_text(value) if kind in HTML_TYPES else value.strip()


def _entry_language(entry: Mapping[str, Any]) -> str | None:
    for key in ("content", "summary_detail", "title_detail"):
        node = entry.get(key)
        if isinstance(node, list):
            node = node[0] if node else None
        if node and node.get("language"):
            return node["language"]
    return None


def entry_date(entry: Mapping[str, Any]) -> str | None:
    """Published (else updated, created) as ISO 8601, keeping the feed's own UTC offset.

    A date neither ISO nor RFC 822 that feedparser could not parse either (say, an RFC 822
    date with Portuguese day names) is passed on as written for reader.text.dates.
    """
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if raw:
            return iso_date(raw, entry.get(f"{key}_parsed"))
    return None


def iso_date(raw: str, parsed: Any = None) -> str:
    raw = raw.strip()
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(raw).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    if parsed:  # feedparser's struct_time is in UTC
        return datetime(*parsed[:6], tzinfo=UTC).isoformat()
    return raw


# -- JSON Feed ----------------------------------------------------------------------------------


def read_json_feed(source: Source, data: bytes, limits: Limits) -> ReadResult:
    """A JSON Feed document (https://jsonfeed.org/version/1.1)."""
    broken = "broken JSON Feed, nothing to import"
    try:
        text, _ = decode_bytes(data)
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        yield IngestProblem(source.origin, f"{broken}: {exc.msg}", line=exc.lineno)
        return
    except RecursionError:
        yield IngestProblem(source.origin, f"{broken}: values nested too deeply to read")
        return
    except UndecodableError as exc:
        yield IngestProblem(source.origin, f"{broken}: {exc}")
        return
    items = document.get("items") if isinstance(document, dict) else None
    if not isinstance(items, list):
        yield IngestProblem(source.origin, "broken JSON Feed, nothing to import: no 'items' list")
        return
    if not items:
        yield IngestProblem(source.origin, "the feed has no items, nothing to import", warning=True)
        return
    feed = FeedInfo(
        title=single_line(_str(document.get("title"))) or _hostname(_str(document.get("home_page_url"))),
        lang=_str(document.get("language")),
        link=_str(document.get("home_page_url")) or _str(document.get("feed_url")),
        format="json" + _str(document.get("version")).rstrip("/").rsplit("/", 1)[-1],
    )
    feed_author = _json_feed_author(document)
    yield from _limit_items(source.origin, len(items), limits)
    results = [
        json_feed_article(source.origin, index, item, feed, feed_author, limits)
        if isinstance(item, dict)
        else IngestProblem(source.origin, f"item {index + 1}: not an object, skipped")
        for index, item in enumerate(items[: limits.max_feed_items])
    ]
    yield from with_feed_language(results, feed.lang)


def json_feed_article(
    origin: str, index: int, item: dict[str, Any], feed: FeedInfo, feed_author: str | None, limits: Limits
) -> RawArticle | IngestProblem:
    if _str(item.get("content_html")).strip():
        body, body_from = html_to_text(item["content_html"]), "content"
    elif _str(item.get("content_text")).strip():
        body, body_from = item["content_text"].strip(), "content"
    elif _str(item.get("summary")).strip():
        body, body_from = item["summary"].strip(), "summary"
    else:
        body, body_from = "", "title"
    date_raw = _str(item.get("date_published")) or _str(item.get("date_modified"))
    tags = item.get("tags")
    return build_item_article(
        origin,
        index,
        feed,
        limits,
        item_id=_str(item.get("id")),
        link=_str(item.get("url")) or _str(item.get("external_url")),
        title=_str(item.get("title")),
        body=body,
        body_from=body_from,
        date=iso_date(date_raw) if date_raw else None,
        author=_json_feed_author(item) or feed_author,
        lang=_str(item.get("language")),
        tags=[str(t) for t in tags] if isinstance(tags, list) else [],
    )


def _json_feed_author(node: dict[str, Any]) -> str | None:
    authors = node.get("authors")
    if not isinstance(authors, list):
        authors = [node["author"]] if isinstance(node.get("author"), dict) else []
    names = [str(a["name"]) for a in authors if isinstance(a, dict) and a.get("name")]
    return ", ".join(names) or None


def _str(value: Any) -> str:
    """A JSON value as text: numbers as their digits (JSON Feed ids may be numbers), else ''."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


# -- shared -------------------------------------------------------------------------------------


def _limit_items(origin: str, count: int, limits: Limits) -> Iterator[IngestProblem]:
    if count > limits.max_feed_items:
        yield IngestProblem(
            origin,
            f"feed has {count:,} items; read the first {limits.max_feed_items:,} (raise it with --max-feed-items N)",
            warning=True,
        )


def build_item_article(
    origin: str,
    index: int,
    feed: FeedInfo,
    limits: Limits,
    *,
    item_id: str | None,
    link: str | None,
    title: str,
    body: str,
    body_from: str,
    date: str | None,
    author: str | None,
    lang: str | None,
    tags: list[str],
) -> RawArticle | IngestProblem:
    """The article for one feed item. An item with a title and no text keeps its title as text."""
    title = single_line(title)
    if not title and not body:
        return IngestProblem(origin, f"item {index + 1}: no title and no text, skipped")
    if not title:
        title = title_from_text(body)
    text = body or title
    too_long = article_too_long(origin, text, limits, what=f"item {index + 1}")
    if too_long:
        return too_long
    metadata: dict[str, Any] = {"feed_format": feed.format, "body": body_from}
    if feed.link:
        metadata["feed_link"] = feed.link
    if tags:
        metadata["tags"] = tags
    return RawArticle(
        external_id=(item_id or "").strip() or (link or "").strip() or f"{origin}#{index}",
        title=title,
        text=text,
        origin=origin,
        url=(link or "").strip() or None,
        date=date,
        author=single_line(author or "") or None,
        lang=(lang or feed.lang or "").strip() or None,
        source=feed.title or None,
        metadata=metadata,
    )


def with_feed_language(results: list[RawArticle | IngestProblem], declared: str | None) -> list[RawArticle | IngestProblem]:
    """Items without a language of their own get the feed's: the declared one, or else the
    language all the items' titles and leads share (see ``common_language``).

    An item's own detection still decides; the import falls back on this language only when
    that detection is unsure, as with a lone headline ("Acordo adicional da Argentina com FMI
    está perto de acontecer, diz Macri" reads as Spanish on its own)."""
    if declared:
        return results
    articles = [r for r in results if isinstance(r, RawArticle)]
    if len(articles) < 2:
        return results
    from reader.text.language import common_language  # numpy and the profiles: only when a feed is met

    lang = common_language(f"{a.title}. {a.text[:300]}" for a in articles)
    if lang is None:
        return results
    return [replace(r, lang=lang) if isinstance(r, RawArticle) and not r.lang else r for r in results]


def _hostname(url: str | None) -> str | None:
    return urlsplit(url).hostname if url else None
