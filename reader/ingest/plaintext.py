"""`.txt` and `.md` files: the title is the first non-empty line, the rest is the text."""

from __future__ import annotations

import re

from reader.config import Limits
from reader.ingest.base import ReadResult, Source, article_too_long, human_size
from reader.ingest.decoding import UndecodableError, decode_bytes
from reader.ingest.sniff import content_type_charset, media_type
from reader.model import IngestProblem, RawArticle
from reader.text.cleaning import is_boilerplate_line

name = "text"
SUFFIXES = {".txt", ".md", ".markdown", ".text"}

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)


MEDIA_TYPES = {"text/plain", "text/markdown", "text/x-markdown"}
MAX_BYTES_PER_CHAR = 4  # no encoding we read spends more than 4 bytes on one character


def accepts(source: Source, head: bytes) -> bool:
    return source.suffix in SUFFIXES or media_type(source.content_type) in MEDIA_TYPES


def split_title(text: str) -> tuple[str, str]:
    """First non-empty line that is not page furniture (e.g. a skip-link) as the title
    (Markdown heading marks removed, spaces folded), and the whole text."""
    for line in text.splitlines():
        if line.strip() and not is_boilerplate_line(line):
            return " ".join(_MD_HEADING.sub("", line).strip().strip("*_").split()), text
    return "", text


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    match = _MD_FRONT_MATTER.match(text)
    if not match:
        return {}, text
    fields: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip():
            fields[key.strip().lower()] = value.strip().strip("\"'")
    return fields, text[match.end() :]


def read(source: Source, limits: Limits) -> ReadResult:
    # One file is one article: a file that must hold more characters than the article limit
    # is refused before it is read, so memory stays bounded whatever --max-file-size allows.
    size = len(source.data) if source.data is not None else source.path.stat().st_size  # type: ignore[union-attr]
    if size > limits.max_article_chars * MAX_BYTES_PER_CHAR:
        yield IngestProblem(
            source.origin,
            f"file is {human_size(size)}, more text than one article may hold ({limits.max_article_chars:,} characters): "
            "skipped (raise it with --max-article-chars N)",
        )
        return
    try:
        text, encoding = decode_bytes(source.read_bytes(), content_type_charset(source.content_type))
    except UndecodableError as exc:
        yield IngestProblem(source.origin, f"cannot decode: {exc}")
        return
    fields: dict[str, str] = {}
    if source.suffix in {".md", ".markdown"}:
        fields, text = _front_matter(text)
    if not text.strip():
        yield IngestProblem(source.origin, "empty file, nothing to import")
        return
    too_long = article_too_long(source.origin, text, limits)
    if too_long:
        yield too_long
        return
    title, body = split_title(text)
    metadata: dict[str, object] = {"encoding": encoding} if encoding not in ("utf-8",) else {}
    metadata.update({k: v for k, v in fields.items() if k not in {"title", "date", "url", "author", "source", "lang"}})
    yield RawArticle(
        external_id=source.origin,
        title=fields.get("title") or title,
        text=body,
        origin=source.origin,
        url=fields.get("url"),
        date=fields.get("date"),
        author=fields.get("author"),
        lang=fields.get("lang"),
        source=fields.get("source"),
        metadata=metadata,
    )
