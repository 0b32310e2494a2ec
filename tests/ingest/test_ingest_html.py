"""Saved web pages: main text with paragraphs, metadata, declared encodings."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.config import Limits
from reader.ingest import read_inputs
from reader.ingest.htmltext import html_to_text
from reader.model import IngestProblem, RawArticle

PARAGRAPHS = [
    "Le maire de Lyon a présenté jeudi un plan de 100 millions d'euros pour développer les pistes cyclables "
    "dans toute la métropole, avec l'objectif de doubler la part du vélo d'ici 2026.",
    "Selon la mairie, 150 kilomètres de nouvelles voies seront construites, notamment sur les grands axes "
    "qui traversent la ville du nord au sud et d'est en ouest.",
    "L'opposition municipale a dénoncé un projet « idéologique » qui pénaliserait les commerçants du "
    "centre-ville, tandis que les associations de cyclistes saluent une avancée historique.",
]


def page(charset_tag: str = '<meta charset="utf-8">') -> str:
    body = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
{charset_tag}
<title>Le maire de Lyon annonce un plan vélo | Le Progrès</title>
<link rel="canonical" href="https://www.leprogres.fr/lyon/2020/08/06/plan-velo">
<meta property="og:site_name" content="Le Progrès">
<meta name="author" content="Marie Dupont">
<meta property="article:published_time" content="2020-08-06T10:00:00+02:00">
</head>
<body>
<a href="#main">Passer au contenu</a>
<nav><ul><li><a href="/">Accueil</a></li><li><a href="/lyon">Lyon</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article id="main">
<h1>Le maire de Lyon annonce un plan vélo</h1>
{body}
</article>
<footer><p>© Le Progrès 2020. Tous droits réservés. Mentions légales. Politique de cookies.</p></footer>
</body></html>"""


def read(*inputs: str | Path, **limits: int) -> tuple[list[RawArticle], list[IngestProblem]]:
    items = list(read_inputs([str(i) for i in inputs], Limits(**limits)))
    return [i for i in items if isinstance(i, RawArticle)], [i for i in items if isinstance(i, IngestProblem)]


def test_saved_page_gives_main_text_in_paragraphs_and_its_metadata(tmp_path):
    path = tmp_path / "plan-velo.html"
    path.write_text(page(), encoding="utf-8")
    articles, problems = read(path)
    assert problems == []
    (article,) = articles
    assert article.title == "Le maire de Lyon annonce un plan vélo"
    for paragraph in PARAGRAPHS:
        assert f"\n\n{paragraph}" in article.text  # each paragraph its own block
    assert "Accueil" not in article.text and "droits réservés" not in article.text
    assert article.url == "https://www.leprogres.fr/lyon/2020/08/06/plan-velo"
    assert (article.source, article.author, article.lang) == ("Le Progrès", "Marie Dupont", "fr")
    assert article.date == "2020-08-06"
    assert article.external_id == str(path) == article.origin


@pytest.mark.parametrize(
    "charset_tag",
    ['<meta charset="iso-8859-1">', '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'],
)
def test_latin1_page_is_decoded_by_its_declared_charset(tmp_path, charset_tag):
    path = tmp_path / "latin1.htm"
    path.write_bytes(page(charset_tag).encode("cp1252"))
    articles, problems = read(path)
    assert problems == []
    assert "présenté" in articles[0].text and "« idéologique »" in articles[0].text
    assert articles[0].metadata["encoding"] == "cp1252"


def test_utf8_bytes_under_a_stale_latin1_declaration_stay_utf8(tmp_path):
    path = tmp_path / "resaved.html"
    path.write_bytes(page('<meta charset="iso-8859-1">').encode("utf-8"))
    articles, _ = read(path)
    assert "présenté" in articles[0].text and "Ã" not in articles[0].text


def test_page_without_article_text_is_one_clear_problem(tmp_path):
    path = tmp_path / "empty-shell.html"
    path.write_text("<html><head><title>Loading…</title></head><body><div id='app'></div><script>boot()</script></body></html>", encoding="utf-8")
    articles, problems = read(path)
    assert articles == []
    assert [str(p) for p in problems] == [f"{path}: no article text found in the page"]


def test_page_saved_without_an_extension_is_recognised(tmp_path):
    path = tmp_path / "saved-page"
    path.write_text(page(), encoding="utf-8")
    articles, problems = read(path)
    assert problems == [] and articles[0].title == "Le maire de Lyon annonce un plan vélo"


def test_html_to_text_keeps_paragraphs_and_line_breaks_and_drops_scripts():
    html = "<div><h2>Heading</h2><p>One <b>bold</b>\n  word.</p><p>Line<br>break</p><script>x()</script><ul><li>a</li><li>b</li></ul></div>"
    assert html_to_text(html) == "Heading\n\nOne bold word.\n\nLine\nbreak\n\na\n\nb"
    assert html_to_text("Fish &amp; chips") == "Fish & chips"
    deep = "<div>" * 400 + "<p>deep text</p>" + "</div>" * 400  # deeper than libxml2 will go
    assert html_to_text(deep) == "deep text"
