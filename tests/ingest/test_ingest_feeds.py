"""Feeds: RSS 2.0, RSS 1.0, Atom and JSON Feed, as files and over HTTP; the real feed snapshots."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reader.config import Limits
from reader.ingest import read_inputs
from reader.model import IngestProblem, RawArticle


def read(*inputs: str | Path, **limits: int) -> tuple[list[RawArticle], list[IngestProblem]]:
    items = list(read_inputs([str(i) for i in inputs], Limits(**limits)))
    return [i for i in items if isinstance(i, RawArticle)], [i for i in items if isinstance(i, IngestProblem)]


def test_rss2_uses_full_content_over_summary_and_keeps_paragraphs(tmp_path, make_rss):
    feed = tmp_path / "wire.rss"
    feed.write_bytes(
        make_rss(
            [
                {
                    "title": "Storm hits the coast",
                    "link": "https://wire.example/storm",
                    "guid": "urn:wire:1",
                    "pubDate": "Mon, 14 Sep 2020 08:30:00 +0200",
                    "author": "Ana Lima",
                    "description": "<p>Short teaser.</p>",
                    "content": "<p>The storm reached the coast at dawn.</p><p>Thousands lost power.<br>Schools closed.</p><script>track()</script>",
                },
                {"title": "Summary only", "link": "https://wire.example/b", "description": "Just a <b>summary</b> here."},
            ]
        )
    )
    articles, problems = read(feed)
    assert problems == []
    first, second = articles
    assert first.text == "The storm reached the coast at dawn.\n\nThousands lost power.\nSchools closed."
    assert first.external_id == "urn:wire:1"
    assert first.url == "https://wire.example/storm"
    assert first.date == "2020-09-14T08:30:00+02:00"
    assert first.author == "Ana Lima"
    assert first.source == "Test Wire"
    assert first.lang == "en"
    assert first.metadata["body"] == "content"
    # no GUID: the link is the external id; no content: the summary is the text
    assert second.external_id == "https://wire.example/b"
    assert second.text == "Just a summary here."
    assert second.metadata["body"] == "summary"


def test_atom_and_rss1_feeds(tmp_path):
    atom = tmp_path / "news.atom"
    atom.write_text(
        """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">
  <title>Entwickler-News</title>
  <entry>
    <id>tag:news.example,2016:1</id>
    <title type="html">Gr&amp;ouml;&#223;ere &lt;i&gt;Version&lt;/i&gt;</title>
    <link href="https://news.example/1"/>
    <updated>2016-02-01T17:54:50+01:00</updated>
    <published>2016-02-01T17:22:00+01:00</published>
    <summary>Kurzfassung</summary>
    <content type="html">&lt;p&gt;Die nun verfügbare Version&lt;/p&gt;&lt;p&gt;Zweiter Absatz&lt;/p&gt;</content>
  </entry>
</feed>""",
        encoding="utf-8",
    )
    rdf = tmp_path / "science.rdf"
    rdf.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://science.example"><title>Science Weekly</title><link>https://science.example</link><description>d</description></channel>
<item rdf:about="https://science.example/a"><title>Food for fungi</title><link>https://science.example/a</link>
<description>Fungi feed on sugars.</description><dc:date>2017-06-15T10:29:47-07:00</dc:date></item>
<item rdf:about="https://science.example/b"><title>Headline only</title><link>https://science.example/b</link><description></description></item>
</rdf:RDF>""",
        encoding="utf-8",
    )
    articles, problems = read(atom, rdf)
    assert problems == []
    entry, fungi, bare = articles
    assert entry.title == "Größere Version"
    assert entry.text == "Die nun verfügbare Version\n\nZweiter Absatz"
    assert entry.date == "2016-02-01T17:22:00+01:00"  # published, not updated; offset kept
    assert (entry.external_id, entry.source, entry.lang) == ("tag:news.example,2016:1", "Entwickler-News", "de")
    assert (fungi.text, fungi.date, fungi.source) == ("Fungi feed on sugars.", "2017-06-15T10:29:47-07:00", "Science Weekly")
    assert fungi.metadata["feed_format"] == "rss10"
    # an item with a title and no text keeps its title as text rather than being lost
    assert (bare.title, bare.text, bare.metadata["body"]) == ("Headline only", "Headline only", "title")


