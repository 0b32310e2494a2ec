"""Hostile articles and annotations for the terminal-safety tests, and how to read a frame.

Every untrusted field (title, source, URL, text, note, tag) carries the same payload:
escape sequences (clear screen, OSC 52 clipboard write, OSC 8 link, window title, 8-bit
CSI), C0 and C1 controls, bidirectional overrides, zero-width characters, and Rich/Textual
markup. What must reach the screen is the words and the markup as literal text, nothing else.
The data is imported the way users import it: a JSON Lines file through the real pipeline.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from reader.pipeline import import_inputs
from reader.store import Library, open_library

ESCAPES = (
    "\x1b[2J\x1b[H"  # clear the screen, cursor home
    "\x1b]52;c;cHduZWQ=\x07"  # OSC 52: write "pwned" to the clipboard
    "\x1b]8;;https://evil.example/\x1b\\"  # OSC 8: open a hyperlink
    "\x1b]0;pwned-title\x07"  # set the window title
    "\x9b31m"  # 8-bit CSI: red
    "\x9d52;c;cHduZWQ=\x9c"  # 8-bit OSC 52
)
CONTROLS = "\x07\x08\x7f\x80\x9a"  # bell, backspace, delete, two C1 controls
BIDI = "\u202e\u202d\u2066\u2067\u2068\u2069\u202a\u202b\u202c"  # overrides, isolates, embeddings
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
HIDDEN = ESCAPES + CONTROLS + BIDI + ZERO_WIDTH
MARKUP = "[bold red]loud[/bold red] [link=https://evil.example]here[/link] [@click=app.quit]quit[/]"

# Words that only the payload holds: none may ever be on the screen or in a Markdown/CSV file.
PAYLOAD_WORDS = ("pwned", "cHduZWQ", "evil.example/", "52;c", "2J", "31m")


def tainted(words: str) -> str:
    """``words`` with the hidden payload in the middle of its first word and the markup after that word."""
    first, _, rest = words.partition(" ")
    return f"{first[:2]}{HIDDEN}{first[2:]} {MARKUP} {rest}".strip()


def shown(words: str) -> str:
    """What ``tainted(words)`` must look like on one line."""
    first, _, rest = words.partition(" ")
    return f"{first} {MARKUP} {rest}".strip()


FORMULA_QUOTE = "=1+2"  # a highlight a spreadsheet would evaluate
FORMULA_NOTE = "=cmd|' /C calc'!A0"  # the classic DDE payload
FORMULA_TAG = "@SUM(1+1)"
BODY = [
    "Oracle Corporation agreed on Monday to become the technology partner of TikTok in the United States, "
    "after Microsoft said its own offer had been turned down by ByteDance.",
    "The deal still needs the approval of the Treasury and of the White House, officials in Washington said.",
    "Larry Ellison, the founder of Oracle, is a supporter of the president, and analysts in New York "
    "expect the agreement to be signed within weeks.",
    "ByteDance said that the algorithm behind the recommendations of TikTok would stay in Beijing.",
    FORMULA_QUOTE + " was typed into the spreadsheet that the analysts shared.",
]
TITLE_A = "Hostile headline about Oracle and TikTok"
TITLE_B = "Second hostile headline about the same deal"
SOURCE = "Wire Service"
NOTE = "My note on this"
TAG = "deals"
ENTITY = "Evil Corp"
HOSTILE_TAG = f"de\x1b[31m{BIDI}{ZERO_WIDTH}als [b]x[/b]"  # tags are at most 64 characters
SHOWN_TAG = "deals [b]x[/b]"


def article_text(extra: str) -> str:
    paragraphs = list(BODY)
    paragraphs[1] = paragraphs[1] + " " + extra
    paragraphs.insert(2, f"Hidden {HIDDEN}payload and {MARKUP} in the text.")
    return "\n\n".join(paragraphs)


def records() -> list[dict[str, str]]:
    return [
        {"id": "hostile-a", "title": tainted(TITLE_A), "text": article_text("Nothing else was said."), "source": tainted(SOURCE),
         "url": f"https://news.example/a{HIDDEN}", "date": "2024-03-02", "lang": "en", "author": tainted("Ann Author")},
        {"id": "hostile-b", "title": tainted(TITLE_B), "text": article_text("A spokesman declined to comment further."),
         "source": tainted(SOURCE), "url": f"https://news.example/b{HIDDEN}", "date": "2024-03-03", "lang": "en"},
    ]


@dataclass
class HostileLibrary:
    path: Path
    ids: dict[str, int]

    def open(self) -> Library:
        return open_library(self.path)


def build_hostile_library(folder: Path) -> HostileLibrary:
    """Import the hostile articles through the real pipeline and annotate one (note and tags hostile too)."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "hostile.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records()), encoding="utf-8")
    path = folder / "library.sqlite3"
    library = open_library(path)
    try:
        report = import_inputs(library, [str(source)], workers=1)
        assert report.imported == 2, report
        ids = {a.external_id: a.id for a in library.iter_articles()}
        text = library.get_article(ids["hostile-a"]).text
        start = text.index("Oracle Corporation")
        library.create_annotation(ids["hostile-a"], start, start + len("Oracle Corporation agreed on Monday"),
                                  note=tainted(NOTE) + "\nsecond line", tags=[HOSTILE_TAG])
        start = text.index(FORMULA_QUOTE)
        library.create_annotation(ids["hostile-a"], start, start + len(FORMULA_QUOTE), note=FORMULA_NOTE, tags=[FORMULA_TAG, "-2+3"])
        add_hostile_entity(library, ids["hostile-a"], text)
    finally:
        library.close()
    return HostileLibrary(path, ids)


