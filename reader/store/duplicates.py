"""Duplicates: the persistent LSH / containment-key index and the verified relations.

The index is queried key by key through its primary key, never scanned: a batch of new
articles costs a few index seeks per article, whatever the size of the library.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from reader.model import Article
from reader.store.articles import _SUMMARY_COLUMNS, row_to_article

Relation = Literal["exact", "near", "contained"]
RELATIONS: tuple[Relation, ...] = ("exact", "near", "contained")
_RELATION_RANK = {"exact": 0, "near": 1, "contained": 2}


@dataclass(frozen=True)
class DuplicateOf:
    """Another article related to the one asked about; unpacks as ``(article, relation, score)``.

    ``inside`` says which way a containment goes: True when this other article is inside
    the one asked about, False when the one asked about is inside it; None for exact/near.
    """

    article: Article
    relation: Relation
    score: float
    inside: bool | None = None

    @property
    def other_id(self) -> int:
        return self.article.id

    @property
    def article_id(self) -> int:
        return self.article.id

    def __iter__(self) -> Iterator[object]:
        return iter((self.article, self.relation, self.score))

    def __len__(self) -> int:
        return 3

    def __getitem__(self, index: int) -> object:
        return (self.article, self.relation, self.score)[index]


class DuplicatePair(NamedTuple):
    """A stored relation with both articles; for ``contained``, ``a`` is inside ``b``."""

    a: Article
    b: Article
    relation: Relation
    score: float

    def to_json(self) -> dict[str, object]:
        return {"a": self.a.to_json(), "b": self.b.to_json(), "relation": self.relation, "score": round(self.score, 4)}


@dataclass(frozen=True)
class IndexEntry:
    """One article's fingerprint as the index stores it."""

    article_id: int
    shingles: int
    band_keys: Sequence[int]
    containment_keys: Sequence[int]
    key_cut: int


@dataclass(frozen=True)
class RelationRow:
    a_id: int
    b_id: int
    relation: Relation
    score: float


def _marks(n: int) -> str:
    return ",".join("?" * n)


