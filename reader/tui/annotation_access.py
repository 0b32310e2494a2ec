"""What the reading app needs from the annotations, in the shapes its widgets take.

No Textual here. ``annotation_layer`` gives the spans for ``ArticleView.set_layer
("annotations", ...)``: the article's own highlights (``article--annotation``) and, when the
duplicates area is present, those made on another version of it
(``article--annotation-other``). Overlapping entity spans are independent layers.
The writes are jobs for the app's writer thread (``app.write(job, on_done)``); each
commits at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from reader.annotations.model import Annotation
from reader.annotations.versions import annotations_from_other_versions
from reader.store import Library

OWN_CLASS = "article--annotation"
OTHER_VERSION_CLASS = "article--annotation-other"

Span = tuple[int, int, str]


def annotation_layer(library: Library, article_id: int, *, other_versions: bool = True) -> list[Span]:
    """Highlight spans (clean-text offsets, component class) for one article, in text order."""
    spans: list[Span] = [(s.start, s.end, OWN_CLASS) for s in library.annotation_spans(article_id)]
    if other_versions:
        spans.extend((f.start, f.end, OTHER_VERSION_CLASS) for f in annotations_from_other_versions(library, article_id))
    spans.sort()
    return spans


def annotations_at(library: Library, article_id: int, offset: int) -> list[Annotation]:
    """The article's annotations covering a clean-text offset (to edit the one under the cursor)."""
    covering = {s.annotation_id for s in library.annotation_spans(article_id) if s.start <= offset < s.end}
    return [a for a in library.article_annotations(article_id) if a.id in covering]


def create_annotation_job(
    article_id: int, start: int, end: int, *, note: str = "", tags: Iterable[str] = (), color: str | None = None
) -> Callable[[Library], Annotation]:
    """A writer-thread job that highlights ``start:end`` (committed before it returns)."""
    tag_list = list(tags)
    return lambda library: library.create_annotation(article_id, start, end, note=note, tags=tag_list, color=color)


def delete_annotation_job(annotation_id: int) -> Callable[[Library], bool]:
    return lambda library: library.delete_annotation(annotation_id)