def add_hostile_entity(library: Library, article_id: int, text: str) -> None:
    """An entity whose stored name is hostile, mentioned once (a library written by another tool or version).

    Names the recognizer finds come from the clean text, so they are safe already; the
    screen must not rely on that.
    """
    from reader.store.entities import MentionRow

    start = text.index("Hidden")
    with library.transaction():
        entity_id = library.create_entity(tainted(ENTITY), "ORG", "hostile entity")
        kept = [MentionRow(s.start, s.end, s.entity_id, s.type) for s in library.entity_spans(article_id)]
        mentions = sorted(kept + [MentionRow(start, start + len("Hidden"), entity_id, "ORG")])
        library.replace_mentions(article_id, mentions)


# -- what reached the screen -------------------------------------------------------------------

# What Textual itself writes for a frame: SGR styles and cursor moves. Nothing else may remain.
_RENDERER_SEQUENCES = re.compile(r"\x1b\[[0-9;]*m|\x1b\[\d+;\d+H")


def unsafe_characters(text: str) -> list[str]:
    """Controls (newline and tab aside), bidi controls, zero-width and other invisible formats."""
    return [ch for ch in text if (unicodedata.category(ch) in ("Cc", "Cf", "Cs") and ch not in "\n\t")]


@dataclass
class Frame:
    """One full frame of the app: the bytes a terminal would receive, and the text lines."""

    raw: str
    lines: list[str]
    segments: list

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def line_with(self, needle: str) -> str:
        found = [line for line in self.lines if needle in line]
        assert found, f"{needle!r} is not on the screen:\n{self.text}"
        return found[0]


def frame_of(app) -> Frame:
    """Render the current screen (with the screens under it) the way the driver writes it."""
    from rich.console import Console

    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console = Console(width=app.size.width, height=app.size.height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", legacy_windows=False, safe_box=False)
    raw = update.render_segments(console)
    segments = [segment for line in update.strips for strip in line for segment in strip]
    lines = ["".join(segment.text for strip in line for segment in strip).rstrip() for line in update.strips]
    return Frame(raw, lines, segments)


def assert_screen_is_safe(frame: Frame) -> None:
    """Nothing but the renderer's own sequences, no hidden characters, no link or click from data."""
    leftover = _RENDERER_SEQUENCES.sub("", frame.raw)
    assert "\x1b" not in leftover, repr(leftover[max(0, leftover.index("\x1b") - 40) : leftover.index("\x1b") + 40])
    assert unsafe_characters(leftover) == [], sorted(set(unsafe_characters(leftover)))
    for word in PAYLOAD_WORDS:
        assert word not in frame.text, f"{word!r} from a payload reached the screen"
    for segment in frame.segments:
        style = segment.style
        if style is None:
            continue
        assert not style.link, f"a link reached the screen: {style.link!r} on {segment.text!r}"
        click = (style.meta or {}).get("@click")
        assert not (click and "quit" in str(click)), f"a click action from data: {click!r}"
