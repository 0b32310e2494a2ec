"""What every input format provides, and the source handle they read from."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

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


ReadResult = Iterator[RawArticle | IngestProblem]


class InputFormat(Protocol):
    """An input format: a module-level object with a name and two functions."""

    name: str

    def accepts(self, source: Source, head: bytes) -> bool:
        """True if this format should read the source (by suffix, content type or content)."""
        ...

    def read(self, source: Source, limits: Limits) -> ReadResult:
        """Yield articles, and problems for the parts that could not be read."""
        ...
