"""JSON: the W3C Web Annotation Data Model (JSON-LD), and reading it back.

The export is an ``AnnotationCollection`` whose first (and only) ``AnnotationPage`` has one
annotation per item. Each annotation targets its article by ``target.source`` (our
external id), with the page URL as ``target.scope``, both a ``TextQuoteSelector`` and a
``TextPositionSelector``, and the highlight colour as ``target.styleClass``. The note is a
``TextualBody`` (purpose ``commenting``), each tag a ``TextualBody`` with purpose
``tagging``. https://www.w3.org/TR/annotation-model/

:func:`parse_annotations` reads that back, and also a bare page, a list of annotations or a
single annotation from other tools; anything it cannot use is reported, never raised.
"""

from __future__ import annotations

import json
import re
import uuid as uuidlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, TextIO

from reader import __version__
from reader.annotations.formats import ExportInfo
from reader.annotations.model import HIGHLIGHT_COLORS, Annotation, AnnotationError, clean_tags
from reader.text.terminal_safety import terminal_safe_json

name = "json"
aliases = ("w3c", "jsonld")
suffix = ".json"
description = "W3C Web Annotation Data Model (JSON-LD); `reader import-annotations` reads it back"

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MAX_QUOTE_CHARS = 2_000_000
_SURROGATE = re.compile("[\ud800-\udfff]")
_UUID_NAMESPACE = uuidlib.UUID("6f1d3a52-7c1e-4d5e-9a40-3b8f0c2d1e77")  # ids for items without a urn:uuid


# -- export ------------------------------------------------------------------------------------