def test_json_feed_is_read_whether_saved_as_json_or_feed(tmp_path):
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON Wire",
        "language": "fr",
        "items": [
            {"id": 7, "url": "https://j.example/7", "title": "Le plan vélo", "content_html": "<p>Un.</p><p>Deux.</p>",
             "date_published": "2020-08-06T10:00:00+02:00", "authors": [{"name": "Marie Dupont"}], "tags": ["lyon"]},
            {"id": "b", "content_text": "Sans titre ici.\nSuite.", "summary": "ignored"},
        ],
    }  # fmt: skip
    for name in ("feed.json", "feed.feed"):
        path = tmp_path / name
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        articles, problems = read(path)
        assert problems == []
        first, second = articles
        assert (first.external_id, first.title, first.text) == ("7", "Le plan vélo", "Un.\n\nDeux.")
        assert (first.author, first.lang, first.source, first.date) == ("Marie Dupont", "fr", "JSON Wire", "2020-08-06T10:00:00+02:00")
        assert first.metadata["tags"] == ["lyon"]
        assert second.title == "Sans titre ici." and second.text == "Sans titre ici.\nSuite."


def test_json_feed_whose_version_is_past_the_sniffed_head_still_goes_to_the_feed_reader(tmp_path):
    document = {"title": "x" * 5000, "version": "https://jsonfeed.org/version/1", "items": [{"id": "1", "content_text": "Body text."}]}
    path = tmp_path / "late.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    articles, problems = read(path)
    assert problems == [] and [a.metadata["feed_format"] for a in articles] == ["json1"]


def test_latin1_declared_and_undeclared_legacy_feeds_decode_right(tmp_path, make_rss):
    declared = tmp_path / "declared.rss"
    declared.write_bytes(make_rss([{"title": "Simulações de 2º turno", "description": "Líder na pesquisa"}], encoding="iso-8859-1"))
    undeclared = tmp_path / "undeclared.rss"
    # like a real UOL feed: no XML declaration at all, and Windows-1252 bytes
    undeclared.write_bytes("<rss><channel><title>Notícias</title><item><title>Ação já</title><description>Não “aspas”</description></item></channel></rss>".encode("cp1252"))
    articles, problems = read(declared, undeclared)
    assert problems == []
    assert [(a.title, a.text) for a in articles] == [
        ("Simulações de 2º turno", "Líder na pesquisa"),
        ("Ação já", "Não “aspas”"),
    ]
    assert articles[1].source == "Notícias"


def test_bozo_feed_with_items_is_a_warning_and_still_imports(tmp_path, make_rss):
    feed = tmp_path / "sloppy.rss"
    feed.write_bytes(make_rss([{"title": "One", "description": "First"}, {"title": "Two", "description": "Second"}]).replace(b"</channel></rss>", b"</channel>"))
    articles, problems = read(feed)
    assert [a.title for a in articles] == ["One", "Two"]
    assert len(problems) == 1 and problems[0].warning
    assert str(problems[0]).startswith(f"{feed}: feed is not well-formed (")
    assert "read its 2 items anyway" in str(problems[0]) and "\n" not in str(problems[0])


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Cut short</title>', "broken feed, nothing to import: line 2: no element found"),
        (b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>A & B</title></channel></rss>', "broken feed, nothing to import: line 2: not well-formed"),
        (b"this is not xml at all", "broken feed, nothing to import: line 1: syntax error"),
        (b'<?xml version="1.0"?><urlset><url><loc>https://x.example/</loc></url></urlset>', "not a feed"),
        (b"<html><body>502 Bad Gateway</body></html>", "not a feed"),
    ],
)
def test_broken_feed_or_non_feed_is_one_error_line(tmp_path, content, expected):
    feed = tmp_path / "broken.xml"
    feed.write_bytes(content)
    articles, problems = read(feed)
    assert articles == []
    assert len(problems) == 1 and not problems[0].warning
    assert str(problems[0]).startswith(f"{feed}: {expected}")
    assert "\n" not in str(problems[0])


