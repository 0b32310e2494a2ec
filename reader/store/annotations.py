"""Annotations: create (committed at once), edit, delete, list with keyset pages, re-anchor.

The user-facing writes (create, update, delete) commit in their own transaction the moment
they are made, or join the caller's transaction when one is open. The re-anchoring helpers
run inside the caller's transaction (the import's batch).
"""

from __future__ import annotations

import sqlite3
import uuid as uuidlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

from reader.annotations.anchoring import Anchor, Selector, anchor, make_selector, text_hash, trim_span
from reader.annotations.model import (
    AnchorState,
    Annotation,
    AnnotationError,
    AnnotationFilter,
    AnnotationNotFound,
    AnnotationSpan,
    check_color,
    clean_note,
    clean_tags,
)
from reader.store.connection import utc_now
from reader.store.sqlutil import parameter_chunks

AnnotationOrder = Literal["newest", "article"]

_TAG_SEPARATOR = "\x1f"
_LAST = 9223372036854775807  # sorts detached and unclustered annotations after the rest

_SELECT = f"""
SELECT an.id, an.uuid, an.article_id, an.exact, an.prefix, an.suffix, an.pos_start, an.pos_end,
       an.text_hash, an.state, an.note, an.color, an.created_at, an.updated_at,
       COALESCE(ar.external_id, an.article_external_id) AS article_external_id,
       CASE WHEN ar.id IS NULL THEN an.article_url ELSE ar.url END AS article_url,
       COALESCE(ar.title, an.article_title) AS article_title,
       ar.cluster_id, c.label AS cluster_label, ar.source, ar.date, ar.author,
       CASE WHEN an.state = 'moved' AND ar.id IS NOT NULL
            THEN substr(ar.text, an.pos_start + 1, an.pos_end - an.pos_start) END AS current_quote,
       (SELECT group_concat(t.tag, '{_TAG_SEPARATOR}') FROM annotation_tags t WHERE t.annotation_id = an.id) AS tags
FROM annotations an
LEFT JOIN articles ar ON ar.id = an.article_id
LEFT JOIN clusters c ON c.id = ar.cluster_id
"""

# sort expressions of each listing order
_ORDER_KEYS: dict[str, tuple[str, ...]] = {
    "newest": ("an.id DESC",),
    "article": (
        f"COALESCE(ar.cluster_id, {_LAST})",
        "COALESCE(ar.date, '')",
        "COALESCE(ar.external_id, an.article_external_id)",
        "an.pos_start",
        "an.id",
    ),
}


def row_to_annotation(row: sqlite3.Row) -> Annotation:
    tags = tuple(sorted((row["tags"] or "").split(_TAG_SEPARATOR), key=str.casefold)) if row["tags"] else ()
    return Annotation(
        id=row["id"],
        uuid=row["uuid"],
        article_id=row["article_id"],
        exact=row["exact"],
        prefix=row["prefix"],
        suffix=row["suffix"],
        start=row["pos_start"],
        end=row["pos_end"],
        text_hash=row["text_hash"],
        state=row["state"],
        note=row["note"],
        color=row["color"],
        tags=tags,
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        article_external_id=row["article_external_id"],
        article_url=row["article_url"],
        article_title=row["article_title"],
        cluster_id=row["cluster_id"],
        cluster_label=row["cluster_label"],
        source=row["source"],
        date=row["date"],
        author=row["author"],
        current_quote=row["current_quote"],
    )


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filter_sql(flt: AnnotationFilter) -> tuple[list[str], list[object]]:
    where: list[str] = []
    params: list[object] = []
    if flt.tag:
        where.append("an.id IN (SELECT annotation_id FROM annotation_tags WHERE tag = ?)")
        params.append(flt.tag.strip().lstrip("#").strip())
    if flt.cluster_id is not None:
        where.append("ar.cluster_id = ?")
        params.append(flt.cluster_id)
    if flt.article_id is not None:
        where.append("an.article_id = ?")
        params.append(flt.article_id)
    if flt.text:
        pattern = _like(flt.text)
        where.append(
            "(an.exact LIKE ? ESCAPE '\\' OR an.note LIKE ? ESCAPE '\\' "
            "OR COALESCE(ar.title, an.article_title) LIKE ? ESCAPE '\\')"
        )
        params.extend([pattern, pattern, pattern])
    if flt.since:
        where.append("an.created_at >= ?")
        params.append(flt.since)
    if flt.state:
        where.append("an.state = ?")
        params.append(flt.state)
    return where, params


