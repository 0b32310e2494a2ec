"""Fetching over HTTP from a local server: success, HTTP errors, size limits, compression."""

from __future__ import annotations

import gzip

from reader.config import Limits
from reader.ingest import read_inputs
from reader.ingest.base import Source
from reader.ingest.fetch import fetch
from reader.model import IngestProblem, RawArticle


def test_fetch_keeps_the_body_and_content_type_and_sends_a_user_agent(http_server, make_rss):
    body = make_rss([{"title": "Over the wire", "guid": "w1", "description": "Fetched text."}])
    url = http_server.serve("/world/rss", body, "application/rss+xml; charset=utf-8")
    source = fetch(url, Limits())
    assert isinstance(source, Source)
    assert (source.origin, source.data, source.content_type) == (url, body, "application/rss+xml; charset=utf-8")
    assert http_server.requests[-1]["User-Agent"].startswith("reader-tui/")


def test_a_feed_url_without_a_suffix_is_read_by_its_content_type(http_server, make_rss):
    url = http_server.serve("/feeds/latest", make_rss([{"title": "By type", "guid": "t1", "description": "x"}], title="Typed"), "text/xml")
    items = list(read_inputs([url], Limits()))
    assert [(i.title, i.source, i.origin) for i in items if isinstance(i, RawArticle)] == [("By type", "Typed", url)]


def test_a_page_url_is_decoded_by_its_http_charset(http_server):
    text = "<html><body><article>" + "<p>Ação rápida do governo português em Lisboa, disse o ministro.</p>" * 4 + "</article></body></html>"
    url = http_server.serve("/story", text.encode("cp1252"), "text/html; charset=ISO-8859-1")
    items = list(read_inputs([url], Limits()))
    assert [i for i in items if isinstance(i, IngestProblem)] == []
    (article,) = items
    assert "Ação rápida" in article.text and article.external_id == url


def test_http_error_is_one_line(http_server):
    url = http_server.base_url + "/missing.rss"
    problem = fetch(url, Limits())
    assert isinstance(problem, IngestProblem)
    assert str(problem) == f"{url}: HTTP 404 Not Found"


def test_unreachable_server_is_one_line(closed_port_url):
    problem = fetch(closed_port_url, Limits())
    assert isinstance(problem, IngestProblem)
    assert str(problem) == f"{closed_port_url}: cannot reach the server: connection refused"


def test_downloads_over_the_size_limit_are_refused_with_or_without_a_content_length(http_server):
    announced = http_server.serve("/big-announced", b"x" * 5000)
    streamed = http_server.serve("/big-streamed", b"x" * 5000, send_length=False)
    limits = Limits(max_file_bytes=1000)
    first = fetch(announced, limits)
    second = fetch(streamed, limits)
    assert str(first) == f"{announced}: download is 4.88 KB, over the 1,000 bytes limit (raise it with --max-file-size BYTES)"
    assert str(second) == f"{streamed}: download is over the 1,000 bytes limit (raise it with --max-file-size BYTES)"
    assert isinstance(fetch(announced, Limits(max_file_bytes=5000)), Source)


def test_gzip_transfer_encoding_is_undone_within_the_size_limit(http_server):
    payload = b"Plain words, compressed on the wire.\n" * 50
    url = http_server.serve("/notes.txt", gzip.compress(payload), "text/plain", headers={"Content-Encoding": "gzip"})
    source = fetch(url, Limits())
    assert isinstance(source, Source) and source.data == payload
    bomb = http_server.serve("/bomb.txt", gzip.compress(b"\0" * 200_000), "text/plain", headers={"Content-Encoding": "gzip"})
    refused = fetch(bomb, Limits(max_file_bytes=10_000))
    assert isinstance(refused, IngestProblem) and "over the 9.77 KB limit" in refused.message
