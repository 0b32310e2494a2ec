"""Bytes to text: BOMs, UTF-16 without BOM, UTF-8, then legacy 8-bit encodings; binary sniffing."""

from __future__ import annotations

import codecs

# Magic numbers of files people keep next to articles: these are refused, not decoded.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "zip archive"),
    (b"PK\x05\x06", "zip archive"),
    (b"%PDF-", "PDF document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x7fELF", "executable"),
    (b"MZ", "Windows executable"),
    (b"RIFF", "RIFF media file"),
    (b"ID3", "MP3 audio"),
    (b"OggS", "Ogg media"),
    (b"\x00\x00\x00\x18ftyp", "MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "MP4 video"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0", "MS Office document"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class UndecodableError(ValueError):
    """The bytes are not text we can read; the message says why in a few words."""


def binary_kind(head: bytes) -> str | None:
    """Name the kind of binary file these first bytes belong to, or None if it may be text."""
    for signature, kind in _BINARY_SIGNATURES:
        if head.startswith(signature):
            return kind
    if _bom_encoding(head) or _utf16_without_bom(head):
        return None
    sample = head[:4096]
    if b"\x00" in sample:
        return "binary data"
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if sample and control / len(sample) > 0.1:
        return "binary data"
    return None


def _bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """Text of mostly ASCII in UTF-16 has a NUL in every other byte."""
    sample = data[:2000]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and return (text, encoding used).

    Order: BOM, UTF-16 without BOM, the declared encoding, UTF-8, then Windows-1252
    (a superset of printable Latin-1 that real 'ISO-8859-1' pages actually use).
    """
    encoding = _bom_encoding(data)
    if encoding:
        bom_len = {"utf-32-le": 4, "utf-32-be": 4, "utf-8": 3}.get(encoding, 2)
        try:
            return data[bom_len:].decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise UndecodableError(f"broken {encoding} text at byte {exc.start}") from exc
    encoding = _utf16_without_bom(data)
    if encoding:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    candidates = [declared] if declared else []
    candidates += ["utf-8", "cp1252"]
    for name in candidates:
        try:
            codecs.lookup(name)
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            continue
    # latin-1 maps every byte: last resort for text that is neither UTF-8 nor cp1252
    return data.decode("latin-1"), "latin-1"


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 could not as Windows-1252 (Latin-1 for its 5 unmapped bytes)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return "".join(_byte_as_cp1252(b) for b in bad), exc.end


def _byte_as_cp1252(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


# errors="utf8-or-cp1252": lets a stream decoder read UTF-8 text whose stray bytes are
# Windows-1252 (mixed files, or legacy files read chunk by chunk), never failing.
UTF8_OR_CP1252 = "utf8-or-cp1252"
codecs.register_error(UTF8_OR_CP1252, _cp1252_fallback)


def stream_encoding(head: bytes) -> tuple[str, int]:
    """Encoding for reading a file as a stream, from its first bytes, and the BOM length.

    UTF-16/32 (with or without BOM) are recognised; anything else is read as UTF-8
    with the ``utf8-or-cp1252`` error handler.
    """
    encoding = _bom_encoding(head)
    if encoding:
        return encoding, {"utf-32-le": 4, "utf-32-be": 4, "utf-8": 3}.get(encoding, 2)
    return _utf16_without_bom(head) or "utf-8", 0
