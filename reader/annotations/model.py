"""Annotation records and the small rules on what a note, a tag and a colour may hold."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Literal

from reader.text.terminal_safety import strip_control_sequences

AnchorState = Literal["anchored", "moved", "orphaned"]
ANCHOR_STATES: tuple[AnchorState, ...] = ("anchored", "moved", "orphaned")

# Highlight colours are names; the TUI maps each to a component class styled in styles/*.tcss.
HIGHLIGHT_COLORS: tuple[str, ...] = ("yellow", "green", "blue", "pink", "purple", "orange")

MAX_TAG_CHARS = 64
MAX_TAGS = 64
MAX_NOTE_CHARS = 100_000

_SURROGATE = re.compile("[\ud800-\udfff]")  # lone ones: from undecodable bytes; not storable as UTF-8
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Annotation:
    """A highlight (with an optional note, tags and colour) on a span of an article's clean text.

    ``exact``/``prefix``/``suffix`` are the W3C TextQuoteSelector of what the user highlighted;
    ``start``/``end`` (a TextPositionSelector) locate it in the current text. For an annotation
    in state ``moved`` the text at ``start:end`` differs from ``exact`` (``current_quote``);
    for ``orphaned`` the offsets are the last known ones and no longer point into the text.
    The article's external id, URL and title are copied in, so an annotation outlives the
    deletion of its article (``article_id`` is then None and the state ``orphaned``).
    """

    id: int
    uuid: str
    article_id: int | None
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    text_hash: str
    state: AnchorState
    note: str
    color: str | None
    tags: tuple[str, ...]
    created_at: str
    updated_at: str
    article_external_id: str
    article_url: str | None = None
    article_title: str = ""
    # Joined from the article and its cluster when listing; None when detached.
    cluster_id: int | None = None
    cluster_label: str | None = None
    source: str | None = None
    date: str | None = None
    author: str | None = None
    current_quote: str | None = None  # the text now at start:end, for ``moved`` annotations

    @property
    def w3c_id(self) -> str:
        return f"urn:uuid:{self.uuid}"

    def to_json(self) -> dict[str, Any]:
        """The stable --json contract for scripts."""
        return {
            "id": self.id,
            "uuid": self.uuid,
            "article_id": self.article_id,
            "article_external_id": self.article_external_id,
            "article_title": self.article_title,
            "url": self.article_url,
            "cluster_id": self.cluster_id,
            "exact": self.exact,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "start": self.start,
            "end": self.end,
            "state": self.state,
            "current_quote": self.current_quote,
            "note": self.note,
            "tags": list(self.tags),
            "color": self.color,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


@dataclass(frozen=True)
class AnnotationSpan:
    """Where an annotation sits in an article's clean text, for rendering highlights."""

    start: int
    end: int
    annotation_id: int
    state: AnchorState
    color: str | None = None
    from_article_id: int | None = None  # set when the annotation was made on another version


@dataclass(frozen=True)
class AnnotationFilter:
    """Which annotations a listing or an export covers. Every field narrows the set."""

    tag: str | None = None
    cluster_id: int | None = None
    article_id: int | None = None
    text: str | None = None  # substring of the quote, the note or the article title
    since: str | None = None  # ISO date or datetime (UTC when no offset): created at or after
    state: AnchorState | None = None


class AnnotationError(ValueError):
    """An annotation that cannot be made or changed as asked; the message is for the user."""


class AnnotationNotFound(LookupError):
    pass


def clean_note(note: str | None) -> str:
    """Notes keep their lines and tabs; control characters (escape sequences included) go."""
    if not note:
        return ""
    note = note.replace("\r\n", "\n").replace("\r", "\n")
    note = _SURROGATE.sub("\ufffd", strip_control_sequences(note)).strip()
    if len(note) > MAX_NOTE_CHARS:
        raise AnnotationError(f"note is {len(note):,} characters, over the {MAX_NOTE_CHARS:,} limit")
    return note


def clean_tag(tag: str) -> str:
    """One tag: controls dropped, a leading '#' dropped, commas and whitespace runs become one space."""
    tag = _SURROGATE.sub("\ufffd", strip_control_sequences(tag)).replace(",", " ")
    tag = _WHITESPACE.sub(" ", tag).strip().lstrip("#").strip()
    if len(tag) > MAX_TAG_CHARS:
        raise AnnotationError(f"tag {tag[:20]!r}… is over {MAX_TAG_CHARS} characters")
    return tag


def clean_tags(tags: object) -> tuple[str, ...]:
    """Tags in the order given, empty ones dropped, duplicates (ignoring case) dropped."""
    if tags is None:
        return ()
    if isinstance(tags, str):
        tags = [tags]
    out: list[str] = []
    seen: set[str] = set()
    for tag in tags:  # type: ignore[attr-defined]
        cleaned = clean_tag(str(tag))
        if cleaned and cleaned.casefold() not in seen:
            seen.add(cleaned.casefold())
            out.append(cleaned)
    if len(out) > MAX_TAGS:
        raise AnnotationError(f"{len(out)} tags, over the limit of {MAX_TAGS}")
    return tuple(out)


def parse_tag_list(text: str) -> tuple[str, ...]:
    """Tags typed in one field: separated by commas (``brexit, eu talks``)."""
    return clean_tags(text.split(","))


def check_color(color: str | None) -> str | None:
    if color is None or color == "":
        return None
    name = color.strip().lower()
    if name not in HIGHLIGHT_COLORS:
        raise AnnotationError(f"unknown highlight colour {color!r}; use one of: {', '.join(HIGHLIGHT_COLORS)}")
    return name


def parse_since(value: str) -> str:
    """A date or datetime given by the user → a UTC ISO timestamp comparable with created_at."""
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise AnnotationError(f"cannot read {value!r} as a date; use YYYY-MM-DD or an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")
