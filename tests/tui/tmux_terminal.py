"""A tmux session driven like a user: send keys, read the screen, wait for something to show.

Shared by the real-terminal tests (imported as ``tui.tmux_terminal``; ``tests/`` is on the path).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

TMUX = shutil.which("tmux")
READER = Path(sys.executable).with_name("reader")
if not READER.exists() and shutil.which("reader"):
    READER = Path(shutil.which("reader"))  # type: ignore[arg-type]


class Terminal:
    def __init__(self, session: str) -> None:
        self.session = session

    def send(self, *keys: str) -> None:
        subprocess.run([TMUX, "send-keys", "-t", self.session, *keys], check=True)

    def screen(self) -> str:
        done = subprocess.run([TMUX, "capture-pane", "-p", "-t", self.session], capture_output=True, text=True)
        return done.stdout

    def wait_for(self, predicate, what: str, attempts: int = 300) -> str:
        """Poll the screen (this is a wait for the app, not a timing assertion)."""
        for _ in range(attempts):
            text = self.screen()
            if predicate(text):
                return text
            time.sleep(0.1)
        raise AssertionError(f"never saw {what}; the screen was:\n{self.screen()}")

    def alive(self) -> bool:
        return subprocess.run([TMUX, "has-session", "-t", self.session], capture_output=True).returncode == 0
