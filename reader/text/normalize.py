"""Text normalisation for hashing and comparison."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_TYPOGRAPHIC_PUNCTUATION = {"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"', "–": "-", "—": "-"}
_ANY_TYPOGRAPHIC = re.compile("[" + "".join(_TYPOGRAPHIC_PUNCTUATION) + "]")


def unify_punctuation(text: str) -> str:
    """Typographic quotes and dashes as their ASCII forms (one C-level pass per character
    present: ``str.translate`` with a table costs a Python lookup per character)."""
    if _ANY_TYPOGRAPHIC.search(text) is None:
        return text
    for typographic, plain in _TYPOGRAPHIC_PUNCTUATION.items():
        if typographic in text:
            text = text.replace(typographic, plain)
    return text


def normalize_for_hash(text: str) -> str:
    """NFKC, case-folded, typographic quotes unified, whitespace collapsed."""
    text = unify_punctuation(unicodedata.normalize("NFKC", text)).casefold()
    return " ".join(text.split())  # the same as collapsing r"\s+" and stripping, in C


def content_hash(text: str) -> str:
    return hashlib.blake2b(normalize_for_hash(text).encode("utf-8"), digest_size=16).hexdigest()
