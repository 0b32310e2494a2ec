"""Make untrusted article text safe to put on a terminal.

Strips ANSI/VT escape sequences (CSI, OSC — e.g. OSC 52 clipboard writes —, DCS, APC, PM,
SOS), the remaining C0 and C1 control characters (newline and tab excepted), bidirectional
embedding/override/isolate controls, and zero-width characters. Markup is never an issue
as long as callers build ``rich.text.Text`` objects from the result rather than markup strings.
"""

from __future__ import annotations

import re

_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]               # CSI ... final byte
    | \x9b[0-?]*[ -/]*[@-~]               # 8-bit CSI
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]) .*? (?:\x07|\x1b\\|\x9c|$)   # OSC/DCS/SOS/PM/APC strings
    | \x1b[ -/]*[0-~]                     # other two/three-byte escapes
    """,
    re.VERBOSE | re.DOTALL,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIDI_AND_ZERO_WIDTH = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u180e]")


def strip_terminal_controls(text: str) -> str:
    """Remove escape sequences and invisible control characters; keep newlines and tabs."""
    if not text:
        return text
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = _CONTROL.sub("", text)
    return _BIDI_AND_ZERO_WIDTH.sub("", text)


def safe_line(text: str | None, max_len: int | None = None) -> str:
    """One display line: controls stripped, whitespace runs folded, optionally cut with an ellipsis."""
    if not text:
        return ""
    line = " ".join(strip_terminal_controls(text).split())
    if max_len is not None and len(line) > max_len:
        line = line[: max(0, max_len - 1)] + "…"
    return line
