"""End to end in a real terminal: highlight with the keyboard, kill -9, start again, it is there.

The installed ``reader`` runs inside tmux on a new library (it starts with the bundled
sample). The first story is opened, ``tab`` goes to the article, ``v e a`` highlights its
first word; the moment the note editor shows, the app is killed with SIGKILL. A second
run lists the highlight in the side list (``H``), and a note added there with ``e`` is in
the store. Skipped when tmux or the installed command is missing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from reader.store import open_library

from tui.tmux_terminal import READER, TMUX, Terminal

pytestmark = pytest.mark.skipif(TMUX is None or not READER.exists(), reason="needs tmux and the installed reader command")


def start(tmp_path: Path) -> Terminal:
    session = f"reader-annotate-{uuid.uuid4().hex[:8]}"
    # no article turns read (and the list under it) while the test types
    (tmp_path / "config.toml").write_text("[tui]\nmark_read_after = 3600\n", encoding="utf-8")
    env = {
        "READER_LIBRARY": str(tmp_path / "library.sqlite3"),
        "READER_CONFIG": str(tmp_path / "config.toml"),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
    }
    command = "exec env " + " ".join(f"{k}={v}" for k, v in env.items()) + f" {READER}"
    subprocess.run(
        [TMUX, "-f", os.devnull, "new-session", "-d", "-s", session, "-x", "110", "-y", "32", command],
        check=True,
        env={**os.environ, "TMUX": ""},
    )
    return Terminal(session)


def app_pid(terminal: Terminal) -> int:
    done = subprocess.run([TMUX, "display-message", "-p", "-t", terminal.session, "#{pane_pid}"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout.strip())


def stop(terminal: Terminal) -> None:
    if terminal.alive():
        subprocess.run([TMUX, "kill-session", "-t", terminal.session], capture_output=True)


def open_first_article(terminal: Terminal) -> None:
    terminal.wait_for(lambda s: "clusters" in s and "sort: latest" in s, "the cluster list")
    terminal.send("Enter")
    terminal.wait_for(lambda s: "No article open" not in s and "▾" in s, "an opened story and its first article")
    terminal.send("Tab")
    terminal.wait_for(lambda s: "v Select" in s, "the article pane focused (its keys in the footer)")


def test_highlight_survives_kill_9_and_shows_in_the_side_list(tmp_path: Path) -> None:
    library_path = tmp_path / "library.sqlite3"
    first = start(tmp_path)
    try:
        open_first_article(first)
        first.send("v")
        first.wait_for(lambda s: "a Highlight" in s, "selection mode (its keys in the footer)")
        first.send("e", "a")
        editor = first.wait_for(lambda s: "Highlighted:" in s and "ctrl+s saves" in s, "the note editor")
        pid = app_pid(first)
        os.kill(pid, signal.SIGKILL)  # right after highlighting: no clean shutdown at all
        for _ in range(100):
            if not first.alive():
                break
            time.sleep(0.1)
    finally:
        stop(first)

    with open_library(library_path) as library:
        (made,) = list(library.iter_annotations())
    assert made.note == "" and made.state == "anchored"
    assert f"“{made.exact}”" in editor  # what the editor showed is what was stored

    second = start(tmp_path)
    try:
        open_first_article(second)
        second.send("H")
        listed = second.wait_for(lambda s: "Highlights · 1" in s, "the side list")
        assert f"“{made.exact}”" in listed
        second.send("e")
        second.wait_for(lambda s: "ctrl+s saves" in s, "the note editor")
        second.send("-l", "after the crash")
        second.send("C-s")  # at once: the save waits for the keys typed before it
        second.wait_for(lambda s: "✎ after the crash" in s, "the note in the side list")
        second.send("q")
        for _ in range(100):
            if not second.alive():
                break
            time.sleep(0.1)
    finally:
        stop(second)
    with open_library(library_path) as library:
        assert library.get_annotation(made.id).note == "after the crash"
