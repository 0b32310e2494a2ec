"""Search snippets: the store marks each match with MATCH_START/MATCH_END; these turn a
marked snippet into plain text or into rich ``Text`` with the matches in bold.

Snippets are article text, so they are never parsed as markup and their terminal
controls are stripped.
"""

from __future__ import annotations

import re

from rich.text import Text

from reader.text.terminal_safety import strip_terminal_controls

MATCH_START = "\x01"
MATCH_END = "\x02"
_MARK = re.compile(f"[{MATCH_START}{MATCH_END}]")


def plain_snippet(snippet: str) -> str:
    """The snippet without its match marks."""
    return snippet.replace(MATCH_START, "").replace(MATCH_END, "")


def snippet_text(snippet: str, width: int | None = None) -> Text:
    """One line of the snippet, matches in bold; cut to ``width`` cells with an ellipsis."""
    text = Text(end="")
    # split on the marks before stripping controls: the marks are controls themselves
    for number, piece in enumerate(_MARK.split(" ".join(snippet.split()))):
        text.append(strip_terminal_controls(piece), style="bold" if number % 2 else "")
    if width is not None:
        text.truncate(width, overflow="ellipsis")
    return text
