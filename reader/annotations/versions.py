"""Annotations made on another version of an article (an exact or near duplicate), shown here.

Uses the store's ``duplicates_of(article_id)`` when the duplicates area provides it; without
it there are no other versions. Nothing is written: each foreign annotation's quote is
anchored into this article's text on the fly, and left out when it does not anchor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reader.annotations.anchoring import Selector, anchor
from reader.annotations.model import AnchorState, Annotation, AnnotationSpan

if TYPE_CHECKING:
    from reader.store import Library

MAX_VERSIONS = 50
MAX_ANNOTATIONS_PER_VERSION = 500


@dataclass(frozen=True)
class ForeignAnnotation:
    """An annotation of another version, placed on this article's text."""

    annotation: Annotation
    from_article_id: int
    start: int
    end: int
    state: AnchorState  # anchored: the same words in the same context; moved: placed approximately

    def span(self) -> AnnotationSpan:
        return AnnotationSpan(self.start, self.end, self.annotation.id, self.state, self.annotation.color, self.from_article_id)


def other_version_ids(library: Library, article_id: int) -> list[int]:
    """Ids of the article's duplicates, whatever shape ``duplicates_of`` returns them in."""
    method = getattr(library, "duplicates_of", None)
    if method is None:
        return []
    ids: list[int] = []
    for item in method(article_id) or ():
        other = _other_id(item, article_id)
        if other is not None and other != article_id and other not in ids:
            ids.append(other)
    return ids[:MAX_VERSIONS]


def _other_id(item: Any, article_id: int) -> int | None:
    if isinstance(item, int):
        return item
    for names in (("other_id", "duplicate_id", "article_id", "id"), ("a", "a_id"), ("b", "b_id")):
        for name in names:
            value = item.get(name) if isinstance(item, dict) else getattr(item, name, None)
            value = getattr(value, "id", value)  # an Article object
            if isinstance(value, int) and value != article_id:
                return value
    return None


def annotations_from_other_versions(library: Library, article_id: int) -> list[ForeignAnnotation]:
    """Annotations of this article's duplicates that anchor into its text, in text order."""
    others = other_version_ids(library, article_id)
    if not others:
        return []
    texts = library.article_texts([article_id])
    if article_id not in texts:
        return []
    text = texts[article_id][1]
    placed: list[ForeignAnnotation] = []
    for other in others:
        for annotation in library.article_annotations(other)[:MAX_ANNOTATIONS_PER_VERSION]:
            selector = Selector(annotation.exact, annotation.prefix, annotation.suffix, annotation.start, annotation.end)
            found = anchor(selector, text)
            if found.found:
                placed.append(ForeignAnnotation(annotation, other, found.start, found.end, found.state))
    placed.sort(key=lambda f: (f.start, f.annotation.id))
    return placed
