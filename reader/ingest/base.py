"""What every input format provides, and the source handle they read from."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from reader.config import Limits
from reader.model import IngestProblem, RawArticle


@dataclass(frozen=True)
class Source:
    """One input: a file on disk, or a document fetched from a URL (data already in memory)."""

    origin: str  # the path as the user gave it (relative paths stay relative), or the URL
    path: Path | None = None
    data: bytes | None = None
    content_type: str | None = None

    @property
    def suffix(self) -> str:
        name = self.path.name if self.path is not None else self.origin.split("?")[0].rstrip("/")
        dot = name.rfind(".")
        return name[dot:].lower() if dot > 0 else ""

    def head(self, size: int = 4096) -> bytes:
        if self.data is not None:
            return self.data[:size]
        assert self.path is not None
        with self.path.open("rb") as handle:
            return handle.read(size)

    def read_bytes(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.path is not None
        return self.path.read_bytes()

    def open_binary(self) -> BinaryIO:
        """A binary stream over the source, for formats that read it piece by piece."""
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        return self.path.open("rb")


ReadResult = Iterator[RawArticle | IngestProblem]


def human_size(size: float) -> str:
    """1536 → '1.5 KB', 52428800 → '50 MB' (powers of 1024, as file managers show them)."""
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "bytes" or size >= 100 else f"{size:,.3g} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


TITLE_FROM_TEXT_CHARS = 160


def single_line(value: str | None) -> str:
    """Whitespace (newlines included) collapsed to single spaces."""
    return " ".join((value or "").split())


def title_from_text(text: str) -> str:
    """A title for an article that has none: its first non-empty line, cut at a word."""
    first = single_line(next((line for line in text.splitlines() if line.strip()), ""))
    if len(first) <= TITLE_FROM_TEXT_CHARS:
        return first
    return first[:TITLE_FROM_TEXT_CHARS].rsplit(" ", 1)[0] + "…"


def article_too_long(origin: str, text: str, limits: Limits, *, line: int | None = None, what: str = "article") -> IngestProblem | None:
    """A problem when one article is over the article-length limit, naming the flag that raises it."""
    if len(text) <= limits.max_article_chars:
        return None
    return IngestProblem(
        origin,
        f"{what} is {len(text):,} characters, over the {limits.max_article_chars:,} limit "
        "(raise it with --max-article-chars N)",
        line=line,
    )


class InputFormat(Protocol):
    """An input format: a module-level object with a name and two functions."""

    name: str

    def accepts(self, source: Source, head: bytes) -> bool:
        """True if this format should read the source (by suffix, content type or content)."""
        ...

    def read(self, source: Source, limits: Limits) -> ReadResult:
        """Yield articles, and problems for the parts that could not be read."""
        ...
