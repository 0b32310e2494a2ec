"""Bad input never breaks duplicate detection: empty, one word, 1 MB, an unsupported script, a library of one."""

from __future__ import annotations

import json
import random

import pytest

from reader import cli
from reader.model import RawArticle
from reader.pipeline import import_records
from reader.similarity.duplicates import rebuild_duplicates
from reader.similarity.fingerprint import MAX_CONTAINMENT_KEYS
from reader.store import Library


def raw(external_id: str, text: str, *, title: str | None = None, source: str | None = None) -> RawArticle:
    return RawArticle(external_id=external_id, title=title or external_id, text=text, origin="test", source=source)


def add(library: Library, *articles: RawArticle) -> list[int]:
    report = import_records(library, list(articles), workers=1)
    assert report.failed == 0, report.problems
    return [library.find_article(a.external_id).id for a in articles]  # type: ignore[union-attr]


def pairs(library: Library) -> set[tuple[str, str, str]]:
    return {(p.a.external_id, p.b.external_id, p.relation) for p in library.iter_duplicate_pairs()}


def command_json(library: Library, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    assert cli.main(["--library", str(library.path), "duplicates", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def indexed(library: Library) -> int:
    return int(library.conn.execute("SELECT COUNT(*) FROM fingerprints").fetchone()[0])


def test_empty_articles_are_nobody_s_copies(library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    add(library, raw("empty", "", title="A headline"), raw("empty-2", "", title="Another headline"),
        raw("blank", " \n\n \t", title="Blank"))
    assert pairs(library) == set() and command_json(library, capsys) == []
    assert indexed(library) == 0  # nothing to index
    assert all(library.closest_duplicate(a.id) is None for a in library.iter_articles())


def test_one_word_articles_are_nobody_s_copies(library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    add(library, raw("one", "Breaking", title="Breaking"), raw("two", "Breaking", title="Breaking news"),
        raw("three", "Oracle", title="Oracle"))
    assert pairs(library) == set() and command_json(library, capsys) == []


def test_a_short_common_text_is_not_an_exact_copy(library: Library) -> None:
    """Two briefs with the same one-line body are different news (different headlines)."""
    add(library, raw("a", "Click here to read the full story.", title="Storm hits the coast"),
        raw("b", "Click here to read the full story.", title="Minister resigns"))
    assert pairs(library) == set()


def test_one_megabyte_page_with_a_story_inside(library: Library, seeds_dir) -> None:
    story = next(seeds_dir.glob("004_*.txt")).read_text(encoding="utf-8").split("\n", 1)[1].strip()
    rng = random.Random(7)
    vocabulary = next(seeds_dir.glob("003_*.txt")).read_text(encoding="utf-8").split()
    paragraphs = []
    while sum(len(p) + 2 for p in paragraphs) < 1_048_576:
        paragraphs.append(" ".join(rng.choice(vocabulary) for _ in range(80)) + ".")
    paragraphs.insert(len(paragraphs) // 2, story)
    page = "\n\n".join(paragraphs)
    assert len(page) > 1_048_576
    page_id, _ = add(library, raw("page", page, title="Everything"), raw("story", story, title="ByteDance and Oracle"))
    row = library.conn.execute("SELECT key_count, key_cut FROM fingerprints WHERE article_id = ?", (page_id,)).fetchone()
    assert row["key_count"] == MAX_CONTAINMENT_KEYS  # the index entry stays bounded
    postings = library.conn.execute("SELECT COUNT(*) FROM lsh_bands WHERE article_id = ?", (page_id,)).fetchone()[0]
    assert postings <= MAX_CONTAINMENT_KEYS + 16
    assert pairs(library) == {("story", "page", "contained")}


AMHARIC_TEXT = (
    "ኢትዮጵያ በአፍሪካ ቀንድ የምትገኝ ሀገር ናት ዋና ከተማዋ አዲስ አበባ ነው መንግሥቱ ዛሬ አዲስ ዕቅድ አቀረበ ሚኒስትሩ "
    "ለጋዜጠኞች እንደገለጹት ፕሮጀክቱ በሚቀጥለው ዓመት ይጀመራል ገበሬዎች ዝናብ በመዘግየቱ ተቸግረዋል ባንኩ የወለድ መጠን ቀነሰ"
)
AMHARIC = AMHARIC_TEXT.split()


def test_an_unsupported_script_still_has_copies(library: Library) -> None:
    """Amharic (Ethiopic script, which the language detector does not know): words are words."""
    rng = random.Random(3)
    text = " ".join(rng.choice(AMHARIC) for _ in range(150))
    words = text.split()
    edited = " ".join(rng.choice(AMHARIC) if i % 40 == 7 else w for i, w in enumerate(words))
    other = " ".join(rng.choice(AMHARIC) for _ in range(150))
    add(library, raw("am-1", text), raw("am-2", edited), raw("am-3", other))
    found = pairs(library)
    assert found == {("am-1", "am-2", "near")}


def test_a_script_without_letters_breaks_nothing(library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    braille = "⠠⠞⠊⠅⠞⠕⠅ ⠁⠝⠙ ⠠⠕⠗⠁⠉⠇⠑ " * 50  # no \\w characters at all: no words to compare
    add(library, raw("braille-1", braille), raw("braille-2", braille + " ⠑⠝⠙"), raw("latin", "Oracle and TikTok " * 20))
    assert pairs(library) == set() and command_json(library, capsys) == []


def test_a_library_of_one_article(library: Library, capsys: pytest.CaptureFixture[str], seeds_dir) -> None:
    (only,) = add(library, raw("only", next(seeds_dir.glob("003_*.txt")).read_text(encoding="utf-8")))
    assert pairs(library) == set()
    assert library.duplicates_of(only) == [] and library.closest_duplicate(only) is None
    assert command_json(library, capsys) == []
    assert cli.main(["--library", str(library.path), "duplicates"]) == 1
    assert "no duplicates" in capsys.readouterr().err
    assert rebuild_duplicates(library) == 1 and pairs(library) == set()
    assert indexed(library) == 1
