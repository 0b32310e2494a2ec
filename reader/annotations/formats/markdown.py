"""Markdown: grouped by story cluster, then article; each highlight a quote with its note and tags.

Article text, titles and notes are escaped so they can never change the document's
structure (a note line starting with ``#`` stays text, not a heading).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO

from reader.annotations.formats import ExportInfo, plain
from reader.annotations.model import Annotation

name = "markdown"
aliases = ("md",)
suffix = ".md"
description = "Markdown, grouped by story and article, for reading and pasting"

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_BLOCK_START = re.compile(r"^([-+=]|\d+(?=[.)]))")


def escape_inline(text: str) -> str:
    """One line of untrusted text, shown literally by any CommonMark renderer."""
    return _INLINE_SPECIAL.sub(r"\\\1", plain(text))


def escape_line(text: str) -> str:
    """A line that starts a block: also defuse list, heading-underline and numbered markers."""
    line = escape_inline(text.strip())
    match = _BLOCK_START.match(line)
    if match:
        marker = match.group(1)
        line = (marker + "\\" + line[len(marker) :]) if marker.isdigit() else "\\" + line
    return line


def one_line(text: str | None) -> str:
    return escape_inline(" ".join(plain(text).split()))


def quote_block(text: str) -> list[str]:
    return [f"> {escape_line(line)}".rstrip() for line in plain(text).split("\n")]


def note_block(text: str) -> list[str]:
    return [escape_line(line) for line in plain(text).split("\n")]


def _cluster_heading(annotation: Annotation) -> str:
    if annotation.article_id is None:
        return "Articles no longer in the library"
    if annotation.cluster_id is None:
        return "Not in a story"
    label = one_line(annotation.cluster_label) or f"Story {annotation.cluster_id}"
    return f"Story: {label}"


def _article_lines(annotation: Annotation) -> list[str]:
    title = one_line(annotation.article_title) or one_line(annotation.article_external_id) or "Untitled"
    lines = [f"### {title}", ""]
    details = []
    if annotation.source or annotation.author:
        details.append(f"- Source: {one_line(annotation.source or annotation.author)}")
    if annotation.article_url:
        details.append(f"- URL: <{_url(annotation.article_url)}>")
    if annotation.date:
        details.append(f"- Date: {one_line(annotation.date[:10])}")
    if annotation.article_id is None:
        details.append(f"- Was: {one_line(annotation.article_external_id)}")
    lines.extend(details)
    if details:
        lines.append("")
    return lines


def _url(url: str) -> str:
    return "".join(ch for ch in plain(url) if not ch.isspace() and ch not in "<>")


def _highlight_lines(annotation: Annotation) -> list[str]:
    lines = quote_block(annotation.exact)
    lines.append("")
    if annotation.state == "moved":
        now = f": the text now reads “{one_line(annotation.current_quote)}”" if annotation.current_quote else ""
        lines.extend([f"*Moved{now}.*", ""])
    elif annotation.state == "orphaned":
        lines.extend(["*Orphaned: this passage is no longer in the article.*", ""])
    if annotation.note:
        lines.extend(note_block(annotation.note))
        lines.append("")
    if annotation.tags:
        lines.extend(["Tags: " + ", ".join(f"#{one_line(tag)}" for tag in annotation.tags), ""])
    return lines


def write(annotations: Iterable[Annotation], out: TextIO, info: ExportInfo) -> int:
    out.write("# Annotations\n\n")
    out.write(f"Exported from reader on {info.generated_at[:10]}: {info.total} highlight{'s' * (info.total != 1)}.\n")
    count = 0
    cluster: object = object()
    article: object = object()
    for annotation in annotations:
        cluster_key = (annotation.article_id is None, annotation.cluster_id)
        article_key = annotation.article_external_id
        lines: list[str] = []
        if cluster_key != cluster:
            lines.extend(["", f"## {_cluster_heading(annotation)}"])
            cluster, article = cluster_key, object()
        if article_key != article:
            lines.append("")
            lines.extend(_article_lines(annotation))
            article = article_key
        else:
            lines.extend(["", "---", ""])
        lines.extend(_highlight_lines(annotation))
        out.write("\n".join(lines).rstrip("\n") + "\n")
        count += 1
    return count
