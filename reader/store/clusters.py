"""Story clusters: membership, denormalised figures for the sidebar, keyset listing."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Literal

from reader.model import Article, ClusterRow
from reader.store.articles import _SUMMARY_COLUMNS, row_to_article
from reader.store.connection import utc_now
from reader.store.sqlutil import parameter_chunks

ClusterSort = Literal["latest", "size", "unread"]

# (column, SQL expression used as sort key); NULL dates sort as the empty string.
_SORT_KEYS: dict[str, str] = {
    "latest": "COALESCE(c.last_date, '')",
    "size": "c.article_count",
    "unread": "c.unread_count",
}


def row_to_cluster(row: sqlite3.Row) -> ClusterRow:
    return ClusterRow(
        id=row["id"],
        label=row["label"],
        article_count=row["article_count"],
        source_count=row["source_count"],
        languages=tuple(x for x in row["languages"].split(",") if x),
        unread_count=row["unread_count"],
        has_duplicates=bool(row["has_duplicates"]),
        first_date=row["first_date"],
        last_date=row["last_date"],
        starred=bool(row["starred"]),
    )


class ClusterStore:
    conn: sqlite3.Connection

    def create_cluster(self, label: str = "") -> int:
        now = utc_now()
        cur = self.conn.execute(
            "INSERT INTO clusters (label, created_at, updated_at) VALUES (?, ?, ?)", (label, now, now)
        )
        return int(cur.lastrowid)

    def create_clusters(self, labels: Sequence[str]) -> list[int]:
        """Create clusters with these labels, in order; their ids. The ids are the ones one
        INSERT after another would get (the next after the largest), written in one statement."""
        if not labels:
            return []
        now = utc_now()
        first = int(self.conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM clusters").fetchone()[0])
        ids = list(range(first, first + len(labels)))
        self.conn.executemany(
            "INSERT INTO clusters (id, label, created_at, updated_at) VALUES (?, ?, ?, ?)",
            [(i, label, now, now) for i, label in zip(ids, labels)],
        )
        return ids

    def set_cluster_of(self, article_ids: Iterable[int], cluster_id: int | None) -> None:
        self.conn.executemany("UPDATE articles SET cluster_id = ? WHERE id = ?", ((cluster_id, i) for i in article_ids))

    def set_cluster_label(self, cluster_id: int, label: str) -> None:
        self.conn.execute("UPDATE clusters SET label = ?, updated_at = ? WHERE id = ?", (label, utc_now(), cluster_id))

    def refresh_cluster_stats(self, cluster_ids: Iterable[int]) -> None:
        """Recompute the sidebar figures of these clusters; delete the ones left empty.

        One grouped query per 500 clusters; a cluster of one page cannot hold two related
        articles, so only larger ones are asked about duplicates.
        """
        now = utc_now()
        wanted = sorted(set(cluster_ids))
        for chunk in parameter_chunks(wanted):
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                # sections of one page count once: a page is one article to the reader
                f"""SELECT cluster_id, COUNT(DISTINCT COALESCE(parent_id, id)) AS n, COUNT(DISTINCT source) AS sources,
                           GROUP_CONCAT(DISTINCT lang) AS langs, SUM(read_at IS NULL) AS unread,
                           MIN(date) AS first, MAX(date) AS last
                    FROM articles WHERE cluster_id IN ({marks}) GROUP BY cluster_id""",
                chunk,
            ).fetchall()
            updates = []
            for row in rows:
                languages = ",".join(sorted(x for x in (row["langs"] or "").split(",") if x))
                has_duplicates = row["n"] > 1 and self.cluster_has_duplicates(row["cluster_id"])
                updates.append(
                    (row["n"], row["sources"], languages, row["unread"] or 0, row["first"], row["last"],
                     int(has_duplicates), now, row["cluster_id"])
                )
            self.conn.executemany(
                """UPDATE clusters SET article_count = ?, source_count = ?, languages = ?, unread_count = ?,
                          first_date = ?, last_date = ?, has_duplicates = ?, updated_at = ? WHERE id = ?""",
                updates,
            )
            empty = set(chunk) - {row["cluster_id"] for row in rows}
            if empty:
                self.conn.executemany("DELETE FROM clusters WHERE id = ?", [(i,) for i in sorted(empty)])

    def set_cluster_labels(self, labels: Iterable[tuple[int, str]]) -> None:
        now = utc_now()
        self.conn.executemany("UPDATE clusters SET label = ?, updated_at = ? WHERE id = ?", ((l, now, c) for c, l in labels))

    def cluster_has_duplicates(self, cluster_id: int) -> bool:
        """Overridden once duplicate relations exist; before that, exact copies by text hash."""
        row = self.conn.execute(
            """SELECT 1 FROM articles WHERE cluster_id = ? GROUP BY content_hash HAVING COUNT(*) > 1 LIMIT 1""",
            (cluster_id,),
        ).fetchone()
        return row is not None

    def get_cluster(self, cluster_id: int) -> ClusterRow | None:
        row = self.conn.execute("SELECT * FROM clusters WHERE id = ?", (cluster_id,)).fetchone()
        return row_to_cluster(row) if row else None

    def list_clusters(
        self,
        *,
        sort: ClusterSort = "latest",
        after: tuple[object, int] | None = None,
        limit: int = 200,
        lang: str | None = None,
        unread_only: bool = False,
        starred_only: bool = False,
        cluster_ids: Sequence[int] | None = None,
    ) -> list[ClusterRow]:
        """One keyset page of clusters, in descending sort order.

        ``after`` is the (sort key, id) of the last row of the previous page, as returned by
        :meth:`cluster_sort_key`. Never uses OFFSET.
        """
        key = _SORT_KEYS[sort]
        where: list[str] = []
        params: list[object] = []
        if after is not None:
            where.append(f"({key}, c.id) < (?, ?)")
            params.extend(after)
        if unread_only:
            where.append("c.unread_count > 0")
        if starred_only:
            where.append("(c.starred = 1 OR EXISTS (SELECT 1 FROM articles s WHERE s.cluster_id = c.id AND s.starred = 1))")
        if lang:
            where.append("EXISTS (SELECT 1 FROM articles l WHERE l.cluster_id = c.id AND l.lang = ?)")
            params.append(lang)
        if cluster_ids is not None:
            ids = list(cluster_ids)
            where.append(f"c.id IN ({','.join('?' * len(ids)) or 'NULL'})")
            params.extend(ids)
        sql = "SELECT c.* FROM clusters c"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY {key} DESC, c.id DESC LIMIT ?"
        params.append(limit)
        return [row_to_cluster(r) for r in self.conn.execute(sql, params)]

    @staticmethod
    def cluster_sort_key(cluster: ClusterRow, sort: ClusterSort) -> tuple[object, int]:
        if sort == "latest":
            return (cluster.last_date or "", cluster.id)
        if sort == "size":
            return (cluster.article_count, cluster.id)
        return (cluster.unread_count, cluster.id)

    def cluster_count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM clusters").fetchone()[0])

    def cluster_articles(self, cluster_id: int) -> list[Article]:
        rows = self.conn.execute(
            f"SELECT {_SUMMARY_COLUMNS} FROM articles WHERE cluster_id = ? ORDER BY COALESCE(date, '') , id",
            (cluster_id,),
        )
        return [row_to_article(r) for r in rows]

    def set_cluster_read(self, cluster_id: int, read: bool = True) -> None:
        ids = [r[0] for r in self.conn.execute("SELECT id FROM articles WHERE cluster_id = ?", (cluster_id,))]
        self.set_read(ids, read)  # type: ignore[attr-defined]
        self.refresh_cluster_stats([cluster_id])

    def set_cluster_starred(self, cluster_id: int, starred: bool) -> None:
        self.conn.execute("UPDATE clusters SET starred = ? WHERE id = ?", (int(starred), cluster_id))

    def unclustered_article_ids(self) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT id FROM articles WHERE cluster_id IS NULL ORDER BY id")]
