"""End to end in a real terminal: the installed ``reader`` inside tmux, on a new library.

A new library starts with the bundled sample. The test opens the first story and walks
down its articles with j/enter until the French one is on screen, as a user would.
Skipped when tmux or the installed command is missing.
"""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from tui.tmux_terminal import READER, TMUX, Terminal

pytestmark = pytest.mark.skipif(TMUX is None or not READER.exists(), reason="needs tmux and the installed reader command")

FRENCH_TITLE = "Microsoft hors-jeu"
FRENCH_TEXT = "Alors que l’offre de rachat de Microsoft"


@pytest.fixture
def terminal(tmp_path: Path):
    session = f"reader-test-{uuid.uuid4().hex[:8]}"
    env = {
        "READER_LIBRARY": str(tmp_path / "library.sqlite3"),
        "READER_CONFIG": str(tmp_path / "config.toml"),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
    }
    command = " ".join(f"{k}={v}" for k, v in env.items()) + f" {READER}"
    subprocess.run(
        [TMUX, "-f", os.devnull, "new-session", "-d", "-s", session, "-x", "100", "-y", "30", command],
        check=True,
        env={**os.environ, "TMUX": ""},
    )
    term = Terminal(session)
    yield term
    if term.alive():
        subprocess.run([TMUX, "kill-session", "-t", session], capture_output=True)


def test_open_the_sample_and_move_to_the_french_article(terminal: Terminal) -> None:
    terminal.wait_for(lambda s: "clusters" in s and "sort: latest" in s, "the cluster list")
    terminal.send("Enter")  # open the first story: its articles are listed under it
    terminal.wait_for(lambda s: "articles" in s and "·" in s, "an opened story")
    for _ in range(12):
        if FRENCH_TEXT in terminal.screen():
            break
        terminal.send("j")
        terminal.send("Enter")
        time.sleep(0.3)
    screen = terminal.wait_for(lambda s: FRENCH_TEXT in s, "the French article")
    assert FRENCH_TITLE in screen
    assert " fr" in screen  # the language shows in the meta line and the sidebar row
    terminal.send("q")
    for _ in range(100):
        if not terminal.alive():
            break
        time.sleep(0.1)
    assert not terminal.alive()
