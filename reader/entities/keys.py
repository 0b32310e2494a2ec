"""Canonical keys: the normalised form that links mentions of one entity.

A key is the same for spellings that differ only by case, accents, spaces and
punctuation ("ByteDance", "Byte Dance", "Bytedance" -> ``bytedance``). Places use the
gazetteer's cross-lingual keys instead (``country:us`` for "United States", "États-Unis",
"USA", "U.S."), nationality words point at their country (``nationality:cn`` for
"Chinese"), so the same place is one key in every language.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reader.entities.gazetteer import fold

_NOT_ALNUM = re.compile(r"[\W_]+", re.UNICODE)

MAX_KEY_CHARS = 120


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """``bytedance`` for "Byte Dance"; never empty for a name with a letter or digit in it."""
    return _NOT_ALNUM.sub("", fold(name))[:MAX_KEY_CHARS]


def nationality_key(place_key: str) -> str:
    """``nationality:cn`` for the country key ``country:cn``."""
    return "nationality:" + place_key.split(":", 1)[1]


def is_place_key(key: str) -> bool:
    return key.startswith(("country:", "region:", "city:", "continent:"))
