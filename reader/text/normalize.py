"""Text normalisation for hashing and comparison."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_WS = re.compile(r"\s+")
_PUNCT_TRANSLATION = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"', "–": "-", "—": "-"})


def normalize_for_hash(text: str) -> str:
    """NFKC, case-folded, typographic quotes unified, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).translate(_PUNCT_TRANSLATION).casefold()
    return _WS.sub(" ", text).strip()


def content_hash(text: str) -> str:
    return hashlib.blake2b(normalize_for_hash(text).encode("utf-8"), digest_size=16).hexdigest()
