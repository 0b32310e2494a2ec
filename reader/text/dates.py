"""Dates: normalise metadata dates to ISO 8601, and find a dateline in the text.

Month names are known for en, fr, de, es, pt and it (full and abbreviated, with
or without accents), so feed dates such as "Seg, 24 Set 2018 19:42:40 -0300"
and datelines such as "Le 6 août 2020" or "14 de septiembre de 2020" parse
without a locale. Numeric dates are only read when they are unambiguous: ISO
order, a day above 12, or a language that writes the day first.
"""

from __future__ import annotations

import re
import time
import unicodedata
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from reader.text.normalize import is_single_spaced

MIN_YEAR = 1800
MAX_YEAR = 2200
# A dateline sits near the start; further in, dates are usually about events, not the article.
DATELINE_WINDOW = 1200
# Languages that write numeric dates day first (14/09/2020, 14.09.2020).
DAY_FIRST_LANGS = frozenset({"fr", "de", "es", "pt", "it", "nl", "pl", "ru", "tr", "da", "sv", "no", "fi", "cs"})

MONTH_NAMES: dict[str, tuple[tuple[str, ...], ...]] = {
    "en": (
        ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
        ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"),
        ("october", "oct"), ("november", "nov"), ("december", "dec"),
    ),
    "fr": (
        ("janvier", "janv", "jan"), ("février", "fevrier", "févr", "fevr", "fév", "fev"), ("mars",),
        ("avril", "avr"), ("mai",), ("juin",), ("juillet", "juil"), ("août", "aout"),
        ("septembre", "sept"), ("octobre", "oct"), ("novembre", "nov"), ("décembre", "decembre", "déc", "dec"),
    ),
    "de": (
        ("januar", "jänner", "jan", "jän"), ("februar", "feber", "feb"), ("märz", "maerz", "mär", "mrz"),
        ("april", "apr"), ("mai",), ("juni", "jun"), ("juli", "jul"), ("august", "aug"),
        ("september", "sept", "sep"), ("oktober", "okt"), ("november", "nov"), ("dezember", "dez"),
    ),
    "es": (
        ("enero", "ene"), ("febrero", "feb"), ("marzo", "mar"), ("abril", "abr"), ("mayo", "may"),
        ("junio", "jun"), ("julio", "jul"), ("agosto", "ago"), ("septiembre", "setiembre", "sept", "sep", "set"),
        ("octubre", "oct"), ("noviembre", "nov"), ("diciembre", "dic"),
    ),
    "pt": (
        ("janeiro", "jan"), ("fevereiro", "fev"), ("março", "marco", "mar"), ("abril", "abr"), ("maio", "mai"),
        ("junho", "jun"), ("julho", "jul"), ("agosto", "ago"), ("setembro", "set"),
        ("outubro", "out"), ("novembro", "nov"), ("dezembro", "dez"),
    ),
    "it": (
        ("gennaio", "gen"), ("febbraio", "feb"), ("marzo", "mar"), ("aprile", "apr"), ("maggio", "mag"),
        ("giugno", "giu"), ("luglio", "lug"), ("agosto", "ago"), ("settembre", "set"),
        ("ottobre", "ott"), ("novembre", "nov"), ("dicembre", "dic"),
    ),
}

_TZ_NAMES = {
    "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 60, "CET": 60, "MEZ": 60, "CEST": 120, "MESZ": 120,
    "EET": 120, "EEST": 180, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360,
    "PST": -480, "PDT": -420, "BRT": -180, "BRST": -120, "JST": 540, "IST": 330, "AEST": 600, "AEDT": 660,
}


_COMBINING_MARKS = re.compile("[\u0300-\u036f]")


