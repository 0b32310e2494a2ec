"""Recognise a document from its first bytes and its HTTP content type.

Formats use these in ``accepts`` when the file name says nothing (a URL without an
extension, a file saved without one). They look at the document's first element only,
never search the whole head, so an HTML page that mentions ``<rss`` stays a page.
"""

from __future__ import annotations

import codecs
import re

from reader.ingest.decoding import UndecodableError, decode_bytes

# An XML prolog: declaration, processing instructions, comments and a doctype, in any number.
_XML_PROLOG = re.compile(r"\A\s*(?:<\?[^>]*\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>\s*)*", re.DOTALL | re.IGNORECASE)
_ROOT_TAG = re.compile(r"<([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)")
_JSON_FEED_VERSION = re.compile(r'"version"\s*:\s*"https?://jsonfeed\.org/version/', re.IGNORECASE)
_HTML_ROOTS = {"html", "head", "body"}
_FEED_ROOTS = {"rss", "feed", "rdf:rdf", "rdf"}

# The WHATWG "prescan": a <meta charset=...> or <meta http-equiv content="...; charset=...">
# in the first bytes of a page; an XML declaration's encoding for XHTML.
_META_CHARSET = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-:.]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_\-.]+)[\"']")

# Labels that browsers (and real servers) mean as windows-1252.
_WINDOWS_1252_ALIASES = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp819", "ibm819", "iso_8859-1"}


def head_text(head: bytes) -> str:
    """The head decoded for sniffing: never fails (a cut multi-byte character is dropped)."""
    try:
        text, _ = decode_bytes(head)
    except UndecodableError:
        text = head.decode("utf-8", errors="ignore")
    return text.lstrip("\ufeff")


def media_type(content_type: str | None) -> str:
    """``text/html; charset=utf-8`` → ``text/html``."""
    return (content_type or "").split(";")[0].strip().lower()


def content_type_charset(content_type: str | None) -> str | None:
    for param in (content_type or "").split(";")[1:]:
        key, sep, value = param.partition("=")
        if sep and key.strip().lower() == "charset":
            return normalize_charset(value.strip().strip("\"'"))
    return None


def normalize_charset(label: str | None) -> str | None:
    """A charset label as Python's codec name; Latin-1 and ASCII labels mean windows-1252."""
    if not label:
        return None
    label = label.strip().lower()
    if label in _WINDOWS_1252_ALIASES:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return label  # unknown: decode_bytes will pass over it
    return "cp1252" if name in ("latin-1", "ascii") else name


def declared_charset(head: bytes) -> str | None:
    """The encoding an HTML page declares for itself in its first bytes, if any."""
    return xml_declared_encoding(head) or _meta_charset(head)


def xml_declared_encoding(head: bytes) -> str | None:
    match = _XML_ENCODING.match(head)
    return normalize_charset(match.group(1).decode("ascii", errors="ignore")) if match else None


def _meta_charset(head: bytes) -> str | None:
    match = _META_CHARSET.search(head[:4096])
    if not match:
        return None
    charset = normalize_charset(match.group(1).decode("ascii", errors="ignore"))
    # a <meta> readable as ASCII cannot be UTF-16/32: browsers take such a label as UTF-8
    return "utf-8" if charset and charset.startswith(("utf-16", "utf-32")) else charset


def xml_root(head: bytes) -> str | None:
    """The lowercased name of the first element of an XML/HTML document, or None."""
    text = head_text(head)
    prolog = _XML_PROLOG.match(text)
    rest = text[prolog.end() if prolog else 0 :]
    if not rest.startswith("<"):
        return None
    match = _ROOT_TAG.match(rest)
    return match.group(1).lower() if match else None


def looks_like_feed(head: bytes) -> bool:
    """An RSS/Atom/RDF root element, or a JSON Feed version near the top."""
    return xml_root(head) in _FEED_ROOTS or looks_like_json_feed(head)


def looks_like_json_feed(head: bytes) -> bool:
    text = head_text(head).lstrip()
    return text.startswith("{") and _JSON_FEED_VERSION.search(text) is not None


def looks_like_html(head: bytes) -> bool:
    text = head_text(head).lstrip()
    if text[:15].lower().startswith("<!doctype html"):
        return True
    return xml_root(head) in _HTML_ROOTS


def looks_like_json(head: bytes) -> bool:
    """Starts like a JSON object or array (or JSON Lines): ``{"`` / ``[{`` / ``[]``..."""
    text = head_text(head).lstrip()
    if not text or text[0] not in "{[":
        return False
    second = text[1:].lstrip()[:1]
    return second in ('"', "{", "[", "]", "}")