@dataclass(frozen=True)
class NewAnnotation:
    """Everything stored for an annotation, for inserting one made elsewhere (an import)."""

    uuid: str
    article_id: int | None
    article_external_id: str
    article_url: str | None
    article_title: str
    selector: Selector
    text_hash: str
    state: AnchorState
    note: str = ""
    tags: tuple[str, ...] = ()
    color: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


@dataclass(frozen=True)
class StoredAnchor:
    """An annotation's stored selectors, as the re-anchoring needs them."""

    annotation_id: int
    article_id: int
    selector: Selector
    text_hash: str
    state: AnchorState


@dataclass(frozen=True)
class ArticleCandidate:
    """An article an imported annotation may belong to, with its clean text."""

    id: int
    external_id: str
    url: str | None
    title: str
    text: str


class _Unset:
    pass


UNSET = _Unset()


class AnnotationStore:
    conn: sqlite3.Connection

    # -- transactions --------------------------------------------------------------------------

    @contextmanager
    def _own_transaction(self) -> Iterator[None]:
        """Commit on exit, unless the caller already holds a transaction (then join it)."""
        if self.conn.in_transaction:
            yield
            return
        with self.transaction():  # type: ignore[attr-defined]
            yield

    # -- writing -------------------------------------------------------------------------------

    def create_annotation(
        self,
        article_id: int,
        start: int,
        end: int,
        note: str = "",
        tags: Iterable[str] = (),
        color: str | None = None,
    ) -> Annotation:
        """Highlight ``text[start:end]`` of an article (whitespace at the edges is trimmed).

        Committed before this returns (its own transaction), unless called inside one.
        """
        note = clean_note(note)
        tag_list = clean_tags(list(tags))
        color = check_color(color)
        with self._own_transaction():
            row = self.conn.execute(
                "SELECT id, external_id, url, title, text FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
            if row is None:
                raise AnnotationNotFound(f"no article with id {article_id}")
            text = row["text"]
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
                raise AnnotationError(f"span {start}..{end} is not inside the article's {len(text)} characters")
            start, end = trim_span(text, start, end)
            if start >= end:
                raise AnnotationError("the selected span holds only whitespace")
            annotation_id = self.insert_annotation(
                NewAnnotation(
                    uuid=str(uuidlib.uuid4()),
                    article_id=article_id,
                    article_external_id=row["external_id"],
                    article_url=row["url"],
                    article_title=row["title"],
                    selector=make_selector(text, start, end),
                    text_hash=text_hash(text),
                    state="anchored",
                    note=note,
                    tags=tag_list,
                    color=color,
                )
            )
        found = self.get_annotation(annotation_id)
        assert found is not None
        return found

    def insert_annotation(self, new: NewAnnotation) -> int:
        """Store one annotation as given (inside the caller's transaction); returns its id."""
        now = utc_now()
        sel = new.selector
        cur = self.conn.execute(
            """INSERT INTO annotations (uuid, article_id, article_external_id, article_url, article_title,
                   exact, prefix, suffix, pos_start, pos_end, text_hash, state, note, color, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                new.uuid, new.article_id, new.article_external_id, new.article_url, new.article_title or "",
                sel.exact, sel.prefix, sel.suffix, sel.start, sel.end, new.text_hash, new.state,
                clean_note(new.note), check_color(new.color), new.created_at or now, new.updated_at or new.created_at or now,
            ),
        )
        annotation_id = int(cur.lastrowid)
        self._write_tags(annotation_id, clean_tags(new.tags))
        return annotation_id

    def _write_tags(self, annotation_id: int, tags: Sequence[str]) -> None:
        self.conn.execute("DELETE FROM annotation_tags WHERE annotation_id = ?", (annotation_id,))
        self.conn.executemany(
            "INSERT OR IGNORE INTO annotation_tags (annotation_id, tag) VALUES (?, ?)",
            ((annotation_id, tag) for tag in tags),
        )

    def update_annotation(
        self,
        annotation_id: int,
        *,
        note: str | _Unset = UNSET,
        tags: Iterable[str] | _Unset = UNSET,
        color: str | None | _Unset = UNSET,
        updated_at: str | None = None,
    ) -> Annotation:
        """Change the note, tags or colour (only those given); committed before this returns."""
        sets: list[str] = []
        params: list[object] = []
        if not isinstance(note, _Unset):
            sets.append("note = ?")
            params.append(clean_note(note))
        if not isinstance(color, _Unset):
            sets.append("color = ?")
            params.append(check_color(color))
        new_tags = None if isinstance(tags, _Unset) else clean_tags(list(tags))
        with self._own_transaction():
            exists = self.conn.execute("SELECT 1 FROM annotations WHERE id = ?", (annotation_id,)).fetchone()
            if exists is None:
                raise AnnotationNotFound(f"no annotation with id {annotation_id}")
            sets.append("updated_at = ?")
            params.append(updated_at or utc_now())
            self.conn.execute(f"UPDATE annotations SET {', '.join(sets)} WHERE id = ?", (*params, annotation_id))
            if new_tags is not None:
                self._write_tags(annotation_id, new_tags)
        found = self.get_annotation(annotation_id)
        assert found is not None
        return found

    def delete_annotation(self, annotation_id: int) -> bool:
        """Delete one annotation (the user's explicit choice); committed before this returns."""
        with self._own_transaction():
            cur = self.conn.execute("DELETE FROM annotations WHERE id = ?", (annotation_id,))
        return cur.rowcount > 0

    # -- reading -------------------------------------------------------------------------------

    def get_annotation(self, annotation_id: int) -> Annotation | None:
        row = self.conn.execute(_SELECT + " WHERE an.id = ?", (annotation_id,)).fetchone()
        return row_to_annotation(row) if row else None

    def get_annotation_by_uuid(self, uuid: str) -> Annotation | None:
        row = self.conn.execute(_SELECT + " WHERE an.uuid = ?", (uuid,)).fetchone()
        return row_to_annotation(row) if row else None

    def list_annotations(
        self,
        *,
        tag: str | None = None,
        cluster_id: int | None = None,
        article_id: int | None = None,
        text: str | None = None,
        since: str | None = None,
        state: AnchorState | None = None,
        after: int | None = None,
        limit: int = 200,
    ) -> list[Annotation]:
        """One keyset page, newest first; pass the last id of a page as ``after`` for the next."""
        flt = AnnotationFilter(tag=tag, cluster_id=cluster_id, article_id=article_id, text=text, since=since, state=state)
        where, params = _filter_sql(flt)
        if after is not None:
            where.append("an.id < ?")
            params.append(after)
        sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY an.id DESC LIMIT ?"
        return [row_to_annotation(r) for r in self.conn.execute(sql, (*params, limit))]

    def iter_annotations(
        self, flt: AnnotationFilter | None = None, *, order: AnnotationOrder = "newest", page_size: int = 500
    ) -> Iterator[Annotation]:
        """Every matching annotation, a page of rows at a time (flat memory at any count).

        ``order="newest"`` walks the primary key in keyset pages. ``order="article"`` groups
        them by story cluster, then article (by date), then position: one sorted query whose
        rows are fetched a page at a time (sorting once, instead of once per keyset page).
        """
        flt = flt or AnnotationFilter()
        keys = _ORDER_KEYS[order]
        where, params = _filter_sql(flt)
        if order == "article":
            sql = (
                _SELECT
                + (" WHERE " + " AND ".join(where) if where else "")
                + " ORDER BY "
                + ", ".join(keys)
            )
            cursor = self.conn.execute(sql, params)
            try:
                while rows := cursor.fetchmany(page_size):
                    for row in rows:
                        yield row_to_annotation(row)
            finally:
                cursor.close()
            return
        last: int | None = None
        while True:
            page_where = list(where) + ([] if last is None else ["an.id < ?"])
            page_params = list(params) + ([] if last is None else [last])
            sql = _SELECT + (" WHERE " + " AND ".join(page_where) if page_where else "") + " ORDER BY an.id DESC LIMIT ?"
            rows = self.conn.execute(sql, (*page_params, page_size)).fetchall()
            for row in rows:
                yield row_to_annotation(row)
            if len(rows) < page_size:
                return
            last = rows[-1]["id"]

    def count_annotations(self, flt: AnnotationFilter | None = None) -> int:
        where, params = _filter_sql(flt or AnnotationFilter())
        sql = (
            "SELECT COUNT(*) FROM annotations an LEFT JOIN articles ar ON ar.id = an.article_id"
            + (" WHERE " + " AND ".join(where) if where else "")
        )
        return int(self.conn.execute(sql, params).fetchone()[0])

    def has_annotations(self) -> bool:
        return self.conn.execute("SELECT 1 FROM annotations LIMIT 1").fetchone() is not None

    def article_annotations(self, article_id: int) -> list[Annotation]:
        """An article's annotations in text order (orphaned ones included, at their last place)."""
        rows = self.conn.execute(_SELECT + " WHERE an.article_id = ? ORDER BY an.pos_start, an.id", (article_id,))
        return [row_to_annotation(r) for r in rows]

    def annotation_spans(self, article_id: int) -> list[AnnotationSpan]:
        """Highlights to draw on an article's clean text: (start, end, id, state), in text order.

        Orphaned annotations have no place in the text and are left out (they are listed
        elsewhere). Annotations whose stored text hash no longer matches the article (its
        text changed behind the import's back) are anchored afresh here, without writing.
        """
        row = self.conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return []
        text = row["text"]
        current_hash: str | None = None
        spans: list[AnnotationSpan] = []
        for stored in self.conn.execute(
            """SELECT id, exact, prefix, suffix, pos_start, pos_end, text_hash, state, color
               FROM annotations WHERE article_id = ? AND state != 'orphaned' ORDER BY pos_start, id""",
            (article_id,),
        ):
            start, end, state = stored["pos_start"], stored["pos_end"], stored["state"]
            if current_hash is None:
                current_hash = text_hash(text)
            if stored["text_hash"] != current_hash:
                found = anchor(
                    Selector(stored["exact"], stored["prefix"], stored["suffix"], start, end), text
                )
                if not found.found:
                    continue
                start, end = found.start, found.end
                state = "moved" if state == "moved" else found.state
            spans.append(AnnotationSpan(start, end, stored["id"], state, stored["color"]))
        spans.sort(key=lambda span: (span.start, span.annotation_id))
        return spans

    def annotation_tag_counts(self) -> list[tuple[str, int]]:
        """Tags in use, most used first."""
        rows = self.conn.execute(
            "SELECT tag, COUNT(*) AS n FROM annotation_tags GROUP BY tag ORDER BY n DESC, tag LIMIT 10000"
        )
        return [(r["tag"], r["n"]) for r in rows]

    def articles_for_annotation_target(self, source: str | None, scope: str | None, *, limit: int = 20) -> list[ArticleCandidate]:
        """Articles an annotation's target names: by external id, else by URL (source or scope)."""
        columns = "id, external_id, url, title, text"
        rows: list[sqlite3.Row] = []
        if source:
            rows = self.conn.execute(f"SELECT {columns} FROM articles WHERE external_id = ?", (source,)).fetchall()
        if not rows:
            urls = [u for u in dict.fromkeys((source, scope)) if u]
            if urls:
                rows = self.conn.execute(
                    f"SELECT {columns} FROM articles WHERE url IN ({','.join('?' * len(urls))}) ORDER BY id LIMIT ?",
                    (*urls, limit),
                ).fetchall()
        return [ArticleCandidate(r["id"], r["external_id"], r["url"], r["title"], r["text"]) for r in rows]

    # -- re-anchoring (inside the caller's transaction) -----------------------------------------

    def reattach_annotations(self, article_ids: Sequence[int]) -> list[int]:
        """Link detached annotations to (re-)imported articles with the same external id.

        Returns the ids of the articles that got annotations back; those annotations stay
        ``orphaned`` until re-anchored against the article's text.
        """
        touched: set[int] = set()
        for chunk in parameter_chunks(article_ids):
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"""SELECT an.id AS annotation_id, ar.id AS article_id
                    FROM articles ar JOIN annotations an
                      ON an.article_external_id = ar.external_id AND an.article_id IS NULL
                    WHERE ar.id IN ({marks})""",
                chunk,
            ).fetchall()
            self.conn.executemany(
                "UPDATE annotations SET article_id = ? WHERE id = ?", ((r["article_id"], r["annotation_id"]) for r in rows)
            )
            touched.update(r["article_id"] for r in rows)
        return sorted(touched)

    def annotated_article_ids(self, article_ids: Sequence[int]) -> list[int]:
        """Which of these articles have annotations (one indexed query per 500 ids)."""
        found: set[int] = set()
        for chunk in parameter_chunks(article_ids):
            marks = ",".join("?" * len(chunk))
            found.update(
                r[0]
                for r in self.conn.execute(
                    f"SELECT DISTINCT article_id FROM annotations WHERE article_id IN ({marks})", chunk
                )
            )
        return sorted(found)

    def stored_anchors(self, article_id: int) -> list[StoredAnchor]:
        rows = self.conn.execute(
            """SELECT id, article_id, exact, prefix, suffix, pos_start, pos_end, text_hash, state
               FROM annotations WHERE article_id = ? ORDER BY id""",
            (article_id,),
        )
        return [
            StoredAnchor(
                r["id"], r["article_id"], Selector(r["exact"], r["prefix"], r["suffix"], r["pos_start"], r["pos_end"]),
                r["text_hash"], r["state"],
            )
            for r in rows
        ]

    def save_anchor(self, annotation_id: int, found: Anchor, *, new_selector: Selector | None, new_text_hash: str) -> None:
        """Record a re-anchoring result.

        ``anchored``: offsets, context and text hash follow the new text. ``moved``: the new
        offsets and hash, but the quote and context the user highlighted are kept.
        ``orphaned``: only the state changes; the last known place is kept.
        """
        if found.state == "orphaned":
            self.conn.execute("UPDATE annotations SET state = 'orphaned' WHERE id = ?", (annotation_id,))
        elif found.state == "anchored" and new_selector is not None:
            self.conn.execute(
                """UPDATE annotations SET state = 'anchored', pos_start = ?, pos_end = ?, prefix = ?, suffix = ?,
                       text_hash = ? WHERE id = ?""",
                (new_selector.start, new_selector.end, new_selector.prefix, new_selector.suffix, new_text_hash, annotation_id),
            )
        else:
            self.conn.execute(
                "UPDATE annotations SET state = ?, pos_start = ?, pos_end = ?, text_hash = ? WHERE id = ?",
                (found.state, found.start, found.end, new_text_hash, annotation_id),
            )

    def refresh_annotation_article_copies(self, article_ids: Sequence[int]) -> None:
        """Keep the copied external id, URL and title in step with their articles."""
        self.conn.executemany(
            """UPDATE annotations SET (article_external_id, article_url, article_title) =
                   (SELECT external_id, url, title FROM articles WHERE id = ?)
               WHERE article_id = ?""",
            ((i, i) for i in article_ids),
        )
