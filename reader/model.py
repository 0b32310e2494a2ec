"""Plain, frozen records shared by the domain modules, the store, the CLI and the TUI."""

from __future__ import annotations

import copyreg
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple, overload


@dataclass(frozen=True)
class RawArticle:
    """One article as an input format yields it, before cleaning and analysis."""

    external_id: str
    title: str
    text: str
    origin: str
    url: str | None = None
    date: str | None = None  # ISO 8601 (date or datetime) when the input gives one
    author: str | None = None
    lang: str | None = None  # language declared by the input, if any
    source: str | None = None  # outlet / feed / site name
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class IngestProblem:
    """A clear, one-line reason why (part of) an input could not be imported."""

    origin: str
    message: str
    line: int | None = None
    warning: bool = False  # True: imported anyway (e.g. a feed with bozo set)

    def __str__(self) -> str:
        where = f"{self.origin}:{self.line}" if self.line is not None else self.origin
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Section:
    """One story of a multi-story page: a heading and a character range in the clean text."""

    index: int
    title: str
    start: int
    end: int


class EntityMention(NamedTuple):
    """A recognised entity mention: a character span into the clean text.

    A named tuple, not a dataclass: an article has dozens of mentions, made in a worker
    process and shipped to the main one, and a tuple is made, pickled and unpickled about
    twice as fast as a frozen dataclass (10,000 generated articles: ~0.05 ms per article)."""

    start: int
    end: int
    type: str  # PERSON | ORG | PLACE | OTHER
    text: str
    key: str = ""  # normalised form used to link mentions to a canonical entity


Reading = tuple[str, str, str]  # a mention's (key, type, text): what entity linking resolves


class MentionTable(Sequence[EntityMention]):
    """An article's entity mentions, compact: each distinct reading (key, type, text) once, in
    order of first appearance, and the spans as one array of int32 triples (start, end, index
    of the reading).

    A prepared article's mentions travel from the worker process to the main one in this form
    (see ``PreparedArticle.__reduce__``): the main process unpickles a few strings and one
    bytes object instead of a named tuple per mention, and the entity linker reads the
    readings and the span array of a whole batch at once, never a mention at a time. To
    everyone else it is a sequence of EntityMention, made on access."""

    __slots__ = ("readings", "spans")

    def __init__(self, readings: tuple[Reading, ...], spans: bytes) -> None:
        self.readings = readings
        self.spans = spans  # array("i") bytes, native byte order (it never leaves this machine)

    @classmethod
    def of(cls, mentions: Sequence[EntityMention]) -> MentionTable:
        if isinstance(mentions, MentionTable):
            return mentions
        index: dict[Reading, int] = {}
        values: list[int] = []  # (one array made at the end: a quarter faster than extending an array per mention)
        for start, end, kind, text, key in mentions:
            values += (start, end, index.setdefault((key, kind, text), len(index)))
        return cls(tuple(index), array("i", values).tobytes())

    def span_values(self) -> array[int]:
        values = array("i")
        values.frombytes(self.spans)
        return values

    def __len__(self) -> int:
        return len(self.spans) // (3 * array("i").itemsize)

    @overload
    def __getitem__(self, position: int) -> EntityMention: ...

    @overload
    def __getitem__(self, position: slice) -> tuple[EntityMention, ...]: ...

    def __getitem__(self, position: int | slice) -> EntityMention | tuple[EntityMention, ...]:
        if isinstance(position, slice):
            return tuple(self)[position]
        values = self.span_values()
        count = len(values) // 3
        if position < 0:
            position += count
        if not 0 <= position < count:
            raise IndexError("mention index out of range")
        start, end, reading = values[3 * position : 3 * position + 3]
        key, kind, text = self.readings[reading]
        return EntityMention(start, end, kind, text, key)

    def __iter__(self) -> Iterator[EntityMention]:
        values, readings = self.span_values(), self.readings
        for i in range(0, len(values), 3):
            key, kind, text = readings[values[i + 2]]
            yield EntityMention(values[i], values[i + 1], kind, text, key)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"MentionTable({list(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (MentionTable, (self.readings, self.spans))


@dataclass(frozen=True, slots=True)
class EntitySpan:
    """A stored entity mention of an article, for highlighting: a span into its clean text."""

    start: int
    end: int
    type: str  # PERSON | ORG | PLACE | OTHER
    entity_id: int
    name: str  # the canonical entity's name

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "type": self.type, "entity_id": self.entity_id, "name": self.name}


