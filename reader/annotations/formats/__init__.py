"""Export formats for annotations: one module per format, found by discovery.

To add a format, add a module to this package that defines:

``name``         the ``--format`` value (``aliases``: other accepted values, may be empty)
``suffix``       the usual file name ending, e.g. ``".md"``
``description``  one line for help texts
``write(annotations, out, info) -> int``
                 write every annotation of the iterable (grouped by story cluster, then
                 article, then position in the text) to the text stream; return how many.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol, TextIO

from reader.annotations.model import Annotation, AnnotationFilter
from reader.text.terminal_safety import strip_terminal_controls


@dataclass(frozen=True)
class ExportInfo:
    """What an export covers, for formats that describe themselves in a header."""

    total: int
    generated_at: str
    filter: AnnotationFilter = field(default_factory=AnnotationFilter)


class ExportFormat(Protocol):
    name: str
    aliases: tuple[str, ...]
    suffix: str
    description: str

    def write(self, annotations: Iterable[Annotation], out: TextIO, info: ExportInfo) -> int: ...


@cache
def export_formats() -> dict[str, ExportFormat]:
    """Every format module of this package, by name (in name order)."""
    found: dict[str, ExportFormat] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if all(hasattr(module, attr) for attr in ("name", "suffix", "write")):
            found[module.name] = module  # type: ignore[assignment]
    return dict(sorted(found.items()))


def format_choices() -> list[str]:
    """Names and aliases accepted by ``--format``."""
    choices: list[str] = []
    for fmt in export_formats().values():
        choices.append(fmt.name)
        choices.extend(getattr(fmt, "aliases", ()))
    return choices


def get_format(name: str) -> ExportFormat:
    wanted = name.strip().lower()
    for fmt in export_formats().values():
        if wanted == fmt.name or wanted in getattr(fmt, "aliases", ()):
            return fmt
    raise ValueError(f"unknown export format {name!r}; use one of: {', '.join(format_choices())}")


def plain(text: str | None) -> str:
    """Text fit for a Markdown or CSV export, which people read in terminals, editors and
    spreadsheets: escape sequences (whole), control characters, bidi overrides and
    invisible characters removed, as on the screen; newlines and tabs kept.

    JSON keeps the exact text instead (it is data; see ``terminal_safe_json``).
    """
    return strip_terminal_controls(text or "")
