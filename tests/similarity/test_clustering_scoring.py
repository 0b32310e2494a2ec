"""Scoring a story against candidate clusters, and the profiles a batch shares with the store."""

from __future__ import annotations

import math
from pathlib import Path

from reader.model import EntityMention
from reader.similarity.clustering import (
    best_match,
    clusters_conflict,
    cosine,
    persons_of,
    protagonist_conflict,
    square_norms,
    time_factor,
)
from reader.store import Library, open_library
from reader.store.story_clusters import StoryProfile


def _story() -> tuple[dict[str, float], dict[str, float]]:
    vector = {"n:oracle": 0.6, "n:tiktok": 0.6, "w:en:deal": 0.4, "#2020": 0.36}
    return vector, square_norms(vector, ["en"])


def test_the_best_match_is_the_candidate_with_the_highest_cosine_times_time_factor() -> None:
    vector, norms = _story()
    same_words = StoryProfile(cluster_id=1, members=2, langs={"en"}, weights={"n:oracle": 0.5, "w:en:deal": 0.8})
    french = StoryProfile(cluster_id=2, members=1, langs={"fr"}, weights={"n:oracle": 0.7, "n:tiktok": 0.7, "w:fr:accord": 0.3})
    old_news = StoryProfile(
        cluster_id=3, members=1, langs={"en"}, first_day=1000, last_day=1000, weights=dict(vector)
    )
    unrelated = StoryProfile(cluster_id=4, members=1, langs={"en"}, weights={"n:google": 1.0})
    candidates = [same_words, french, old_news, unrelated]
    # by hand: shared keys n:oracle and w:en:deal; both sides have English, so all keys count
    assert abs(cosine(vector, "en", same_words, norms) - (0.6 * 0.5 + 0.4 * 0.8) / math.sqrt(1.0096 * 0.89)) < 1e-9
    expected = [cosine(vector, "en", c, norms) * time_factor(1100, 1100, c) for c in candidates]
    best, score = best_match(vector, "en", 1100, 1100, norms, candidates)
    assert best is candidates[expected.index(max(expected))] and score == max(expected)
    assert best is french  # across languages the names decide; old news is decayed
    # with no known date the old copy of the story is a perfect match
    best, score = best_match(vector, "en", None, None, norms, candidates)
    assert best is old_news and abs(score - 1.0) < 1e-9


def test_candidates_the_time_gap_keeps_under_the_floor_are_not_compared() -> None:
    vector, norms = _story()
    same_day = StoryProfile(cluster_id=1, members=1, langs={"en"}, first_day=1100, last_day=1100,
                            weights={"n:oracle": 0.5, "w:en:deal": 0.8}, norms={"": 0.25, "en": 0.64})
    # the same story a year earlier: a perfect match but for the gap, its weights still packed as stored
    year_ago = StoryProfile(cluster_id=2, members=1, langs={"en"}, first_day=735, last_day=735,
                            norms=square_norms(vector, ["en"]), packed_weights=("n:oracle", b"\x00\x00\x80\x3f"))
    unpruned = best_match(vector, "en", 1100, 1100, norms, [year_ago, same_day])
    year_ago.packed_weights = ("n:oracle", b"\x00\x00\x80\x3f")  # packed again
    assert best_match(vector, "en", 1100, 1100, norms, [year_ago, same_day], floor=0.25) == unpruned
    assert unpruned[0] is same_day and year_ago.packed_weights is not None  # never read
    # under the floor, no match either way
    far_only = best_match(vector, "en", 1100, 1100, norms, [year_ago], floor=0.25)
    assert far_only[0] is None and best_match(vector, "en", 1100, 1100, norms, [year_ago])[1] < 0.25


def test_the_first_of_equal_candidates_wins_and_nothing_shared_is_no_match() -> None:
    vector, norms = _story()
    first = StoryProfile(cluster_id=1, members=1, langs={"en"}, weights={"n:oracle": 1.0})
    second = StoryProfile(cluster_id=2, members=1, langs={"en"}, weights={"n:oracle": 1.0})
    assert best_match(vector, "en", None, None, norms, [first, second])[0] is first
    assert best_match(vector, "en", None, None, norms, [second, first])[0] is second
    unrelated = StoryProfile(cluster_id=3, members=1, langs={"en"}, weights={"n:google": 1.0})
    assert best_match(vector, "en", None, None, norms, [unrelated]) == (None, 0.0)
    assert best_match(vector, "en", None, None, norms, []) == (None, 0.0)


def test_shared_profiles_are_the_remembered_ones_and_copies_are_the_callers(library: Library) -> None:
    with library.transaction():
        (cluster_id,) = library.create_clusters(["oracle"])
        library.save_story_profiles([(StoryProfile(cluster_id=cluster_id, members=1, weights={"n:oracle": 1.0}), ())])
    shared = library.story_profiles([cluster_id], shared=True)[cluster_id]
    assert library.story_profiles([cluster_id], shared=True)[cluster_id] is shared
    copy = library.story_profiles([cluster_id])[cluster_id]
    assert copy is not shared and copy.weights == shared.weights
    copy.weights["n:changed"] = 1.0
    assert library.story_profiles([cluster_id], shared=True)[cluster_id].weights == {"n:oracle": 1.0}


_HEADLINE_SCORE_SNIPPET = """
from reader.similarity.clustering import StoryUnit, headline_score
from reader.similarity.story_terms import StoryTerms
from reader.store.story_clusters import StoryProfile
keys = [f"w:en:k{i}" for i in range(40)]
weights = {key: (1e16 if i % 3 == 0 else 1.0) * (-1) ** i for i, key in enumerate(keys)}
unit = StoryUnit(1, "en", None, StoryTerms({}, tuple(keys), {}), None, None, "A headline")
print(repr(headline_score(unit, StoryProfile(cluster_id=1, weights=weights))))
"""


