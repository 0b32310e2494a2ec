"""Read a large JSON document piece by piece, so memory holds one item, not the file.

``JsonCursor`` walks a text stream with the standard library's decoder: ``value()``
decodes the next whole value, ``peek()``/``take()`` step over the punctuation between
values, and ``iter_array()`` yields the items of an array one at a time. The buffer only
holds what has not been consumed yet (plus one chunk), whatever the document's size.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, TextIO

CHUNK_CHARS = 256 * 1024
# A decode error this close to the end of the buffer may just be a value cut by the chunk
# edge (a number, `true`, a \uXXXX escape): read more before believing it.
_EDGE = 16
_NON_SPACE = re.compile(r"[^ \t\r\n]")
_NUMBER_CHARS = frozenset("0123456789+-.eE")
_DECODER = json.JSONDecoder()
TOO_DEEP = "values nested too deeply to read"


class JsonStreamError(ValueError):
    """Malformed JSON at a known line of the document."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(f"{message} (line {line})")
        self.message = message
        self.line = line


class JsonCursor:
    def __init__(self, stream: TextIO, chunk_chars: int = CHUNK_CHARS) -> None:
        self._stream = stream
        self._chunk = chunk_chars
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._lines_dropped = 0  # newlines in the part of the document already consumed

    @property
    def line(self) -> int:
        """The line (1-based) the cursor is on."""
        return self._line_at(self._pos)

    def _line_at(self, pos: int) -> int:
        return self._lines_dropped + self._buf.count("\n", 0, pos) + 1

    def _fill(self, at_least: int = 0) -> bool:
        """Append more text, dropping what was consumed; False at the end of the document."""
        if self._eof:
            return False
        more = self._stream.read(max(self._chunk, at_least))
        if not more:
            self._eof = True
            return False  # nothing moved: offsets into the buffer stay valid
        if self._pos:
            self._lines_dropped += self._buf.count("\n", 0, self._pos)
            self._buf = self._buf[self._pos :]
            self._pos = 0
        self._buf += more
        return True

    def peek(self) -> str:
        """The next character that is not white space, without consuming it ('' at the end)."""
        while True:
            match = _NON_SPACE.search(self._buf, self._pos)
            if match:
                self._pos = match.start()
                return self._buf[self._pos]
            self._pos = len(self._buf)
            if not self._fill():
                return ""

    def take(self, expected: str) -> None:
        found = self.peek()
        if found != expected:
            what = repr(found) if found else "the end of the document"
            raise JsonStreamError(f"expected {expected!r} but found {what}", self.line)
        self._pos += 1

    def value(self) -> Any:
        """Decode the next complete JSON value, reading as much of the stream as it needs."""
        if not self.peek():
            raise JsonStreamError("unexpected end of the document", self.line)
        while True:
            try:
                value, end = _DECODER.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError as exc:
                if self._may_be_cut(exc) and self._fill(at_least=len(self._buf) - self._pos):
                    continue  # read as much again as is pending: total work stays linear
                raise JsonStreamError(exc.msg, self._line_at(exc.pos)) from None
            except RecursionError:
                raise JsonStreamError(TOO_DEEP, self.line) from None
            if self._number_may_go_on(value, end) and self._fill():
                continue
            self._pos = end
            return value

    def _number_may_go_on(self, value: Any, end: int) -> bool:
        """A number that ends at the buffer's edge (``1`` of ``1e+16``) may continue in the next chunk."""
        if self._eof or not isinstance(value, (int, float)) or isinstance(value, bool):
            return False
        return end >= len(self._buf) or self._buf[end] in _NUMBER_CHARS

    def _may_be_cut(self, exc: json.JSONDecodeError) -> bool:
        return exc.msg.startswith("Unterminated string") or exc.pos >= len(self._buf) - _EDGE

    def iter_array(self) -> Iterator[tuple[int, int, Any]]:
        """Yield (index, line, item) for each item of the array at the cursor."""
        self.take("[")
        if self.peek() == "]":
            self._pos += 1
            return
        index = 0
        while True:
            self.peek()  # to the item's first character, so its line is right
            line = self.line
            yield index, line, self.value()
            index += 1
            after = self.peek()
            if after == ",":
                self._pos += 1
            elif after == "]":
                self._pos += 1
                return
            else:
                what = repr(after) if after else "the end of the document"
                raise JsonStreamError(f"expected ',' or ']' after item {index} but found {what}", self.line)

    def key(self) -> str:
        """The next object key and its colon."""
        if self.peek() != '"':
            raise JsonStreamError("expected a property name in double quotes", self.line)
        key = self.value()
        self.take(":")
        return key
