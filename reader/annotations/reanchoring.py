"""Re-anchoring stored annotations when their article's text changes (the import's last stage).

Runs inside the import batch's transaction. The cost when nothing is annotated is one
indexed query per batch; otherwise only the annotated articles of the batch are read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.annotations.anchoring import Anchor, anchor, make_selector, text_hash

if TYPE_CHECKING:
    from reader.model import PreparedArticle
    from reader.store import Library, UpsertResult


@dataclass(frozen=True)
class Reanchored:
    annotation_id: int
    before: str  # the state before
    after: Anchor


def reanchor_article(library: Library, article_id: int, *, text: str | None = None) -> list[Reanchored]:
    """Re-anchor an article's annotations whose text changed since (and the orphaned ones).

    Runs inside the caller's transaction; returns what changed.
    """
    if text is None:
        found = library.article_texts([article_id]).get(article_id)
        if found is None:
            return []
        text = found[1]
    current = text_hash(text)
    outcomes: list[Reanchored] = []
    for stored in library.stored_anchors(article_id):
        if stored.text_hash == current and stored.state != "orphaned":
            continue
        result = anchor(stored.selector, text)
        new_selector = make_selector(text, result.start, result.end) if result.state == "anchored" else None
        library.save_anchor(stored.annotation_id, result, new_selector=new_selector, new_text_hash=current)
        outcomes.append(Reanchored(stored.annotation_id, stored.state, result))
    return outcomes


def reanchor_changed_articles(
    library: Library, prepared: Sequence[PreparedArticle], results: Sequence[UpsertResult]
) -> None:
    """LIBRARY_STAGE: re-attach annotations to re-imported articles, re-anchor updated ones.

    An article whose text changed on re-import (status ``updated``) gets its annotations
    re-anchored; an article (or section) that comes back with the external id of a deleted
    one gets that one's orphaned annotations back, re-anchored.
    """
    if not library.has_annotations():
        return
    updated: list[int] = []
    stored: list[int] = []
    for result in results:
        if result.status == "unchanged":
            continue
        ids = [result.article_id, *result.section_ids]
        stored.extend(ids)
        if result.status == "updated":
            updated.extend(ids)
    if not stored:
        return
    reattached = library.reattach_annotations(stored)
    targets = sorted(set(library.annotated_article_ids(updated)) | set(reattached))
    if not targets:
        return
    library.refresh_annotation_article_copies(targets)
    texts = library.article_texts(targets)
    for article_id in targets:
        if article_id in texts:
            reanchor_article(library, article_id, text=texts[article_id][1])
