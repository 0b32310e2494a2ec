"""CSV with the columns Readwise's CSV import accepts, plus the tags.

Columns: Highlight, Title, Author, URL, Note, Location, Date (``YYYY-MM-DD HH:MM:SS``, UTC),
Tags (comma-separated). Location is the highlight's character offset in the article, so
Readwise keeps the highlights of an article in reading order.

Cells are text as the screen shows it (``plain``), and a cell that a spreadsheet would
read as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab, or their full-width
forms) starts with ``'`` instead, as OWASP advises against CSV injection: a highlight
``=HYPERLINK(...)`` from an article stays text when the file is opened in Excel.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import datetime
from typing import TextIO

from reader.annotations.formats import ExportInfo, plain
from reader.annotations.model import Annotation

name = "csv"
aliases = ("readwise",)
suffix = ".csv"
description = "CSV for Readwise's import (Highlight, Title, Author, URL, Note, Location, Date) plus Tags"

COLUMNS = ("Highlight", "Title", "Author", "URL", "Note", "Location", "Date", "Tags")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def defuse_formula(cell: str) -> str:
    """A cell a spreadsheet would evaluate, kept as text by a leading apostrophe."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def readwise_date(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return iso


def row_of(annotation: Annotation) -> list[str]:
    return [defuse_formula(cell) for cell in _cells(annotation)]


def _cells(annotation: Annotation) -> list[str]:
    return [
        plain(annotation.exact),
        plain(annotation.article_title),
        plain(annotation.author or annotation.source),
        plain(annotation.article_url),
        plain(annotation.note),
        str(annotation.start),
        readwise_date(annotation.created_at),
        ", ".join(plain(tag) for tag in annotation.tags),
    ]


def write(annotations: Iterable[Annotation], out: TextIO, info: ExportInfo) -> int:
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    for annotation in annotations:
        writer.writerow(row_of(annotation))
        count += 1
    return count
