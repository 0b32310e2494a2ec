"""Articles: upsert from the import pipeline, keyset listing, full-text search, read/star state."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

from reader.model import Article, PreparedArticle
from reader.store.connection import utc_now
from reader.store.sqlutil import parameter_chunks
from reader.text.snippets import MATCH_END, MATCH_START

UpsertStatus = Literal["inserted", "updated", "unchanged"]

# While an import writes, the write-ahead log is copied into the library every this many pages
# (SQLite's default is 1,000). See ArticleStore.fewer_checkpoints.
IMPORT_CHECKPOINT_PAGES = 65_536  # 256 MB of 4 KB pages

_SUMMARY_COLUMNS = (
    "id, external_id, title, lang, lang_prob, source, url, date, cluster_id, parent_id, author, "
    "is_sample, read_at, starred, origin"
)


@dataclass(frozen=True)
class UpsertResult:
    status: UpsertStatus
    article_id: int
    section_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class SearchHit:
    article: Article
    snippet: str
    score: float


@dataclass(frozen=True)
class LibraryStats:
    articles: int
    pages_with_sections: int
    clusters: int
    sources: int
    languages: dict[str, int]
    unread: int
    sample_articles: int
    starred: int


def row_to_article(row: sqlite3.Row, *, with_text: bool = False) -> Article:
    keys = row.keys()
    return Article(
        id=row["id"],
        external_id=row["external_id"],
        title=row["title"],
        lang=row["lang"],
        source=row["source"],
        url=row["url"],
        date=row["date"],
        cluster_id=row["cluster_id"],
        parent_id=row["parent_id"],
        author=row["author"],
        is_sample=bool(row["is_sample"]),
        read=row["read_at"] is not None,
        starred=bool(row["starred"]),
        lang_prob=row["lang_prob"],
        origin=row["origin"],
        text=row["text"] if with_text and "text" in keys else None,
        raw_text=row["raw_text"] if with_text and "raw_text" in keys else None,
        metadata=json.loads(row["metadata"]) if with_text and "metadata" in keys else {},
    )


_FTS_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(user_query: str) -> str:
    """Turn free text into a safe FTS5 query: every word must match (prefix on the last)."""
    words = _FTS_WORD.findall(user_query)
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


class ArticleStore:
    conn: sqlite3.Connection

    # -- writing -----------------------------------------------------------------------------

    def upsert_articles(self, batch: Sequence[PreparedArticle], *, is_sample: bool = False) -> list[UpsertResult]:
        """Insert new articles, update changed ones (keeping their id), skip unchanged ones.

        Runs inside the caller's transaction. An article is the same as a stored one when
        its external_id matches, or when its normalised text hash, title and source match
        (the same file imported by another path, say).
        """
        now = utc_now()
        results: list[UpsertResult] = []
        new_rows: list[tuple[int, str, str]] = []  # (id, title, text) for the full-text index
        stored = self._stored_by_external_id([p.raw.external_id for p in batch])
        same_texts = self._pages_by_content_hash([p.content_hash for p in batch if p.raw.external_id not in stored])
        for prepared in batch:
            raw = prepared.raw
            existing = stored.get(raw.external_id)
            if existing is None:
                same = same_texts.get((prepared.content_hash, raw.title, raw.source))
                if same is not None:
                    results.append(UpsertResult("unchanged", same))
                    continue
            if existing is not None and existing["content_hash"] == prepared.content_hash and existing["title"] == raw.title:
                results.append(UpsertResult("unchanged", existing["id"]))
                continue
            values = {
                "external_id": raw.external_id,
                "title": raw.title,
                "text": prepared.text,
                "raw_text": raw.text,
                "content_hash": prepared.content_hash,
                "lang": prepared.lang,
                "lang_prob": prepared.lang_prob,
                "source": raw.source,
                "url": raw.url,
                "author": raw.author,
                "date": prepared.date,
                "date_origin": prepared.date_origin,
                "metadata": json.dumps(raw.metadata, ensure_ascii=False, default=str),
                "origin": raw.origin,
                "is_sample": int(is_sample),
                "now": now,
            }
            if existing is None:
                cur = self.conn.execute(
                    """INSERT INTO articles (external_id, title, text, raw_text, content_hash, lang, lang_prob,
                           source, url, author, date, date_origin, metadata, origin, is_sample, imported_at, updated_at)
                       VALUES (:external_id, :title, :text, :raw_text, :content_hash, :lang, :lang_prob,
                           :source, :url, :author, :date, :date_origin, :metadata, :origin, :is_sample, :now, :now)""",
                    values,
                )
                article_id = int(cur.lastrowid)
                new_rows.append((article_id, raw.title, prepared.text))
                status: UpsertStatus = "inserted"
                stored[raw.external_id] = {"id": article_id, "content_hash": prepared.content_hash, "title": raw.title}
                same_texts.setdefault((prepared.content_hash, raw.title, raw.source), article_id)
            else:
                article_id = int(existing["id"])
                values["id"] = article_id
                self._index_new_rows(new_rows)  # first: the update trigger may meet a row of this batch
                self.conn.execute(
                    """UPDATE articles SET title = :title, text = :text, raw_text = :raw_text,
                           content_hash = :content_hash, lang = :lang, lang_prob = :lang_prob, source = :source,
                           url = :url, author = :author, date = :date, date_origin = :date_origin,
                           metadata = :metadata, origin = :origin, updated_at = :now
                       WHERE id = :id""",
                    values,
                )
                status = "updated"
                stored[raw.external_id] = {"id": article_id, "content_hash": prepared.content_hash, "title": raw.title}
            if status == "inserted" and len(prepared.sections) <= 1:
                section_ids: tuple[int, ...] = ()  # a new single-story page: no sections, old or new
            else:
                section_ids = self._replace_sections(article_id, prepared, is_sample=is_sample, now=now, new_rows=new_rows)
            results.append(UpsertResult(status, article_id, section_ids))
        self._index_new_rows(new_rows)
        return results

    @contextmanager
    def fewer_checkpoints(self) -> Iterator[None]:
        """Checkpoint the write-ahead log every IMPORT_CHECKPOINT_PAGES pages while the block runs
        (an import), then as before.

        An import batch writes tens of thousands of pages at 100,000 articles (index pages all over
        the file), so with the default the log was copied back after every batch; many of those
        pages are written again by the next batches, and a rarer checkpoint copies each of them
        once. The log grows to about that many pages meanwhile. Importing 10,000 articles into a
        100,000-article library: COMMIT 0.31 -> 0.22 ms of main-process CPU per article."""
        pages = int(self.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
        self.conn.execute(f"PRAGMA wal_autocheckpoint = {IMPORT_CHECKPOINT_PAGES}")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA wal_autocheckpoint = {pages}")

    def _index_new_rows(self, rows: list[tuple[int, str, str]]) -> None:
        """Add new articles to the full-text index, and empty ``rows``.

        Updates and deletes are indexed by triggers, so this must run before any update or
        delete that may touch these rows. One statement for many rows: FTS5 keeps the terms
        pending until the transaction ends, where a trigger per row flushed a segment per
        article (see migration 11)."""
        if rows:
            self.conn.executemany("INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)", rows)
            rows.clear()

    def _stored_by_external_id(self, external_ids: Sequence[str]) -> dict[str, dict[str, object]]:
        """id, content_hash and title of the stored articles among these external ids."""
        found: dict[str, dict[str, object]] = {}
        unique = list(dict.fromkeys(external_ids))
        for part in parameter_chunks(unique):
            for row in self.conn.execute(
                f"SELECT external_id, id, content_hash, title FROM articles WHERE external_id IN ({','.join('?' * len(part))})",
                part,
            ):
                found[row["external_id"]] = {"id": row["id"], "content_hash": row["content_hash"], "title": row["title"]}
        return found

    def _pages_by_content_hash(self, hashes: Sequence[str]) -> dict[tuple[str, str, str | None], int]:
        """Stored pages with these text hashes, by (hash, title, source): the same article
        imported under another external id (the same file by another path, say)."""
        found: dict[tuple[str, str, str | None], int] = {}
        unique = list(dict.fromkeys(hashes))
        for part in parameter_chunks(unique):
            # "+parent_id": with many hashes (and no ANALYZE statistics) the planner would rather
            # walk the parent index, where almost every row is a page: a scan of the whole library
            # (180 ms for 100 hashes at 100,000 articles, against 0.3 ms by the hash index).
            for row in self.conn.execute(
                f"""SELECT content_hash, title, source, MIN(id) AS id FROM articles
                    WHERE content_hash IN ({','.join('?' * len(part))}) AND +parent_id IS NULL
                    GROUP BY content_hash, title, source""",
                part,
            ):
                found[(row["content_hash"], row["title"], row["source"])] = row["id"]
        return found

    def _replace_sections(
        self, page_id: int, prepared: PreparedArticle, *, is_sample: bool, now: str, new_rows: list[tuple[int, str, str]]
    ) -> tuple[int, ...]:
        """Store each story of a multi-story page as a child article ``<page external_id>#N``."""
        raw = prepared.raw
        wanted = {f"{raw.external_id}#{s.index}": s for s in prepared.sections} if len(prepared.sections) > 1 else {}
        stale = [
            row["id"]
            for row in self.conn.execute("SELECT id, external_id FROM articles WHERE parent_id = ?", (page_id,))
            if row["external_id"] not in wanted
        ]
        if stale:
            self._index_new_rows(new_rows)  # first: the delete trigger may meet a row of this batch
        for article_id in stale:
            self.conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        ids: list[int] = []
        for external_id, section in wanted.items():
            text = prepared.text[section.start : section.end]
            values = (
                external_id, page_id, section.index, section.title, text, prepared.content_hash + f"#{section.index}",
                prepared.lang, prepared.lang_prob, raw.source, raw.url, raw.author, prepared.date, prepared.date_origin,
                raw.origin, int(is_sample), now, now,
            )
            row = self.conn.execute("SELECT id FROM articles WHERE external_id = ?", (external_id,)).fetchone()
            if row is None:
                cur = self.conn.execute(
                    """INSERT INTO articles (external_id, parent_id, section, title, text, content_hash, lang, lang_prob,
                           source, url, author, date, date_origin, origin, is_sample, imported_at, updated_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    values,
                )
                ids.append(int(cur.lastrowid))
                new_rows.append((int(cur.lastrowid), section.title, text))
            else:
                self._index_new_rows(new_rows)
                self.conn.execute(
                    """UPDATE articles SET external_id = ?, parent_id = ?, section = ?, title = ?, text = ?, content_hash = ?,
                           lang = ?, lang_prob = ?, source = ?, url = ?, author = ?, date = ?, date_origin = ?,
                           origin = ?, is_sample = ?, imported_at = imported_at, updated_at = ?
                       WHERE id = ?""",
                    values[:-2] + (now, row["id"]),
                )
                ids.append(int(row["id"]))
        return tuple(ids)

    def is_unchanged(self, external_id: str, title: str, raw_text: str) -> bool:
        """True when this exact article (same id, title and raw text) is already stored:
        the import can skip it without cleaning or analysing it again."""
        row = self.conn.execute(
            "SELECT 1 FROM articles WHERE external_id = ? AND title = ? AND raw_text = ?", (external_id, title, raw_text)
        ).fetchone()
        return row is not None

    def delete_articles(self, article_ids: Iterable[int]) -> None:
        self.conn.executemany("DELETE FROM articles WHERE id = ?", ((i,) for i in article_ids))

    def delete_sample_articles(self) -> int:
        """Remove the bundled sample and refresh the clusters it was in; returns pages removed."""
        count = self.conn.execute("SELECT COUNT(*) FROM articles WHERE is_sample = 1 AND parent_id IS NULL").fetchone()[0]
        clusters = [
            r[0] for r in self.conn.execute("SELECT DISTINCT cluster_id FROM articles WHERE is_sample = 1 AND cluster_id IS NOT NULL")
        ]
        self.conn.execute("DELETE FROM articles WHERE is_sample = 1")
        self.refresh_cluster_stats(clusters)  # type: ignore[attr-defined]
        return int(count)

    # -- reading -----------------------------------------------------------------------------

    def get_article(self, article_id: int, *, with_text: bool = True) -> Article | None:
        columns = "*" if with_text else _SUMMARY_COLUMNS
        row = self.conn.execute(f"SELECT {columns} FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row_to_article(row, with_text=with_text) if row else None

    def find_article(self, key: str) -> Article | None:
        """Look an article up by store id or by external_id."""
        if key.isdigit():
            found = self.get_article(int(key))
            if found:
                return found
        row = self.conn.execute("SELECT * FROM articles WHERE external_id = ?", (key,)).fetchone()
        return row_to_article(row, with_text=True) if row else None

    def iter_articles(
        self,
        *,
        limit: int | None = None,
        after_id: int = 0,
        page_size: int = 1000,
        include_sections: bool = True,
        cluster_id: int | None = None,
    ) -> Iterator[Article]:
        """Stream articles in id order with keyset pagination: flat memory at any size."""
        remaining = limit
        last = after_id
        where = ["id > ?"]
        if not include_sections:
            where.append("parent_id IS NULL")
        params_extra: list[object] = []
        if cluster_id is not None:
            where.append("cluster_id = ?")
            params_extra.append(cluster_id)
        sql = f"SELECT {_SUMMARY_COLUMNS} FROM articles WHERE {' AND '.join(where)} ORDER BY id LIMIT ?"
        while remaining is None or remaining > 0:
            size = page_size if remaining is None else min(page_size, remaining)
            rows = self.conn.execute(sql, (last, *params_extra, size)).fetchall()
            if not rows:
                return
            for row in rows:
                yield row_to_article(row)
            last = rows[-1]["id"]
            if remaining is not None:
                remaining -= len(rows)

    def article_texts(self, article_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """Titles and clean texts for a set of ids: {id: (title, text)}."""
        out: dict[int, tuple[str, str]] = {}
        for chunk in parameter_chunks(article_ids):
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(f"SELECT id, title, text FROM articles WHERE id IN ({marks})", chunk):
                out[row["id"]] = (row["title"], row["text"])
        return out

    def search(self, query: str, *, limit: int = 50) -> list[SearchHit]:
        """Full-text search (FTS5, bm25 with titles weighted up)."""
        match = fts_query(query)
        if not match:
            return []
        rows = self.conn.execute(
            f"""SELECT {', '.join('a.' + c.strip() for c in _SUMMARY_COLUMNS.split(','))},
                       snippet(articles_fts, 1, ?, ?, ' … ', 12) AS snippet,
                       bm25(articles_fts, 5.0, 1.0) AS score
                FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
                WHERE articles_fts MATCH ? ORDER BY score LIMIT ?""",
            (MATCH_START, MATCH_END, match, limit),
        ).fetchall()
        return [SearchHit(row_to_article(r), r["snippet"], float(r["score"])) for r in rows]

    def stats(self) -> LibraryStats:
        row = self.conn.execute(
            """SELECT COUNT(*) AS n,
                      COUNT(DISTINCT source) AS sources,
                      SUM(read_at IS NULL) AS unread,
                      SUM(is_sample) AS sample,
                      SUM(starred) AS starred
               FROM articles WHERE parent_id IS NULL"""
        ).fetchone()
        pages = self.conn.execute("SELECT COUNT(DISTINCT parent_id) FROM articles WHERE parent_id IS NOT NULL").fetchone()[0]
        clusters = self.conn.execute("SELECT COUNT(*) FROM clusters").fetchone()[0]
        langs = {
            (r[0] or "unknown"): r[1]
            for r in self.conn.execute(
                "SELECT lang, COUNT(*) FROM articles WHERE parent_id IS NULL GROUP BY lang ORDER BY COUNT(*) DESC"
            )
        }
        return LibraryStats(
            articles=row["n"] or 0,
            pages_with_sections=pages,
            clusters=clusters,
            sources=row["sources"] or 0,
            languages=langs,
            unread=row["unread"] or 0,
            sample_articles=row["sample"] or 0,
            starred=row["starred"] or 0,
        )

    def article_count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def sample_article_ids(self) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT id FROM articles WHERE is_sample = 1 AND parent_id IS NULL")]

    # -- reading state -----------------------------------------------------------------------

    def set_read(self, article_ids: Iterable[int], read: bool = True) -> list[int]:
        """Mark articles (and their sections) read or unread; returns the touched cluster ids."""
        ids = list(article_ids)
        stamp = utc_now() if read else None
        clusters: set[int] = set()
        for article_id in ids:
            self.conn.execute(
                "UPDATE articles SET read_at = ? WHERE (id = ? OR parent_id = ?) AND (read_at IS NULL) = ?",
                (stamp, article_id, article_id, read),
            )
            for row in self.conn.execute(
                "SELECT DISTINCT cluster_id FROM articles WHERE (id = ? OR parent_id = ?) AND cluster_id IS NOT NULL",
                (article_id, article_id),
            ):
                clusters.add(row[0])
        return sorted(clusters)

    def set_article_starred(self, article_id: int, starred: bool) -> None:
        self.conn.execute("UPDATE articles SET starred = ? WHERE id = ?", (int(starred), article_id))
