"""Import W3C annotation JSON (our export, or another tool's) into a library, re-anchored.

Each annotation's ``target.source`` (or ``scope``) is matched to an article by external id,
then by URL; its quote is anchored into that article's current text. An annotation whose
article is not in the library is kept, detached and ``orphaned``, with the source it names:
it re-attaches when that article is imported. Annotations already present (same id) are
left alone, unless the file's copy was modified later.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reader.annotations.anchoring import Anchor, Selector, anchor, make_selector, text_hash
from reader.annotations.formats.w3c_json import ParsedAnnotation, ParseProblem, load_json, parse_annotations
from reader.annotations.model import AnnotationError

if TYPE_CHECKING:
    from reader.store import Library
    from reader.store.annotations import ArticleCandidate

MAX_FILE_BYTES = 200 * 1024 * 1024
TRANSACTION_SIZE = 200


@dataclass
class AnnotationImportReport:
    imported: int = 0  # new annotations (anchored + moved + orphaned)
    anchored: int = 0
    moved: int = 0
    orphaned: int = 0  # no matching article, or the quote is no longer in it
    updated: int = 0  # already present, the file's copy was newer
    unchanged: int = 0  # already present
    failed: int = 0
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "imported": self.imported,
            "anchored": self.anchored,
            "moved": self.moved,
            "orphaned": self.orphaned,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "problems": list(self.problems),
        }


def read_annotation_file(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> object:
    """Parse a JSON file; raises ValueError with a one-line reason."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ValueError(f"{path}: {size:,} bytes, over the {max_bytes:,}-byte limit")
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    try:
        return load_json(text)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None


def import_annotation_file(library: Library, path: Path | str) -> AnnotationImportReport:
    return import_annotation_data(library, read_annotation_file(Path(path)))


def import_annotation_data(library: Library, data: object) -> AnnotationImportReport:
    report = AnnotationImportReport()
    matcher = _ArticleMatcher(library)
    pending: list[ParsedAnnotation] = []
    for parsed in parse_annotations(data):
        if isinstance(parsed, ParseProblem):
            report.failed += 1
            report.problems.append(str(parsed))
            continue
        pending.append(parsed)
        if len(pending) >= TRANSACTION_SIZE:
            _store(library, matcher, pending, report)
            pending.clear()
    _store(library, matcher, pending, report)
    return report


def _store(library: Library, matcher: _ArticleMatcher, batch: Iterable[ParsedAnnotation], report: AnnotationImportReport) -> None:
    with library.transaction():
        for parsed in batch:
            try:
                _store_one(library, matcher, parsed, report)
            except AnnotationError as exc:
                report.failed += 1
                report.problems.append(str(ParseProblem(parsed.index, str(exc))))


def _store_one(library: Library, matcher: _ArticleMatcher, parsed: ParsedAnnotation, report: AnnotationImportReport) -> None:
    from reader.store.annotations import NewAnnotation

    existing = library.get_annotation_by_uuid(parsed.uuid)
    if existing is not None:
        if parsed.modified and parsed.modified > existing.updated_at:
            library.update_annotation(
                existing.id, note=parsed.note, tags=parsed.tags, color=parsed.color, updated_at=parsed.modified
            )
            report.updated += 1
        else:
            report.unchanged += 1
        return
    placed = _place(parsed, matcher.candidates(parsed))
    if placed is None:
        if not parsed.exact:
            raise AnnotationError("no quote, and no article in this library to take it from")
        source = parsed.source or parsed.scope or ""
        start = parsed.start if parsed.start is not None else 0
        end = parsed.end if parsed.end is not None and parsed.end > start else start + len(parsed.exact)
        new = NewAnnotation(
            uuid=parsed.uuid,
            article_id=None,
            article_external_id=source,
            article_url=parsed.scope or (source if source.startswith(("http://", "https://")) else None),
            article_title=parsed.title,
            selector=Selector(parsed.exact, parsed.prefix, parsed.suffix, start, end),
            text_hash="",
            state="orphaned",
            note=parsed.note,
            tags=parsed.tags,
            color=parsed.color,
            created_at=parsed.created,
            updated_at=parsed.modified,
        )
        if parsed.source or parsed.scope:
            report.problems.append(str(ParseProblem(parsed.index, f"no article {source!r} in this library: kept as orphaned")))
    else:
        article, selector, found = placed
        if found.state == "anchored":
            stored = make_selector(article.text, found.start, found.end)
        elif found.state == "moved":
            stored = Selector(selector.exact, selector.prefix, selector.suffix, found.start, found.end)
        elif selector.start >= 0:
            stored = selector
        else:
            stored = Selector(selector.exact, selector.prefix, selector.suffix, 0, len(selector.exact))
        new = NewAnnotation(
            uuid=parsed.uuid,
            article_id=article.id,
            article_external_id=article.external_id,
            article_url=article.url,
            article_title=article.title,
            selector=stored,
            text_hash=text_hash(article.text) if found.found else "",
            state=found.state,
            note=parsed.note,
            tags=parsed.tags,
            color=parsed.color,
            created_at=parsed.created,
            updated_at=parsed.modified,
        )
        if found.state == "orphaned":
            report.problems.append(
                str(ParseProblem(parsed.index, f"the quote is no longer in article {article.external_id!r}: kept as orphaned"))
            )
    library.insert_annotation(new)
    report.imported += 1
    setattr(report, new.state, getattr(report, new.state) + 1)


def _place(parsed: ParsedAnnotation, candidates: list[ArticleCandidate]) -> tuple[ArticleCandidate, Selector, Anchor] | None:
    """The best place among the candidate articles (found beats orphaned, then by score)."""
    best: tuple[tuple[int, float], ArticleCandidate, Selector, Anchor] | None = None
    for article in candidates:
        selector = _selector_for(parsed, article.text)
        if selector is None:
            continue
        found = anchor(selector, article.text)
        rank = (int(found.found), found.score)
        if best is None or rank > best[0]:
            best = (rank, article, selector, found)
    return None if best is None else best[1:]


def _selector_for(parsed: ParsedAnnotation, text: str) -> Selector | None:
    if parsed.exact:
        if parsed.start is None or parsed.end is None:
            return Selector(parsed.exact, parsed.prefix, parsed.suffix, -1, -1)  # a quote alone
        return Selector(parsed.exact, parsed.prefix, parsed.suffix, parsed.start, parsed.end)
    if parsed.start is not None and parsed.end is not None and parsed.end <= len(text):
        return make_selector(text, parsed.start, parsed.end)  # a position alone: take the text there
    return None


class _ArticleMatcher:
    """Looks articles up by the sources annotations name, remembering each answer."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.cache: dict[tuple[str | None, str | None], list[ArticleCandidate]] = {}

    def candidates(self, parsed: ParsedAnnotation) -> list[ArticleCandidate]:
        key = (parsed.source, parsed.scope)
        if key not in self.cache:
            if len(self.cache) >= 64:  # each holds article texts
                self.cache.clear()
            self.cache[key] = self.library.articles_for_annotation_target(parsed.source, parsed.scope)
        return self.cache[key]