def test_feed_item_limit_is_respected_and_named(tmp_path, make_rss):
    feed = tmp_path / "long.rss"
    feed.write_bytes(make_rss([{"title": f"Item {i}", "guid": f"g{i}", "description": f"Text {i}"} for i in range(7)]))
    articles, problems = read(feed, max_feed_items=3)
    assert [a.title for a in articles] == ["Item 0", "Item 1", "Item 2"]
    assert len(problems) == 1 and problems[0].warning
    assert "feed has 7 items; read the first 3 (raise it with --max-feed-items N)" in problems[0].message


def test_feed_is_recognised_by_its_root_element_without_a_feed_suffix(tmp_path, make_rss):
    saved = tmp_path / "download"  # no extension at all
    saved.write_bytes(make_rss([{"title": "Sniffed", "description": "Found by content"}]))
    articles, problems = read(saved)
    assert problems == [] and [a.title for a in articles] == ["Sniffed"]


# -- the real feed snapshots --------------------------------------------------------------------


def _item_count(path: Path, tag: bytes) -> int:
    return len(re.findall(rb"<" + tag + rb"[\s>]", path.read_bytes()))


@pytest.mark.corpus
def test_real_feeds_import_every_item_with_ids_sources_and_iso_dates(corpora):
    feeds = corpora / "feeds"
    expected = {
        "guardian.rss": (_item_count(feeds / "guardian.rss", b"item"), "The Guardian"),
        "heise.atom": (_item_count(feeds / "heise.atom", b"entry"), "heise developer neueste Meldungen"),
        "rss-1.rss": (_item_count(feeds / "rss-1.rss", b"item"), "Science twis"),
        "uolNoticias.rss": (_item_count(feeds / "uolNoticias.rss", b"item"), "UOL Noticias"),
    }
    for name, (count, source) in expected.items():
        articles, problems = read(feeds / name)
        assert [p for p in problems if not p.warning] == [], name
        assert len(articles) == count > 0, name
        assert {a.source for a in articles} == {source}, name
        assert len({a.external_id for a in articles}) == count, name  # GUIDs/links are unique
        assert all(a.title and a.text for a in articles), name
        assert all(a.url and a.url.startswith("http") for a in articles), name


@pytest.mark.corpus
def test_real_feed_dates_are_iso_with_their_offsets(corpora):
    guardian, _ = read(corpora / "feeds" / "guardian.rss")
    heise, _ = read(corpora / "feeds" / "heise.atom")
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", a.date or "") for a in guardian)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+01:00", a.date or "") for a in heise)


@pytest.mark.corpus
def test_real_guardian_items_keep_their_paragraphs(corpora):
    articles, _ = read(corpora / "feeds" / "guardian.rss")
    first = articles[0]
    assert "\n\n" in first.text and "<p>" not in first.text
    assert first.lang == "en-gb" and first.author


@pytest.mark.corpus
def test_real_portuguese_feed_in_windows_1252_comes_out_with_its_accents(corpora):
    articles, problems = read(corpora / "feeds" / "uolNoticias.rss")
    assert problems == []  # undeclared legacy encoding is detected, not reported as an error
    text = "\n".join(a.title + "\n" + a.text for a in articles)
    assert "simulações" in text and "Líder" in text and "não" in text
    # no mojibake: UTF-8 read as Latin-1 shows up as Ã or Â; undecodable bytes as U+FFFD
    assert "Ã" not in text and "Â" not in text and "\ufffd" not in text


