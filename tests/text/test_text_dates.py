"""Dates: metadata dates to ISO 8601; datelines in six languages; the seeds through prepare_article."""

from __future__ import annotations

import time
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from reader.text.dates import find_date_in_text, find_dates_in_text, normalize_date


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2020-09-14", "2020-09-14"),
        ("2020-09-14T10:00:00Z", "2020-09-14T10:00:00+00:00"),
        ("2020-09-14 10:00", "2020-09-14T10:00:00"),
        ("2020-09-14T10:00:00.5+0100", "2020-09-14T10:00:00.500000+01:00"),
        ("20200914", "2020-09-14"),
        ("2016-02-01T17:22:00+01:00", "2016-02-01T17:22:00+01:00"),
        ("Wed, 31 Jan 2018 07:26:05 GMT", "2018-01-31T07:26:05+00:00"),
        ("Wed, 31 Jan 18 07:26:05 GMT", "2018-01-31T07:26:05+00:00"),
        ("Mon, 14 Sep 2020 10:00:00 +0200", "2020-09-14T10:00:00+02:00"),
        ("Seg, 24 Set 2018 19:42:40 -0300", "2018-09-24T19:42:40-03:00"),  # the UOL feed's own
        ("Lun, 14 sept. 2020 08:00:00 +0200", "2020-09-14T08:00:00+02:00"),
        ("Di, 15 Sep 2020 08:00:00 MESZ", "2020-09-15T08:00:00+02:00"),
        ("Sep 14, 2020 10:00 PM EST", "2020-09-14T22:00:00-05:00"),
        ("14 September 2020", "2020-09-14"),
        ("14.09.2020 10:30 Uhr", "2020-09-14T10:30:00"),
        (" 2020-09-14 ", "2020-09-14"),
    ],
)
def test_metadata_dates(value, iso):
    assert normalize_date(value) == iso


def test_metadata_date_objects():
    assert normalize_date(datetime(2020, 9, 14, 10, tzinfo=timezone.utc)) == "2020-09-14T10:00:00+00:00"
    assert normalize_date(date(2020, 9, 14)) == "2020-09-14"
    assert normalize_date(time.struct_time((2020, 9, 14, 8, 0, 0, 0, 258, 0))) == "2020-09-14T08:00:00+00:00"
    assert normalize_date(1600070400) == "2020-09-14T08:00:00+00:00"


@pytest.mark.parametrize("value", [None, "", "  ", "garbage", "2020-13-40", "0001-01-01", "2020", "Sep 2020", "03/04/2020", True, object()])
def test_unusable_metadata_dates_give_none(value):
    assert normalize_date(value) is None


@pytest.mark.parametrize(
    ("text", "lang", "iso"),
    [
        ("Sep 14, 2020 App News", "en", "2020-09-14"),
        ("Posted on September 14, 2020 by staff", "en", "2020-09-14"),
        ("Monday 14 September 2020", "en", "2020-09-14"),
        ("Sept. 5th, 2019 — WASHINGTON", "en", "2019-09-05"),
        ("Le 6 août 2020, Donald Trump signait une ordonnance", "fr", "2020-08-06"),
        ("Publié le 1er octobre 2020 à 10h", "fr", "2020-10-01"),
        ("Berlin, 6. August 2020 – Die Regierung", "de", "2020-08-06"),
        ("Wien, am 12. Jänner 2021", "de", "2021-01-12"),
        ("Madrid, 14 de septiembre de 2020", "es", "2020-09-14"),
        ("São Paulo, 14 de setembro de 2020", "pt", "2020-09-14"),
        ("Em 1º de maio de 2020 o governo", "pt", "2020-05-01"),
        ("Roma, 14 settembre 2020 - Il governo", "it", "2020-09-14"),
        ("Updated 2020-09-14 08:00", "en", "2020-09-14"),
        ("14/09/2020 - News", "en", "2020-09-14"),
        ("09/14/2020 - News", "en", "2020-09-14"),
        ("03/04/2020 - Nouvelles", "fr", "2020-04-03"),
        ("03.04.2020 Meldung", "de", "2020-04-03"),
        ("Le 6 août 2020", None, "2020-08-06"),  # no language given: month names of all six
    ],
)
def test_dateline_in_text(text, lang, iso):
    assert find_date_in_text(text, lang) == iso


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("03/04/2020 - News", "en"),  # March or April: not guessed
        ("On Saturday September 19th the deal was signed.", "en"),  # no year
        ("The 30 February 2020 meeting", "en"),  # not a date
        ("", None),
        ("No date here at all.", "en"),
    ],
)
def test_no_date_where_none_is_certain(text, lang):
    assert find_date_in_text(text, lang) is None


def test_only_the_start_of_the_text_is_searched():
    text = "A long article. " * 200 + "It happened on 14 September 2020."
    assert find_date_in_text(text, "en") is None
    assert find_dates_in_text("Sep 14, 2020 and 1 October 2020", "en")[1][1] == "2020-10-01"


def test_seed_datelines(seed):
    assert find_date_in_text(seed("003").clean, "en") == "2020-09-14"
    assert find_date_in_text(seed("002").clean, "fr") == "2020-08-06"
    assert find_date_in_text(seed("004").clean, "en") is None


def test_seeds_through_prepare_article():
    from reader.pipeline import prepare_article
    from reader.sample import sample_records

    prepared = {Path(p.raw.origin).name[:3]: p for p in map(prepare_article, sample_records())}
    french = prepared["002"]
    assert french.raw.title == "TikTok : Microsoft hors-jeu, Oracle en passe de conclure un partenariat"
    assert (french.lang, french.date, french.date_origin) == ("fr", "2020-08-06", "text")
    assert french.text.startswith("Alors que l’offre") and "commentaires" not in french.text
    assert (prepared["003"].lang, prepared["003"].date) == ("en", "2020-09-14")
    assert all(prepared[name].lang == "en" for name in ("000", "001", "003", "004"))


@pytest.mark.corpus
def test_every_feed_date_normalises(corpora):
    feedparser = pytest.importorskip("feedparser")
    for name, encoding in [("uolNoticias.rss", "windows-1252"), ("guardian.rss", None), ("heise.atom", None)]:
        data = (corpora / "feeds" / name).read_bytes()
        feed = feedparser.parse(data.decode(encoding) if encoding else data)
        for entry in feed.entries:
            raw = entry.get("published") or entry.get("updated")
            assert normalize_date(raw) is not None, f"{name}: {raw!r}"


def test_spaces_fold_the_same_with_and_without_the_single_spaced_shortcut():
    import re

    from reader.text.dates import _fold, _fold_spaces

    texts = [
        "Paris, 14 septembre 2020\n\nLe texte suit.",  # clean text: the shortcut
        "Paris,  14\tseptembre\u00a02020 \n Le texte",  # runs, a tab, a no-break space: the regex
        " leading space\nand  two",
        "Août\u20092020\r\nfin ",
    ]
    for text in texts:
        assert _fold_spaces(text) == re.sub(r"[^\S\n]+", " ", _fold(text))
    assert _fold_spaces(texts[1]) == "paris, 14 septembre 2020 \n le texte"
