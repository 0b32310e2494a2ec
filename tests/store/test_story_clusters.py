"""The story-clustering index in the store: document frequencies."""

from __future__ import annotations

import random
from collections import Counter

from reader.store import Library


def test_document_frequencies_of_many_keys_with_many_counts_match_a_running_sum(library: Library) -> None:
    # keys counted 1, 2, ... times in a batch go in one statement per count: every key must
    # come back with its own total, in every batch, whatever its count
    rng = random.Random(7)
    keys = [f"w:en:word{i}" for i in range(3000)] + [f"n:name{i}" for i in range(500)] + ["#12.5%", "e:Q312"]
    expected: Counter[str] = Counter()
    with library.transaction():
        for _ in range(4):
            batch = {key: rng.choice((1, 1, 1, 2, 3, 17, 250)) for key in rng.sample(keys, 1200)}
            expected.update(batch)
            assert library.count_story_terms(batch, 500) == {key: expected[key] for key in batch}
    assert library.story_unit_count() == 2000


def test_no_keys_count_only_the_stories(library: Library) -> None:
    with library.transaction():
        assert library.count_story_terms({}, 3) == {}
    assert library.story_unit_count() == 3
