"""Fetch a feed or page over http(s) with the standard library: bounded in time and size.

Every failure is one line the user can act on (``HTTP 404 Not Found``, ``cannot reach
the server: connection refused``, ``over the 50 MB limit``); the document's content type
is kept so the right format reads it.
"""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.request
import zlib

from reader import __version__
from reader.config import Limits
from reader.ingest.base import Source, human_size
from reader.model import IngestProblem

TIMEOUT_SECONDS = 15  # per connection attempt and per read
TOTAL_SECONDS = 120  # for the whole download, so a server trickling bytes cannot hang the import
CHUNK_BYTES = 64 * 1024
USER_AGENT = f"reader-tui/{__version__} (terminal news reader; +https://pypi.org/project/reader-tui/)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, application/json;q=0.8, text/plain;q=0.7, */*;q=0.5"
)


class DownloadTooLarge(Exception):
    def __init__(self, size: int | None) -> None:
        super().__init__(size)
        self.size = size


def fetch(url: str, limits: Limits) -> Source | IngestProblem:
    """Download ``url`` into a Source, or say in one line why not."""
    request = urllib.request.Request(
        url, headers={"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limits.max_file_bytes:
                raise DownloadTooLarge(int(declared))
            data = read_capped(response, limits.max_file_bytes)
            data = decompress(data, response.headers.get("Content-Encoding", ""), limits.max_file_bytes)
            content_type = response.headers.get("Content-Type")
    except DownloadTooLarge as exc:
        size = f"is {human_size(exc.size)}, " if exc.size else "is "
        return IngestProblem(
            url,
            f"download {size}over the {human_size(limits.max_file_bytes)} limit (raise it with --max-file-size BYTES)",
        )
    except urllib.error.HTTPError as exc:
        return IngestProblem(url, f"HTTP {exc.code} {exc.reason}".rstrip())
    except urllib.error.URLError as exc:
        return IngestProblem(url, f"cannot reach the server: {network_reason(exc.reason)}")
    except TimeoutError:
        return IngestProblem(url, f"no answer within {TIMEOUT_SECONDS} s: timed out")
    except (http.client.HTTPException, OSError, zlib.error) as exc:
        return IngestProblem(url, f"download failed: {network_reason(exc)}")
    except ValueError as exc:  # a malformed URL
        return IngestProblem(url, f"not a valid URL: {exc}")
    return Source(origin=url, data=data, content_type=content_type)


def read_capped(response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    """Read in chunks, stopping as soon as the body is over ``max_bytes`` or too slow."""
    chunks: list[bytes] = []
    total = 0
    deadline = time.monotonic() + TOTAL_SECONDS
    while chunk := response.read(CHUNK_BYTES):
        total += len(chunk)
        if total > max_bytes:
            raise DownloadTooLarge(None)
        if time.monotonic() > deadline:
            raise TimeoutError
        chunks.append(chunk)
    return b"".join(chunks)


def decompress(data: bytes, content_encoding: str, max_bytes: int) -> bytes:
    """Undo gzip/deflate transfer compression, with the same size cap (no zip bombs)."""
    encoding = content_encoding.strip().lower()
    if encoding in ("", "identity"):
        return data
    if encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decoder = zlib.decompressobj(zlib.MAX_WBITS if data[:1] == b"\x78" else -zlib.MAX_WBITS)
    else:
        raise http.client.HTTPException(f"unsupported content encoding {content_encoding!r}")
    out = decoder.decompress(data, max_bytes + 1)
    if decoder.unconsumed_tail:
        raise DownloadTooLarge(None)
    out += decoder.flush()
    if len(out) > max_bytes:
        raise DownloadTooLarge(None)
    return out


def network_reason(reason: object) -> str:
    """A short phrase for a socket-level failure."""
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, TimeoutError):
        return f"no answer within {TIMEOUT_SECONDS} s"
    if isinstance(reason, socket.gaierror):
        return "unknown host (name lookup failed)"
    if isinstance(reason, ConnectionResetError):
        return "connection reset by the server"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return " ".join(str(reason).split()) or type(reason).__name__
