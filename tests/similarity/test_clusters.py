"""Story clusters on the bundled seeds: one cross-lingual TikTok/Oracle story, sections of a
multi-story page clustered on their own, stable ids across imports, recluster keeping state."""

from __future__ import annotations

import json
from itertools import zip_longest
from pathlib import Path

import pytest

from reader import cli
from reader.model import RawArticle
from reader.pipeline import import_records
from reader.similarity.clustering import recluster
from reader.store import Library

PAGE = "sample/000_9dd72cae0654412e.txt"
TIKTOK = [
    f"{PAGE}#1",
    "sample/001_3f7b207e56d880eb.txt",
    "sample/002_8268a96aead7f407.txt",
    "sample/003_6a1b31ed2248d2f4.txt",
    "sample/004_092449573fc0f0ef.txt",
]


def cluster_of(library: Library, external_id: str) -> int | None:
    article = library.find_article(external_id)
    assert article is not None, external_id
    return article.cluster_id


def memberships(library: Library) -> dict[str, int | None]:
    return {a.external_id: a.cluster_id for a in library.iter_articles()}


def test_all_five_tiktok_articles_form_one_cluster_french_included(sample_library: Library) -> None:
    clusters = {cluster_of(sample_library, e) for e in TIKTOK}
    assert len(clusters) == 1 and None not in clusters
    (tiktok,) = clusters
    french = sample_library.find_article("sample/002_8268a96aead7f407.txt")
    assert french is not None and french.lang == "fr"
    members = {a.external_id for a in sample_library.cluster_articles(tiktok)}
    assert members == set(TIKTOK)
    row = sample_library.get_cluster(tiktok)
    assert row is not None and row.article_count == 5 and set(row.languages) == {"en", "fr"}


def test_google_and_paris_sections_stay_out_of_the_tiktok_cluster(sample_library: Library) -> None:
    tiktok = cluster_of(sample_library, TIKTOK[0])
    google = cluster_of(sample_library, f"{PAGE}#2")
    paris = cluster_of(sample_library, f"{PAGE}#3")
    assert google is not None and paris is not None
    assert len({tiktok, google, paris}) == 3
    google_section = sample_library.find_article(f"{PAGE}#2")
    assert google_section is not None and google_section.title == "Antitrust lawsuit against Google in the US imminent"


def test_a_split_page_is_not_itself_a_cluster_member(sample_library: Library) -> None:
    """The page stays one article in the UI; its stories are its sections, so no cluster counts it twice."""
    page = sample_library.find_article(PAGE)
    assert page is not None and page.cluster_id is None
    sections = [a for a in sample_library.iter_articles() if a.parent_id == page.id]
    assert [s.external_id for s in sections] == [f"{PAGE}#1", f"{PAGE}#2", f"{PAGE}#3"]
    total = sum(c.article_count for c in sample_library.list_clusters(limit=100))
    clustered = [a for a in sample_library.iter_articles() if a.cluster_id is not None]
    assert total == len(clustered) == 7


