"""Multi-story pages: split where the story changes, never at the sub-headings of one story."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path

import pytest

from reader.similarity.sections import find_sections, is_heading_like, lines_of
from reader.text.cleaning import clean_text

SEED_000 = "000_9dd72cae0654412e.txt"


def seed_text(seeds_dir: Path, name: str) -> tuple[str, str]:
    raw = (seeds_dir / name).read_text(encoding="utf-8")
    title = raw.splitlines()[0].strip()
    return title, clean_text(raw)


def test_seed_000_splits_into_its_three_stories(seeds_dir: Path) -> None:
    title, text = seed_text(seeds_dir, SEED_000)
    sections = find_sections(text, title, "en")
    assert [s.index for s in sections] == [1, 2, 3]
    assert sections[0].title == "TikTok: Oracle has surpassed the Microsoft pole"
    assert sections[1].title == "Antitrust lawsuit against Google in the US imminent"
    assert sections[2].title == "ERP, Dmat, HR and documentation exhibitions, IT answers to the crisis"
    first, second, third = (text[s.start : s.end] for s in sections)
    # sub-headings stay inside their story
    for sub in ("According to Zoom, Oracle", "TikTok: Oracle takes care of the cloud", "No technology transfer to Oracle"):
        assert sub in first
    assert "Republican attorneys general meeting with Donald Trump" in second
    for sub in ("Economic recovery actors", "Machine learning in document management", "HRD and the evolution"):
        assert sub in third
    assert "Google" not in first and "TikTok" not in third
    # contiguous and covering the page
    assert sections[0].start == 0 and sections[0].end < sections[1].start < sections[1].end < sections[2].start
    assert sections[2].end == len(text.rstrip())


@pytest.mark.parametrize("name", ["001_3f7b207e56d880eb.txt", "002_8268a96aead7f407.txt", "003_6a1b31ed2248d2f4.txt", "004_092449573fc0f0ef.txt"])
def test_single_story_seeds_are_not_split(seeds_dir: Path, name: str) -> None:
    title, text = seed_text(seeds_dir, name)
    assert find_sections(text, title, None) == ()


def test_heading_lines() -> None:
    lines = lines_of("No technology transfer to Oracle\n\nIt said so. And more.\n- a list item\nEnds with a period.")
    assert is_heading_like(lines[0])
    assert not is_heading_like(lines[1])  # a sentence
    assert not is_heading_like(lines[2])  # a list item
    assert not is_heading_like(lines[3])


def test_lines_keep_their_offsets_and_a_line_of_spaces_is_blank() -> None:
    text = "Head\r\n \t\nBody line\n\nNext\nmore  "
    found = [(line.text, text[line.start : line.end], line.blank_before) for line in lines_of(text)]
    assert found == [("Head", "Head\r", True), ("Body line", "Body line", True), ("Next", "Next", True), ("more", "more  ", False)]


def test_empty_and_tiny_pages_have_no_sections() -> None:
    assert find_sections("", "", None) == ()
    assert find_sections("word", "word", None) == ()
    assert find_sections("Heading\n\n" + "Body text goes on. " * 50, "Heading", "en") == ()


def _ecb(corpora: Path) -> list[dict]:
    return [json.loads(line) for line in (corpora / "ecbplus_dev.jsonl").open(encoding="utf-8")]


def test_no_ecbplus_article_is_split(corpora: Path) -> None:
    split = [r["id"] for r in _ecb(corpora) if find_sections(clean_text(r["text"]), r["title"], "en")]
    assert split == []


def _page(parts: list[dict]) -> str:
    return "\n\n".join(f"{p['title']}\n\n" + p["text"].replace("\n", "\n\n") for p in parts)


def test_pages_of_different_events_split_and_reports_of_one_event_do_not(corpora: Path) -> None:
    """Pages built from real articles: two reports of one event under sub-headings stay one story;
    articles about different topics, one after another, become sections."""
    rng = random.Random(3)
    by_cluster: dict[str, list[dict]] = defaultdict(list)
    for row in _ecb(corpora):
        if len(row["text"]) >= 900 and len(row["title"].split()) <= 14 and not row["title"].endswith("."):
            by_cluster[row["cluster"]].append(row)
    same = different = same_split = different_split = 0
    clusters = sorted(c for c in by_cluster if len(by_cluster[c]) >= 2)
    for cluster in [c for c in clusters for _ in range(3)]:
        a, b = rng.sample(by_cluster[cluster], 2)
        same += 1
        same_split += bool(find_sections(_page([a, b]), a["title"], "en"))
        other = rng.choice([c for c in clusters if c.split("-")[1] != cluster.split("-")[1]])
        c = rng.choice(by_cluster[other])
        different += 1
        different_split += len(find_sections(_page([a, c]), a["title"], "en")) == 2
    assert same >= 24 and different >= 24
    assert same_split <= same * 0.15
    assert different_split >= different * 0.85
