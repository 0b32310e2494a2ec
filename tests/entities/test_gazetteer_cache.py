"""The gazetteer is cached in the user's cache dir: one file, never a trail of old ones."""

from __future__ import annotations

import pickle

from reader.entities import gazetteer as gazetteer_module
from reader.entities.gazetteer import Gazetteer


def test_writing_a_new_cache_removes_the_stale_ones(tmp_path, monkeypatch):
    current = tmp_path / "gazetteer-9-new.pickle"
    stale = [tmp_path / "gazetteer-8-new.pickle", tmp_path / "gazetteer-9-old.pickle"]
    for path in stale:
        path.write_bytes(b"an older gazetteer")
    unrelated = tmp_path / "langdetect-1.0.9-profiles-v1.json"
    unrelated.write_text("{}")
    small = Gazetteer(places={}, abbreviations={}, demonyms={}, max_words=1)
    monkeypatch.setattr(gazetteer_module, "_cache_path", lambda: current)
    monkeypatch.setattr(gazetteer_module, "build_gazetteer", lambda: small)
    gazetteer_module.gazetteer.cache_clear()
    try:
        assert gazetteer_module.gazetteer() == small
    finally:
        gazetteer_module.gazetteer.cache_clear()  # the next caller loads the real one again
    assert sorted(p.name for p in tmp_path.iterdir()) == [current.name, unrelated.name]
    assert pickle.loads(current.read_bytes()) == small


def test_reading_the_current_cache_leaves_the_others_alone(tmp_path, monkeypatch):
    current = tmp_path / "gazetteer-9-new.pickle"
    small = Gazetteer(places={}, abbreviations={}, demonyms={}, max_words=1)
    current.write_bytes(pickle.dumps(small))
    other = tmp_path / "gazetteer-9-other.pickle"  # another installation's, maybe in use
    other.write_bytes(b"another gazetteer")
    monkeypatch.setattr(gazetteer_module, "_cache_path", lambda: current)
    gazetteer_module.gazetteer.cache_clear()
    try:
        assert gazetteer_module.gazetteer() == small
    finally:
        gazetteer_module.gazetteer.cache_clear()
    assert other.exists()
