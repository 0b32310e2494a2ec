"""The CLI's output for hostile titles, sources, URLs, entity names, notes and tags.

Each command runs as a real subprocess (``python -m reader``) on a library imported
through the real pipeline (hardening/hostile.py). Rich output is checked twice: with
colours forced on (what a terminal receives) and as plain text (a pipe). Only Rich's own
SGR styles may be escape sequences; markup stays literal. ``--json`` keeps the exact
stored text, with every character a terminal would act on or hide ``\\u``-escaped.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from hardening.hostile import (
    ENTITY,
    MARKUP,
    PAYLOAD_WORDS,
    HostileLibrary,
    build_hostile_library,
    tainted,
    unsafe_characters,
)

SGR = re.compile(r"\x1b\[[0-9;]*m")
# What Rich's progress display writes besides styles: hide/show the cursor, erase the line, go up, return.
LIVE = re.compile(r"\x1b\[\?25[lh]|\x1b\[2K|\x1b\[\d*A|\r")
LITERAL = "[bold red]loud[/bold red]"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> HostileLibrary:
    return build_hostile_library(tmp_path_factory.mktemp("hostile-cli"))


def run(hostile: HostileLibrary, *args: str, colour: bool, returncode: int | None = 0) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE")}
    env.update(COLUMNS="250", LINES="60", TERM="xterm-256color")
    if colour:
        env["FORCE_COLOR"] = "1"
    else:
        env["NO_COLOR"] = "1"
    done = subprocess.run([sys.executable, "-m", "reader", "--library", str(hostile.path), *args], env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=600)
    assert returncode is None or done.returncode == returncode, done.stderr
    assert_terminal_safe(LIVE.sub("", done.stderr))
    return done


def assert_terminal_safe(output: str, *, payload_words: bool = True) -> str:
    """What is left after Rich's own styles: no escape, control, bidi or zero-width character."""
    text = SGR.sub("", output)
    assert "\x1b" not in text, repr(text[max(0, text.index("\x1b") - 40) : text.index("\x1b") + 40])
    assert unsafe_characters(text) == [], sorted(set(unsafe_characters(text)))
    for word in PAYLOAD_WORDS if payload_words else ():
        assert word not in text, f"{word!r} from a payload is in the output"
    return text


COMMANDS = {
    "list": (["list"], ["Hostile " + LITERAL, "Wire [bold red]loud[/bo"]),
    "show": (["show", "hostile-a"], ["Hostile " + MARKUP + " headline about Oracle and TikTok", "https://news.example/a",
                                     "Hidden payload and " + MARKUP + " in the text."]),
    "show --raw": (["show", "hostile-a", "--raw"], ["Hidden payload and " + MARKUP + " in the text."]),
    "clusters": (["clusters"], ["Hostile " + LITERAL]),
    "entities": (["entities"], ["Evil " + LITERAL, "Larry Ellison"]),
    "annotations": (["annotations"], ["My " + LITERAL, "deals [b]x[/b]"]),
    "search": (["search", "ellison"], ["Hostile " + LITERAL, "Larry Ellison, the founder of Oracle"]),
    "diff": (["diff", "hostile-a", "hostile-b"], ["Hostile " + LITERAL, "Second " + LITERAL, "Hidden payload and " + LITERAL]),
    "duplicates": (["duplicates"], ["Hostile " + LITERAL]),
    "export markdown": (["export", "--format", "markdown"], ["My \\[bold red\\]loud\\[/bold red\\]"]),
}


@pytest.mark.parametrize("colour", [True, False], ids=["colour", "plain"])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_rich_output_shows_hostile_fields_as_literal_text(hostile: HostileLibrary, name: str, colour: bool) -> None:
    args, expected = COMMANDS[name]
    text = assert_terminal_safe(run(hostile, *args, colour=colour).stdout)
    for piece in expected:
        assert piece in text, f"{piece!r} is not in the output of reader {name}:\n{text[:3000]}"
    if not colour:
        assert "\x1b" not in text


