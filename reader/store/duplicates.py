"""Duplicates: the persistent containment-key index (winnowed shingle hashes) and the verified relations.

The index is queried key by key through its primary key, never scanned: a batch of new
articles costs a few index seeks per article, whatever the size of the library. A batch's
lookups are one statement each (the keys or ids go in as one JSON array) and come back as
numpy arrays, so the caller counts shared keys without a Python object per posting.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Literal, NamedTuple

from reader.model import Article
from reader.store.articles import _SUMMARY_COLUMNS, row_to_article
from reader.store.sqlutil import parameter_chunks, plain_cursor

if TYPE_CHECKING:  # numpy is imported where the index is used, not when the store is (the TUI starts without it)
    import numpy as np

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


class IndexEntry(NamedTuple):
    """One article's fingerprint as the index stores it (a tuple: a batch makes hundreds)."""

    article_id: int
    shingles: int
    containment_keys: Sequence[int]
    key_cut: int
    check_distinct: bytes | None = None  # the distinct check hashes, sorted (little-endian uint32)
    check_inverse: bytes | None = None  # for each shingle in text order, the index of its hash among them


@dataclass(frozen=True)
class Postings:
    """The stored postings of a batch's keys, as arrays (see :meth:`DuplicateStore.postings`)."""

    key_index: np.ndarray  # int64: for each posting, the index of its key in the keys asked for
    article_ids: np.ndarray  # int64: for each posting, the article holding the key
    shingles: np.ndarray  # int64: for each posting, its article's distinct shingles (-1: not in the posting)
    key_counts: np.ndarray  # int64: for each posting, its article's containment keys (-1: not in the posting)
    stop: np.ndarray  # bool, one per key asked for: a stop key (its ids are not returned)


@dataclass(frozen=True)
class FingerprintSizes:
    """Sizes of indexed articles, as arrays sorted by id (see :meth:`DuplicateStore.fingerprint_sizes`)."""

    article_ids: np.ndarray  # int64, sorted
    shingles: np.ndarray  # int64: distinct shingles
    key_counts: np.ndarray  # int64: containment keys kept


class CheckMaterial(NamedTuple):
    """What the exact check needs of a stored article (see :meth:`DuplicateStore.check_material`)."""

    content_hash: str
    check_distinct: bytes | None  # sorted distinct check hashes (see IndexEntry)
    check_inverse: bytes | None
    check_hashes: bytes | None  # articles indexed before version 10: the check hashes in text order


@dataclass(frozen=True)
class RelationRow:
    a_id: int
    b_id: int
    relation: Relation
    score: float


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _json_array(values: Iterable[int]) -> str:
    """A JSON array of Python ints: a list's repr is one ('[1, 2]'), made in C, twice as fast as
    joining the numbers (numpy integers would not do: their repr names their type)."""
    return repr(values if type(values) is list else list(values))


# Postings: new ones go to ``lsh_recent`` (small, cached), which moves into ``lsh_bands`` in key
# order when it holds this many (see migration m008): one pass over the big table for many
# postings, instead of one random page each.
RECENT_POSTINGS = 1 << 17

# Every posting of these keys, in both tables, through their primary keys (band_key,
# article_id), as one row of two comma-separated lists: the key's place in the array asked for
# and the holder's id as one number (key_index << 32 | article_id: ids are below 2**32, as
# everywhere pairs of ids are coded), and the holder's size (-1: not in the posting). One row,
# parsed in C: a row per posting cost more than the seek that found it; and two numbers per
# posting, not three: most of the statement's time goes into writing the numbers as text and
# most of the parse into reading them (a batch of 10,000 keys at 100,000 articles: 31.5 -> 28.3
# ms). A key gets no new postings once it has ``per_key`` (a stop key, see index_fingerprints),
# so it has at most that many plus the holders of the batch that made it one: the lists stay short.
POSTINGS_SQL = """
    SELECT group_concat(posting), group_concat(holder_size) FROM (
        SELECT (q.key << 32) | lsh_bands.article_id AS posting, ifnull(lsh_bands.holder_size, -1) AS holder_size
          FROM json_each(:keys) AS q JOIN lsh_bands ON lsh_bands.band_key = q.value
        UNION ALL
        SELECT (q.key << 32) | lsh_recent.article_id, ifnull(lsh_recent.holder_size, -1)
          FROM json_each(:keys) AS q JOIN lsh_recent ON lsh_recent.band_key = q.value)"""
_POSTING_SHIFT = 32  # posting = (key_index << 32) | article_id
_SIZE_SHIFT = 13  # holder_size = (shingles << 13) | key_count; key_count <= 4096 (MAX_CONTAINMENT_KEYS)


def _csv_ints(text: str | None) -> np.ndarray:
    """Comma-separated integers (from group_concat; None: no rows) as an int64 array."""
    import numpy as np

    return np.fromstring(text, dtype=np.int64, sep=",") if text else np.empty(0, dtype=np.int64)  # parsed in C


