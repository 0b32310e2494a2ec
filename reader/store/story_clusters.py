"""The story-clustering index: document frequencies, cluster profiles and key postings.

Everything here is an indexed lookup or a keyset page, so a batch of new articles costs the
same in a library of 100 articles as in one of 100,000.
"""

from __future__ import annotations

import json
import os
import sqlite3
import struct
import sys
import zlib
from array import array
from collections import OrderedDict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, repeat

from reader.store.connection import utc_now
from reader.store.sqlutil import parameter_chunks, plain_cursor

_UNITS_META_KEY = "story_units"
# Written with every save of profiles: the profiles a connection remembers are the stored ones
# while the library still holds the token it wrote last (see StoryClusterStore.story_profiles).
_PROFILES_TOKEN_KEY = "story_profiles_token"
# Profiles a connection remembers, as it last wrote or read them: a batch's candidate clusters are
# mostly the ones the last few batches made, changed or compared with (postings list the most
# recent first); the least recently used go first.
# About 13 kB a profile once its weights are decoded, 4-5 kB before: at most about 55 MB. (Twice as
# many saves 5,500 of 14,300 row reads importing 10,000 articles into 100,000, about 3 us each.)
PROFILE_CACHE_SIZE = 4096


def term_id(key: str) -> int:
    """A stable signed 64-bit id for a term key (CRC-32 and Adler-32 side by side).

    A collision (about one in 10^9 pairs at a million keys) only merges two keys' document
    frequencies or lists a cluster under a key it lacks; scoring uses the keys themselves.
    """
    found = _TERM_IDS.get(key)
    if found is None:
        data = key.encode("utf-8")
        value = (zlib.crc32(data) << 32) | zlib.adler32(data)
        found = value - (1 << 64) if value >= 1 << 63 else value
        if len(_TERM_IDS) >= _TERM_ID_CACHE:
            _TERM_IDS.clear()
        _TERM_IDS[key] = found
    return found


def term_ids(keys: Sequence[str]) -> list[int]:
    """``term_id`` of each key (known ones looked up in C)."""
    found = list(map(_TERM_IDS.get, keys))
    if None in found:
        found = [term_id(key) if value is None else value for key, value in zip(keys, found)]
    return found  # type: ignore[return-value]


# Ids of recently seen keys: the common ones recur in every batch (bounded: about 20 MB).
_TERM_ID_CACHE = 200_000
_TERM_IDS: dict[str, int] = {}


@dataclass
class StoryProfile:
    """A cluster as the clustering sees it: its mean term vector and what goes into its label."""

    cluster_id: int
    members: int = 0
    first_day: int | None = None
    last_day: int | None = None
    langs: set[str] = field(default_factory=set)
    weights: dict[str, float] = field(default_factory=dict)
    index_keys: tuple[str, ...] = ()  # the keys under which story_keys lists this cluster
    best_article: int | None = None
    best_title: str = ""
    best_score: float = 0.0
    # squared norms of the language-neutral keys (under "") and of each language's words
    # (see clustering.square_norms); None until worked out
    norms: dict[str, float] | None = field(default=None, compare=False)
    # In memory, ``weights`` times ``scale`` is the mean vector: adding a member then touches
    # only the member's keys. Stored profiles are the mean itself (scale 1).
    scale: float = field(default=1.0, compare=False)
    # the written forms of name keys, for labels: read from their stored text on first use
    # (most profiles read are candidates that nothing joins)
    surfaces_text: str = field(default="", repr=False, compare=False)
    _surfaces: dict[str, str] | None = field(default=None, repr=False, compare=False)
    # the stored weights (terms, float32 blob), read into ``weights`` on first use: most profiles
    # read are candidates that the time gap alone rules out (see clustering.best_match)
    packed_weights: tuple[str, bytes] | None = field(default=None, repr=False, compare=False)
    # the persons its stories mention (surname name keys) with their number of mentions, and how
    # many of its stories are about each (name them in the headline); see clustering.persons_of
    person_mentions: dict[str, int] = field(default_factory=dict, compare=False)
    protagonists: dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def surfaces(self) -> dict[str, str]:
        if self._surfaces is None:
            self._surfaces = _unpack_surfaces(self.surfaces_text)
        return self._surfaces

    @surfaces.setter
    def surfaces(self, surfaces: dict[str, str]) -> None:
        self._surfaces = surfaces


