"""`.html`/`.htm` pages saved from the web: main text and metadata through trafilatura.

Title, date, author, canonical URL and site name come from the page's own metadata
(trafilatura reads <meta>, Open Graph, JSON-LD and the like); the text is the main
content without navigation, footers or comment sections, its paragraphs separated by
blank lines. ``external_id`` is the path as given (or the URL it was fetched from).
"""

from __future__ import annotations

from typing import Any

from reader.config import Limits
from reader.ingest.base import ReadResult, Source, article_too_long, single_line, title_from_text
from reader.ingest.decoding import UndecodableError, decode_bytes
from reader.ingest.htmltext import element_text
from reader.ingest.sniff import content_type_charset, declared_charset, looks_like_html, media_type
from reader.model import IngestProblem, RawArticle

name = "html"
SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
MEDIA_TYPES = {"text/html", "application/xhtml+xml"}


def accepts(source: Source, head: bytes) -> bool:
    return source.suffix in SUFFIXES or media_type(source.content_type) in MEDIA_TYPES or looks_like_html(head)


def read(source: Source, limits: Limits) -> ReadResult:
    # trafilatura takes most of a second to import: only imports that meet a page pay for it
    from trafilatura.utils import load_html

    data = source.read_bytes()
    try:
        page, encoding = decode_page(data, source.content_type)
    except UndecodableError as exc:
        yield IngestProblem(source.origin, f"cannot decode: {exc}")
        return
    tree = load_html(page)
    if tree is None:
        yield IngestProblem(source.origin, "not a readable HTML page")
        return
    declared_lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    url = source.origin if source.origin.startswith(("http://", "https://")) else None
    document = extract(tree, page, url)
    text = body_text(document)
    if not text.strip():
        yield IngestProblem(source.origin, "no article text found in the page")
        return
    problem = article_too_long(source.origin, text, limits)
    if problem:
        yield problem
        return
    yield page_article(source.origin, document, text, declared_lang, encoding)


def decode_page(data: bytes, content_type: str | None) -> tuple[str, str]:
    """Bytes to text: the HTTP charset, else the page's <meta charset>, as browsers do.

    One exception: a page declaring a legacy charset whose bytes are valid, non-ASCII
    UTF-8 is UTF-8 (a page re-saved by an editor that kept the old <meta>):
    such bytes are vanishingly unlikely in real legacy text.
    """
    declared = content_type_charset(content_type) or declared_charset(data[:4096])
    if declared and not declared.startswith("utf") and not data.isascii():
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    return decode_bytes(data, declared)


def extract(tree: Any, page: str, url: str | None) -> Any:
    """trafilatura's main-text extraction; a second, recall-oriented pass if the first finds nothing."""
    import trafilatura
    from trafilatura.utils import load_html

    options: dict[str, Any] = {
        "url": url,
        "with_metadata": True,
        "include_comments": False,
        "include_tables": True,
        "include_images": False,
        "include_links": False,
        "deduplicate": False,
    }
    document = trafilatura.bare_extraction(tree, **options)
    if document is None or not (document.text or "").strip():
        retry = load_html(page)  # the first pass pruned the tree it was given
        document = trafilatura.bare_extraction(retry, favor_recall=True, **options) if retry is not None else None
    return document


# trafilatura's output tree (its own XML vocabulary: <head> is a heading, <lb/> a line break)
TRAFILATURA_BLOCKS = frozenset({"p", "head", "list", "item", "quote", "table", "row", "code", "div", "graphic"})


def body_text(document: Any) -> str:
    """The extracted main text with paragraphs separated by blank lines."""
    if document is None or document.body is None:
        return ""
    return element_text(document.body, blocks=TRAFILATURA_BLOCKS, breaks=frozenset({"lb", "br"}), cells=frozenset({"cell"}))


def page_article(origin: str, document: Any, text: str, declared_lang: str | None, encoding: str) -> RawArticle:
    metadata: dict[str, Any] = {}
    for key in ("description", "hostname", "image", "pagetype", "license"):
        value = getattr(document, key, None)
        if value:
            metadata[key] = single_line(str(value))
    for key in ("categories", "tags"):
        values = getattr(document, key, None)
        if values:
            metadata[key] = [single_line(str(v)) for v in values if v]
    if encoding != "utf-8":
        metadata["encoding"] = encoding
    title = single_line(document.title) or title_from_text(text)
    return RawArticle(
        external_id=origin,
        title=title,
        text=text,
        origin=origin,
        url=document.url or None,
        date=document.date or None,
        author=single_line(document.author) or None,
        lang=(declared_lang or "").strip() or None,
        source=single_line(document.sitename) or document.hostname or None,
        metadata=metadata,
    )
