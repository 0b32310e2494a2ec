"""Make untrusted text safe to put on a terminal.

What is removed, and why removed rather than shown as a visible stand-in:

* Escape sequences: CSI (``ESC [`` or the 8-bit ``CSI``: colours, cursor moves, clearing
  the screen) and the string sequences OSC, DCS, SOS, PM and APC (``ESC ]`` … or their
  8-bit introducers: window titles, OSC 52 clipboard writes, OSC 8 links) together with
  their payload when they are terminated (BEL, ``ESC \\`` or ``ST``). An unterminated
  string loses only its introducer: without it the payload is inert text, and a stray
  8-bit introducer (a cp1252 or latin-1 byte 0x90 or 0x9D in a badly decoded page) must
  not swallow the rest of an article.
* Every other C0 and C1 control character (newline and tab are kept): a terminal acts on
  them (bell, backspace, carriage return, form feed …), none is text.
* Bidirectional embeddings, overrides, isolates and marks (U+202A–202E, U+2066–2069,
  U+200E, U+200F, U+061C): they only reorder what is shown (the "Trojan Source" trick
  makes a line read differently from what it holds), and most terminals ignore them or
  apply them inconsistently. Removing them never changes a word.
* Zero-width and invisible format characters (U+200B–200D, U+2060–2064, U+FEFF, U+180E,
  U+206A–206F, U+FFF9–FFFB and the tag characters U+E0000–E007F): invisible, they hide
  differences (``Ora\\u200bcle`` looks like ``Oracle``) or smuggle hidden text, and terminals
  and Rich disagree on their width, which breaks the layout. The cost is small and
  accepted: a ZWNJ/ZWJ that joins Persian or Indic letters, or the pieces of an emoji
  sequence, is dropped, so those letters or emoji show unjoined.
* Lone surrogates: not text at all, and writing one to a UTF-8 terminal raises.

Line and paragraph separators (U+2028, U+2029) are not controls and stay; ``safe_line``
folds them, like every whitespace, into one space.

A visible stand-in (``<U+202E>``, ``�``) was considered and rejected: it would clutter
ordinary Arabic, Hebrew and Persian text, where marks are common and harmless to meaning,
and every character is removed, never replaced, so offsets into the result map back to
the original by removed runs only (``reader.tui.textlayout`` relies on that).

Markup is never an issue as long as callers build ``rich.text.Text`` objects from the
result rather than markup strings.
"""

from __future__ import annotations

import re

_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_INVISIBLE = "\u200b-\u200d\u2060-\u2064\ufeff\u180e\u206a-\u206f\ufff9-\ufffb\U000e0000-\U000e007f"
_SURROGATES = "\ud800-\udfff"

# The body of a character class: every character strip_terminal_controls removes.
# Escape sequences start with one of them, so a text without any is returned unchanged.
REMOVED_CHARACTERS = _CONTROLS + _BIDI_CONTROLS + _INVISIBLE + _SURROGATES
UNSAFE_CHARACTER = re.compile(f"[{REMOVED_CHARACTERS}]")
_SAFE_ASCII = bytes(code for code in range(128) if not UNSAFE_CHARACTER.match(chr(code)))
_CONTROL_CHARACTER = re.compile(f"[{_CONTROLS}]")

# Possessive quantifiers: a string body stops at the next control character, so the
# scan is linear however many introducers a hostile text holds.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*+[ -/]*+[@-~]                       # CSI ... final byte
    | \x9b[0-?]*+[ -/]*+[@-~]                        # 8-bit CSI
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])        # OSC/DCS/SOS/PM/APC
      [^\x00-\x1f\x7f-\x9f]*+ (?:\x07|\x1b\\|\x9c)   #   ... only when terminated
    | \x1b[ -/]*+[0-~]                               # other escapes (and bare introducers)
    """,
    re.VERBOSE,
)


def strip_control_sequences(text: str) -> str:
    """Remove escape sequences (with their payload) and C0/C1 controls; keep newlines and tabs.

    For text that is stored or exported rather than shown as is (notes, tags): bidi marks
    and zero-width characters stay, since a Persian note needs its ZWNJ; the screen strips
    them with :func:`strip_terminal_controls`.
    """
    if not text or not _CONTROL_CHARACTER.search(text):
        return text
    return _CONTROL_CHARACTER.sub("", _ESCAPE_SEQUENCE.sub("", text))


def holds_unsafe_characters(text: str) -> bool:
    """True when the text holds a character that ``strip_terminal_controls`` removes.

    Searched in the few characters that could be one: the text's UTF-8 without its safe ASCII
    bytes (deleting them is a C pass, 10x cheaper than searching the whole text)."""
    suspects = text.encode("utf-8", "surrogatepass").translate(None, _SAFE_ASCII)
    return bool(suspects) and UNSAFE_CHARACTER.search(suspects.decode("utf-8", "surrogatepass")) is not None


def strip_terminal_controls(text: str) -> str:
    """Remove escape sequences and invisible control characters; keep newlines and tabs."""
    if not text or not holds_unsafe_characters(text):
        return text
    return UNSAFE_CHARACTER.sub("", _ESCAPE_SEQUENCE.sub("", text))


_JSON_UNSAFE = re.compile(f"[{REMOVED_CHARACTERS}\u2028\u2029]")


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # as a surrogate pair, the way JSON spells a character beyond the BMP
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def terminal_safe_json(encoded: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with every character a terminal
    would act on or hide written as a ``\\uXXXX`` escape.

    The decoded values are exactly the same; only the bytes change, so printing the JSON or
    ``cat``-ing the file shows no raw C1 control (a UTF-8 terminal may act on U+009B as
    CSI), bidi override or invisible character, and a lone surrogate cannot break the write.
    """
    return _JSON_UNSAFE.sub(_json_escape, encoded) if _JSON_UNSAFE.search(encoded) else encoded


def safe_line(text: str | None, max_len: int | None = None) -> str:
    """One display line: controls stripped, whitespace runs folded, optionally cut with an ellipsis."""
    if not text:
        return ""
    line = " ".join(strip_terminal_controls(text).split())
    if max_len is not None and len(line) > max_len:
        line = line[: max(0, max_len - 1)] + "…"
    return line