class DuplicateStore:
    conn: sqlite3.Connection

    # -- the index -------------------------------------------------------------------------------

    def index_fingerprints(self, entries: Sequence[IndexEntry], *, unposted: Collection[int] = ()) -> None:
        """Add these articles' fingerprints and postings (after :meth:`forget_duplicates`).

        Keys in ``unposted`` (stop keys: already held by as many articles as a lookup reads)
        get no new postings. Postings go to the recent table, which moves into the big one
        when it is full."""
        self.conn.executemany(
            """INSERT OR REPLACE INTO fingerprints
                   (article_id, shingles, key_count, key_cut, keys, check_distinct, check_inverse)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            [
                (e.article_id, e.shingles, len(e.containment_keys), e.key_cut,
                 _json_array(e.containment_keys), e.check_distinct, e.check_inverse)
                for e in entries
            ],
        )
        self.conn.execute(  # the keys just stored, less the stop keys, in one statement
            f"""INSERT OR IGNORE INTO lsh_recent (band_key, article_id, holder_size)
               SELECT k.value, f.article_id, (f.shingles << {_SIZE_SHIFT}) | f.key_count FROM json_each(:ids) AS i
               JOIN fingerprints f ON f.article_id = i.value, json_each(f.keys) AS k
               WHERE k.value NOT IN (SELECT value FROM json_each(:unposted))""",
            {"ids": _json_array(e.article_id for e in entries), "unposted": _json_array(unposted)},
        )
        if self.conn.execute("SELECT count(*) FROM lsh_recent").fetchone()[0] >= RECENT_POSTINGS:
            self.merge_recent_postings()

    def merge_recent_postings(self) -> None:
        """Move the recent postings into the big table, in key order."""
        self.conn.execute(
            """INSERT OR IGNORE INTO lsh_bands (band_key, article_id, holder_size)
               SELECT band_key, article_id, holder_size FROM lsh_recent"""
        )
        self.conn.execute("DELETE FROM lsh_recent")

    def forget_duplicates(self, article_ids: Iterable[int]) -> None:
        """Drop these articles' fingerprints, postings and relations (their text changed)."""
        ids = [(i,) for i in article_ids]
        self.conn.executemany("DELETE FROM fingerprints WHERE article_id = ?", ids)  # the trigger drops postings
        self.conn.executemany("DELETE FROM duplicates WHERE a_id = ?", ids)
        self.conn.executemany("DELETE FROM duplicates WHERE b_id = ?", ids)

    def postings(self, keys: np.ndarray, *, per_key: int) -> Postings:
        """The stored postings of these keys: for each key, the ids of the articles holding it
        (in the big table or the recent one), with their sizes; a key held by ``per_key``
        articles or more is only flagged as a stop key. An index seek per key and table, one
        statement."""
        import numpy as np

        row = plain_cursor(self.conn).execute(POSTINGS_SQL, {"keys": _json_array(keys.tolist())}).fetchone()
        postings, sizes = (_csv_ints(text) for text in row)
        key_index, article_ids = postings >> _POSTING_SHIFT, postings & ((1 << _POSTING_SHIFT) - 1)
        stop = np.bincount(key_index, minlength=len(keys)) >= per_key
        kept = ~stop[key_index]
        key_index, article_ids, sizes = key_index[kept], article_ids[kept], sizes[kept]
        known = sizes >= 0
        shingles = np.where(known, sizes >> _SIZE_SHIFT, -1)
        key_counts = np.where(known, sizes & ((1 << _SIZE_SHIFT) - 1), -1)
        return Postings(key_index, article_ids, shingles, key_counts, stop)

    def fingerprint_sizes(self, article_ids: np.ndarray) -> FingerprintSizes:
        """Distinct shingles and containment keys kept of these indexed articles (distinct ids; the
        articles without a fingerprint are left out)."""
        import numpy as np

        rows = self.conn.execute(
            """SELECT f.article_id, f.shingles, f.key_count FROM json_each(?) AS q
               JOIN fingerprints f ON f.article_id = q.value ORDER BY f.article_id""",
            (_json_array(article_ids.tolist()),),
        )
        table = np.fromiter(chain.from_iterable(rows), dtype=np.int64).reshape(-1, 3)
        return FingerprintSizes(table[:, 0].copy(), table[:, 1].copy(), table[:, 2].copy())

    def check_material(self, article_ids: Iterable[int]) -> dict[int, CheckMaterial]:
        """{id: content hash and stored check hashes} for the exact check of candidates."""
        cursor = plain_cursor(self.conn)
        rows = cursor.execute(
            """SELECT a.id, a.content_hash, f.check_distinct, f.check_inverse, f.check_hashes FROM json_each(?) AS q
               JOIN articles a ON a.id = q.value LEFT JOIN fingerprints f ON f.article_id = a.id""",
            (_json_array(set(article_ids)),),
        )
        return {row[0]: CheckMaterial(*row[1:]) for row in rows}

    def hashes_and_texts(self, article_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
        """{id: (content_hash, clean text)} for the verification of candidates."""
        ids = list(set(article_ids))
        out: dict[int, tuple[str, str]] = {}
        for chunk in parameter_chunks(ids):
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
        self.conn.execute("DELETE FROM lsh_recent")
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
        for chunk in parameter_chunks(ids):
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
        for chunk in parameter_chunks(wanted):
            for row in self.conn.execute(f"SELECT {_SUMMARY_COLUMNS} FROM articles WHERE id IN ({_marks(len(chunk))})", chunk):
                out[row["id"]] = row_to_article(row)
        return out