def _profile_weights(profile: StoryProfile) -> dict[str, float]:
    if profile.packed_weights is not None:
        profile.__dict__["weights"] = _unpack_weights(*profile.packed_weights)
        profile.packed_weights = None
    return profile.__dict__["weights"]


def _set_profile_weights(profile: StoryProfile, weights: dict[str, float]) -> None:
    profile.__dict__["weights"] = weights
    profile.packed_weights = None


# ``weights`` stays a field (StoryProfile(weights=...), equality, repr) read through a property,
# so that a stored profile's weights are decoded when first used (the dataclass's __init__ sets
# the field before ``packed_weights``, which a stored profile then sets).
StoryProfile.weights = property(_profile_weights, _set_profile_weights)  # type: ignore[assignment]


@dataclass(frozen=True)
class StoredUnit:
    """An article or section as stored, for rebuilding the clusters from the library."""

    id: int
    parent_id: int | None
    title: str
    text: str
    lang: str | None
    date: str | None
    date_origin: str | None
    content_hash: str
    cluster_id: int | None
    external_id: str
    source: str | None


_SEP = "\x1f"


def _pack_surfaces(surfaces: dict[str, str]) -> str:
    """Keys and written forms alternating, joined by U+001F (a written form never holds one)."""
    written = map(str.replace, surfaces.values(), repeat(_SEP), repeat(" "))
    return _SEP.join(chain.from_iterable(zip(surfaces, written)))


def _unpack_surfaces(text: str) -> dict[str, str]:
    if text.startswith("{"):  # JSON, as profiles were written before version 12
        return json.loads(text)
    pieces = iter(text.split(_SEP)) if text else iter(())
    return dict(zip(pieces, pieces))


@lru_cache(maxsize=512)
def _float32_layout(count: int) -> struct.Struct:
    """``count`` float32 values, little-endian: how a profile's weights are stored."""
    return struct.Struct(f"<{count}f")


def float32_values(values: Collection[float]) -> tuple[float, ...]:
    """The values as float32 holds them (each rounded to the nearest), as profiles are stored.

    ``struct`` converts in C with a plain cast; ``array("f", values)`` gives the same floats but
    parses each item as if it were a call's argument, several times slower."""
    layout = _float32_layout(len(values))
    return layout.unpack(layout.pack(*values))


def _pack_weights(weights: dict[str, float]) -> tuple[str, bytes]:
    """Keys joined by U+001F and float32 weights (little-endian): several times faster to read than JSON."""
    return _SEP.join(weights), _float32_layout(len(weights)).pack(*weights.values())


def _unpack_weights(terms: str, blob: bytes) -> dict[str, float]:
    if not terms:
        return {}
    values = array("f")
    values.frombytes(blob)
    if sys.byteorder != "little":
        values.byteswap()
    return dict(zip(terms.split(_SEP), values))


def _pack_norms(norms: dict[str, float] | None, langs: Sequence[str]) -> bytes | None:
    """The language-neutral squared norm, then each language's (in ``langs`` order), float64."""
    if norms is None:
        return None
    values = array("d", [norms.get("", 0.0), *map(norms.get, langs, repeat(0.0))])
    if sys.byteorder != "little":
        values.byteswap()
    return values.tobytes()


def _unpack_norms(blob: bytes | None, langs: Sequence[str]) -> dict[str, float] | None:
    if blob is None:
        return None
    values = array("d")
    values.frombytes(blob)
    if sys.byteorder != "little":
        values.byteswap()
    if len(values) != len(langs) + 1:
        return None
    return dict(zip(("", *langs), values))


def _profile_from_row(row: sqlite3.Row) -> StoryProfile:
    langs = [x for x in row["langs"].split(",") if x]
    person_mentions, protagonists = _unpack_persons(row["persons"])
    return StoryProfile(
        cluster_id=row["cluster_id"],
        members=row["members"],
        first_day=row["first_day"],
        last_day=row["last_day"],
        langs=set(langs),
        packed_weights=(row["terms"], row["weights"]),
        index_keys=tuple(row["index_keys"].split(_SEP)) if row["index_keys"] else (),
        surfaces_text=row["surfaces"],
        best_article=row["best_article"],
        best_title=row["best_title"],
        best_score=row["best_score"],
        norms=_unpack_norms(row["norms"], langs),
        person_mentions=person_mentions,
        protagonists=protagonists,
    )


def _pack_persons(profile: StoryProfile) -> str:
    """Each person's name key, number of mentions and of stories about them, joined by U+001F."""
    about = profile.protagonists
    return _SEP.join(
        chain.from_iterable((key, str(times), str(about.get(key, 0))) for key, times in profile.person_mentions.items())
    )