@pytest.mark.corpus
def test_real_german_atom_feed_keeps_umlauts(corpora):
    articles, _ = read(corpora / "feeds" / "heise.atom")
    text = "\n".join(a.title + "\n" + a.text for a in articles)
    assert "verfügbare" in text and "größere" in text and "Ã" not in text


@pytest.mark.corpus
def test_every_real_feed_item_is_stored_with_an_iso_date(library, corpora):
    """Dates feedparser cannot read (UOL's Portuguese RFC 822) are passed on as written and normalised downstream."""
    from datetime import datetime

    from reader.pipeline import import_inputs

    report = import_inputs(library, [str(corpora / "feeds")], workers=1)
    assert report.failed == 0 and report.imported > 0
    dates = [a.date for a in library.iter_articles()]
    assert len(dates) == report.imported
    assert all(d and datetime.fromisoformat(d) for d in dates)


PORTUGUESE_HEADLINES = [
    "Acordo adicional da Argentina com FMI está perto de acontecer, diz Macri",
    "Promotoria abre inquérito para apurar suspeita de improbidade no Sebrae",
    "Rival de Putin é condenado a mais trinta dias de prisão por protesto",
    "Dow Jones fecha em baixa com temor de nova guerra comercial entre os países",
    "Enfermeira de Chávez alega perseguição e pede asilo na Espanha",
]


def test_a_feed_without_a_language_gives_its_items_the_language_of_all_their_titles(tmp_path, make_rss):
    feed = tmp_path / "noticias.rss"
    feed.write_bytes(make_rss([{"title": t, "link": f"https://n.example/{i}"} for i, t in enumerate(PORTUGUESE_HEADLINES)], language=""))
    articles, problems = read(feed)
    assert problems == []
    assert [a.lang for a in articles] == ["pt"] * len(PORTUGUESE_HEADLINES)


def test_a_declared_feed_language_is_kept_and_a_mixed_feed_gets_none(tmp_path, make_rss):
    declared = tmp_path / "declared.rss"
    declared.write_bytes(make_rss([{"title": t} for t in PORTUGUESE_HEADLINES], language="pt-BR"))
    assert {a.lang for a in read(declared)[0]} == {"pt-BR"}
    mixed = tmp_path / "mixed.rss"
    titles = ["Storm hits the coast and thousands lose power", "Sturm trifft die Küste, Tausende ohne Strom", *PORTUGUESE_HEADLINES[:2]]
    mixed.write_bytes(make_rss([{"title": t} for t in titles], language=""))
    assert {a.lang for a in read(mixed)[0]} == {None}


def test_headline_only_items_are_stored_in_their_feed_s_language(library, tmp_path, make_rss):
    from reader.pipeline import import_inputs

    feed = tmp_path / "science.rss"
    items = [{"title": "Food for fungi"}, {"title": "No safe haven for metastases"}]
    items += [{"title": f"Report {i}", "description": "Researchers found that the protein folds in two steps, "
               "which explains why the enzyme works faster in warmer water than anyone expected."} for i in range(4)]
    feed.write_bytes(make_rss(items, language=""))
    import_inputs(library, [str(feed)], workers=1)
    assert {a.title: a.lang for a in library.iter_articles()}["Food for fungi"] == "en"
    assert {a.lang for a in library.iter_articles()} == {"en"}


@pytest.mark.corpus
def test_real_feeds_without_a_language_store_every_item_in_the_feed_s_language(library, corpora):
    from reader.pipeline import import_inputs

    import_inputs(library, [str(corpora / "feeds" / "uolNoticias.rss"), str(corpora / "feeds" / "rss-1.rss")], workers=1)
    by_source: dict[str, set[str | None]] = {}
    for article in library.iter_articles():
        by_source.setdefault(article.source, set()).add(article.lang)
    assert by_source == {"UOL Noticias": {"pt"}, "Science twis": {"en"}}
