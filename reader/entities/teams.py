"""Sports teams named by their place: "a loss to Detroit", "Toronto's Sam Mitchell", "Cleveland beat Dallas 3-1".

Sports reporting names a team by its city or state, which the gazetteer reads as a place. Such
a mention becomes an organisation, keyed by its own name (the team, not the city), when both:

- the words around it read like a contest or a roster: a contest word before ("against",
  "beat", "loss to", "win over"), a result after ("beat", "rallied", "2-1", "was 20-3"), a
  player's role after it or its possessive ("Atlanta free agent", "Minnesota's coach"), a
  person's possessive ("Toronto's Sam Mitchell") or a person's bracket ("Sam Mitchell (Toronto)");
- the article is about sport: several distinct sports words (coach, season, playoffs, NBA,
  striker ...) or one of them with a score ("9-14").

Neither alone is enough: "protests against Washington" is a place, and so is "Philadelphia
fans" in a sports story. The cue words are English (``lexicon.SPORTS_*``); other languages
keep their places. Countries stay places (national teams are their country, as in CoNLL).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from reader.entities import lexicon
from reader.entities.keys import name_key

TEAM_PLACE_KINDS = frozenset({"city", "region"})
# Last words of a place-like name that is not a known place but a club's ("Manchester City").
TEAM_PLACE_HEADS = frozenset({"city", "town", "county"})
SPORTS_TEXT_MIN_SCORE = 4

_SCORE = re.compile(r"\b\d{1,3}-\d{1,3}\b")
_SCORE_AFTER = re.compile(r"[ \u00a0]*,?[ \u00a0]*(?:(?:is|was|are|were|went|improved to|fell to)[ \u00a0]+)?\(?\d{1,3}-\d{1,3}\b")
_POSSESSIVE_AFTER = re.compile(r"[ \u00a0]?['’]s?[ \u00a0]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z.]*")


def teams_named_by_place(
    text: str, found: list[Any], retype: Callable[[Any, str], Any], org: str, person: str, place_type: str
) -> None:
    """Retype, in place, the PLACE mentions of ``found`` that name a sports team.

    ``found``: (start, end, verdict) in text order, a verdict having ``type``, ``place`` and
    ``text``; ``retype(verdict, key)`` returns the verdict as an organisation with that key.
    """
    sports: bool | None = None  # whether the article is about sport: read once, when first needed
    for index, (start, end, verdict) in enumerate(found):
        if verdict.type != place_type or not _may_name_team(verdict, place_type):
            continue  # only places name teams (a verdict with a gazetteer place is typed a place)
        following = found[index + 1] if index + 1 < len(found) else None
        preceding = found[index - 1] if index else None
        if not _contest_around(text, start, end, following, person) and not _affiliation(text, start, end, preceding, person):
            continue
        if sports is None:
            sports = is_sports_text(text)
        if not sports:
            return
        key = name_key(verdict.text)
        if key:
            found[index] = (start, end, retype(verdict, key))


def _may_name_team(verdict: Any, place_type: str) -> bool:
    """A city or region of the gazetteer, or a place-like name that is none ("Manchester City")."""
    place = verdict.place
    if place is not None:
        return place.kind in TEAM_PLACE_KINDS
    return verdict.type == place_type and len(verdict.words) > 1 and verdict.lowered[-1] in TEAM_PLACE_HEADS


def is_sports_text(text: str) -> bool:
    """Whether the article reads as sports reporting (see the module's docstring)."""
    lowered = text.lower()
    words = set(_WORD.findall(lowered))
    score = 2 * len(words & lexicon.SPORTS_WORDS) + len(words & lexicon.SPORTS_WEAK_WORDS)
    if score >= SPORTS_TEXT_MIN_SCORE:
        return True
    return score >= 2 and _SCORE.search(text) is not None


def _contest_around(text: str, start: int, end: int, following: Any, person: str) -> bool:
    before = text[max(0, start - 40) : start].rsplit(None, 2)[-2:]  # the last two words of the 40 characters before
    last = before[-1].lower() if before else ""
    if last in lexicon.CONTEST_BEFORE:
        return True  # "against Washington", "beat Detroit"
    if len(before) > 1 and last in lexicon.CONTEST_LINKS and before[-2].lower() in lexicon.CONTEST_LINKS[last]:
        return True  # "a loss to Detroit", "a win over Toronto"
    if _SCORE_AFTER.match(text, end):
        return True  # "Detroit 88-72"
    possessive = _POSSESSIVE_AFTER.match(text, end)
    if possessive is not None and text[end : possessive.end()].strip() in ("'s", "’s"):
        after = possessive.end()
        if following is not None and following[0] == after and following[2].type == person:
            return True  # "Toronto's Sam Mitchell"
        word = _WORD.match(text, after)
        return word is not None and word.group().lower() in lexicon.SPORTS_ROLES  # "Minnesota's coach"
    word = _WORD.match(text, end + 1) if text[end : end + 1] == " " else None
    if word is None:
        return False
    lower = word.group().lower()
    return lower in lexicon.CONTEST_AFTER or lower in lexicon.SPORTS_ROLES  # "Cleveland beat ...", "Atlanta free agent"


def _affiliation(text: str, start: int, end: int, preceding: Any, person: str) -> bool:
    """A person's team in brackets: "Sam Mitchell (Toronto)"."""
    if preceding is None or preceding[2].type != person:
        return False
    return text[preceding[1] : start].strip() == "(" and text[end : end + 2].strip()[:1] == ")"
