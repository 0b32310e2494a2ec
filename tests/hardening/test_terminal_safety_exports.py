"""Exports of hostile annotations: what each format must hold, and why.

* JSON (W3C JSON-LD) is data: it keeps the exact stored text (round trips lose nothing),
  and every character a terminal would act on or hide is written as a ``\\uXXXX`` escape,
  so ``cat export.json`` or ``reader show --json`` in a terminal is safe too.
* Markdown and CSV are read in terminals, editors and spreadsheets: no escape sequence,
  control character, bidi override or zero-width character; markup stays literal text.
* CSV cells that a spreadsheet would evaluate (=, +, -, @ ...) start with an apostrophe
  (OWASP, CSV injection).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hardening.hostile import (
    BIDI,
    FORMULA_NOTE,
    FORMULA_QUOTE,
    FORMULA_TAG,
    PAYLOAD_WORDS,
    SHOWN_TAG,
    TITLE_A,
    ZERO_WIDTH,
    HostileLibrary,
    build_hostile_library,
    shown,
    unsafe_characters,
)

from reader.annotations.export import export_annotations, export_to_file
from reader.annotations.formats.readwise_csv import defuse_formula


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> HostileLibrary:
    return build_hostile_library(tmp_path_factory.mktemp("hostile-exports"))


def exported(hostile: HostileLibrary, format_name: str, folder: Path) -> str:
    path = folder / f"export.{format_name}"
    library = hostile.open()
    try:
        assert export_to_file(library, format_name, path) == 2
    finally:
        library.close()
    return path.read_text(encoding="utf-8")


def assert_no_payload(text: str) -> None:
    assert unsafe_characters(text) == [], sorted(set(unsafe_characters(text)))
    for word in PAYLOAD_WORDS:
        assert word not in text, word


def test_json_keeps_the_exact_text_and_its_bytes_are_terminal_safe(hostile: HostileLibrary, tmp_path: Path) -> None:
    raw = exported(hostile, "json", tmp_path)
    # the file itself: no raw control, bidi or invisible character (all \u-escaped)
    assert unsafe_characters(raw) == [] and "\\u001b" in raw and "\\u202e" in raw and "\\u200b" in raw
    items = json.loads(raw)["first"]["items"]
    library = hostile.open()
    try:
        stored = {a.note: a for a in library.iter_annotations()}
        article = library.get_article(hostile.ids["hostile-a"])
    finally:
        library.close()
    by_note = {next(b["value"] for b in item["body"] if b["purpose"] == "commenting"): item for item in items}
    assert set(by_note) == set(stored)  # every note exactly as stored: bidi, zero-width and markup included
    hostile_note = next(note for note in stored if "My" in note)
    assert any(ch in hostile_note for ch in BIDI) and any(ch in hostile_note for ch in ZERO_WIDTH)
    item = by_note[hostile_note]
    assert item["reader"]["title"] == article.title  # the stored title, escape sequences and all
    assert "\x1b]52;c;" in item["reader"]["title"]
    assert [b["value"] for b in item["body"] if b["purpose"] == "tagging"] == list(stored[hostile_note].tags)


def test_markdown_has_no_control_bidi_or_invisible_character(hostile: HostileLibrary, tmp_path: Path) -> None:
    md = exported(hostile, "markdown", tmp_path)
    assert_no_payload(md)
    # the words are all there, and the markup is escaped Markdown text (shown literally)
    title_line = next(line for line in md.splitlines() if line.startswith("### "))
    assert title_line == "### " + shown(TITLE_A).replace("[", "\\[").replace("]", "\\]").replace("|", "\\|")
    assert "My \\[bold red\\]loud\\[/bold red\\]" in md
    assert "Tags: #deals \\[b\\]x\\[/b\\]" in md
    assert "<https://news.example/a>" in md


def test_csv_cells_are_plain_text_and_formulas_are_defused(hostile: HostileLibrary, tmp_path: Path) -> None:
    raw = exported(hostile, "csv", tmp_path)
    assert_no_payload(raw)
    rows = list(csv.DictReader(io.StringIO(raw)))
    assert len(rows) == 2
    by_highlight = {row["Highlight"]: row for row in rows}
    formula = by_highlight["'" + FORMULA_QUOTE]
    assert formula["Note"] == "'" + FORMULA_NOTE
    assert formula["Tags"] == "'-2+3, " + FORMULA_TAG  # tags are listed in name order
    hostile_row = by_highlight["Oracle Corporation agreed on Monday"]
    assert hostile_row["Title"] == shown(TITLE_A)
    assert hostile_row["Note"] == shown("My note on this") + "\nsecond line"
    assert hostile_row["Tags"] == SHOWN_TAG
    assert hostile_row["URL"] == "https://news.example/a"
    for row in rows:  # no cell a spreadsheet would evaluate
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values())


@pytest.mark.parametrize(
    ("cell", "safe"),
    [("=SUM(A1:A2)", "'=SUM(A1:A2)"), ("+1", "'+1"), ("-1", "'-1"), ("@cmd", "'@cmd"), ("\tx", "'\tx"),
     ("\uff1dSUM(1)", "'\uff1dSUM(1)"), ("plain", "plain"), ("a=b", "a=b"), ("", "")],
)
def test_defuse_formula(cell: str, safe: str) -> None:
    assert defuse_formula(cell) == safe


def test_markdown_to_a_stream_is_the_same_as_the_file(hostile: HostileLibrary, tmp_path: Path) -> None:
    library = hostile.open()
    try:
        out = io.StringIO()
        export_annotations(library, "markdown", out)
    finally:
        library.close()
    assert out.getvalue().split("\n", 3)[3] == exported(hostile, "markdown", tmp_path).split("\n", 3)[3]  # after the dated header
