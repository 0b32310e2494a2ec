"""Text normalisation for hashing and comparison."""

from __future__ import annotations

import hashlib
import unicodedata

_TYPOGRAPHIC_PUNCTUATION = {"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"', "–": "-", "—": "-"}


def unify_punctuation(text: str) -> str:
    """Typographic quotes and dashes as their ASCII forms (one C-level pass per character
    present: ``str.translate`` with a table costs a Python lookup per character)."""
    for typographic, plain in _TYPOGRAPHIC_PUNCTUATION.items():
        if typographic in text:
            text = text.replace(typographic, plain)
    return text


def normalize_for_hash(text: str) -> str:
    """NFKC, case-folded, typographic quotes unified, whitespace collapsed."""
    text = unify_punctuation(unicodedata.normalize("NFKC", text)).casefold()
    return single_spaced(text)


def single_spaced(text: str) -> str:
    """``" ".join(text.split())``: the words with one space between them (the same as collapsing
    ``\\s+`` and stripping). Text whose only whitespace is single spaces between paragraphs and
    lines (as clean text is) becomes that with two replaces, without building its words."""
    joined = text.replace("\n\n", "\n").replace("\n", " ")
    return joined if is_single_spaced(joined) else " ".join(text.split())


def is_single_spaced(text: str) -> bool:
    """A quick test that ``" ".join(text.split()) == text``, without building the words: True
    only then (the only whitespace that a printable text can hold is the plain space: tabs, NBSP,
    the other Unicode spaces and every line break are not printable). False as well for a text
    with an unprintable character (a control, an unassigned code point): the caller splits it."""
    return is_printable(text) and "  " not in text and not text.startswith(" ") and not text.endswith(" ")


# The printable ASCII characters (an ASCII character is printable exactly when it is one of these).
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))


def is_printable(text: str) -> bool:
    """``text.isprintable()``, 2-3x faster on ASCII text (most lines of most news): its printable
    characters deleted from its bytes in C, nothing is left (str.isprintable looks every character
    up in the Unicode tables)."""
    if text.isascii():
        return not text.encode("ascii").translate(None, _PRINTABLE_ASCII)
    return text.isprintable()


def content_hash(text: str) -> str:
    return hashlib.blake2b(normalize_for_hash(text).encode("utf-8"), digest_size=16).hexdigest()
