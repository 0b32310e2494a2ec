"""Multi-story pages: split a page that carries several stories into sections.

A page is read as blocks, each a heading-like line followed by body paragraphs. Consecutive
blocks that are about the same story (they share its names, numbers and content words) are
merged, so the sub-headings of one article never split it; a new story starts only where a
block shares almost nothing with the story before it. Ordinary articles, with or without
sub-headings, come out as one section and are not split at all.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from reader.model import PreparedArticle, Section
from reader.similarity.story_terms import term_counts

# A heading: one short line, no sentence punctuation at its end.
MAX_HEADING_WORDS = 16
MAX_HEADING_CHARS = 140
# A body paragraph after a heading: a real sentence or more.
MIN_BODY_WORDS = 12
# A story of its own must be long enough to be one (a closing note or comment box is not).
MIN_STORY_CHARS = 800
# Blocks whose lexical continuity with the story before them is below this start a new story.
# Cosine of log-tf vectors: sub-headed parts of one article score well above it (shared
# names and topic words), unrelated stories close to 0.
MIN_CONTINUITY = 0.12
# Pages longer than this are not analysed for sections (they are split by nothing we know).
MAX_PAGE_CHARS = 300_000

_WORD = re.compile(r"\w+", re.UNICODE)
_HEADING_END = frozenset(".!?:;,…")
_LIST_MARK = re.compile(r"^\s*(?:[-–—•*·>]|\d+[.)]|\(\w\))\s")


class Line(NamedTuple):
    """A non-blank line of the page: its stripped text, and the offsets of the whole line."""

    text: str
    start: int
    end: int
    blank_before: bool


@dataclass
class Block:
    heading: str
    start: int  # offset of the heading (or of the first body line)
    end: int
    body_chars: int
    terms: dict[str, float]


def lines_of(text: str) -> list[Line]:
    """The page's non-blank lines; ``blank_before`` when a blank line (or nothing) comes before one."""
    out: list[Line] = []
    start = 0
    last_kept = 0  # index of the last line kept: as many newlines lie between it and the next
    for index, line in enumerate(text.split("\n")):
        stripped = line.strip()
        if stripped:
            out.append(Line(stripped, start, start + len(line), blank_before=not out or index - last_kept >= 2))
            last_kept = index
        start += len(line) + 1
    return out


def is_heading_like(line: Line) -> bool:
    """Short, starts with a capital or digit, no final sentence punctuation, not a list item."""
    text = line.text
    if len(text) > MAX_HEADING_CHARS or _LIST_MARK.match(text):
        return False
    words = _WORD.findall(text)
    if not 2 <= len(words) <= MAX_HEADING_WORDS:
        return False
    first = text[0]
    if not (first.isupper() or first.isdigit()):
        return False
    return text[-1] not in _HEADING_END


def is_body_like(line: Line) -> bool:
    return len(_WORD.findall(line.text)) >= MIN_BODY_WORDS


def heading_indexes(lines: Sequence[Line]) -> list[int]:
    """Lines that head a block: heading-like, on their own paragraph, followed by body text."""
    found: list[int] = []
    for i, line in enumerate(lines[:-1]):
        if line.blank_before and is_heading_like(line) and is_body_like(lines[i + 1]):
            found.append(i)
    return found


def blocks_of(text: str, title: str, lang: str | None) -> list[Block]:
    """The page cut at its headings; a single block when it has none."""
    lines = lines_of(text)
    if not lines:
        return []
    heads = heading_indexes(lines)
    if not heads or heads[0] != 0:
        heads = [0, *heads]
    blocks: list[Block] = []
    for n, first in enumerate(heads):
        last = heads[n + 1] - 1 if n + 1 < len(heads) else len(lines) - 1
        is_heading = n > 0 or is_heading_like(lines[0])
        heading = lines[first].text if is_heading else title
        body_lines = lines[first + 1 : last + 1] if is_heading else lines[first : last + 1]
        body = "\n".join(line.text for line in body_lines)
        blocks.append(
            Block(
                heading=heading,
                start=lines[first].start,
                end=lines[last].end,
                body_chars=len(body),
                terms=term_counts(heading, body, lang) if len(heads) > 1 else {},
            )
        )
    return blocks


def continuity(story: dict[str, float], block: dict[str, float]) -> float:
    """Cosine of two log-tf term vectors."""
    if not story or not block:
        return 0.0
    small, large = (story, block) if len(story) < len(block) else (block, story)
    dot = sum(weight * large.get(key, 0.0) for key, weight in small.items())
    norm = math.sqrt(sum(w * w for w in story.values())) * math.sqrt(sum(w * w for w in block.values()))
    return dot / norm if norm else 0.0


def _merge_terms(into: dict[str, float], other: dict[str, float]) -> None:
    for key, weight in other.items():
        into[key] = into.get(key, 0.0) + weight


def group_stories(blocks: Sequence[Block]) -> list[list[Block]]:
    """Merge consecutive blocks into stories by lexical continuity, then fold short stories back."""
    stories: list[list[Block]] = []
    story_terms: dict[str, float] = {}
    for block in blocks:
        if stories and continuity(story_terms, block.terms) >= MIN_CONTINUITY:
            stories[-1].append(block)
            _merge_terms(story_terms, block.terms)
        else:
            stories.append([block])
            story_terms = dict(block.terms)
    merged: list[list[Block]] = []
    for story in stories:
        if merged and sum(b.body_chars for b in story) < MIN_STORY_CHARS:
            merged[-1].extend(story)
        else:
            merged.append(story)
    if len(merged) > 1 and sum(b.body_chars for b in merged[0]) < MIN_STORY_CHARS:
        merged[1] = merged[0] + merged[1]
        del merged[0]
    return merged


def find_sections(text: str, title: str, lang: str | None) -> tuple[Section, ...]:
    """The stories of a page as sections; () when the page holds one story."""
    if len(text) > MAX_PAGE_CHARS:
        return ()
    blocks = blocks_of(text, title, lang)
    if len(blocks) < 2:
        return ()
    stories = group_stories(blocks)
    if len(stories) < 2:
        return ()
    sections: list[Section] = []
    for index, story in enumerate(stories, start=1):
        heading = story[0].heading or (title if index == 1 else "")
        sections.append(Section(index=index, title=heading, start=story[0].start, end=story[-1].end))
    return tuple(sections)


def add_sections(prepared: PreparedArticle) -> PreparedArticle:
    """ARTICLE_ANALYZER: fill ``sections`` for multi-story pages."""
    sections = find_sections(prepared.text, prepared.raw.title, prepared.lang)
    return prepared.replaced(sections=sections) if sections else prepared