@pytest.mark.parametrize(
    "args",
    [["list", "--json"], ["show", "hostile-a", "--json"], ["clusters", "--json"], ["entities", "--json"],
     ["annotations", "--json"], ["search", "ellison", "--json"], ["export", "--format", "json"]],
    ids=lambda args: " ".join(args),
)
def test_json_output_keeps_the_exact_text_and_is_terminal_safe(hostile: HostileLibrary, args: list[str]) -> None:
    output = run(hostile, *args, colour=True).stdout
    assert "\x1b" not in output and unsafe_characters(output) == []  # escaped, never raw
    data = json.loads(output)
    library = hostile.open()
    try:
        stored_title = library.get_article(hostile.ids["hostile-a"]).title
        stored_note = next(a.note for a in library.iter_annotations() if a.note.startswith("My"))
    finally:
        library.close()
    flat = json.dumps(data, ensure_ascii=False)
    exact = {
        "list": stored_title, "show": stored_title, "clusters": stored_title, "search": stored_title,
        "entities": None, "annotations": stored_note, "export": stored_note,
    }[args[0]]
    if exact is None:  # entities: the stored hostile name, exactly
        names = [e["name"] for e in data]
        assert tainted(ENTITY) in names, names
    else:
        assert json.dumps(exact, ensure_ascii=False)[1:-1] in flat  # the exact stored string, escapes and all


def test_error_messages_quote_titles_as_text(hostile: HostileLibrary) -> None:
    message = run(hostile, "annotate", "hostile-a", "--quote", "words that are not there", colour=True, returncode=2).stderr
    assert "Hostile " + LITERAL in message


def test_import_messages_name_hostile_files_as_text(tmp_path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "ev\x1b[2Jil\u202e\x9d0;pwned\x9c.txt").write_bytes(b"\x00\x01\x02\xff\xfe" * 300)  # binary: refused
    (folder / "bad\x1b]52;c;cHduZWQ=\x07.json").write_text('{"title": "[bold]x[/bold]", "text": [1, 2', encoding="utf-8")
    library = HostileLibrary(tmp_path / "library.sqlite3", {})
    messages = SGR.sub("", LIVE.sub("", run(library, "import", str(folder), colour=True, returncode=None).stderr))
    assert "evil.txt: binary data" in messages and "bad.json" in messages


def test_a_feed_with_c1_controls_and_bidi_in_character_references(tmp_path) -> None:
    """XML allows C1 controls and bidi overrides as character references: a feed is another way in."""
    hidden = "&#x9b;2J&#x9d;52;c;cHduZWQ=&#x9c;&#x202e;&#x2066;&#x200b;&#xfeff;"
    body = "Oracle Corporation agreed on Monday to become the technology partner of TikTok in the United States. " * 4
    feed = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Wi{hidden}re [b]feed[/b]</title><link>https://feed.example/</link>"
        f"<item><title>Fe{hidden}ed [bold red]loud[/bold red] item</title><link>https://feed.example/1</link>"
        f"<guid>item-1</guid><description>{body}Hidden{hidden} text.</description></item></channel></rss>"
    )
    (tmp_path / "feed.xml").write_text(feed, encoding="utf-8")
    library = HostileLibrary(tmp_path / "library.sqlite3", {})
    run(library, "import", str(tmp_path / "feed.xml"), colour=True)
    # Feed parsers read C1 character references the HTML5 way, as cp1252 letters (&#x9b; is "›"),
    # so the payload's words stay, as inert text; the bidi and zero-width characters stay in the data.
    listing = assert_terminal_safe(run(library, "list", colour=True).stdout, payload_words=False)
    assert "ed [bold red]loud[/bold red] item" in listing
    shown_article = assert_terminal_safe(run(library, "show", "item-1", colour=True).stdout, payload_words=False)
    assert "ed [bold red]loud[/bold red] item" in shown_article and "Hidden" in shown_article
    data = json.loads(run(library, "show", "item-1", "--json", colour=True).stdout)
    assert "\u202e" in data["title"] and "\ufeff" in data["title"]  # the exact stored title, as data
