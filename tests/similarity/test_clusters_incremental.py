"""Incremental profiles, the copy rule, and the piece-by-piece term reader."""

from __future__ import annotations

import math

from reader.model import RawArticle
from reader.pipeline import import_records
from reader.similarity.clustering import (
    JOIN_SIMILARITY,
    MERGE_SIMILARITY,
    RETRIEVAL_KEYS,
    SURE_SIMILARITY,
    StoryClusterer,
    StoryUnit,
    WeighedStory,
    add_to_profile,
    dot,
    finish_profile,
    merge_profiles,
    profile_norms,
    square_norms,
)
from reader.similarity.story_terms import StoryTerms, term_counts
from reader.store import Library, open_library
from reader.store.story_clusters import StoryProfile


def _unit(article_id: int, lang: str = "en", day: int | None = None) -> StoryUnit:
    return StoryUnit(article_id, lang, day, StoryTerms({}, (), {}), None, None, f"title {article_id}")


def _unit_vector(weights: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {k: w / norm for k, w in weights.items()}


VECTORS = [
    _unit_vector({"n:oracle": 3.0, "n:tiktok": 2.0, "w:en:deal": 1.0}),
    _unit_vector({"n:oracle": 1.0, "w:en:cloud": 2.0, "#2020": 1.0}),
    _unit_vector({"n:tiktok": 1.0, "w:en:deal": 1.0, "w:en:ban": 3.0}),
]


# A finished profile holds its weights as the store does: float32 (about 7 significant digits).
FLOAT32 = 1e-6


def test_a_profile_is_the_mean_of_its_members_and_keeps_its_norms() -> None:
    profile = StoryProfile(cluster_id=1)
    for i, vector in enumerate(VECTORS, start=1):
        add_to_profile(profile, _unit(i), vector, square_norms(vector, ["en"]))
        # the squared norms kept key by key are those of the mean, up to its scale
        expected = square_norms(profile.weights, ["en"])
        assert all(math.isclose(profile_norms(profile)[k], expected[k], rel_tol=1e-9) for k in expected)
    finish_profile(profile)
    keys = {k for v in VECTORS for k in v}
    mean = {k: sum(v.get(k, 0.0) for v in VECTORS) / len(VECTORS) for k in keys}
    assert profile.members == 3 and profile.scale == 1.0
    assert profile.weights.keys() == mean.keys()
    assert all(math.isclose(profile.weights[k], mean[k], rel_tol=FLOAT32) for k in keys)  # as stored
    assert list(profile.weights.values()) == sorted(profile.weights.values(), reverse=True)  # strongest first


def test_a_stored_profile_grows_as_if_built_at_once() -> None:
    stored = StoryProfile(cluster_id=1)
    for i, vector in enumerate(VECTORS[:2], start=1):
        add_to_profile(stored, _unit(i), vector)
    finish_profile(stored)  # as written at the end of a batch, read back by the next one
    add_to_profile(stored, _unit(3), VECTORS[2])
    finish_profile(stored)
    at_once = StoryProfile(cluster_id=2)
    for i, vector in enumerate(VECTORS, start=1):
        add_to_profile(at_once, _unit(i), vector)
    finish_profile(at_once)
    assert stored.weights.keys() == at_once.weights.keys()
    assert all(math.isclose(stored.weights[k], at_once.weights[k], rel_tol=FLOAT32) for k in stored.weights)


def test_merging_two_clusters_weighs_them_by_their_members() -> None:
    big, small = StoryProfile(cluster_id=1), StoryProfile(cluster_id=2)
    add_to_profile(big, _unit(1, day=100), VECTORS[0])
    add_to_profile(big, _unit(2, day=101), VECTORS[1])
    add_to_profile(small, _unit(3, lang="fr", day=120), VECTORS[2])
    merge_profiles(big, small)
    finish_profile(big)
    for key in {k for v in VECTORS for k in v}:
        assert math.isclose(big.weights[key], sum(v.get(key, 0.0) for v in VECTORS) / 3, rel_tol=FLOAT32)
    assert big.members == 3 and big.langs == {"en", "fr"} and (big.first_day, big.last_day) == (100, 120)


def _three_articles(library: Library) -> list[int]:
    texts = [
        "Oracle will host the American user data of TikTok in its cloud, the companies said on Sunday.",
        "A fire broke out in a warehouse near the harbour of Marseille late on Tuesday night.",
        "The central bank raised its main interest rate by a quarter point to fight inflation.",
    ]
    raws = [RawArticle(external_id=f"a{i}", title=f"Story {i}", text=t, origin="test") for i, t in enumerate(texts)]
    import_records(library, raws, workers=1)
    return [library.find_article(f"a{i}").id for i in range(3)]  # type: ignore[union-attr]


def test_the_copy_rule_follows_exact_and_near_copies_never_containment(library: Library) -> None:
    a, b, c = _three_articles(library)
    with library.transaction() as conn:
        conn.execute("DELETE FROM duplicates")
        conn.execute("INSERT INTO duplicates (a_id, b_id, relation, score) VALUES (?, ?, 'contained', 0.97)", (a, b))
        conn.execute("INSERT INTO duplicates (a_id, b_id, relation, score) VALUES (?, ?, 'near', 0.91)", (min(a, c), max(a, c)))
    assert library.copy_partners([a, b, c]) == {a: [c], c: [a]}
    clusterer = StoryClusterer(library)
    clusterer.copies = library.copy_partners([a, b])
    clusterer.copy_clusters = library.cluster_ids_of([a, c])
    # b holds a (a is contained in b): not a copy, so b is not sent to a's cluster by the rule
    assert clusterer.known_copy_cluster(_unit(b)) is None
    assert clusterer.known_copy_cluster(_unit(a)) == library.find_article("a2").cluster_id  # type: ignore[union-attr]


def test_names_are_read_through_punctuation_and_possessives() -> None:
    keys = term_counts("", "Analysts said (TikTok), Oracle, and ByteDance's lawyers met. Oracle agreed.", "en")
    assert {"n:tiktok", "n:oracle", "n:bytedance"} <= keys.keys()
    assert "w:en:analyst" in keys and "n:analysts" not in keys  # the text's first word opens a sentence
    assert term_counts("", "It rose 12,5% in 2020.", "fr").keys() >= {"#12.5%", "#2020"}


def test_a_capital_seen_only_at_sentence_starts_is_a_word() -> None:
    keys = term_counts("", "Markets fell. Markets rose again. Traders said markets were calm.", "en")
    assert "w:en:market" in keys and "n:markets" not in keys


def test_document_frequencies_add_up_across_batches(library: Library) -> None:
    with library.transaction():
        assert library.count_story_terms({"n:oracle": 2, "w:en:deal": 1}, 2) == {"n:oracle": 2, "w:en:deal": 1}
        assert library.count_story_terms({"n:oracle": 1, "#2020": 1}, 1) == {"n:oracle": 3, "#2020": 1}
    assert library.story_unit_count() == 3


def test_postings_list_the_most_recent_clusters_of_each_key(library: Library) -> None:
    with library.transaction():
        ids = library.create_clusters([f"cluster {i}" for i in range(5)])
        library.save_story_profiles(
            [(StoryProfile(cluster_id=c, members=1, weights={"n:oracle": 1.0}, index_keys=("n:oracle",)), ()) for c in ids]
        )
    assert ids == sorted(ids) and len(set(ids)) == 5
    assert library.story_postings(["n:oracle", "n:absent"], per_key=3) == {"n:oracle": sorted(ids, reverse=True)[:3]}
    with library.transaction():  # re-indexed under another key: the old posting goes
        profile = StoryProfile(cluster_id=ids[-1], members=1, weights={"n:tiktok": 1.0}, index_keys=("n:tiktok",))
        library.save_story_profiles([(profile, ("n:oracle",))])
    assert library.story_postings(["n:oracle", "n:tiktok"], per_key=3) == {
        "n:oracle": sorted(ids, reverse=True)[1:4], "n:tiktok": [ids[-1]],
    }


def test_remembered_profiles_follow_rollbacks_and_other_connections(library: Library) -> None:
    with library.transaction():
        (cluster_id,) = library.create_clusters(["oracle"])
        library.save_story_profiles([(StoryProfile(cluster_id=cluster_id, members=1, weights={"n:oracle": 1.0}), ())])
    try:
        with library.transaction():  # a batch that fails after saving its profiles
            grown = StoryProfile(cluster_id=cluster_id, members=2, weights={"n:oracle": 0.5, "n:tiktok": 0.5})
            library.save_story_profiles([(grown, ())])
            raise RuntimeError("the batch fails")
    except RuntimeError:
        pass
    assert library.story_profiles([cluster_id])[cluster_id].weights == {"n:oracle": 1.0}
    other = library.reopen()
    try:
        with other.transaction():
            other.save_story_profiles([(StoryProfile(cluster_id=cluster_id, members=3, weights={"n:bytedance": 1.0}), ())])
    finally:
        other.close()
    profile = library.story_profiles([cluster_id])[cluster_id]
    assert (profile.members, profile.weights) == (3, {"n:bytedance": 1.0})
    profile.weights["n:changed"] = 1.0  # a copy: what the library hands out is the caller's to change
    assert library.story_profiles([cluster_id])[cluster_id].weights == {"n:bytedance": 1.0}


def test_a_profile_is_stored_with_its_norms_and_surfaces(library: Library) -> None:
    norms = {"": 0.5, "en": 0.25, "fr": 0.25}
    with library.transaction():
        first, second = library.create_clusters(["deal", "older"])
        profile = StoryProfile(
            cluster_id=first, members=2, langs={"en", "fr"}, norms=norms,
            weights={"n:oracle": 0.5, "w:en:deal": 0.5, "w:fr:accord": 0.5},
        )
        profile.surfaces = {"n:oracle": "Oracle", "e:us": "États-Unis"}
        library.save_story_profiles([(profile, ()), (StoryProfile(cluster_id=second, members=1), ())])
        # a profile written before version 12: surfaces as JSON, no norms
        library.conn.execute(
            "UPDATE story_profiles SET surfaces = ?, norms = NULL WHERE cluster_id = ?", ('{"n:tiktok": "TikTok"}', second)
        )
    fresh = open_library(library.path)
    try:
        stored = fresh.story_profiles([first, second])
        assert (stored[first].norms, stored[first].surfaces) == (norms, {"n:oracle": "Oracle", "e:us": "États-Unis"})
        assert (stored[second].norms, stored[second].surfaces) == (None, {"n:tiktok": "TikTok"})
    finally:
        fresh.close()


def test_a_clusters_figures_are_read_from_an_index_not_from_the_articles(library: Library) -> None:
    # a large cluster is refreshed every batch it grows: its members' rows (texts of kilobytes)
    # must not be read for that
    with library.transaction():
        (cluster_id,) = library.create_clusters(["deal"])
    statements: list[str] = []
    library.conn.set_trace_callback(statements.append)
    try:
        with library.transaction():
            library.refresh_cluster_stats([cluster_id])
    finally:
        library.conn.set_trace_callback(None)
    (query,) = [s for s in statements if s.lstrip().startswith("SELECT") and "GROUP BY cluster_id" in s]
    plan = " ".join(row[-1] for row in library.conn.execute("EXPLAIN QUERY PLAN " + query))
    assert "COVERING INDEX" in plan


def test_clustering_leaves_the_garbage_collector_as_it_found_it(library: Library) -> None:
    import gc

    from reader.similarity.clustering import collection_paused

    assert gc.isenabled()
    import_records(library, [RawArticle(external_id="a", title="Oracle", text="Oracle and TikTok agreed.", origin="t")], workers=1)
    assert gc.isenabled()
    gc.disable()
    try:
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_lone_story_is_looked_at_again_through_the_keys_it_shares(library: Library) -> None:
    """A story that came before its cluster formed starts one of its own; the second look finds
    that cluster through the keys the story shares with other stories (its retrieval keys), even
    when its strongest keys are its own (names no other story has)."""
    own = {f"n:only{i}": 1.0 for i in range(RETRIEVAL_KEYS + 1)}  # its strongest keys: no one else has them
    early = _unit_vector({**own, "n:oracle": 0.83, "n:tiktok": 0.83})
    second = _unit_vector({"n:oracle": 1.0, "n:tiktok": 1.0, "w:en:deal": 1.0, "w:en:cloud": 1.0, "w:en:data": 1.0})
    third = _unit_vector({"n:oracle": 1.0, "n:tiktok": 1.0, "w:en:ban": 1.0, "w:en:court": 1.0, "w:en:judge": 1.0})
    mean = {k: (second.get(k, 0.0) + third.get(k, 0.0)) / 2 for k in {*second, *third}}
    # alone, each later story is too far from the early one to join it; their cluster is not
    assert dot(early, second) < JOIN_SIMILARITY and dot(early, third) < JOIN_SIMILARITY
    assert dot(early, mean) / math.sqrt(dot(mean, mean)) >= JOIN_SIMILARITY
    assert list(early)[:RETRIEVAL_KEYS] == list(own)[:RETRIEVAL_KEYS]

    clusterer = StoryClusterer(library)
    for article_id, vector in enumerate([early, second, third], start=1):
        query = [k for k in vector if k in ("n:oracle", "n:tiktok")]  # the keys other stories share
        clusterer.place(WeighedStory(_unit(article_id), vector, square_norms(vector, ["en"]), query))
    first, later = clusterer.members[1], clusterer.members[2]
    assert first != later and clusterer.members[3] == later  # the early story started a cluster of its own
    assert clusterer.merge_new_clusters() == {first: later}


def test_a_loose_fit_waits_for_its_own_event_to_form_a_cluster(library: Library) -> None:
    """Arrival order: event A's story, then a story of event B that is loosely like A's, then
    one that is much like the first B story. In one pass the first B story would join A and
    draw the second after it; waiting, it joins the B cluster its neighbour started."""
    a = {"n:a": 1.0}
    b1 = {"n:a": 0.3, "n:b": math.sqrt(1 - 0.3**2)}
    c = (0.8 - 0.05 * 0.3) / b1["n:b"]
    b2 = {"n:a": 0.05, "n:b": c, "n:c": math.sqrt(1 - 0.05**2 - c**2)}
    assert JOIN_SIMILARITY <= dot(b1, a) < SURE_SIMILARITY  # a loose fit with A
    assert dot(b2, a) < JOIN_SIMILARITY and dot(b2, b1) >= SURE_SIMILARITY

    def stories() -> list[WeighedStory]:
        return [WeighedStory(_unit(i), v, square_norms(v, ["en"]), list(v)) for i, v in enumerate([a, b1, b2], start=1)]

    one_pass = StoryClusterer(library)
    for story in stories():
        one_pass.place(story)
    assert one_pass.members[1] == one_pass.members[2] == one_pass.members[3]  # the first B story drew B into A

    clusterer = StoryClusterer(library)
    clusterer.place_all(stories())
    assert clusterer.members[2] == clusterer.members[3] != clusterer.members[1]
    assert dot({k: (b1.get(k, 0.0) + b2.get(k, 0.0)) / 2 for k in {*b1, *b2}}, a) < MERGE_SIMILARITY
    assert clusterer.merge_new_clusters() == {}  # and the second look keeps the two events apart


def test_profiles_read_from_the_store_are_remembered_until_another_connection_saves(library: Library) -> None:
    with library.transaction():
        (cluster_id,) = library.create_clusters(["oracle"])
        library.save_story_profiles([(StoryProfile(cluster_id=cluster_id, members=1, weights={"n:oracle": 1.0}), ())])
    reader = library.reopen()  # a connection that has never saved a profile
    try:
        read = reader.story_profiles([cluster_id], shared=True)[cluster_id]
        assert reader.story_profiles([cluster_id], shared=True)[cluster_id] is read  # decoded once
        with library.transaction():
            library.save_story_profiles([(StoryProfile(cluster_id=cluster_id, members=2, weights={"n:tiktok": 1.0}), ())])
        again = reader.story_profiles([cluster_id], shared=True)[cluster_id]
        assert (again.members, again.weights) == (2, {"n:tiktok": 1.0})
    finally:
        reader.close()
