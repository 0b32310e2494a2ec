"""What the reading app needs from the annotations, in the shapes its widgets take.

No Textual here. :func:`article_notes` lists one article's annotations for the side list:
its own (placed where they anchor now, or not placed when orphaned) and, when the
duplicates area is present, those made on another version of it ("from another
version"). :func:`layer_of` turns that list into the spans for ``ArticleView.set_layer
("annotations", ...)`` (``article--annotation``, ``article--annotation-other``), so the
text and the list always agree; overlapping entity spans are an independent layer.
``annotation_layer`` does both at once. The writes are jobs for the app's writer thread
(``app.write(job, on_done)``); each commits at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from reader.annotations.model import HIGHLIGHT_COLORS, AnchorState, Annotation
from reader.annotations.versions import annotations_from_other_versions
from reader.store import Library

OWN_CLASS = "article--annotation"
OTHER_VERSION_CLASS = "article--annotation-other"
# A highlight given a colour (``reader annotate --color``) is drawn with its own class.
COLOR_CLASSES = {color: f"article--annotation-{color}" for color in HIGHLIGHT_COLORS}

Span = tuple[int, int, str]


@dataclass(frozen=True)
class ArticleNote:
    """One annotation as the open article shows it: where it sits now, if anywhere."""

    annotation: Annotation
    start: int | None  # clean-text offsets in this article; None when it cannot be placed
    end: int | None
    state: AnchorState  # anchored, moved (placed approximately) or orphaned (not placed)
    from_article_id: int | None = None  # set for an annotation made on another version

    @property
    def placed(self) -> bool:
        return self.start is not None and self.end is not None

    @property
    def other_version(self) -> bool:
        return self.from_article_id is not None


def article_notes(library: Library, article_id: int, *, other_versions: bool = True) -> list[ArticleNote]:
    """The article's annotations: placed ones in text order, then the ones with no place."""
    placed = {s.annotation_id: s for s in library.annotation_spans(article_id)}
    notes: list[ArticleNote] = []
    for annotation in library.article_annotations(article_id):
        span = placed.get(annotation.id)
        if span is None:  # orphaned, or its quote is no longer in the text
            notes.append(ArticleNote(annotation, None, None, "orphaned"))
        else:
            notes.append(ArticleNote(annotation, span.start, span.end, "moved" if span.state == "moved" else annotation.state))
    if other_versions:
        for foreign in annotations_from_other_versions(library, article_id):
            notes.append(ArticleNote(foreign.annotation, foreign.start, foreign.end, foreign.state, foreign.from_article_id))
    notes.sort(key=lambda n: (not n.placed, n.start if n.start is not None else 0, n.annotation.id))
    return notes


def layer_of(notes: Sequence[ArticleNote]) -> list[Span]:
    """Highlight spans (clean-text offsets, component class) of the placed annotations."""
    return [
        (n.start, n.end, OTHER_VERSION_CLASS if n.other_version else COLOR_CLASSES.get(n.annotation.color or "", OWN_CLASS))
        for n in notes
        if n.start is not None and n.end is not None
    ]


def annotation_layer(library: Library, article_id: int, *, other_versions: bool = True) -> list[Span]:
    """Highlight spans (clean-text offsets, component class) for one article, in text order."""
    return sorted(layer_of(article_notes(library, article_id, other_versions=other_versions)))


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