class DuplicateStore:
    conn: sqlite3.Connection

    # -- the index -------------------------------------------------------------------------------

    def index_fingerprints(self, entries: Sequence[IndexEntry]) -> None:
        """Add these articles' fingerprints and postings (after :meth:`forget_duplicates`)."""
        self.conn.executemany(
            "INSERT OR REPLACE INTO fingerprints (article_id, shingles, key_count, key_cut, keys) VALUES (?, ?, ?, ?, ?)",
            [
                (e.article_id, e.shingles, len(e.containment_keys), e.key_cut,
                 json.dumps([*e.band_keys, *e.containment_keys], separators=(",", ":")))
                for e in entries
            ],
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO lsh_bands (band_key, article_id) VALUES (?, ?)",
            [(key, e.article_id) for e in entries for keys in (e.band_keys, e.containment_keys) for key in keys],
        )

    def forget_duplicates(self, article_ids: Iterable[int]) -> None:
        """Drop these articles' fingerprints, postings and relations (their text changed)."""
        ids = [(i,) for i in article_ids]
        self.conn.executemany("DELETE FROM fingerprints WHERE article_id = ?", ids)  # the trigger drops postings
        self.conn.executemany("DELETE FROM duplicates WHERE a_id = ?", ids)
        self.conn.executemany("DELETE FROM duplicates WHERE b_id = ?", ids)

    def lsh_postings(self, keys: Sequence[int], *, per_key: int) -> dict[int, list[int]]:
        """For each key, the ids of (at most ``per_key``, the newest) articles holding it."""
        found: dict[int, list[int]] = {}
        sql = """SELECT q.value, (SELECT group_concat(article_id) FROM (
                        SELECT article_id FROM lsh_bands WHERE band_key = q.value
                        ORDER BY article_id DESC LIMIT ?))
                 FROM json_each(?) AS q"""
        for start in range(0, len(keys), 20_000):
            chunk = json.dumps(list(keys[start : start + 20_000]), separators=(",", ":"))
            for key, ids in self.conn.execute(sql, (per_key, chunk)):
                if ids:
                    found[key] = [int(x) for x in ids.split(",")]
        return found

    def fingerprint_sizes(self, article_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
        """{id: (distinct shingles, containment keys kept)} of indexed articles."""
        ids = list(set(article_ids))
        out: dict[int, tuple[int, int]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            sql = f"SELECT article_id, shingles, key_count FROM fingerprints WHERE article_id IN ({_marks(len(chunk))})"
            out.update((row[0], (row[1], row[2])) for row in self.conn.execute(sql, chunk))
        return out

    def hashes_and_texts(self, article_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
        """{id: (content_hash, clean text)} for the verification of candidates."""
        ids = list(set(article_ids))
        out: dict[int, tuple[str, str]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for row in self.conn.execute(
                f"SELECT id, content_hash, text FROM articles WHERE id IN ({_marks(len(chunk))})", chunk
            ):
                out[row[0]] = (row[1], row[2])
        return out

    def unindexed_page_ids(self, *, after_id: int = 0, limit: int = 500) -> list[int]:
        """Pages without a fingerprint (e.g. imported before the index existed), in id order."""
        return [
            r[0]
            for r in self.conn.execute(
                """SELECT a.id FROM articles a WHERE a.id > ? AND a.parent_id IS NULL
                   AND NOT EXISTS (SELECT 1 FROM fingerprints f WHERE f.article_id = a.id) ORDER BY a.id LIMIT ?""",
                (after_id, limit),
            )
        ]

    def clear_duplicate_index(self) -> None:
        self.conn.execute("DELETE FROM duplicates")
        self.conn.execute("DELETE FROM lsh_bands")
        self.conn.execute("DELETE FROM fingerprints")

    # -- relations -------------------------------------------------------------------------------

    def add_duplicates(self, relations: Iterable[RelationRow]) -> None:
        self.conn.executemany(
            "INSERT OR REPLACE INTO duplicates (a_id, b_id, relation, score) VALUES (?, ?, ?, ?)",
            [(r.a_id, r.b_id, r.relation, r.score) for r in relations],
        )

    def duplicates_of(self, article_id: int, relations: Sequence[str] = RELATIONS) -> list[DuplicateOf]:
        """Articles related to this one, best first: exact, then near, then containments by score."""
        wanted = [r for r in relations if r in _RELATION_RANK]
        if not wanted:
            return []
        marks = _marks(len(wanted))
        rows = self.conn.execute(
            f"""SELECT b_id AS other, relation, score, 0 AS other_is_a FROM duplicates
                 WHERE a_id = ? AND relation IN ({marks})
                UNION ALL
                SELECT a_id, relation, score, 1 FROM duplicates WHERE b_id = ? AND relation IN ({marks})""",
            (article_id, *wanted, article_id, *wanted),
        ).fetchall()
        articles = self._articles_by_id([r["other"] for r in rows])
        found = [
            DuplicateOf(
                articles[r["other"]], r["relation"], float(r["score"]),
                bool(r["other_is_a"]) if r["relation"] == "contained" else None,
            )
            for r in rows
            if r["other"] in articles
        ]
        found.sort(key=lambda d: (_RELATION_RANK[d.relation], -d.score, d.article.id))
        return found

    def closest_duplicate(self, article_id: int) -> DuplicateOf | None:
        """The best other version of this article, for the diff view (None if there is none)."""
        found = self.duplicates_of(article_id)
        return found[0] if found else None

    def iter_duplicate_pairs(
        self, *, relations: Sequence[str] = RELATIONS, after: tuple[int, int] = (0, 0), page_size: int = 500
    ) -> Iterator[DuplicatePair]:
        """Every stored relation in (a_id, b_id) order, page by page (keyset, flat memory)."""
        wanted = [r for r in relations if r in _RELATION_RANK]
        if not wanted:
            return
        sql = f"""SELECT a_id, b_id, relation, score FROM duplicates
                  WHERE (a_id, b_id) > (?, ?) AND relation IN ({_marks(len(wanted))})
                  ORDER BY a_id, b_id LIMIT ?"""
        last = after
        while True:
            rows = self.conn.execute(sql, (*last, *wanted, page_size)).fetchall()
            if not rows:
                return
            articles = self._articles_by_id([r[0] for r in rows] + [r[1] for r in rows])
            for a_id, b_id, relation, score in rows:
                if a_id in articles and b_id in articles:
                    yield DuplicatePair(articles[a_id], articles[b_id], relation, float(score))
            last = (rows[-1][0], rows[-1][1])

    def duplicate_count(self, relation: str | None = None) -> int:
        if relation is None:
            return int(self.conn.execute("SELECT COUNT(*) FROM duplicates").fetchone()[0])
        return int(self.conn.execute("SELECT COUNT(*) FROM duplicates WHERE relation = ?", (relation,)).fetchone()[0])

    def duplicate_pairs_among(self, article_ids: Iterable[int]) -> list[RelationRow]:
        """Relations whose two articles are both in this set."""
        ids = list(set(article_ids))
        if len(ids) < 2:
            return []
        found: list[RelationRow] = []
        members = set(ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for row in self.conn.execute(
                f"SELECT a_id, b_id, relation, score FROM duplicates WHERE a_id IN ({_marks(len(chunk))})", chunk
            ):
                if row[1] in members:
                    found.append(RelationRow(row[0], row[1], row[2], float(row[3])))
        return found

    def cluster_has_duplicates(self, cluster_id: int) -> bool:
        """Two members of the cluster are related (a section counts as its page too)."""
        row = self.conn.execute(
            """WITH members (id) AS (
                   SELECT id FROM articles WHERE cluster_id = :c
                   UNION SELECT parent_id FROM articles WHERE cluster_id = :c AND parent_id IS NOT NULL)
               SELECT 1 FROM members m JOIN duplicates d ON d.a_id = m.id
               WHERE d.b_id IN (SELECT id FROM members) LIMIT 1""",
            {"c": cluster_id},
        ).fetchone()
        return row is not None

    def _articles_by_id(self, ids: Iterable[int]) -> dict[int, Article]:
        wanted = list(set(ids))
        out: dict[int, Article] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            for row in self.conn.execute(f"SELECT {_SUMMARY_COLUMNS} FROM articles WHERE id IN ({_marks(len(chunk))})", chunk):
                out[row["id"]] = row_to_article(row)
        return out