def annotation_to_w3c(annotation: Annotation) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    if annotation.note:
        body.append({"type": "TextualBody", "value": annotation.note, "format": "text/plain", "purpose": "commenting"})
    body.extend({"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in annotation.tags)
    target: dict[str, Any] = {"source": annotation.article_external_id}
    if annotation.article_url:
        target["scope"] = annotation.article_url
    if annotation.color:
        target["styleClass"] = annotation.color
    target["selector"] = [
        {"type": "TextQuoteSelector", "exact": annotation.exact, "prefix": annotation.prefix, "suffix": annotation.suffix},
        {"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end},
    ]
    item: dict[str, Any] = {
        "id": annotation.w3c_id,
        "type": "Annotation",
        "motivation": "commenting" if annotation.note else "highlighting",
        "created": annotation.created_at,
        "modified": annotation.updated_at,
    }
    if body:
        item["body"] = body
    item["target"] = target
    # Not part of the W3C vocabulary (JSON-LD processors ignore it): for people and round trips.
    item["reader"] = {"state": annotation.state, "title": annotation.article_title}
    return item


def write(annotations: Iterable[Annotation], out: TextIO, info: ExportInfo) -> int:
    """The exact texts (JSON is data): characters a terminal would act on or hide are \\u-escaped."""
    header = {
        "@context": CONTEXT,
        "type": "AnnotationCollection",
        "label": "Annotations exported from reader",
        "total": info.total,
        "generated": info.generated_at,
        "generator": {"type": "Software", "name": f"reader {__version__}"},
    }
    out.write(terminal_safe_json(json.dumps(header, ensure_ascii=False, indent=1))[:-2])  # leave the object open
    out.write(',\n "first": {"type": "AnnotationPage", "startIndex": 0, "items": [')
    count = 0
    for annotation in annotations:
        out.write("\n  " if count == 0 else ",\n  ")
        out.write(terminal_safe_json(json.dumps(annotation_to_w3c(annotation), ensure_ascii=False)))
        count += 1
    out.write("\n ]}\n}\n" if count else "]}\n}\n")
    return count


# -- import ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedAnnotation:
    """One annotation read from W3C JSON, before it is matched to an article."""

    index: int  # position in the file, for messages
    uuid: str
    source: str | None
    scope: str | None
    exact: str
    prefix: str
    suffix: str
    start: int | None
    end: int | None
    note: str
    tags: tuple[str, ...]
    color: str | None
    created: str | None
    modified: str | None
    title: str = ""


@dataclass(frozen=True)
class ParseProblem:
    index: int | None
    message: str

    def __str__(self) -> str:
        return f"item {self.index + 1}: {self.message}" if self.index is not None else self.message


def load_json(text: str) -> Any:
    """Parse JSON text; raises ValueError with a one-line reason."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise ValueError("not usable JSON: nested too deeply") from None


def annotation_items(data: Any) -> Iterator[Any]:
    """The annotations of a collection (embedded pages), a page, a list, or a single annotation."""
    if isinstance(data, list):
        yield from data
        return
    if not isinstance(data, dict):
        raise ValueError("expected a W3C annotation, page or collection (a JSON object or array)")
    kind = data.get("type")
    if kind == "AnnotationCollection" or "first" in data:
        page = data.get("first")
        pages_seen = 0
        while isinstance(page, dict) and pages_seen < 100_000:
            yield from _list(page.get("items"))
            page = page.get("next")
            pages_seen += 1
        return
    if kind == "AnnotationPage" or "items" in data:
        yield from _list(data.get("items"))
        return
    yield data


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _string(value: Any) -> str | None:
    """A JSON string as text we can store: lone surrogates (valid JSON, invalid UTF-8) become U+FFFD."""
    if not isinstance(value, str):
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", value)
    return value


def _offset(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10**12 else None


def _timestamp(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    try:
        return moment.astimezone(timezone.utc).isoformat(timespec="seconds")
    except (OverflowError, ValueError):
        return None


def _uuid_of(item: dict[str, Any]) -> str:
    given = _string(item.get("id"))
    if given:
        text = given[len("urn:uuid:") :] if given.lower().startswith("urn:uuid:") else given
        try:
            return str(uuidlib.UUID(text))
        except ValueError:
            return str(uuidlib.uuid5(_UUID_NAMESPACE, given))
    canonical = json.dumps(item, sort_keys=True, ensure_ascii=True, default=str)
    return str(uuidlib.uuid5(_UUID_NAMESPACE, canonical))


def _bodies(item: dict[str, Any]) -> tuple[str, list[str]]:
    notes: list[str] = []
    tags: list[str] = []
    body_value = _string(item.get("bodyValue"))
    if body_value:
        notes.append(body_value)
    for body in _list(item.get("body")):
        if not isinstance(body, dict):
            continue  # a body given by IRI only: nothing we can show
        value = _string(body.get("value"))
        if value is None:
            continue
        purposes = {p for p in _list(body.get("purpose")) if isinstance(p, str)}
        if "tagging" in purposes:
            tags.append(value)
        else:
            notes.append(value)
    return "\n\n".join(n for n in notes if n.strip()), tags


def _target(item: dict[str, Any]) -> dict[str, Any] | str | None:
    targets = _list(item.get("target"))
    for target in targets:
        if isinstance(target, dict) and target.get("selector") is not None:
            return target
    for target in targets:
        if isinstance(target, (dict, str)):
            return target
    return None


def parse_annotation(item: Any, index: int) -> ParsedAnnotation | ParseProblem:
    if not isinstance(item, dict):
        return ParseProblem(index, "not a JSON object")
    target = _target(item)
    if target is None:
        return ParseProblem(index, "no target")
    if isinstance(target, str):
        return ParseProblem(index, "the target has no selector: nothing to anchor")
    source = _string(target.get("source"))
    if source is None and isinstance(target.get("source"), dict):
        source = _string(target["source"].get("id"))
    scope = _string(target.get("scope"))
    exact, prefix, suffix = "", "", ""
    start = end = None
    for selector in _list(target.get("selector")):
        if not isinstance(selector, dict):
            continue
        kind = selector.get("type")
        if kind == "TextQuoteSelector" and not exact and isinstance(selector.get("exact"), str):
            exact = _string(selector["exact"]) or ""
            prefix = _string(selector.get("prefix")) or ""
            suffix = _string(selector.get("suffix")) or ""
        elif kind == "TextPositionSelector" and start is None:
            start, end = _offset(selector.get("start")), _offset(selector.get("end"))
            if start is None or end is None or start >= end:
                start = end = None
    if not exact and start is None:
        return ParseProblem(index, "no TextQuoteSelector or TextPositionSelector")
    if len(exact) > MAX_QUOTE_CHARS:
        return ParseProblem(index, f"the quote is over {MAX_QUOTE_CHARS:,} characters")
    note, tag_values = _bodies(item)
    try:
        tags = clean_tags(tag_values)
    except AnnotationError as exc:
        return ParseProblem(index, str(exc))
    color = _string(target.get("styleClass"))
    reader_extra = item.get("reader")
    title = _string(reader_extra.get("title")) if isinstance(reader_extra, dict) else None
    return ParsedAnnotation(
        index=index,
        uuid=_uuid_of(item),
        source=source,
        scope=scope,
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        start=start,
        end=end,
        note=note,
        tags=tags,
        color=color.strip().lower() if color and color.strip().lower() in HIGHLIGHT_COLORS else None,
        created=_timestamp(item.get("created")),
        modified=_timestamp(item.get("modified")),
        title=title or "",
    )


def parse_annotations(data: Any) -> Iterator[ParsedAnnotation | ParseProblem]:
    """Every annotation of a parsed W3C JSON document, or a problem for each unusable item."""
    try:
        items = list(annotation_items(data))
    except ValueError as exc:
        yield ParseProblem(None, str(exc))
        return
    for index, item in enumerate(items):
        try:
            yield parse_annotation(item, index)
        except (ValueError, TypeError, RecursionError) as exc:  # one odd item never sinks the rest
            yield ParseProblem(index, f"unusable: {type(exc).__name__}: {exc}")