def _fold(text: str) -> str:
    """Lower case without accents: "Août" -> "aout"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return decomposed if decomposed.isascii() else _COMBINING_MARKS.sub("", decomposed)  # (no mark is ASCII)


def _month_lookup() -> dict[str, int]:
    """Folded month name or abbreviation -> month number, for all our languages.

    No abbreviation means different months in two of them ("mar" is March in
    each), so one table serves every language, and a mislabelled article too.
    """
    lookup: dict[str, int] = {}
    for names_by_month in MONTH_NAMES.values():
        for number, names in enumerate(names_by_month, start=1):
            for name in names:
                folded = _fold(name)
                if lookup.setdefault(folded, number) != number:  # pragma: no cover - a table error
                    raise ValueError(f"month name {name!r} is ambiguous")
    return lookup


MONTHS = _month_lookup()
# Any word where a month name may stand; _date_from_match keeps it only if it is one (a
# generic word is much faster to scan for than an alternation of 150 names).
_MONTH = r"(?P<month>[a-z]{3,10})\.?"
_DAY = r"(?P<day>[0-3]?\d)"
_YEAR = r"(?P<year>\d{4})"
# Run on folded text (lower case, no accents), in this order of priority.
DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    # 14 September 2020 · 6. August 2020 · 1er aout 2020 · 14 de septiembre de 2020 · 1º de maio de 2020
    re.compile(rf"(?<![\w.]){_DAY}(?:er|o|°|st|nd|rd|th|\.)?(?: de)? {_MONTH},?(?: de| del)? {_YEAR}(?!\d)"),
    # Sep 14, 2020 · September 14th 2020
    re.compile(rf"(?<!\w){_MONTH} {_DAY}(?:st|nd|rd|th)?,? {_YEAR}(?!\d)"),
    # 2020-09-14 · 2020/09/14
    re.compile(r"(?<![\d./-])(?P<year>\d{4})(?P<isosep>[-/.])(?P<month>[01]?\d)(?P=isosep)(?P<day>[0-3]?\d)(?![\d/-])"),
    # 14/09/2020 · 14.09.2020 (day or month first: resolved in _numeric_date)
    re.compile(r"(?<![\d./-])(?P<first>[0-3]?\d)(?P<sep>[/.])(?P<second>[01]?\d)(?P=sep)(?P<year>\d{4})(?![\d/-]|\.\d)"),
)


def _valid_date(year: int, month: int, day: int) -> date | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _numeric_date(first: int, second: int, year: int, separator: str, lang: str | None) -> date | None:
    """Read dd/mm/yyyy or mm/dd/yyyy only where the reading is unambiguous."""
    if first > 12 or first == second:
        return _valid_date(year, second, first)
    if second > 12:
        return _valid_date(year, first, second)
    if separator == "." or (lang or "") in DAY_FIRST_LANGS:
        return _valid_date(year, second, first)
    return None  # 03/04/2020 in English: March or April? Don't guess.


def _date_from_match(match: re.Match[str], lang: str | None) -> date | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("first") is not None:
        return _numeric_date(int(groups["first"]), int(groups["second"]), year, groups["sep"], lang)
    month_text = groups["month"]
    month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text)
    if month is None:
        return None
    return _valid_date(year, month, int(groups["day"]))


def _fold_spaces(text: str) -> str:
    """Folded, each run of white space other than newlines as one space."""
    folded = _fold(text)
    # no white space but single spaces between the lines (as in clean text): nothing to replace
    if is_single_spaced(folded.replace("\n", "")):
        return folded
    return _SPACE_RUN.sub(" ", folded)


_SPACE_RUN = re.compile(r"[^\S\n]+")


def find_dates_in_text(text: str, lang: str | None = None, window: int = DATELINE_WINDOW) -> list[tuple[int, str]]:
    """Dates in the first ``window`` characters as (position in the folded text, ISO date), in text order."""
    if not text:
        return []
    return [(start, iso) for start, _, iso in _dates_in_folded(_fold_spaces(text[:window]), lang)]


_YEAR_DIGITS = re.compile(r"\d{4}")
# Every date pattern holds a 4-digit year, at most this many characters after the match
# starts ("14 de septiembre de 2020") and this many before it ends ("2020-09-14").
_BEFORE_YEAR, _AFTER_YEAR = 32, 8


def _year_windows(head: str) -> list[tuple[int, int]]:
    """Merged spans around each 4-digit number: the only places a date can be."""
    windows: list[tuple[int, int]] = []
    for year in _YEAR_DIGITS.finditer(head):
        start, end = max(0, year.start() - _BEFORE_YEAR), year.end() + _AFTER_YEAR
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def _dates_in_folded(head: str, lang: str | None) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for window_start, window_end in _year_windows(head):
        for pattern in DATE_PATTERNS:
            for match in pattern.finditer(head, window_start, window_end):
                if any(start < match.end() and match.start() < end for start, end, _ in found):
                    continue
                parsed = _date_from_match(match, lang)
                if parsed is not None:
                    found.append((match.start(), match.end(), parsed.isoformat()))
    return sorted(found)


def find_date_in_text(text: str, lang: str | None = None) -> str | None:
    """The article's dateline, or the first date near the start of the text, as an ISO date."""
    dates = find_dates_in_text(text, lang)
    return dates[0][1] if dates else None