def test_show_json_links_a_page_to_its_stories(sample_library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(run_cli(["--library", str(sample_library.path), "show", PAGE, "--json"], capsys))
    assert data["cluster_id"] is None
    assert [s["external_id"] for s in data["sections"]] == [f"{PAGE}#1", f"{PAGE}#2", f"{PAGE}#3"]
    assert data["sections"][0]["cluster_id"] == cluster_of(sample_library, TIKTOK[1])
    single = json.loads(run_cli(["--library", str(sample_library.path), "show", TIKTOK[1], "--json"], capsys))
    assert single["sections"] == []


def test_labels_name_the_story(sample_library: Library) -> None:
    row = sample_library.get_cluster(cluster_of(sample_library, TIKTOK[0]))  # type: ignore[arg-type]
    assert row is not None
    assert "TikTok" in row.label and "·" in row.label  # a headline, then key entities
    google = sample_library.get_cluster(cluster_of(sample_library, f"{PAGE}#2"))  # type: ignore[arg-type]
    assert google is not None and google.label.startswith("Antitrust lawsuit against Google")


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert cli.main(argv) == 0
    return capsys.readouterr().out


def test_clusters_json_lists_each_story_once(sample_library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(sample_library.path)
    data = json.loads(run_cli(["--library", path, "clusters", "--json"], capsys))
    assert isinstance(data, list) and len(data) == 3
    seen: list[str] = []
    for cluster in data:
        assert {"id", "label", "articles"} <= cluster.keys()
        assert cluster["label"]
        for article in cluster["articles"]:
            assert article["cluster_id"] == cluster["id"]
            assert {"id", "external_id", "title", "lang", "read", "starred"} <= article.keys()
            seen.append(article["external_id"])
    assert len(seen) == len(set(seen)) == 7
    assert PAGE not in seen
    biggest = max(data, key=lambda c: len(c["articles"]))
    assert {a["external_id"] for a in biggest["articles"]} == set(TIKTOK)
    # 001 is the first 2.6 kB of page 000: its TikTok section and 001 form a duplicate group
    by_external = {a["external_id"]: a["id"] for a in biggest["articles"]}
    assert [by_external[TIKTOK[0]], by_external[TIKTOK[1]]] in biggest["duplicate_groups"]
    assert run_cli(["--library", path, "clusters", "--json", "--limit", "1"], capsys).count('"label"') == 1
    table = run_cli(["--library", path, "clusters"], capsys)
    assert "Antitrust" in table


def _raw(external_id: str, title: str, text: str, *, date: str | None = None, lang: str | None = None) -> RawArticle:
    return RawArticle(external_id=external_id, title=title, text=text, origin="test", date=date, lang=lang)


def _seed(seeds_dir: Path, name: str) -> tuple[str, str]:
    raw = (seeds_dir / name).read_text(encoding="utf-8")
    return raw.splitlines()[0].strip(), raw


def test_new_articles_join_existing_clusters_and_ids_stay(sample_library: Library, seeds_dir: Path) -> None:
    before = memberships(sample_library)
    tiktok = before[TIKTOK[0]]
    title, text = _seed(seeds_dir, "004_092449573fc0f0ef.txt")
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    near_copy = "\n\n".join(paragraphs[:-2] + ["Update: the companies did not comment further."])
    report = import_records(
        sample_library,
        [
            _raw("exact-copy", "Copied wire story", text),
            _raw("near-copy", title + " (updated)", near_copy),
            _raw("unrelated", "Flooding closes roads in the valley",
                 "Heavy rain closed several roads in the valley on Tuesday. The river rose two metres overnight "
                 "and firefighters evacuated twelve houses near the old bridge. The mayor said schools would stay "
                 "closed until Thursday while engineers check the dikes."),
        ],
        workers=1,
    )
    assert report.imported == 3
    after = memberships(sample_library)
    assert {k: after[k] for k in before} == before  # nothing already clustered moved
    assert after["exact-copy"] == tiktok and after["near-copy"] == tiktok
    assert after["unrelated"] not in set(before.values())
    row = sample_library.get_cluster(tiktok)  # type: ignore[arg-type]
    assert row is not None and row.article_count == 7 and row.has_duplicates


def test_reimporting_changes_nothing(sample_library: Library) -> None:
    from reader.sample import sample_records

    before = memberships(sample_library)
    labels = {c.id: c.label for c in sample_library.list_clusters(limit=100)}
    import_records(sample_library, sample_records(), is_sample=True, workers=1)
    assert memberships(sample_library) == before
    assert {c.id: c.label for c in sample_library.list_clusters(limit=100)} == labels


def test_recluster_keeps_ids_stars_and_read_state(sample_library: Library) -> None:
    before = memberships(sample_library)
    tiktok = before[TIKTOK[0]]
    with sample_library.transaction():
        sample_library.set_cluster_starred(tiktok, True)  # type: ignore[arg-type]
        sample_library.set_read([sample_library.find_article(TIKTOK[2]).id])  # type: ignore[union-attr]
    report = recluster(sample_library)
    assert report.stories == 7 and report.clusters == 3 and report.kept_ids == 3
    assert memberships(sample_library) == before
    row = sample_library.get_cluster(tiktok)  # type: ignore[arg-type]
    assert row is not None and row.starred and row.article_count == 5 and row.unread_count == 4
    assert sample_library.find_article(TIKTOK[2]).read  # type: ignore[union-attr]


def test_recluster_maps_old_clusters_to_new_by_overlap(sample_library: Library) -> None:
    """Scramble the clusters (as an older reader might have left them), star one: recluster
    restores the stories, reuses old ids where they overlap most and carries the star."""
    ids = {e: sample_library.find_article(e).id for e in memberships(sample_library)}  # type: ignore[union-attr]
    with sample_library.transaction():
        lumped = sample_library.create_cluster("everything")
        sample_library.set_cluster_of([ids[e] for e in TIKTOK + [f"{PAGE}#2", f"{PAGE}#3"]], lumped)
        sample_library.set_cluster_starred(lumped, True)
        sample_library.refresh_cluster_stats(c.id for c in sample_library.list_clusters(limit=100))
    assert sample_library.cluster_count() == 1
    recluster(sample_library)
    after = memberships(sample_library)
    assert len({after[e] for e in TIKTOK}) == 1
    assert after[TIKTOK[0]] == lumped  # the largest overlap keeps the old id
    assert len({after[TIKTOK[0]], after[f"{PAGE}#2"], after[f"{PAGE}#3"]}) == 3
    row = sample_library.get_cluster(lumped)
    assert row is not None and row.starred and row.label.startswith(("TikTok", "ByteDance"))
    assert sample_library.cluster_count() == 3


def test_recluster_command(sample_library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(run_cli(["--library", str(sample_library.path), "recluster", "--json"], capsys))
    assert data == {"stories": 7, "clusters": 3, "kept_ids": 3, "starred_carried": 0}


def test_articles_far_apart_in_time_do_not_merge(library: Library, seeds_dir: Path) -> None:
    title3, text3 = _seed(seeds_dir, "003_6a1b31ed2248d2f4.txt")
    title4, text4 = _seed(seeds_dir, "004_092449573fc0f0ef.txt")
    title1, text1 = _seed(seeds_dir, "001_3f7b207e56d880eb.txt")
    import_records(
        library,
        [
            _raw("a", title3, text3, date="2020-09-14"),
            _raw("b", title4, text4, date="2020-09-15"),
            _raw("c", title1, text1, date="2020-12-20"),
        ],
        workers=1,
    )
    got = memberships(library)
    assert got["a"] == got["b"]
    assert got["c"] != got["a"]


def test_changed_articles_move_and_emptied_clusters_go(sample_library: Library, seeds_dir: Path) -> None:
    """Re-importing a page as a single story drops its old sections (and the clusters only they
    held); an article whose text changed to another story leaves its old cluster."""
    before = memberships(sample_library)
    tiktok = before[TIKTOK[0]]
    google, paris = before[f"{PAGE}#2"], before[f"{PAGE}#3"]
    page_title, page_text = _seed(seeds_dir, "000_9dd72cae0654412e.txt")
    tiktok_only = page_text[: page_text.index("Antitrust lawsuit against Google")]
    import_records(
        sample_library,
        [
            RawArticle(external_id=PAGE, title=page_title, text=tiktok_only, origin="test"),
            RawArticle(
                external_id=TIKTOK[3], title="Flooding closes roads in the valley", origin="test",
                text="Heavy rain closed several roads in the valley on Tuesday. The river rose two metres overnight "
                "and firefighters evacuated twelve houses near the old bridge. The mayor said schools would stay "
                "closed until Thursday while engineers check the dikes.",
            ),
        ],
        workers=1,
    )
    after = memberships(sample_library)
    assert f"{PAGE}#2" not in after and f"{PAGE}#3" not in after
    assert sample_library.get_cluster(google) is None and sample_library.get_cluster(paris) is None  # type: ignore[arg-type]
    assert after[PAGE] == tiktok  # the page is a story of its own now, the TikTok one
    assert after[TIKTOK[3]] != tiktok
    row = sample_library.get_cluster(tiktok)  # type: ignore[arg-type]
    assert row is not None and row.article_count == 4  # 000, 001, 002, 004


CROSSLINGUAL = Path(__file__).parent.parent / "data" / "crosslingual_de_en.jsonl"


def test_german_and_english_reports_of_one_event_share_a_cluster(library: Library) -> None:
    rows = [json.loads(line) for line in CROSSLINGUAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    import_records(
        library,
        [_raw(row["id"], row["title"], row["text"], date=row["date"], lang=row["lang"]) for row in rows],
        workers=1,
    )
    clusters: dict[str, set[int | None]] = {}
    for row in rows:
        clusters.setdefault(row["cluster"], set()).add(cluster_of(library, row["id"]))
    assert all(len(found) == 1 and None not in found for found in clusters.values()), clusters
    assert len({next(iter(found)) for found in clusters.values()}) == len(clusters)  # four events, four clusters


SAME_TEAM = Path(__file__).parent.parent / "data" / "same_team_two_arrests.jsonl"


def _same_team_rows() -> list[dict]:
    return [json.loads(line) for line in SAME_TEAM.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize(
    "arrival", ["one import", "first arrest first", "second arrest first", "interleaved", "unnamed report alone, after the first arrest"]
)
def test_two_arrests_of_two_players_of_one_team_stay_two_stories(library: Library, arrival: str) -> None:
    """Every word but the player's name is shared, and the second arrest's reports name the
    first player as background; one of them names no one in its headline; no dates. Each
    player's reports form their own cluster, however the reports arrive."""
    rows = _same_team_rows()
    first = [row for row in rows if row["cluster"] == "delaney"]
    second = [row for row in rows if row["cluster"] == "whitfield"]
    imports = {
        "one import": [rows],
        "first arrest first": [first, second],
        "second arrest first": [second, first],
        "interleaved": [[row] for pair in zip_longest(second, first) for row in pair if row is not None],
        # the report whose headline names no one comes when only the first arrest's cluster exists
        "unnamed report alone, after the first arrest": [first, second[-1:], second[:-1]],
    }[arrival]
    for rows_of_import in imports:
        import_records(
            library, [_raw(row["id"], row["title"], row["text"], lang=row["lang"]) for row in rows_of_import], workers=1
        )
    _assert_two_arrests_apart(library, rows)


def _assert_two_arrests_apart(library: Library, rows: list[dict]) -> None:
    clusters = {event: {cluster_of(library, row["id"]) for row in rows if row["cluster"] == event} for event in ("delaney", "whitfield")}
    assert all(len(found) == 1 and None not in found for found in clusters.values()), clusters
    assert clusters["delaney"] != clusters["whitfield"]


def test_recluster_keeps_the_two_arrests_apart(library: Library) -> None:
    rows = _same_team_rows()
    import_records(library, [_raw(row["id"], row["title"], row["text"], lang=row["lang"]) for row in rows], workers=1)
    recluster(library, workers=1)  # the stories analysed again from the store
    _assert_two_arrests_apart(library, rows)


SUMMIT = Path(__file__).parent.parent / "data" / "summit_many_leaders.jsonl"


ORDERS = [(0, 1, 2, 3), (3, 2, 1, 0), (1, 3, 0, 2), (2, 0, 3, 1)]


def _summit_rows() -> list[dict]:
    return [json.loads(line) for line in SUMMIT.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("order", ORDERS)
def test_dated_reports_about_the_leaders_of_one_summit_form_one_cluster_one_by_one(library: Library, order: tuple[int, ...]) -> None:
    """One report about each leader, imported one at a time: the dates put them on the same days,
    so none is refused as a story about someone else."""
    rows = _summit_rows()
    for index in order:
        row = rows[index]
        import_records(library, [_raw(row["id"], row["title"], row["text"], date=row["date"], lang=row["lang"])], workers=1)
    found = {cluster_of(library, row["id"]) for row in rows}
    assert len(found) == 1 and None not in found, found


@pytest.mark.parametrize("order", ORDERS)
def test_undated_reports_about_the_leaders_of_one_summit_form_one_cluster(library: Library, order: tuple[int, ...]) -> None:
    """Without dates, in one import: the cluster is about several people, and the reports name
    each other's leaders."""
    rows = _summit_rows()
    import_records(library, [_raw(rows[i]["id"], rows[i]["title"], rows[i]["text"], lang=rows[i]["lang"]) for i in order], workers=1)
    found = {cluster_of(library, row["id"]) for row in rows}
    assert len(found) == 1 and None not in found, found