def _unpack_persons(text: str) -> tuple[dict[str, int], dict[str, int]]:
    """The ``person_mentions`` and ``protagonists`` of a profile, from their stored text."""
    if not text:
        return {}, {}
    parts = text.split(_SEP)
    keys = parts[::3]
    about = zip(keys, map(int, parts[2::3]))
    return dict(zip(keys, map(int, parts[1::3]))), {key: n for key, n in about if n}


def copy_profile(profile: StoryProfile) -> StoryProfile:
    """A profile to change freely: its own weights, languages, norms and surfaces."""
    copy = StoryProfile(
        cluster_id=profile.cluster_id,
        members=profile.members,
        first_day=profile.first_day,
        last_day=profile.last_day,
        langs=set(profile.langs),
        weights=dict(profile.weights),
        index_keys=profile.index_keys,
        best_article=profile.best_article,
        best_title=profile.best_title,
        best_score=profile.best_score,
        norms=dict(profile.norms) if profile.norms is not None else None,
        scale=profile.scale,
        surfaces_text=profile.surfaces_text,
        person_mentions=dict(profile.person_mentions),
        protagonists=dict(profile.protagonists),
    )
    if profile._surfaces is not None:
        copy.surfaces = dict(profile._surfaces)
    return copy


class StoryClusterStore:
    conn: sqlite3.Connection
    _profile_cache: OrderedDict[int, StoryProfile] | None = None  # least recently used first
    _profile_cache_token: str | None = None  # the library's token when the cache was filled

    def _remembered_profiles(self) -> OrderedDict[int, StoryProfile]:
        """The profiles this connection wrote or read lately, while the library still holds the
        token it held then: emptied when the library's token has changed behind this connection's
        back (a batch it wrote was rolled back, or another connection has saved profiles since).
        Every save writes a new token, so a library without one has never had profiles saved."""
        if self._profile_cache is None:
            self._profile_cache = OrderedDict()  # (a dict emptied from the front gets slow to iterate)
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (_PROFILES_TOKEN_KEY,)).fetchone()
        token = row[0] if row is not None else None
        if token != self._profile_cache_token:
            self._profile_cache.clear()
            self._profile_cache_token = token
        return self._profile_cache

    def _forget_profiles(self) -> None:
        self._profile_cache = None
        self._profile_cache_token = None

    # -- document frequencies ------------------------------------------------------------------

    def story_unit_count(self) -> int:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (_UNITS_META_KEY,)).fetchone()
        return int(row[0]) if row else 0

    def count_story_terms(self, counts: dict[str, int], units: int) -> dict[str, int]:
        """Add a batch's per-key story counts and its number of stories; the keys' new document
        frequencies. One statement per distinct count (most keys of a batch count 1): the keys
        go as a flat JSON array of integers, parsed several times faster than [term, count]
        pairs, and the upsert returns the counts it leaves."""
        keys = list(counts)
        ids = term_ids(keys)
        by_count: dict[int, list[int]] = {}
        for term, count in zip(ids, counts.values()):
            listed = by_count.get(count)
            if listed is None:
                by_count[count] = [term]
            else:
                listed.append(term)
        found_by_id: dict[int, int] = {}
        cursor = plain_cursor(self.conn)
        for count, terms in by_count.items():
            terms.sort()  # the table in key order: neighbouring rows share pages
            for start in range(0, len(terms), 50_000):
                found_by_id.update(
                    cursor.execute(
                        """INSERT INTO story_df (term, df) SELECT value, ? FROM json_each(?) WHERE true
                           ON CONFLICT (term) DO UPDATE SET df = df + excluded.df RETURNING term, df""",
                        (count, repr(terms[start : start + 50_000])),
                    )
                )
        self.conn.execute(
            """INSERT INTO meta (key, value) VALUES (?, ?)
               ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + CAST(excluded.value AS INTEGER)""",
            (_UNITS_META_KEY, str(units)),
        )
        # two keys with one id (see term_id) share their count
        return dict(zip(keys, map(found_by_id.__getitem__, ids)))

    # -- candidate retrieval and profiles ------------------------------------------------------

    def story_postings(self, keys: Iterable[str], *, per_key: int) -> dict[str, list[int]]:
        """The most recent ``per_key`` clusters indexed under each key: {key: cluster ids}.

        One statement for all the keys (sent as one JSON array: a list's repr), one row per key:
        its clusters joined by commas (about a third cheaper than a compound SELECT per 250 keys).
        """
        wanted = sorted(set(keys))
        by_id = dict(zip(term_ids(wanted), wanted))
        found: dict[str, list[int]] = {}
        for term, listed in plain_cursor(self.conn).execute(
            """SELECT terms.value, (SELECT GROUP_CONCAT(cluster_id) FROM
                   (SELECT cluster_id FROM story_keys WHERE term = terms.value ORDER BY cluster_id DESC LIMIT ?))
               FROM json_each(?) AS terms""",
            (per_key, repr(sorted(by_id))),
        ):
            if listed:
                found[by_id[term]] = list(map(int, listed.split(",")))
        return found

    def copy_partners(self, article_ids: Sequence[int]) -> dict[int, list[int]]:
        """Exact and near copies of these articles from the duplicate relations, best first
        (exact, then by score). A containment is not a copy: an excerpt, or a page that holds
        the story among others, is not the same story."""
        found: dict[int, list[tuple[int, float, int]]] = {}
        for chunk in parameter_chunks(list(set(article_ids))):
            marks = ",".join("?" * len(chunk))
            for mine, other, relation, score in self.conn.execute(
                f"""SELECT a_id, b_id, relation, score FROM duplicates
                     WHERE a_id IN ({marks}) AND relation IN ('exact', 'near')
                    UNION ALL
                    SELECT b_id, a_id, relation, score FROM duplicates
                     WHERE b_id IN ({marks}) AND relation IN ('exact', 'near')""",
                [*chunk, *chunk],
            ):
                found.setdefault(mine, []).append((relation != "exact", -score, other))
        return {mine: [other for *_, other in sorted(rows)] for mine, rows in found.items()}

    def story_profiles(self, cluster_ids: Iterable[int], *, shared: bool = False) -> dict[int, StoryProfile]:
        """The stored profiles of these clusters (the ones that have one), each a fresh copy; with
        ``shared``, the ones this connection remembers are its own (the caller copies one with
        :func:`copy_profile` before changing it: most candidates are only compared).

        A profile read from the store is remembered too: a library's clusters are compared with
        the stories of many batches, and decoding a profile costs more than reading its row."""
        remembered = self._remembered_profiles()
        found: dict[int, StoryProfile] = {}
        wanted: list[int] = []
        for cluster_id in set(cluster_ids):
            profile = remembered.get(cluster_id)
            if profile is None:
                wanted.append(cluster_id)
            else:
                remembered.move_to_end(cluster_id)
                found[cluster_id] = profile if shared else copy_profile(profile)
        for chunk in parameter_chunks(wanted):
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(f"SELECT * FROM story_profiles WHERE cluster_id IN ({marks})", list(chunk)):
                profile = remembered[row["cluster_id"]] = _profile_from_row(row)
                found[profile.cluster_id] = profile if shared else copy_profile(profile)
        while len(remembered) > PROFILE_CACHE_SIZE:
            remembered.popitem(last=False)
        return found

    def save_story_profile(self, profile: StoryProfile, *, indexed_before: Iterable[str] = ()) -> None:
        """Write a profile and bring its key postings in line with ``profile.index_keys``."""
        self.save_story_profiles([(profile, tuple(indexed_before))])

    def save_story_profiles(self, profiles: Sequence[tuple[StoryProfile, Sequence[str]]]) -> None:
        """Write profiles (each with the keys it was indexed under before) and bring their key
        postings in line with their ``index_keys``: three statements however many profiles.

        The profiles are remembered as given, not copied: the caller leaves them as they are
        once saved, with float32 weights (as stored; clustering.finish_profile leaves them so),
        so that a remembered profile and a stored one weigh the same.
        """
        remembered = self._remembered_profiles()
        removed: list[tuple[int, int]] = []
        added: list[tuple[int, int]] = []
        rows = []
        for profile, indexed_before in profiles:
            cluster_id = profile.cluster_id
            before = set(indexed_before)
            after = set(profile.index_keys)
            if before != after:
                removed.extend(zip(term_ids(list(before - after)), repeat(cluster_id)))
                added.extend(zip(term_ids(list(after - before)), repeat(cluster_id)))
            langs = sorted(profile.langs)
            surfaces = profile.surfaces_text if profile._surfaces is None else _pack_surfaces(profile._surfaces)
            rows.append(
                (
                    cluster_id, profile.members, profile.first_day, profile.last_day,
                    ",".join(langs), *_pack_weights(profile.weights), _SEP.join(profile.index_keys), surfaces,
                    profile.best_article, profile.best_title, profile.best_score, _pack_norms(profile.norms, langs),
                    _pack_persons(profile),
                )
            )
            profile.surfaces_text = surfaces
            remembered[cluster_id] = profile
            remembered.move_to_end(cluster_id)
        self.conn.executemany(
            """INSERT INTO story_profiles (cluster_id, members, first_day, last_day, langs, terms, weights, index_keys,
                   surfaces, best_article, best_title, best_score, norms, persons)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (cluster_id) DO UPDATE SET members = excluded.members, first_day = excluded.first_day,
                   last_day = excluded.last_day, langs = excluded.langs, terms = excluded.terms, weights = excluded.weights,
                   index_keys = excluded.index_keys, surfaces = excluded.surfaces,
                   best_article = excluded.best_article, best_title = excluded.best_title,
                   best_score = excluded.best_score, norms = excluded.norms, persons = excluded.persons""",
            rows,
        )
        if removed:
            self.conn.executemany("DELETE FROM story_keys WHERE term = ? AND cluster_id = ?", sorted(removed))
        if added:
            self.conn.executemany("INSERT OR IGNORE INTO story_keys (term, cluster_id) VALUES (?, ?)", sorted(added))
        while len(remembered) > PROFILE_CACHE_SIZE:
            remembered.popitem(last=False)
        self._profile_cache_token = os.urandom(8).hex()
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (_PROFILES_TOKEN_KEY, self._profile_cache_token),
        )

    # -- members ---------------------------------------------------------------------------------

    def clusters_of_texts(self, content_hashes: Sequence[str], *, other_than: Iterable[int] = ()) -> dict[str, int]:
        """{content hash: cluster} for clustered articles with these clean texts (not ``other_than``)."""
        excluded = set(other_than)
        found: dict[str, int] = {}
        for chunk in parameter_chunks(list(set(content_hashes))):
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(
                f"""SELECT content_hash, id, cluster_id FROM articles
                    WHERE content_hash IN ({marks}) AND cluster_id IS NOT NULL ORDER BY id""",
                list(chunk),
            ):
                if row["id"] not in excluded:
                    found.setdefault(row["content_hash"], row["cluster_id"])
        return found

    def set_clusters_of(self, assignments: Iterable[tuple[int, int | None]]) -> None:
        """Move articles to clusters: (article id, cluster id) pairs."""
        self.conn.executemany("UPDATE articles SET cluster_id = ? WHERE id = ?", ((c, a) for a, c in assignments))

    def cluster_ids_of(self, article_ids: Iterable[int]) -> dict[int, int | None]:
        ids = list(article_ids)
        found: dict[int, int | None] = {}
        for chunk in parameter_chunks(ids):
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(f"SELECT id, cluster_id FROM articles WHERE id IN ({marks})", list(chunk)):
                found[row["id"]] = row["cluster_id"]
        return found

    def same_text_groups(self, cluster_id: int) -> list[list[int]]:
        """Members of a cluster with exactly the same clean text, grouped (groups of two or more)."""
        rows = self.conn.execute(
            """SELECT GROUP_CONCAT(id) FROM articles WHERE cluster_id = ?
               GROUP BY content_hash HAVING COUNT(*) > 1""",
            (cluster_id,),
        )
        return [sorted(int(x) for x in row[0].split(",")) for row in rows]

    def page_sections(self, page_id: int) -> list[tuple[int, str, str, int | None]]:
        """The sections of a multi-story page: (id, external id, heading, cluster id), in order."""
        rows = self.conn.execute(
            "SELECT id, external_id, title, cluster_id FROM articles WHERE parent_id = ? ORDER BY section, id", (page_id,)
        )
        return [(r["id"], r["external_id"], r["title"], r["cluster_id"]) for r in rows]

    def take_dirty_clusters(self) -> list[int]:
        """Clusters that lost members to deletions since the last call (and forget them)."""
        ids = [r[0] for r in self.conn.execute("SELECT cluster_id FROM story_dirty")]
        if ids:
            self.conn.execute("DELETE FROM story_dirty")
        return ids

    def iter_story_units(self, *, page_size: int = 500) -> Iterator[list[StoredUnit]]:
        """Pages of the stories to cluster (articles without sections, and sections), in id order."""
        last = 0
        while True:
            rows = self.conn.execute(
                """SELECT id, parent_id, title, text, lang, date, date_origin, content_hash, cluster_id, external_id,
                          source
                   FROM articles a
                   WHERE id > ? AND NOT EXISTS (SELECT 1 FROM articles c WHERE c.parent_id = a.id)
                   ORDER BY id LIMIT ?""",
                (last, page_size),
            ).fetchall()
            if not rows:
                return
            yield [StoredUnit(**dict(row)) for row in rows]
            last = rows[-1]["id"]

    # -- rebuilding --------------------------------------------------------------------------------

    def begin_story_rebuild(self) -> None:
        """Forget the clustering index and every membership, remembering the old clusters.

        The old cluster rows (label, star) stay until :meth:`finish_story_rebuild` maps them.
        """
        self.conn.execute("DROP TABLE IF EXISTS temp.story_old_members")
        self.conn.execute(
            "CREATE TEMP TABLE story_old_members AS SELECT id AS article_id, cluster_id FROM articles WHERE cluster_id IS NOT NULL"
        )
        self.conn.execute("CREATE INDEX temp.story_old_by_article ON story_old_members (article_id)")
        self.conn.execute("DROP TABLE IF EXISTS temp.story_old_clusters")
        self.conn.execute("CREATE TEMP TABLE story_old_clusters AS SELECT id FROM clusters")
        self._forget_profiles()
        self.conn.execute("DELETE FROM story_keys")
        self.conn.execute("DELETE FROM story_profiles")
        self.conn.execute("DELETE FROM story_df")
        self.conn.execute("DELETE FROM story_dirty")
        self.conn.execute("DELETE FROM meta WHERE key = ?", (_UNITS_META_KEY,))
        self.conn.execute("UPDATE articles SET cluster_id = NULL WHERE cluster_id IS NOT NULL")
        self.conn.execute("DELETE FROM story_dirty")

    def story_rebuild_overlaps(self) -> list[tuple[int, int, int]]:
        """(new cluster, old cluster, shared members), largest overlaps first."""
        rows = self.conn.execute(
            """SELECT a.cluster_id AS new_id, o.cluster_id AS old_id, COUNT(*) AS shared
               FROM articles a JOIN temp.story_old_members o ON o.article_id = a.id
               WHERE a.cluster_id IS NOT NULL AND a.cluster_id NOT IN (SELECT id FROM temp.story_old_clusters)
               GROUP BY a.cluster_id, o.cluster_id
               ORDER BY shared DESC, old_id, new_id"""
        )
        return [(r["new_id"], r["old_id"], r["shared"]) for r in rows]

    def old_story_clusters(self) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT id FROM temp.story_old_clusters ORDER BY id")]

    def move_cluster(self, from_id: int, to_id: int) -> None:
        """Give cluster ``from_id``'s members and index to the (empty) cluster ``to_id``; drop ``from_id``."""
        self._forget_profiles()
        self.conn.execute("UPDATE articles SET cluster_id = ? WHERE cluster_id = ?", (to_id, from_id))
        self.conn.execute("DELETE FROM story_profiles WHERE cluster_id = ?", (to_id,))
        self.conn.execute("UPDATE story_profiles SET cluster_id = ? WHERE cluster_id = ?", (to_id, from_id))
        self.conn.execute("UPDATE story_keys SET cluster_id = ? WHERE cluster_id = ?", (to_id, from_id))
        self.conn.execute("UPDATE clusters SET updated_at = ? WHERE id = ?", (utc_now(), to_id))
        self.conn.execute("DELETE FROM clusters WHERE id = ?", (from_id,))

    def star_cluster_if(self, cluster_id: int, starred: bool) -> None:
        if starred:
            self.conn.execute("UPDATE clusters SET starred = 1 WHERE id = ?", (cluster_id,))

    def cluster_is_starred(self, cluster_id: int) -> bool:
        row = self.conn.execute("SELECT starred FROM clusters WHERE id = ?", (cluster_id,)).fetchone()
        return bool(row and row[0])

    def delete_empty_clusters(self, cluster_ids: Iterable[int]) -> None:
        self.conn.executemany(
            "DELETE FROM clusters WHERE id = ? AND NOT EXISTS (SELECT 1 FROM articles WHERE cluster_id = ?)",
            ((i, i) for i in cluster_ids),
        )

    def end_story_rebuild(self) -> None:
        self.conn.execute("DROP TABLE IF EXISTS temp.story_old_members")
        self.conn.execute("DROP TABLE IF EXISTS temp.story_old_clusters")