# --- metadata dates ---------------------------------------------------------------------------

_ISO_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?)?(Z|[+-]\d{2}:?\d{2})?$")
_TIME = re.compile(r"(?<!\d)(?P<hour>[0-2]?\d)[:h](?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d)(?:[.,]\d+)?)?(?!\d)")
_OFFSET = re.compile(r"(?:(?<=\s)|(?<=\d))(?P<offset>[+-])(?P<hh>\d{2}):?(?P<mm>\d{2})(?!\d)|(?<![\w])(?P<name>[a-z]{1,5})(?![\w])", re.IGNORECASE)
_RFC822_SHAPE = re.compile(r"^(?:[^\W\d]{2,9}\.?,\s*)?\d{1,2}\s+[^\W\d]{3,9}\.?\s+\d{2,4}\s+\d{1,2}:\d{2}")
_EPOCH = re.compile(r"^\d{9,10}(?:\.\d+)?$")


def normalize_date(value: object) -> str | None:
    """A metadata date (ISO 8601, RFC 822 in any of our languages, "2020-09-14 10:00",
    a datetime/date, a time.struct_time as feedparser gives, an epoch) as ISO 8601.

    A date alone gives "YYYY-MM-DD"; a time gives "YYYY-MM-DDTHH:MM:SS" plus the
    offset when one is known. Unparseable or implausible values give None.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time.struct_time):
        return datetime(*value[:6], tzinfo=timezone.utc).isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_epoch(float(value))
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if not text:
        return None
    return _from_iso(text) or _from_words(text) or _from_rfc822(text) or (_from_epoch(float(text)) if _EPOCH.match(text) else None)


def _plausible(moment: datetime | date) -> bool:
    return MIN_YEAR <= moment.year <= MAX_YEAR


def _from_epoch(seconds: float) -> str | None:
    try:
        moment = datetime.fromtimestamp(seconds, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None
    return moment.isoformat() if _plausible(moment) else None


def _from_iso(text: str) -> str | None:
    compact = _ISO_COMPACT.match(text)
    if compact:
        y, mo, d, h, mi, s, tz = compact.groups()
        text = f"{y}-{mo}-{d}" + (f"T{h}:{mi}:{s or '00'}" if h else "") + (tz or "")
    if not text[:4].isdigit() or len(text) < 10:
        return None
    candidate = text.replace("Z", "+00:00").replace("z", "+00:00")
    if candidate.endswith(" UTC") or candidate.endswith(" GMT"):
        candidate = candidate[:-4] + "+00:00"
    try:
        moment = datetime.fromisoformat(candidate)
    except ValueError:
        try:
            day = date.fromisoformat(text[:10])
        except ValueError:
            return None
        return day.isoformat() if _plausible(day) and not text[10:].strip() else None
    if not _plausible(moment):
        return None
    if len(text) == 10:
        return moment.date().isoformat()
    return moment.isoformat()


def _from_rfc822(text: str) -> str | None:
    if not _RFC822_SHAPE.match(text):
        return None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None or not _plausible(moment):
        return None
    return moment.isoformat()


def _from_words(text: str) -> str | None:
    """Dates with month names in any of our languages, numeric day-first/ISO-order dates, an optional time and zone."""
    folded = _fold_spaces(text)
    dates = _dates_in_folded(folded, None)
    if not dates:
        return None
    _, end, iso = dates[0]
    day = date.fromisoformat(iso)
    rest = folded[end:]
    clock = _TIME.search(rest)
    if clock is None:
        return day.isoformat()
    hour, minute, second = int(clock["hour"]), int(clock["minute"]), int(clock["second"] or 0)
    after = rest[clock.end() :]
    if hour < 12 and re.match(r"\s*p\.?m\b", after):
        hour += 12
    if hour > 23:
        return day.isoformat()
    moment = datetime(day.year, day.month, day.day, hour, minute, second)
    zone = _zone(after)
    return (moment.replace(tzinfo=zone) if zone else moment).isoformat()


def _zone(text: str) -> timezone | None:
    """The first UTC offset (+0100, -03:00) or known zone name (GMT, CEST) in the text."""
    for match in _OFFSET.finditer(text):
        if match["name"]:
            minutes = _TZ_NAMES.get(match["name"].upper())
            if minutes is not None:
                return timezone(timedelta(minutes=minutes))
        elif match["offset"]:
            sign = -1 if match["offset"] == "-" else 1
            return timezone(sign * timedelta(hours=int(match["hh"]), minutes=int(match["mm"])))
    return None
