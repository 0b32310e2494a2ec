"""The per-article analyser: entity mentions of one article, computed in the import workers."""

from __future__ import annotations

from reader.entities import get_recognizer
from reader.model import PreparedArticle


def add_mentions(prepared: PreparedArticle) -> PreparedArticle:
    """Fill ``prepared.mentions``: typed character spans into the clean text, with canonical keys."""
    if not prepared.text:
        return prepared
    mentions = get_recognizer().recognize(prepared.text, prepared.lang)
    return prepared.replaced(mentions=tuple(mentions))
