"""Bad input never breaks clustering: empty, one word, 1 MB, an unsupported script, a library of one."""

from __future__ import annotations

import json

import pytest

from reader import cli
from reader.model import RawArticle
from reader.pipeline import import_records
from reader.similarity.clustering import recluster
from reader.similarity.sections import find_sections
from reader.similarity.story_terms import story_terms_of
from reader.store import Library


def _import(library: Library, *raws: RawArticle) -> None:
    report = import_records(library, list(raws), workers=1)
    assert report.failed == 0, report.problems


def _raw(external_id: str, title: str, text: str) -> RawArticle:
    return RawArticle(external_id=external_id, title=title, text=text, origin="test")


def _check_consistent(library: Library, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    assert cli.main(["--library", str(library.path), "clusters", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    counted = sum(len(c["articles"]) for c in data)
    assert counted == sum(1 for a in library.iter_articles() if a.cluster_id is not None)
    report = recluster(library)
    assert report.clusters == library.cluster_count()
    return data


def test_empty_article(library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    _import(library, _raw("empty", "", ""), _raw("empty-2", "Only a headline", ""))
    data = _check_consistent(library, capsys)
    # two empty texts are not copies of one another: nothing to say they are one story
    ids = {a.external_id: a.cluster_id for a in library.iter_articles()}
    assert all(ids.values()) and ids["empty"] != ids["empty-2"]
    assert len(data) == 2


def test_one_word_article(library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    _import(library, _raw("one", "Breaking", "Breaking"), _raw("two", "Oracle", "Oracle"))
    _check_consistent(library, capsys)
    assert all(a.cluster_id for a in library.iter_articles())


def test_one_megabyte_article(library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    paragraph = (
        "Oracle will host TikTok's American user data in its cloud, the companies said on Sunday, "
        "after ByteDance turned down Microsoft's offer of 12.5 billion dollars.\n\n"
    )
    text = paragraph * (1_048_576 // len(paragraph) + 1)
    assert len(text) >= 1_048_576
    terms = story_terms_of("TikTok and Oracle", text, "en")
    assert terms.counts and len(terms.counts) <= 200
    assert find_sections(text, "TikTok and Oracle", "en") == ()
    _import(library, _raw("big", "TikTok and Oracle", text), _raw("small", "TikTok picks Oracle", paragraph * 3))
    ids = {a.external_id: a.cluster_id for a in library.iter_articles()}
    assert ids["big"] is not None and ids["big"] == ids["small"]
    _check_consistent(library, capsys)


def test_article_entirely_in_an_unsupported_script(library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    ethiopic = "ሰላም ለዓለም። ዜና ዛሬ በአዲስ አበባ ተካሄደ። " * 40
    tifinagh = "ⴰⵣⵓⵍ ⴼⵍⴰⵡⴻⵏ ⵜⴰⵎⴰⵣⵉⵖⵜ ⵜⴰⴳⴷⵓⴷⴰ " * 40
    _import(library, _raw("am", "ዜና", ethiopic), _raw("zgh", "ⵜⴰⵎⴰⵣⵉⵖⵜ", tifinagh))
    ids = {a.external_id: a.cluster_id for a in library.iter_articles()}
    assert all(ids.values()) and ids["am"] != ids["zgh"]
    _check_consistent(library, capsys)


def test_library_of_one_article(library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    _import(library, _raw("only", "TikTok chooses Oracle", "TikTok chose Oracle as its technology partner in the US."))
    data = _check_consistent(library, capsys)
    assert len(data) == 1 and data[0]["label"].startswith("TikTok chooses Oracle")
    assert [a["external_id"] for a in data[0]["articles"]] == ["only"]