@dataclass(frozen=True)
class Entity:
    """A canonical entity of the library, with its aliases (surface forms) and counts."""

    id: int
    name: str
    type: str
    key: str
    mention_count: int
    article_count: int
    aliases: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "aliases": list(self.aliases),
            "mentions": self.mention_count,
            "articles": self.article_count,
        }


@dataclass(frozen=True)
class PreparedArticle:
    """An article after cleaning, language detection and per-article analysis.

    Everything here is computed from the article alone, so it can be done in a
    worker process; the store and the library-wide stages take it from there.
    """

    raw: RawArticle
    text: str  # clean text
    content_hash: str
    lang: str | None
    lang_prob: float | None
    date: str | None
    date_origin: str | None  # "metadata" | "text" | None
    sections: tuple[Section, ...] = ()
    mentions: Sequence[EntityMention] = ()  # a tuple, or a MentionTable after a trip between processes
    signature: bytes | None = None  # similarity fingerprint (MinHash), opaque here
    # story-clustering term vectors, one per story (each section, or the whole page); opaque here
    story_terms: tuple[Any, ...] = ()

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as a dataclass is (its fields' dict), with the mentions as a MentionTable:
        a worker sends ~30 per article, which as named tuples cost the main process a Python
        call each to unpickle."""
        state = dict(self.__dict__)
        state["mentions"] = MentionTable.of(self.mentions)
        return (copyreg.__newobj__, (type(self),), state)

    def replaced(self, **changes: Any) -> PreparedArticle:
        """``dataclasses.replace(self, **changes)``: a copy with some fields changed, made as a copy
        of this one's fields dict (a frozen dataclass with no ``__post_init__``), without
        ``__init__`` setting every field again through ``object.__setattr__``: ~1 us instead of ~4,
        for the analysers that fill a field of every imported article."""
        unknown = changes.keys() - PREPARED_ARTICLE_FIELDS
        if unknown:
            raise TypeError(f"PreparedArticle has no field {min(unknown)!r}")
        copy = object.__new__(PreparedArticle)
        state = self.__dict__.copy()
        state.update(changes)
        object.__setattr__(copy, "__dict__", state)
        return copy


PREPARED_ARTICLE_FIELDS = frozenset(item.name for item in fields(PreparedArticle))


@dataclass(frozen=True)
class Article:
    """An article as stored in the library."""

    id: int
    external_id: str
    title: str
    lang: str | None
    source: str | None
    url: str | None
    date: str | None
    cluster_id: int | None = None
    parent_id: int | None = None
    author: str | None = None
    is_sample: bool = False
    read: bool = False
    starred: bool = False
    lang_prob: float | None = None
    text: str | None = None  # loaded only when asked for
    raw_text: str | None = None
    origin: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    def to_json(self, *, with_text: bool = False) -> dict[str, Any]:
        """The stable --json contract for scripts."""
        data: dict[str, Any] = {
            "id": self.id,
            "external_id": self.external_id,
            "title": self.title,
            "lang": self.lang,
            "source": self.source,
            "url": self.url,
            "date": self.date,
            "author": self.author,
            "cluster_id": self.cluster_id,
            "read": self.read,
            "starred": self.starred,
            "sample": self.is_sample,
        }
        if with_text:
            data["text"] = self.text
            data["raw_text"] = self.raw_text
            data["lang_prob"] = self.lang_prob
            data["origin"] = self.origin
            data["metadata"] = self.metadata
        return data


@dataclass(frozen=True)
class ClusterRow:
    """A story cluster with the figures the sidebar shows."""

    id: int
    label: str
    article_count: int
    source_count: int
    languages: tuple[str, ...]
    unread_count: int
    has_duplicates: bool
    first_date: str | None
    last_date: str | None
    starred: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "article_count": self.article_count,
            "source_count": self.source_count,
            "languages": list(self.languages),
            "unread_count": self.unread_count,
            "has_duplicates": self.has_duplicates,
            "first_date": self.first_date,
            "last_date": self.last_date,
            "starred": self.starred,
        }


@dataclass(frozen=True)
class ImportReport:
    imported: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    problems: tuple[IngestProblem, ...] = ()
