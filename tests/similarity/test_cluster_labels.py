"""Cluster labels: the best headline, then key entities written as full names."""

from reader.model import EntityMention
from reader.similarity.clustering import full_names


def mention(text: str) -> EntityMention:
    return EntityMention(0, len(text), "ORG", text, text.casefold().replace(" ", ""))


def test_label_entities_are_full_names_not_single_words(sample_library):
    google = next(c for c in sample_library.list_clusters(limit=100) if c.label.startswith("Antitrust lawsuit against Google"))
    entities = google.label.split(" · ", 1)[1].split(", ")
    assert "US Department of Justice" in entities
    assert "Department" not in entities and "Justice" not in entities


def test_months_are_no_label_entities(sample_library):
    for cluster in sample_library.list_clusters(limit=100):
        entities = cluster.label.split(" · ", 1)[1].split(", ") if " · " in cluster.label else []
        assert not {"September", "August", "May"} & set(entities), cluster.label


def test_a_name_word_takes_the_longer_name_it_is_mostly_written_in():
    surfaces = {"n:justice": "Justice", "n:tiktok": "TikTok", "n:house": "House"}
    mentions = [mention("US Department of Justice")] * 2 + [mention("Justice Department"), mention("White House")]
    mentions += [mention("TikTok")] * 3 + [mention("TikTok Global")]
    assert full_names(mentions, surfaces) == {"n:justice": "US Department of Justice", "n:house": "White House"}
