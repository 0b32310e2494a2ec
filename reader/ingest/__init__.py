"""Turn paths and URLs into RawArticle records. One module per input format.

To add a format: write a module with ``name``, ``accepts(source, head)`` and
``read(source, limits)`` and list it in ``FORMATS`` (order = priority).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from reader.config import Limits
from reader.ingest import feeds, html, jsonfile, plaintext
from reader.ingest.base import InputFormat, Source, human_size
from reader.ingest.decoding import binary_kind
from reader.model import IngestProblem, RawArticle

# Order matters: the first format that accepts a source reads it. Plain text goes by its
# suffix only; feeds sniff their root element before JSON and HTML get a say, so a feed
# served as text/html or saved as .json (JSON Feed) still reads as a feed.
FORMATS: list[InputFormat] = [plaintext, feeds, jsonfile, html]  # type: ignore[list-item]


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def iter_sources(inputs: Iterable[str], limits: Limits) -> Iterator[Source | IngestProblem]:
    """Expand the user's inputs: folders recursively (sorted, hidden entries skipped), files, URLs."""
    for given in inputs:
        if _is_url(given):
            yield from fetch_url(given, limits)
            continue
        path = Path(given).expanduser()
        if not path.exists():
            yield IngestProblem(given, "no such file or folder")
        elif path.is_dir():
            yield from _walk_folder(given, path)
        elif path.is_file():
            yield Source(origin=given, path=path)
        else:
            yield IngestProblem(given, "not a regular file or folder")


def _walk_folder(given: str, folder: Path) -> Iterator[Source | IngestProblem]:
    def on_error(exc: OSError) -> None:
        raise exc

    try:
        for root, dirs, files in os.walk(folder, onerror=on_error):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith("."):
                    continue
                full = Path(root) / name
                origin = os.path.join(given, os.path.relpath(full, folder))
                yield Source(origin=origin, path=full)
    except OSError as exc:
        yield IngestProblem(given, f"cannot read folder: {exc.strerror or exc}")


def fetch_url(url: str, limits: Limits) -> Iterator[Source | IngestProblem]:
    """Fetch a URL (feeds, pages) with a size limit; errors become one-line problems."""
    from reader.ingest.fetch import fetch  # imported lazily: only URL imports need it

    yield fetch(url, limits)


def pick_format(source: Source, head: bytes) -> InputFormat | None:
    for fmt in FORMATS:
        if fmt.accepts(source, head):
            return fmt
    return None


def read_source(source: Source, limits: Limits) -> Iterator[RawArticle | IngestProblem]:
    """Read one source with the right format, turning every failure into an IngestProblem."""
    try:
        size = len(source.data) if source.data is not None else source.path.stat().st_size  # type: ignore[union-attr]
        if size == 0:
            yield IngestProblem(source.origin, "empty file, nothing to import" if source.data is None else "empty response, nothing to import")
            return
        head = source.head()
    except OSError as exc:
        yield IngestProblem(source.origin, f"cannot read: {exc.strerror or exc}")
        return
    fmt = pick_format(source, head)
    if size > limits.max_file_bytes and not (fmt is not None and streams(fmt, source)):
        yield IngestProblem(
            source.origin,
            f"file is {human_size(size)}, over the {human_size(limits.max_file_bytes)} limit: skipped "
            f"(raise it with --max-file-size BYTES, e.g. --max-file-size {size}, or max_file_bytes in the config file)",
        )
        return
    kind = binary_kind(head)
    if kind:
        yield IngestProblem(source.origin, f"{kind}, not an article: skipped")
        return
    if fmt is None:
        yield IngestProblem(source.origin, f"unsupported file type {source.suffix or '(no extension)'}: skipped")
        return
    try:
        yield from fmt.read(source, limits)
    except MemoryError:
        yield IngestProblem(source.origin, "too large to read into memory: skipped")
    except Exception as exc:  # a format bug must not stop the import of everything else
        yield IngestProblem(source.origin, f"could not read as {fmt.name}: {type(exc).__name__}: {exc}")


def streams(fmt: InputFormat, source: Source) -> bool:
    """True when the format reads this source an article at a time (JSON Lines): memory stays
    bounded by the article limit, so the file-size limit does not apply."""
    reads_streaming = getattr(fmt, "streams", None)
    return bool(reads_streaming and reads_streaming(source))


def read_inputs(inputs: Iterable[str], limits: Limits) -> Iterator[RawArticle | IngestProblem]:
    for item in iter_sources(inputs, limits):
        if isinstance(item, IngestProblem):
            yield item
        else:
            yield from read_source(item, limits)


# Formats that hold one article per file: reading them (decoding, HTML extraction) is the
# costly part, so the import hands the whole file to a worker process.
_ONE_ARTICLE_PER_FILE = (plaintext, html)


def plan_inputs(inputs: Iterable[str], limits: Limits) -> Iterator[Source | RawArticle | IngestProblem]:
    """Like read_inputs, but leaves one-article files unread (as Source) for a worker to read."""
    for item in iter_sources(inputs, limits):
        if isinstance(item, IngestProblem):
            yield item
        elif item.data is None and any(item.suffix in fmt.SUFFIXES for fmt in _ONE_ARTICLE_PER_FILE):
            yield item
        else:
            yield from read_source(item, limits)