def test_a_headline_score_does_not_depend_on_the_process_hash_seed() -> None:
    """Float sums depend on their order: the score sums the headline's keys in headline order, so
    the best headline of a cluster is the same in every run."""
    import os
    import subprocess
    import sys

    scores = {
        subprocess.run(
            [sys.executable, "-c", _HEADLINE_SCORE_SNIPPET],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(6)
    }
    assert len(scores) == 1


def _person(text: str, key: str) -> EntityMention:
    return EntityMention(0, len(text), "PERSON", text, key)


def test_a_story_is_about_the_persons_its_headline_names() -> None:
    mentions = [
        _person("Jamal Williams", "jamalwilliams"), _person("Williams", "jamalwilliams"), _person("Williams", "williams"),
        _person("Vincent Jackson", "vincentjackson"), EntityMention(0, 8, "ORG", "Chargers", "chargers"),
    ]
    # one person per surname, however the linker keyed the forms; the headline names who it is about
    persons, protagonists = persons_of(mentions, ("n:chargers", "n:williams", "w:en:arrested"))
    assert persons == {"n:williams": 3, "n:jackson": 1} and protagonists == ("n:williams",)
    assert persons_of(mentions, ("n:chargers", "w:en:arrested"))[1] == ()  # the headline names no one
    assert persons_of([EntityMention(0, 8, "ORG", "Chargers", "chargers")] * 3, ("n:chargers",)) == ({}, ())


def _cluster(cluster_id: int, members: int, mentions: dict[str, int], about: dict[str, int]) -> StoryProfile:
    return StoryProfile(cluster_id=cluster_id, members=members, langs={"en"}, person_mentions=mentions, protagonists=about)


def test_a_story_about_a_minor_figure_of_a_cluster_about_someone_else_does_not_join_it() -> None:
    jackson_arrest = _cluster(1, 3, {"n:jackson": 20}, {"n:jackson": 2})
    williams_story = {"n:williams": 6, "n:jackson": 2}  # names Jackson in the background; the cluster never names Williams
    assert protagonist_conflict(("n:williams",), williams_story, jackson_arrest)
    assert not protagonist_conflict(("n:jackson",), williams_story, jackson_arrest)
    assert not protagonist_conflict(("n:williams", "n:jackson"), williams_story, jackson_arrest)  # about both
    # a headline that names no one: the person the story mentions most, if the lead is a minor figure of it
    assert protagonist_conflict((), williams_story, jackson_arrest)
    assert not protagonist_conflict((), {"n:williams": 6, "n:jackson": 3}, jackson_arrest)
    assert not protagonist_conflict((), {"n:williams": 2}, jackson_arrest)  # mentioned twice: about no one in particular
    coach_change = _cluster(2, 3, {"n:obrien": 20, "n:cheeks": 15}, {"n:obrien": 2})
    assert not protagonist_conflict(("n:cheeks",), {"n:cheeks": 5}, coach_change)  # the coach fired, and the one hired
    crowd = _cluster(3, 7, {"n:jackson": 20}, {"n:jackson": 2})
    assert not protagonist_conflict(("n:williams",), williams_story, crowd)  # two of seven stories: about no one in particular
    # dated within a few days of the cluster: one event with several actors may be told this way
    jackson_arrest.first_day = jackson_arrest.last_day = 733_000
    assert protagonist_conflict(("n:williams",), williams_story, jackson_arrest, 733_009, 733_009)
    assert not protagonist_conflict(("n:williams",), williams_story, jackson_arrest, 733_002, 733_002)
    jackson_arrest.first_day = jackson_arrest.last_day = None
    # a cluster about several people (a summit: one report about each leader) is about no one
    summit = _cluster(6, 2, {"n:macron": 8, "n:trump": 6, "n:johnson": 1}, {"n:macron": 1, "n:trump": 1})
    assert not protagonist_conflict(("n:merkel",), {"n:merkel": 5}, summit)
    # the story names the cluster's lead, and the cluster's stories name the story's person
    host = _cluster(7, 1, {"n:macron": 8, "n:merkel": 1}, {"n:macron": 1})
    assert not protagonist_conflict(("n:merkel",), {"n:merkel": 5, "n:macron": 1}, host)
    assert protagonist_conflict(("n:merkel",), {"n:merkel": 5}, host)
    # the later arrest's stories name the first player in the background, as often as half the time
    williams_arrest = _cluster(4, 2, {"n:williams": 12, "n:jackson": 6}, {"n:williams": 2})
    assert clusters_conflict(jackson_arrest, williams_arrest) and clusters_conflict(williams_arrest, jackson_arrest)
    assert not clusters_conflict(jackson_arrest, crowd)  # both about Jackson
    assert not clusters_conflict(coach_change, _cluster(5, 2, {"n:cheeks": 12, "n:obrien": 9}, {"n:cheeks": 2}))


def test_persons_are_stored_with_the_profile(library: Library, library_path: Path) -> None:
    mentions, about = {"n:williams": 12, "n:smith": 3, "n:jackson": 2}, {"n:williams": 2, "n:smith": 1}
    with library.transaction():
        (cluster_id,) = library.create_clusters(["Williams arrested"])
        library.save_story_profiles([(_cluster(cluster_id, 3, mentions, about), ())])
    other = open_library(library_path)  # another connection: read from the store, not remembered
    try:
        stored = other.story_profiles([cluster_id])[cluster_id]
        assert stored.person_mentions == mentions and stored.protagonists == about
    finally:
        other.close()
